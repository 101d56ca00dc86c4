"""Engines, migrations and the unit of work: one transaction per command or request."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

__all__ = ["Engine", "UnitOfWork", "make_engine", "migrate", "unit_of_work"]
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

DEFAULT_FILE = "relance.db"
_READ_ONLY = "relance_read_only"  # the execution option of read-only units of work
MIGRATIONS = files("relance.storage") / "migrations"


def database_url(directory: Path | None = None) -> str:
    """RELANCE_DATABASE_URL if set, else the SQLite file relance.db in `directory` (or cwd)."""
    url = os.environ.get("RELANCE_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(directory or Path.cwd()) / DEFAULT_FILE}"


def describe(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # isolation_level=None: the driver leaves transactions to us, and we begin each unit
        # that may write IMMEDIATE: it waits (up to the timeout) for the write lock up front,
        # instead of failing at once with "database is locked" when it first writes after
        # reading while another process (the report server, the dispatcher) wrote in between.
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})
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


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision: the only way tables are ever created."""
    command.upgrade(alembic_config(engine), "head")


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


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
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield UnitOfWork(session)
