"""Engines, migrations and the unit of work: one transaction per command or request."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from relance.domain.errors import N_, InvalidInput, StorageUnavailable
from relance.storage.failures import name, storage_failure

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["Engine", "UnitOfWork", "make_engine", "migrate", "unit_of_work"]

DEFAULT_FILE = "relance.db"
# Seconds a SQLite writer waits for another's write lock before it gives up with a message.
# Long enough for the usual writes of others (a page's change, a report of machines, an SMS
# batch's statuses take well under a second); short enough that a command stuck behind a long
# import does not look hung. Unattended writers (the SMS dispatcher) may wait longer.
SQLITE_WAIT = 5.0
UNATTENDED_WAIT = 60.0  # the SMS dispatcher, the report server: a send's result must be kept
_READ_ONLY = "relance_read_only"  # the execution option of read-only units of work
_WAIT = "relance_wait"  # the seconds a SQLite writer waits, for the message when it gave up
MIGRATIONS = files("relance.storage") / "migrations"
# The newest migration's revision (tests/test_migrations.py checks it against Alembic's own
# reading of the scripts). Every command checks the database against it: reading the scripts
# with Alembic (which imports Mako and Pygments) cost each command about 0.25 s of CPU.
HEAD = "0016_exercise_schedule"


def database_url(directory: Path | None = None) -> str:
    """RELANCE_DATABASE_URL if set, else the SQLite file relance.db in `directory` (or cwd)."""
    url = os.environ.get("RELANCE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(directory or Path.cwd()) / DEFAULT_FILE}"


def describe(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def database_file(url: str) -> Path | None:
    """The file of a SQLite URL (also written as a file: URI), None for a server.

    InvalidInput for a URL relance cannot use (a typo, a database it has no driver for)."""
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError) as error:
        why = N_(
            "RELANCE_DATABASE_URL is not a database URL relance can use ({error}): "
            "see the Settings page of the documentation"
        )
        raise InvalidInput(why, error=str(error)) from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database).removeprefix("file:"))


def make_engine(url: str, wait: float = SQLITE_WAIT) -> Engine:
    """The engine of `url`; on SQLite a writer waits `wait` seconds at most for the lock."""
    if url.startswith("sqlite"):
        # isolation_level=None: the driver leaves transactions to us, and we begin each unit
        # that may write IMMEDIATE: it waits (up to the timeout) for the write lock up front,
        # instead of failing at once with "database is locked" when it first writes after
        # reading while another process (the report server, the dispatcher) wrote in between.
        engine = create_engine(url, connect_args={"timeout": wait, "isolation_level": None})
        engine.update_execution_options(**{_WAIT: wait})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _begin(connection: Any) -> None:
    if connection.get_execution_options().get(_READ_ONLY):
        # A reader sees a snapshot of the write-ahead log and never waits for the write lock;
        # query_only makes a write slipped into it fail at once instead of racing for the lock.
        connection.exec_driver_sql("PRAGMA query_only=1")
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("PRAGMA query_only=0")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Datasette's habits: write-ahead log (readers never block the writer), foreign keys on.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> "Config":
    from alembic.config import Config  # noqa: PLC0415 - Alembic only to migrate: see HEAD

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision: the only way tables are ever created."""
    from alembic import command  # noqa: PLC0415 - as in alembic_config
    from alembic.util.exc import CommandError  # noqa: PLC0415 - as in alembic_config

    with storage_errors(engine):
        try:
            command.upgrade(alembic_config(engine), "head")
        except CommandError as error:  # a revision this relance does not know
            why = N_(
                "the database {db} was written by another version of relance "
                "({error}): use that version, or the database made for this one"
            )
            raise StorageUnavailable(why, db=name(engine.url), error=str(error)) from None


def is_current(engine: Engine) -> bool:
    """True if the schema is at the newest revision; a read, so it never waits for a writer.
    Alembic's version table holds one revision per head: exactly HEAD when current."""
    reader = engine.execution_options(**{_READ_ONLY: True})
    with storage_errors(engine), reader.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [row[0] for row in found] == [HEAD]


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """A database that cannot be used (full, busy, read-only, unreachable, damaged) becomes a
    StorageUnavailable saying what to do; other errors go on as they are."""
    try:
        yield
    except DBAPIError as error:
        failure = _failure(error, engine)
        if failure is None:
            raise
        raise failure from error


def _failure(
    error: DBAPIError, engine: Engine, committing: bool = False, read_only: bool = False
) -> StorageUnavailable | None:
    wait = float(engine.get_execution_options().get(_WAIT, 0))
    return storage_failure(error, engine.url, committing=committing, wait=wait, read_only=read_only)


class UnitOfWork:
    """One transaction. App services change things through it and never commit themselves."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name


@contextmanager
def unit_of_work(engine: Engine, *, read_only: bool = False) -> Iterator[UnitOfWork]:
    """Commit if the block ends normally, roll back everything on any error.

    A read-only unit (the pages and lists) neither takes nor waits for the write lock, and
    the database refuses any write made through it.
    """
    bind = (
        engine.execution_options(**{_READ_ONLY: True, "postgresql_readonly": True})
        if read_only
        else engine
    )
    committing = False
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield UnitOfWork(session)
            committing = True
    except DBAPIError as error:
        failure = _failure(error, engine, committing, read_only)
        if failure is None:
            raise
        raise failure from error
