"""A command that only reads takes no write lock: on SQLite, `relance status` and the lists run
while another terminal holds the write lock, and a writer never waits for them."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.storage.database import make_engine, unit_of_work
from tests.cli.test_cli import SMALL

READS = [
    ("status",),
    ("assets", "list"),
    ("activities",),
    ("audit",),
    ("timeline",),
    ("plan", "list"),
]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "relance.db"
    run(path, "init", "--scenario", str(SMALL))
    return path


def run(path: Path, *args: str) -> str:
    env = {"RELANCE_DATABASE_URL": f"sqlite:///{path}", "RELANCE_ACTOR": "tester"}
    result = CliRunner().invoke(app, list(args), env={**env, "COLUMNS": "200"})
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


@pytest.fixture
def writer(database: Path) -> Iterator[sqlite3.Connection]:
    """Another terminal in the middle of a change: it holds the write lock, uncommitted."""
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE assets SET state = state")
    yield other
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.parametrize("command", READS, ids=" ".join)
def test_a_read_runs_while_another_terminal_writes(
    database: Path, writer: sqlite3.Connection, command: tuple[str, ...]
) -> None:
    # A read that asked for the write lock would wait for it, then fail as "busy".
    assert run(database, *command)


def test_a_machine_shows_while_another_terminal_writes(
    database: Path, writer: sqlite3.Connection
) -> None:
    (hostname,) = writer.execute("SELECT hostname FROM assets LIMIT 1").fetchone()
    assert hostname in run(database, "assets", "show", hostname)


def test_a_writer_does_not_wait_for_a_reader(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    with unit_of_work(engine, read_only=True) as uow:
        assert uow.session.connection().exec_driver_sql("SELECT count(*) FROM assets").scalar()
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # "database is locked" at once if the reader held it
        other.execute("ROLLBACK")
        other.close()
    engine.dispose()
