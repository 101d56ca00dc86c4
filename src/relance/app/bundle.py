"""Offline bundles: files encrypted with age (pyrage) to the downtime laptops' public keys,
with a manifest of SHA-256 hashes.

Each file is encrypted on its own (`MAR-CARD.pdf.age`), so a nurse opens only her ward's sheet
with Debian's `age` command and no Python: `age -d -i key.txt -o MAR-CARD.pdf MAR-CARD.pdf.age`.
The manifest gives, for each file, the hash of its plaintext and of its encrypted form;
`SHA256SUMS` repeats the latter for `sha256sum -c`. The plaintext is handed over as bytes and
never written to disk here.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyrage
from pyrage import ssh, x25519

from relance.domain.errors import N_, Problem, RejectedInput
from relance.domain.os_errors import os_reason
from relance.importers.reading import KEYS_MAX, read_text

FORMAT = "relance-snapshot/1"
MANIFEST, SUMS, README = "manifest.json", "SHA256SUMS", "LISEZMOI-README.txt"
Recipient = x25519.Recipient | ssh.Recipient
Identity = x25519.Identity | ssh.Identity
NOT_PUBLIC = N_("not an age public key: {error}")
MISSING = N_("missing")


@dataclass(frozen=True)
class Plain:
    """A file to put in the bundle, before encryption."""

    name: str  # without .age: MAR-CARD.pdf
    content: str  # cover, ward-sheet, census-json
    data: bytes
    ward: str | None = None


@dataclass(frozen=True)
class BundleFile:
    name: str  # MAR-CARD.pdf.age
    content: str
    ward: str | None
    sha256: str  # of the plaintext
    size: int
    encrypted_sha256: str
    encrypted_size: int


def read_recipients(path: Path) -> tuple[list[Recipient], list[str]]:
    """The public keys of a recipients file (as `age -R` reads it: one key a line, # comments):
    age X25519 keys (age1...) and SSH keys (ssh-ed25519, ssh-rsa). RejectedInput if any is bad."""
    text = read_text(path, KEYS_MAX)
    recipients: list[Recipient] = []
    keys: list[str] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        try:
            recipient: Recipient = (
                ssh.Recipient.from_str(key)
                if key.startswith("ssh-")
                else x25519.Recipient.from_str(key)
            )
        except pyrage.RecipientError as error:
            problems.append(Problem(path.name, number, "recipient", NOT_PUBLIC, error=str(error)))
            continue
        recipients.append(recipient)
        keys.append(key)
    if not problems and not recipients:
        problems.append(Problem(path.name, None, "", N_("no public key (one age1... key a line)")))
    if problems:
        raise RejectedInput(problems)
    return recipients, keys


def read_identities(path: Path) -> list[Identity]:
    """The private keys of an identity file: age-keygen's (AGE-SECRET-KEY-1...) or an SSH key."""
    text = read_text(path, KEYS_MAX)
    if "PRIVATE KEY" in text:
        try:
            return [ssh.Identity.from_buffer(text.encode())]
        except pyrage.IdentityError as error:
            raise RejectedInput(
                [Problem(path.name, None, "", N_("not an SSH key: {error}"), error=str(error))]
            ) from None
    identities: list[Identity] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        try:
            identities.append(x25519.Identity.from_str(key))
        except pyrage.IdentityError:
            problems.append(Problem(path.name, number, "identity", N_("not an age secret key")))
    if not problems and not identities:
        problems.append(Problem(path.name, None, "", N_("no AGE-SECRET-KEY-1... line")))
    if problems:
        raise RejectedInput(problems)
    return identities


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bundle(
    directory: Path, files: Iterable[Plain], recipients: list[Recipient], about: dict[str, Any]
) -> list[BundleFile]:
    """Encrypt each file into `directory`, then write SHA256SUMS and the manifest (last)."""
    written: list[BundleFile] = []
    for plain in files:
        secret = pyrage.encrypt(plain.data, recipients)
        name = f"{plain.name}.age"
        (directory / name).write_bytes(secret)
        written.append(
            BundleFile(
                name,
                plain.content,
                plain.ward,
                sha256(plain.data),
                len(plain.data),
                sha256(secret),
                len(secret),
            )
        )
    sums = "".join(f"{f.encrypted_sha256}  {f.name}\n" for f in written)
    (directory / SUMS).write_text(sums, encoding="utf-8")
    manifest = {"format": FORMAT, **about, "files": [asdict(f) for f in written]}
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return written


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RejectedInput(
            [Problem(str(directory), None, MANIFEST, N_("no manifest: not a snapshot"))]
        ) from None
    except OSError as error:
        unreadable = N_("unreadable manifest: {error}")
        raise RejectedInput(
            [Problem(str(path), None, "", unreadable, error=os_reason(error))]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        broken = N_("a damaged manifest (not JSON): make the snapshot again")
        raise RejectedInput([Problem(str(path), None, "", broken)]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        wrong = Problem(str(path), None, "format", N_("not a {format} manifest"), format=FORMAT)
        raise RejectedInput([wrong])
    return manifest


def check_bundle(directory: Path, identities: list[Identity] | None) -> tuple[dict[str, Any], int]:
    """The manifest and the number of files checked; RejectedInput listing every mismatch."""
    manifest = read_manifest(directory)
    problems: list[Problem] = []
    listed = manifest.get("files") or []
    names = {str(f.get("name")) for f in listed if isinstance(f, dict)}
    for entry in listed:
        problems += _check_file(directory, entry, identities)
    for path in sorted(directory.iterdir()):
        if path.name not in names | {MANIFEST, SUMS, README}:
            problems.append(Problem(path.name, None, "", N_("not in the manifest")))
    problems += _check_sums(directory, listed)
    if problems:
        raise RejectedInput(problems)
    return manifest, len(listed)


def _check_file(directory: Path, entry: Any, identities: list[Identity] | None) -> list[Problem]:
    name = str(entry.get("name", "?")) if isinstance(entry, dict) else "?"
    try:
        secret = (directory / name).read_bytes()
    except OSError:
        return [Problem(name, None, "", MISSING)]
    if sha256(secret) != entry.get("encrypted_sha256") or len(secret) != entry.get(
        "encrypted_size"
    ):
        return [Problem(name, None, "encrypted_sha256", N_("the file differs from the manifest"))]
    if identities is None:
        return []
    try:
        plain = pyrage.decrypt(secret, identities)
    except pyrage.DecryptError as error:
        undecrypted = N_("cannot be decrypted with this key: {error}")
        return [Problem(name, None, "", undecrypted, error=str(error))]
    return _check_content(name, plain, entry)


def _check_content(name: str, plain: bytes, entry: dict[str, Any]) -> list[Problem]:
    if sha256(plain) != entry.get("sha256") or len(plain) != entry.get("size"):
        differs = N_("the decrypted content differs from the manifest")
        return [Problem(name, None, "sha256", differs)]
    if name.endswith(".pdf.age") and not plain.startswith(b"%PDF-"):
        return [Problem(name, None, "", N_("not a PDF"))]
    return []


def _check_sums(directory: Path, listed: list[Any]) -> list[Problem]:
    try:
        lines = (directory / SUMS).read_text(encoding="utf-8").splitlines()
    except OSError:
        return [Problem(SUMS, None, "", MISSING)]
    expected = {
        f"{f.get('encrypted_sha256')}  {f.get('name')}" for f in listed if isinstance(f, dict)
    }
    if set(lines) != expected:
        return [Problem(SUMS, None, "", N_("does not match the manifest"))]
    return []


def readme(name: str, as_of: str, keys: list[str]) -> str:
    """How to open the bundle with no Python, in the four languages."""
    recipients = "\n".join(f"  {k[:20]}...{k[-8:]}" for k in keys)
    return f"""relance - {name}
État au / As of / Stand op / Stand: {as_of}

FR  Pour lire une feuille sur un portable de secours (clé privée dans cle.txt) :
      age -d -i cle.txt -o MAR-CARD.pdf MAR-CARD.pdf.age
    Vérifier les fichiers chiffrés : sha256sum -c SHA256SUMS
    Le fichier census.json.age contient toutes les données en JSON.
EN  To read a sheet on a downtime laptop (private key in key.txt):
      age -d -i key.txt -o MAR-CARD.pdf MAR-CARD.pdf.age
    Check the encrypted files: sha256sum -c SHA256SUMS
NL  Een blad lezen op een noodlaptop (privésleutel in sleutel.txt):
      age -d -i sleutel.txt -o MAR-CARD.pdf MAR-CARD.pdf.age
DE  Ein Blatt auf einem Notfall-Laptop lesen (privater Schlüssel in schluessel.txt):
      age -d -i schluessel.txt -o MAR-CARD.pdf MAR-CARD.pdf.age

Encrypted to / chiffré pour:
{recipients}
"""
