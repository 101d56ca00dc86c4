"""Backups of the live database, taken while the crisis cell works.

A backup is one tar file: `manifest.json`, left in clear (it holds no personal data, so a
technician reads it with `tar -xOf FILE manifest.json`), and the payload: the SQLite copy
gzipped (`relance.db.gz`) or pg_dump's archive (`relance.pgdump`), encrypted with age to the
recipients when given (`.age`). The manifest holds the SHA-256 of the payload as stored and of
the database inside it, the schema revision and the rows of every table. `relance.app.restore`
puts it back.
"""

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyrage

from relance.app import bundle
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput, RelanceError
from relance.domain.os_errors import os_reason
from relance.storage import backup as store
from relance.storage.backup import SQLITE, BackupFailed
from relance.storage.database import describe, make_engine, unit_of_work

FORMAT = "relance-backup/1"
MANIFEST = "manifest.json"
PREFIX, SUFFIX, PARTIAL = "relance-backup-", ".tar", ".part"
NAMED = re.compile(r"relance-backup-\d{4}-\d{2}-\d{2}T\d{6}Z\.tar")
CHUNK = 1 << 20

__all__ = ["BackupFailed", "BackupInfo", "Cycle", "take_backup"]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    backend: str
    revision: str | None
    counts: dict[str, int]
    size: int
    encrypted: bool
    seconds: float


@dataclass(frozen=True)
class Cycle:
    """One turn of `relance backup --every`: the backup taken, or why not."""

    at: datetime
    backup: BackupInfo | None
    error: str | None
    pruned: tuple[str, ...]
    kept: int


# Taking a backup


def take_backup(ctx: Context, url: str, out: Path, recipients: Path | None = None) -> BackupInfo:
    """Copy the live database into the file `out` (or a file named by the time in the
    directory `out`), then record who took it in the audit trail."""
    started = time.perf_counter()
    keys = bundle.read_recipients(recipients) if recipients else ([], [])
    taken_at = ctx.clock.now()
    target = _target_file(out, taken_at)
    _check_source(url)
    try:
        with tempfile.TemporaryDirectory(prefix="relance-backup-") as private:
            copy = store.copy_database(url, Path(private))
            payload = _payload(copy, keys[0])
            manifest = _manifest(ctx, url, copy, payload, taken_at=taken_at, keys=keys[1])
            _write_archive(target, manifest, payload)
    except OSError as error:  # the temporary directory's disk full, mostly
        raise BackupFailed(N_("cannot make the backup: {error}"), error=os_reason(error)) from None
    _record_backup(ctx, url, target, manifest)
    return BackupInfo(
        path=target,
        taken_at=taken_at,
        backend=copy.backend,
        revision=copy.described.revision,
        counts=copy.described.counts,
        size=target.stat().st_size,
        encrypted=bool(keys[0]),
        seconds=time.perf_counter() - started,
    )


def backup_name(at: datetime) -> str:
    return f"{PREFIX}{at.astimezone(UTC):%Y-%m-%dT%H%M%SZ}{SUFFIX}"


def _target_file(out: Path, at: datetime) -> Path:
    target = out / backup_name(at) if out.is_dir() else out
    if target.exists():
        why = N_("{file} already exists: a backup never replaces a file")
        raise InvalidInput(why, file=str(target))
    if not target.parent.is_dir():
        why = N_("{directory} is not a directory: create it first")
        raise InvalidInput(why, directory=str(target.parent))
    return target


def _check_source(url: str) -> None:
    if store.backend(url) == SQLITE and not store.sqlite_path(url).is_file():
        path = store.sqlite_path(url)
        why = N_(
            "no relance database here ({file} not found in {directory}): "
            "run the command where relance.db is, or set RELANCE_DATABASE_URL"
        )
        raise InvalidInput(why, file=path.name, directory=str(path.parent.resolve()))


@dataclass(frozen=True)
class _Payload:
    path: Path
    compression: str
    database: dict[str, Any]  # name, sha256, size of the database before compression


def _payload(copy: store.Copy, recipients: list[bundle.Recipient]) -> _Payload:
    """The copy as stored: gzipped (SQLite; pg_dump compresses its own), then encrypted."""
    database = {"name": copy.path.name, **digest(copy.path)}
    path, compression = copy.path, "none"
    if copy.backend == SQLITE:
        path, compression = copy.path.with_name(copy.path.name + ".gz"), "gzip"
        with copy.path.open("rb") as plain, gzip.open(path, "wb", compresslevel=6) as packed:
            shutil.copyfileobj(plain, packed, CHUNK)
        copy.path.unlink()
    if recipients:
        sealed = path.with_name(path.name + ".age")
        with path.open("rb") as plain, sealed.open("wb") as secret:
            pyrage.encrypt_io(plain, secret, recipients)
        path.unlink()
        path = sealed
    return _Payload(path, compression, database)


def _manifest(
    ctx: Context,
    url: str,
    copy: store.Copy,
    payload: _Payload,
    *,
    taken_at: datetime,
    keys: list[str],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "relance_version": version("relance"),
        "taken_at": taken_at.isoformat(),
        "taken_by": ctx.actor,
        "source": describe(url),
        "backend": copy.backend,
        "schema_revision": copy.described.revision,
        "counts": copy.described.counts,
        "details": copy.described.details,
        "database": payload.database,
        "payload": {
            "name": payload.path.name,
            **digest(payload.path),
            "compression": payload.compression,
            "encrypted_to": keys,
        },
    }


def _write_archive(target: Path, manifest: dict[str, Any], payload: _Payload) -> None:
    """Write beside the target under a hidden name, then rename: never a half-written backup."""
    partial = target.with_name(f".{target.name}{PARTIAL}")
    text = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(text), int(time.time()), 0o600
            archive.addfile(info, io.BytesIO(text))
            archive.add(payload.path, arcname=payload.path.name, recursive=False)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.chmod(0o600)  # a backup names every machine and patient of the network
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        why = N_("cannot write {file}: {error}")
        raise BackupFailed(why, file=str(target), error=os_reason(error)) from None
    except BaseException:  # Ctrl-C: no half-written file left behind
        partial.unlink(missing_ok=True)
        raise


def _record_backup(ctx: Context, url: str, target: Path, manifest: dict[str, Any]) -> None:
    """A copy of the patient data is a read of it: the audit trail says who took it. A backup
    that cannot be recorded is removed, so no copy exists that the trail does not show."""
    engine = make_engine(url)
    try:
        with unit_of_work(engine) as uow:
            record_event(
                uow,
                ctx,
                EventType.DATABASE_BACKED_UP,
                "database",
                target.name,
                after={
                    "file": target.name,
                    "sha256": manifest["payload"]["sha256"],
                    "encrypted": bool(manifest["payload"]["encrypted_to"]),
                    "rows": sum(manifest["counts"].values()),
                },
            )
    except Exception as error:  # noqa: BLE001 - any driver error means the same to the user
        target.unlink(missing_ok=True)
        why = N_("the backup could not be recorded in the audit trail, so it was removed: {error}")
        raise BackupFailed(why, error=str(error)) from None
    finally:
        engine.dispose()


def digest(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


# Every 15 minutes, keeping the last 96


def backups_every(
    ctx: Context,
    url: str,
    directory: Path,
    *,
    every: timedelta,
    keep: int,
    recipients: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Cycle]:
    """Take a backup now and then every `every`, keeping the newest `keep` (endless).

    A failed turn keeps the backups already taken and tries again at the next; a turn that
    overran its interval is followed by the next at once, not by a burst of catch-ups.
    """
    if recipients:
        bundle.read_recipients(recipients)  # a bad key file stops the loop before it starts
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob(f".{PREFIX}*{SUFFIX}{PARTIAL}"):
        leftover.unlink()  # a turn interrupted while writing
    due = ctx.clock.now()
    while True:
        yield _cycle(ctx, url, directory, keep, recipients)
        due, now = due + every, ctx.clock.now()
        due = max(due, now)
        sleep((due - now).total_seconds())


def _cycle(ctx: Context, url: str, directory: Path, keep: int, recipients: Path | None) -> Cycle:
    at = ctx.clock.now()
    try:
        taken = take_backup(ctx, url, directory, recipients)
    except RelanceError as error:
        return Cycle(at, None, str(error), (), len(kept_backups(directory)))
    pruned = prune(directory, keep)
    return Cycle(at, taken, None, pruned, len(kept_backups(directory)))


def kept_backups(directory: Path) -> list[Path]:
    """The backups `--every` wrote in the directory, oldest first (their names sort by time)."""
    return sorted(p for p in directory.iterdir() if NAMED.fullmatch(p.name))


def prune(directory: Path, keep: int) -> tuple[str, ...]:
    """Remove the oldest backups beyond `keep`; no other file is ever touched."""
    old = kept_backups(directory)[:-keep] if keep else []
    for path in old:
        path.unlink()
    return tuple(p.name for p in old)
