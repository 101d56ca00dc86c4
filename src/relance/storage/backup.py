"""Consistent copies of a live database, and putting them back.

SQLite: the online backup API copies every page in one read transaction, so the copy is the
database as one commit left it, while the writers go on (write-ahead log: the reader blocks
nobody). The copy is turned into a single file (rollback journal, no `-wal` beside it).
PostgreSQL: pg_dump in the snapshot of a REPEATABLE READ transaction that also counts the rows,
so the counts are those of the dump. Nothing here changes the source database.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from relance.domain.errors import N_, RelanceError
from relance.storage.database import alembic_config, make_engine

SQLITE, POSTGRESQL = "sqlite", "postgresql"
VERSION = re.compile(r"\b(\d+)(?:\.(\d+))?")


class BackupFailed(RelanceError):
    """A copy or a restoration that could not be made; nothing was written."""


@dataclass(frozen=True)
class Described:
    """What a database holds, to compare a copy with its manifest."""

    revision: str | None  # Alembic's, None for a database relance never migrated
    counts: dict[str, int]  # rows per table
    details: dict[str, str] = field(default_factory=dict)  # integrity check, server, tools


@dataclass(frozen=True)
class Copy:
    backend: str
    path: Path  # a SQLite database file or a pg_dump archive (custom format)
    described: Described


def backend(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in (SQLITE, POSTGRESQL):
        why = N_("relance backs up SQLite and PostgreSQL databases, not {name}")
        raise BackupFailed(why, name=name)
    return name


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupFailed(N_("an in-memory SQLite database cannot be backed up"))
    return Path(database)


def copy_database(url: str, directory: Path) -> Copy:
    """Copy the database into `directory` (a private temporary one) and describe the copy."""
    if backend(url) == SQLITE:
        destination = directory / "relance.db"
        return Copy(SQLITE, destination, copy_sqlite(sqlite_path(url), destination))
    destination = directory / "relance.pgdump"
    return Copy(POSTGRESQL, destination, dump_postgres(url, destination))


# SQLite


def copy_sqlite(source: Path, destination: Path) -> Described:
    # mode=rw: a missing file is an error, not a new empty database
    uri = f"file:{quote(str(source.resolve()))}?mode=rw"
    try:
        live = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as error:
        why = N_("cannot open the database {database}: {error}")
        raise BackupFailed(why, database=str(source), error=str(error)) from None
    try:
        with sqlite3.connect(destination) as copy:
            live.backup(copy)  # every page in one step: one consistent read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.close()
    except sqlite3.Error as error:
        why = N_("cannot copy the database {database}: {error}")
        raise BackupFailed(why, database=str(source), error=str(error)) from None
    finally:
        live.close()
    described = describe_sqlite(destination)
    if described.details["integrity_check"] != "ok":
        why = N_(
            "the database {database} is damaged (SQLite's integrity check: {check}); "
            "no backup was written. Stop relance and keep {file} with its -wal and -shm files "
            "together, untouched, for repair"
        )
        check = described.details["integrity_check"]
        raise BackupFailed(why, database=str(source), check=check, file=source.name)
    return described


def describe_sqlite(path: Path) -> Described:
    """Integrity check, schema revision and row counts of a SQLite file nobody else uses."""
    try:
        with sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check(20)")]
            tables = [
                row[0]
                for row in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 - names read from sqlite_master
            revision = (
                db.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        db.close()
    except sqlite3.Error as error:
        why = N_("{file} is not a readable SQLite database: {error}")
        raise BackupFailed(why, file=path.name, error=str(error)) from None
    return Described(
        revision[0] if revision else None, counts, {"integrity_check": "; ".join(problems)}
    )


# PostgreSQL


def dump_postgres(url: str, destination: Path) -> Described:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            snapshot = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with snapshot.begin():
                # The first statement fixes the transaction's snapshot; pg_dump reads the same.
                exported = str(snapshot.execute(text("SELECT pg_export_snapshot()")).scalar())
                described = _describe_postgres(snapshot)
                server = int(described.details["server_version_num"]) // 10000
                tool = pg_tool("pg_dump", at_least=server)
                command = [tool.path, "--format=custom", f"--snapshot={exported}"]
                _run([*command, f"--file={destination}", f"--dbname={_conninfo(url)}"], url)
    except RelanceError:
        raise
    except Exception as error:  # noqa: BLE001 - any driver error means the same to the user
        raise BackupFailed(N_("cannot read the database: {error}"), error=str(error)) from None
    finally:
        engine.dispose()
    return Described(
        described.revision, described.counts, {**described.details, "pg_dump": tool.version}
    )


def describe_postgres(url: str) -> Described:
    engine = make_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            return _describe_postgres(connection)
    finally:
        engine.dispose()


def _describe_postgres(connection: Connection) -> Described:
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    ).scalars()
    counts = {
        t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())  # noqa: S608 - names read from pg_tables
        for t in list(tables)
    }
    revision = (
        connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if "alembic_version" in counts
        else None
    )
    server = {
        "server_version": str(connection.execute(text("SHOW server_version")).scalar()),
        "server_version_num": str(connection.execute(text("SHOW server_version_num")).scalar()),
    }
    return Described(revision, counts, server)


def postgres_relations(url: str) -> list[str]:
    """Tables, views and sequences already in the database's schema: empty means empty."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                        "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1"
                    )
                ).scalars()
            )
    except Exception as error:  # noqa: BLE001 - any driver error means the same to the user
        why = N_("cannot open the database to restore into: {error}")
        raise BackupFailed(why, error=str(error)) from None
    finally:
        engine.dispose()


def restore_postgres(dump: Path, url: str, dumped_by: str) -> None:
    """pg_restore into an empty database, all in one transaction."""
    made_by = _major(dumped_by)
    tool = pg_tool("pg_restore", at_least=made_by)
    _run(
        [
            tool.path,
            "--no-owner",  # the roles of the server it came from may not exist here
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_conninfo(url)}",
            str(dump),
        ],
        url,
    )


def drop_tables(url: str, tables: list[str]) -> None:
    """Undo a restoration that did not check out: the database was empty before it."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for table in tables:
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Tool:
    path: str
    version: str


def pg_tool(name: str, at_least: int) -> Tool:
    """Debian's pg_dump or pg_restore of this major version, else a newer one on the PATH.

    An older pg_dump refuses a newer server, and an older pg_restore a newer archive: say which
    package to install instead.
    """
    debian = Path("/usr/lib/postgresql") / str(at_least) / "bin" / name
    found = [str(debian)] if debian.is_file() else []
    found += [p for p in [shutil.which(name)] if p]
    seen: list[str] = []
    for path in found:
        version = _version(path)
        if _major(version) >= at_least:
            return Tool(path, version)
        seen.append(version)
    if seen:
        why = N_(
            "{tool} of PostgreSQL {major} or newer is needed (found {found}): install it "
            "(Debian: apt install postgresql-client-{major})"
        )
        raise BackupFailed(why, tool=name, major=at_least, found=", ".join(seen))
    why = N_(
        "{tool} of PostgreSQL {major} or newer is needed: install it "
        "(Debian: apt install postgresql-client-{major})"
    )
    raise BackupFailed(why, tool=name, major=at_least)


def _version(path: str) -> str:
    done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603 - a PostgreSQL tool found above
    return done.stdout.strip().removeprefix("pg_dump ").removeprefix("pg_restore ")


def _major(version: str) -> int:
    match = VERSION.search(version)
    return int(match.group(1)) if match else 0


def _conninfo(url: str) -> str:
    """The libpq form of a SQLAlchemy URL, without its password (given in PGPASSWORD)."""
    plain = make_url(url).set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)


def _run(command: list[str], url: str) -> None:
    password = make_url(url).password
    environment = {"PGPASSWORD": str(password)} if password else {}
    done = subprocess.run(  # noqa: S603 - a PostgreSQL tool with arguments built here
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**_without_password(), **environment, "PGCONNECT_TIMEOUT": "30"},
    )
    if done.returncode != 0:
        tail = " / ".join(done.stderr.strip().splitlines()[-3:])
        raise BackupFailed(N_("{tool} failed: {error}"), tool=Path(command[0]).name, error=tail)


def _without_password() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}


# Both


def known_revision(revision: str | None) -> bool:
    """Whether this relance knows the schema revision (a newer relance may have written it)."""
    if not revision:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False
