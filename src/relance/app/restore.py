"""Restoring a backup into an empty place, after checking all of it.

A restoration goes only into an empty place (a new directory, an empty PostgreSQL database),
never over a database: a `relance.db-wal` left beside an old `relance.db` would be replayed
into the restored file and corrupt it. Every hash, the integrity check and every count must
agree before the restored database is put in place; otherwise nothing is left behind. Patient
SMS the backup holds as waiting may have gone out since: they are never sent again by itself.
"""

import gzip
import hashlib
import json
import tarfile
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

import pyrage

from relance.app import bundle, sms_status
from relance.app.audit import record_event
from relance.app.backup import CHUNK, FORMAT, MANIFEST, digest
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery
from relance.domain.errors import N_, InvalidInput, Problem, RejectedInput
from relance.domain.os_errors import os_reason
from relance.storage import backup as store
from relance.storage import outbox_store
from relance.storage.backup import POSTGRESQL, SQLITE, BackupFailed, Described
from relance.storage.database import (
    DEFAULT_FILE,
    UnitOfWork,
    describe,
    make_engine,
    unit_of_work,
)

MANIFEST_MAX = 1 << 20  # bytes: a manifest is a few kB; a bigger one is not ours


@dataclass(frozen=True)
class Restored:
    into: str  # the restored file, or the database's URL without its password
    backend: str
    taken_at: datetime
    taken_by: str
    revision: str | None
    counts: dict[str, int]
    held: int  # patient SMS that may have gone out after the backup: not sent again
    seconds: float


def restore_backup(ctx: Context, file: Path, into: str, identity: Path | None = None) -> Restored:
    """Check the backup whole and restore it into an empty directory (SQLite) or an empty
    PostgreSQL database (its URL); record the restoration in the restored database."""
    started = time.perf_counter()
    identities = bundle.read_identities(identity) if identity else None
    try:
        with _open_archive(file) as archive:
            manifest = _read_manifest(archive, file)
            backend = manifest["backend"]
            _check_target(backend, into, file)
            with tempfile.TemporaryDirectory(prefix="relance-restore-") as private:
                payload = _extract_payload(archive, manifest, file, Path(private))
                if manifest["payload"]["encrypted_to"]:
                    payload = _decrypt(payload, identities, file)
                if backend == SQLITE:
                    url, described = _restore_sqlite(payload, manifest, file, Path(into))
                else:
                    url, described = _restore_postgres(payload, manifest, file, into)
    except OSError as error:  # a disk full, a directory not writable
        why = N_("cannot restore into {target}: {error}")
        raise BackupFailed(why, target=into, error=os_reason(error)) from None
    held = _record_restore(ctx, url, file, manifest)
    return Restored(
        into=str(Path(into) / DEFAULT_FILE) if backend == SQLITE else describe(into),
        backend=backend,
        taken_at=datetime.fromisoformat(manifest["taken_at"]),
        taken_by=str(manifest.get("taken_by")),
        revision=described.revision,
        counts=described.counts,
        held=held,
        seconds=time.perf_counter() - started,
    )


class _Archive:
    """The tar file, read member by member: a truncated or foreign file is a clear refusal."""

    def __init__(self, file: Path) -> None:
        self.file = file
        try:
            self.tar = tarfile.open(file, "r:")  # noqa: SIM115 - closed by __exit__
        except FileNotFoundError:
            raise RejectedInput([Problem(str(file), None, "", N_("file not found"))]) from None
        except (tarfile.TarError, OSError, EOFError) as error:
            raise _damaged(file, N_("not a relance backup ({error})"), error=str(error)) from None

    def __enter__(self) -> "_Archive":
        return self

    def __exit__(self, *_: object) -> None:
        self.tar.close()

    def member(self, name: str) -> tarfile.TarInfo:
        try:
            info = self.tar.getmember(name)
        except KeyError:
            why = N_("{name} is missing from the backup")
            raise _damaged(self.file, why, name=name) from None
        except (tarfile.TarError, OSError, EOFError) as error:
            raise _damaged(self.file, TRUNCATED, error=str(error)) from None
        if not info.isfile():
            raise _damaged(self.file, N_("{name} is not a file"), name=name)
        return info

    def stream(self, info: tarfile.TarInfo) -> IO[bytes]:
        handle = self.tar.extractfile(info)
        if handle is None:
            raise _damaged(self.file, N_("{name} cannot be read"), name=info.name)
        return handle


def _open_archive(file: Path) -> _Archive:
    return _Archive(file)


TRUNCATED = N_("truncated or damaged ({error})")


def _damaged(file: Path, message: str, field: str = "", **values: object) -> RejectedInput:
    return RejectedInput([Problem(str(file), None, field, message, **values)])


def _read_manifest(archive: _Archive, file: Path) -> dict[str, Any]:
    info = archive.member(MANIFEST)
    if info.size > MANIFEST_MAX:
        raise _damaged(file, N_("the manifest is too large: not a relance backup"), MANIFEST)
    try:
        manifest = json.loads(archive.stream(info).read().decode("utf-8"))
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError) as error:
        why = N_("unreadable manifest ({error})")
        raise _damaged(file, why, MANIFEST, error=str(error)) from None
    problems = _manifest_problems(manifest, file)
    if problems:
        raise RejectedInput(problems)
    return dict(manifest)


def _manifest_problems(manifest: Any, file: Path) -> list[Problem]:
    def problem(field: str, message: str, **values: object) -> Problem:
        return Problem(f"{file}:{MANIFEST}", None, field, message, **values)

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [problem("format", N_("not a {format} manifest"), format=FORMAT)]
    problems = []
    if manifest.get("backend") not in (SQLITE, POSTGRESQL):
        problems.append(problem("backend", N_("neither sqlite nor postgresql")))
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in counts.items()
    ):
        problems.append(problem("counts", N_("not a table of rows per table")))
    for part in ("database", "payload"):
        entry = manifest.get(part)
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), t) for k, t in (("name", str), ("sha256", str), ("size", int))
        ):
            problems.append(problem(part, N_("name, sha256 and size are needed")))
    payload = manifest.get("payload")
    if isinstance(payload, dict) and not isinstance(payload.get("encrypted_to"), list):
        problems.append(problem("payload.encrypted_to", N_("not a list of keys")))
    if not _is_time(manifest.get("taken_at")):
        problems.append(problem("taken_at", N_("not a time with its offset")))
    if not isinstance(manifest.get("schema_revision"), str | None):
        problems.append(problem("schema_revision", N_("not a revision")))
    return problems


def _is_time(value: Any) -> bool:
    try:
        return datetime.fromisoformat(str(value)).tzinfo is not None
    except ValueError:
        return False


def _check_target(backend: str, into: str, file: Path) -> None:
    """An empty place only: never over a database, never beside a stale -wal file."""
    postgres = into.startswith("postgresql")
    if backend == SQLITE and postgres:
        why = N_(
            "{file} is a backup of a SQLite database: restore it into a directory (--into DIR)"
        )
        raise InvalidInput(why, file=file.name)
    if backend == POSTGRESQL and not postgres:
        why = N_(
            "{file} is a backup of a PostgreSQL database: restore it into an empty "
            "database (--into postgresql+psycopg://user@host/new_database)"
        )
        raise InvalidInput(why, file=file.name)
    if postgres:
        found = store.postgres_relations(into)
        if found:
            why = N_(
                "the database {database} is not empty ({count} tables, views or "
                "sequences, such as {first}): relance never restores over a database; "
                "create an empty one (createdb NAME) and restore into it"
            )
            raise InvalidInput(why, database=describe(into), count=len(found), first=found[0])
        return
    target = Path(into)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        why = N_(
            "{directory} is not an empty directory: relance never restores over a database "
            "(a {file}-wal left beside it would corrupt the restored copy); "
            "restore into a new directory"
        )
        raise InvalidInput(why, directory=str(target), file=DEFAULT_FILE)


def _extract_payload(archive: _Archive, manifest: dict[str, Any], file: Path, to: Path) -> Path:
    expected = manifest["payload"]
    info = archive.member(expected["name"])
    destination = to / Path(expected["name"]).name
    digest = hashlib.sha256()
    try:
        with archive.stream(info) as source, destination.open("wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _damaged(file, TRUNCATED, expected["name"], error=str(error)) from None
    if digest.hexdigest() != expected["sha256"] or destination.stat().st_size != expected["size"]:
        why = N_("differs from the SHA-256 of the manifest: damaged or altered")
        raise _damaged(file, why, expected["name"])
    return destination


def _decrypt(payload: Path, identities: list[bundle.Identity] | None, file: Path) -> Path:
    if identities is None:
        why = N_(
            "{file} is encrypted: give the private key of one of its recipients "
            "(--identity key.txt)"
        )
        raise InvalidInput(why, file=file.name)
    plain = payload.with_name(payload.name.removesuffix(".age"))
    try:
        with payload.open("rb") as secret, plain.open("wb") as out:
            pyrage.decrypt_io(secret, out, identities)
    except pyrage.DecryptError as error:
        why = N_("cannot be decrypted with this key ({error})")
        raise _damaged(file, why, payload.name, error=str(error)) from None
    payload.unlink()
    return plain


def _restore_sqlite(
    payload: Path, manifest: dict[str, Any], file: Path, directory: Path
) -> tuple[str, Described]:
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    staged = directory / f".{DEFAULT_FILE}.restoring"
    try:
        _unpack(payload, manifest, staged, file)
        described = _checked_sqlite(staged, manifest, file)
        staged.replace(directory / DEFAULT_FILE)
    except BaseException:
        staged.unlink(missing_ok=True)
        if created:
            with suppress(OSError):
                directory.rmdir()
        raise
    return f"sqlite:///{(directory / DEFAULT_FILE).resolve()}", described


def _checked_sqlite(staged: Path, manifest: dict[str, Any], file: Path) -> Described:
    described = store.describe_sqlite(staged)
    problems = _agreement(described, manifest, file)
    if described.details["integrity_check"] != "ok":
        problems.insert(0, _mismatch(file, "integrity_check", described.details))
    if problems:
        raise RejectedInput(problems)
    return described


def _unpack(payload: Path, manifest: dict[str, Any], destination: Path, file: Path) -> None:
    expected = manifest["database"]
    digest = hashlib.sha256()
    try:
        with gzip.open(payload, "rb") as packed, destination.open("wb") as plain:
            while chunk := packed.read(CHUNK):
                digest.update(chunk)
                plain.write(chunk)
    except (OSError, EOFError) as error:  # gzip.BadGzipFile is an OSError
        why = N_("the compressed database is damaged ({error})")
        raise _damaged(file, why, error=str(error)) from None
    if digest.hexdigest() != expected["sha256"] or destination.stat().st_size != expected["size"]:
        why = N_("the database differs from the SHA-256 of the manifest")
        raise _damaged(file, why, "database")


def _restore_postgres(
    payload: Path, manifest: dict[str, Any], file: Path, url: str
) -> tuple[str, Described]:
    if digest(payload)["sha256"] != manifest["database"]["sha256"]:
        why = N_("the dump differs from the SHA-256 of the manifest")
        raise _damaged(file, why, "database")
    dumped_by = str(manifest.get("details", {}).get("pg_dump", ""))
    store.restore_postgres(payload, url, dumped_by)
    described = store.describe_postgres(url)
    problems = _agreement(described, manifest, file)
    if problems:
        store.drop_tables(url, list(described.counts))  # it was empty: make it empty again
        raise RejectedInput(problems)
    return url, described


def _agreement(described: Described, manifest: dict[str, Any], file: Path) -> list[Problem]:
    """Every table and count, and the schema revision, as the manifest says."""
    problems = []
    expected: dict[str, int] = manifest["counts"]
    for table in sorted(set(expected) | set(described.counts)):
        if expected.get(table) != described.counts.get(table):
            problems.append(
                Problem(
                    f"{file}:{MANIFEST}",
                    None,
                    f"counts.{table}",
                    N_(
                        "the manifest says {expected} rows, the backup holds {found}: "
                        "damaged or altered"
                    ),
                    expected=expected.get(table),
                    found=described.counts.get(table),
                )
            )
    if described.revision is None:
        why = N_("not a relance database (no schema revision)")
        problems.append(Problem(str(file), None, "", why))
    elif described.revision != manifest["schema_revision"]:
        problems.append(
            _mismatch(file, "schema_revision", {"schema_revision": str(described.revision)})
        )
    elif not store.known_revision(described.revision):
        problems.append(
            Problem(
                str(file),
                None,
                "schema_revision",
                N_(
                    "schema {revision} was written by a newer relance than this one "
                    "({version}, made by {made_by}): restore it with that version"
                ),
                revision=described.revision,
                version=version("relance"),
                made_by=manifest.get("relance_version"),
            )
        )
    return problems


def _mismatch(file: Path, field: str, found: dict[str, str]) -> Problem:
    why = N_("the backup holds {found}")
    return Problem(f"{file}:{MANIFEST}", None, field, why, found=found.get(field))


def _record_restore(ctx: Context, url: str, file: Path, manifest: dict[str, Any]) -> int:
    """The restored database says where it came from, and that later changes are lost; the
    patient SMS it holds as waiting or being sent may have gone out after the backup, so they
    become unknown (never sent again unless evidence or a person says they were not). Returns
    how many."""
    engine = make_engine(url)
    try:
        with unit_of_work(engine) as uow:
            record_event(
                uow,
                ctx,
                EventType.DATABASE_RESTORED,
                "database",
                file.name,
                after={
                    "file": file.name,
                    "sha256": manifest["payload"]["sha256"],
                    "taken_at": manifest["taken_at"],
                    "taken_by": manifest["taken_by"],
                },
                reason=(
                    f"restored from {file.name}, taken at {manifest['taken_at']} by "
                    f"{manifest['taken_by']}: what was recorded after it is not in this database"
                ),
            )
            return _hold_messages(uow, ctx, file)
    except Exception as error:  # noqa: BLE001 - any driver error means the same to the user
        why = N_(
            "restored and checked, but the restoration could not be recorded in its audit "
            "trail: {error}"
        )
        raise BackupFailed(why, error=str(error)) from None
    finally:
        engine.dispose()


def _hold_messages(uow: UnitOfWork, ctx: Context, file: Path) -> int:
    """Messages waiting or being sent in the backup may have gone out after it was taken: they
    become unknown, settled like any message in doubt (`relance notify reconcile` or `settle`)."""
    now = ctx.clock.now()
    # Every message still waiting: their times are the backup's, before now (a day of margin
    # for a laptop clock behind the server's).
    waiting = outbox_store.older_than(
        uow, [Delivery.QUEUED, Delivery.SENDING], now + timedelta(days=1)
    )
    reason = (
        f"restored from {file.name}: may have been sent after the backup was taken; "
        "not sent again unless the gateway's log or a person says it was not"
    )
    return sms_status.change(
        uow,
        ctx,
        [sms_status.Change(i, Delivery.UNKNOWN, reason) for i in sorted(waiting)],
        allowed=lambda before, _after: before in (Delivery.QUEUED, Delivery.SENDING),
    )
