"""`relance backup` and `relance restore` as a technician runs them; refusals exit with 2."""

import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.storage import backup as store
from tests.backup.test_backup import assert_empty
from tests.snapshots.conftest import make_keys, require


def relance(url: str, *args: str | Path, code: int = 0) -> str:
    result = CliRunner().invoke(
        app,
        [str(a) for a in args],
        env={"RELANCE_DATABASE_URL": url, "RELANCE_ACTOR": "tester", "COLUMNS": "200"},
    )
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


@pytest.fixture
def backup_file(working_url: str, tmp_path: Path) -> Path:
    out = json.loads(relance(working_url, "backup", "--out", tmp_path, "--json"))
    return Path(out["file"])


def test_backup_then_restore(working_url: str, backup_file: Path, empty_place: str) -> None:
    assert backup_file.name.startswith("relance-backup-")
    out = relance(working_url, "restore", backup_file, "--into", empty_place)
    assert "vérifiés" in out
    assert "18 machines" in out
    restored = json.loads(relance(empty_place_url(empty_place), "audit", "--json"))
    assert restored["events"][-1]["event_type"] == "database.restored"


def empty_place_url(place: str) -> str:
    return place if place.startswith("postgresql") else f"sqlite:///{Path(place) / 'relance.db'}"


def test_a_truncated_backup_is_refused(
    working_url: str, backup_file: Path, empty_place: str, tmp_path: Path
) -> None:
    """Cut in the manifest's header, in the middle of the database, one byte before its end."""
    with tarfile.open(backup_file) as archive:
        payload = next(m for m in archive.getmembers() if m.name != "manifest.json")
    data = backup_file.read_bytes()
    end = payload.offset_data + payload.size
    for cut in (300, payload.offset_data + payload.size // 2, end - 1):
        truncated = tmp_path / f"cut-{cut}.tar"
        truncated.write_bytes(data[:cut])
        out = relance(working_url, "restore", truncated, "--into", empty_place, code=2)
        assert "rien n'a été modifié" in out
        assert_empty(empty_place)


def test_a_tampered_payload_is_refused(
    working_url: str, backup_file: Path, empty_place: str, tmp_path: Path
) -> None:
    with tarfile.open(backup_file) as archive:
        payload = next(m for m in archive.getmembers() if m.name != "manifest.json")
    data = bytearray(backup_file.read_bytes())
    data[payload.offset_data + payload.size // 2] ^= 0x01  # one bit of the database
    tampered = tmp_path / "tampered.tar"
    tampered.write_bytes(bytes(data))
    out = relance(working_url, "restore", tampered, "--into", empty_place, code=2)
    assert "diffère du SHA-256 du manifeste" in out
    assert_empty(empty_place)


def test_a_tampered_manifest_is_refused_after_checking_the_rows(
    working_url: str, backup_file: Path, empty_place: str, tmp_path: Path
) -> None:
    """The payload's hashes still match: the rows counted in the restored copy do not."""
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(backup_file) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            content = source.extractfile(member)
            assert content is not None
            data = content.read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["counts"]["assets"] -= 1  # a machine hidden from the record
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    out = relance(working_url, "restore", tampered, "--into", empty_place, code=2)
    assert "counts.assets: le manifeste annonce 17 lignes, la sauvegarde en contient 18" in out
    assert_empty(empty_place)  # on PostgreSQL, restored then removed again


def test_never_over_a_database(working_url: str, backup_file: Path, tmp_path: Path) -> None:
    if working_url.startswith("postgresql"):  # the source itself: a database with a network
        out = relance(working_url, "restore", backup_file, "--into", working_url, code=2)
        assert "n'est pas vide" in out
        return
    place = tmp_path / "laptop"
    place.mkdir()
    (place / "relance.db-wal").write_bytes(b"a stale log from before the crash")
    out = relance(working_url, "restore", backup_file, "--into", place, code=2)
    assert "n'est pas un dossier vide" in out
    assert "relance.db-wal" in out
    assert [p.name for p in place.iterdir()] == ["relance.db-wal"]


def test_a_backup_never_replaces_a_file(working_url: str, backup_file: Path) -> None:
    size = backup_file.stat().st_size
    out = relance(working_url, "backup", "--out", backup_file, code=2)
    assert "existe déjà" in out
    assert backup_file.stat().st_size == size


def test_keep_goes_with_every(working_url: str, tmp_path: Path) -> None:
    out = relance(working_url, "backup", "--out", tmp_path, "--keep", "3", code=2)
    assert "--keep va avec --every" in out


def test_no_database_no_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    out = relance(url, "backup", "--out", tmp_path / "b.tar", code=2)
    assert "pas de base relance ici" in out  # the app's refusal
    assert not (tmp_path / "relance.db").exists()  # the backup did not create one


def test_debian_age_opens_an_encrypted_backup(
    working_url: str, empty_place: str, tmp_path: Path
) -> None:
    """With no Python: tar, age and sha256sum give back what the manifest describes."""
    age = require("age")
    keys = make_keys(tmp_path / "keys")
    out = relance(
        working_url, "backup", "--out", tmp_path / "b.tar", "--recipients", keys.recipients
    )
    assert "chiffrée" in out
    with tarfile.open(tmp_path / "b.tar") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]
        archive.extract(manifest["payload"]["name"], tmp_path, filter="data")
    sealed = tmp_path / manifest["payload"]["name"]
    plain = tmp_path / "opened"
    subprocess.run([age, "-d", "-i", keys.identity, "-o", plain, sealed], check=True)
    database = plain
    if manifest["backend"] == "sqlite":
        database = tmp_path / "relance.db"
        with plain.open("rb") as packed, database.open("wb") as unpacked:
            subprocess.run(["gunzip", "-c"], stdin=packed, stdout=unpacked, check=True)
    digest = subprocess.run(["sha256sum", database], check=True, capture_output=True, text=True)
    assert digest.stdout.split()[0] == manifest["database"]["sha256"]
    restored = relance(
        working_url, "restore", tmp_path / "b.tar", "--into", empty_place,
        "--identity", keys.identity,
    )  # fmt: skip
    assert "vérifiés" in restored


def test_a_postgres_backup_goes_into_a_database(working_url: str, backup_file: Path) -> None:
    wrong = "postgresql+psycopg://x@127.0.0.1/y" if working_url.startswith("sqlite") else "dir"
    out = relance(working_url, "restore", backup_file, "--into", wrong, code=2)
    assert "est la sauvegarde d'une base" in out
    if working_url.startswith("postgresql"):
        assert store.postgres_relations(working_url)  # the source is untouched


def test_every_takes_a_duration(working_url: str, tmp_path: Path) -> None:
    out = relance(working_url, "backup", "--out", tmp_path / "b", "--every", "soon", code=2)
    assert "n'est pas une durée comme 15m" in out
    assert not (tmp_path / "b").exists()


def test_a_bad_key_file_stops_the_loop_before_it_starts(working_url: str, tmp_path: Path) -> None:
    (tmp_path / "keys.txt").write_text("not a key\n")
    out = relance(
        working_url, "backup", "--out", tmp_path / "b", "--every", "15m",
        "--recipients", tmp_path / "keys.txt",
        code=2,
    )  # fmt: skip
    assert "keys.txt:1: recipient: pas une clé publique age" in out
    assert not (tmp_path / "b").exists()


def test_restore_works_beside_a_broken_database(
    backup_file: Path, empty_place: str, tmp_path: Path
) -> None:
    """The laptop's own relance.db is the broken one: restoring never opens it."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "relance.db").write_bytes(b"not a database, a crashed copy" * 100)
    here = f"sqlite:///{broken / 'relance.db'}"
    out = relance(here, "restore", backup_file, "--into", empty_place)
    assert "vérifiés" in out
    restored = json.loads(relance(empty_place_url(empty_place), "audit", "--json"))
    assert restored["events"][-1]["event_type"] == "database.restored"
