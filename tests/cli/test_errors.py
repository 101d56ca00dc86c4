"""Errors at the command line: a bad file or a database that cannot be used is a message and exit
code 2, never a traceback, and nothing is written."""

import json
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from relance.app.context import Context
from relance.app.incident import add_log_entry
from relance.cli.main import app
from relance.domain.errors import InvalidInput
from relance.domain.incident import LogKind
from relance.storage.database import SQLITE_WAIT, make_engine, unit_of_work
from tests.cli.test_cli import SMALL, Relance
from tests.database_dump import dump


@pytest.fixture
def cell(database_url: str, tmp_path: Path) -> Relance:
    """The small network, an incident declared, and a week of appointments written to files."""
    relance = Relance(database_url, tmp_path)
    relance("init", "--scenario", str(SMALL))
    relance("incident", "declare", "--name", "Test", "--detected", "2022-05-14T03:00")
    for name in ("book.csv", "book.ndjson"):
        relance(
            "appointments", "generate", "--week", "2022-05-16", "--out", str(tmp_path / name),
            "--scale", "0.05",
        )  # fmt: skip
    return relance


def _refused(relance: Relance, *args: str) -> str:
    """The command's message; it must exit 2 without a traceback and change nothing."""
    before = dump(relance.url)
    env = {"RELANCE_DATABASE_URL": relance.url, "RELANCE_ACTOR": "tester", "COLUMNS": "200"}
    result = relance.runner.invoke(app, list(args), env=env)
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    assert dump(relance.url) == before
    return " ".join(result.output.split())


# --- bad files, on both databases -------------------------------------------------------------


def test_a_nul_or_a_control_character_is_refused_before_the_database(cell: Relance) -> None:
    report = cell.directory / "report.csv"
    report.write_text("hostname,reason\nA-SRV-AD-01,bad\0reason\n", encoding="utf-8")
    assert "report.csv:2: un caractère NUL" in _refused(
        cell, "assets", "import-states", str(report), "--to", "isolated"
    )
    assert (
        "une entrée du journal : le caractère 2 est un caractère de contrôle (U+001B)"
        in _refused(cell, "log", "add", "a\x1b[31m")
    )
    assert "--actor : le caractère 3 est un caractère de contrôle" in _refused(
        cell, "log", "add", "fine", "--actor", "me\x07"
    )
    engine = make_engine(cell.url)
    with pytest.raises(InvalidInput, match="NUL"), unit_of_work(engine) as uow:
        add_log_entry(uow, Context(actor="t"), kind=LogKind.ACTION, text="a\0b")
    engine.dispose()


def test_bad_books_change_nothing(cell: Relance) -> None:
    book = cell.directory / "book.ndjson"
    lines = book.read_text(encoding="utf-8").splitlines()
    anonymous = [
        json.dumps({k: v for k, v in json.loads(line).items() if k != "id"}) for line in lines
    ]
    cases = {
        "no-id.ndjson": "\n".join(lines[:-2] + anonymous[-2:]),
        "list.json": "[]",
        "entry.json": '{"resourceType": "Bundle", "entry": 3}',
        "deep.json": '{"resourceType": "Bundle", "entry": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "nul.ndjson": "\n".join(lines).replace('"family": "', '"family": "\\u0000', 1),
        "half.ndjson": "\n".join(lines)[: len("\n".join(lines)) // 2],
    }
    for name, content in cases.items():
        (cell.directory / name).write_text(content, encoding="utf-8")
        assert name in _refused(cell, "appointments", "import", str(cell.directory / name))


def test_no_appointment_names_the_file(cell: Relance) -> None:
    empty = cell.directory / "empty.csv"
    empty.write_text("appointment,patient,name,site,activity,start\n", encoding="utf-8")
    assert "empty.csv: aucun rendez-vous dans le fichier" in _refused(
        cell, "appointments", "import", str(empty)
    )


# --- the database itself --------------------------------------------------------------------


@pytest.fixture
def full_disk() -> Iterator[None]:
    """Every SQLite connection opened meanwhile may not grow its file: SQLite's own "database
    or disk is full", as on a disk without a free byte."""

    def no_more_pages(dbapi_connection: sqlite3.Connection, _: object) -> None:
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(Engine, "connect", no_more_pages)
    yield
    event.remove(Engine, "connect", no_more_pages)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_full_disk_on_import_and_log_add(cell: Relance, full_disk: None) -> None:
    before = dump(cell.url)
    full = "est pleine : son disque n'a plus de place. Libérez de l'espace, puis relancez"
    book = str(cell.directory / "book.csv")
    assert full in _refused(cell, "appointments", "import", book)
    assert full in _refused(cell, "log", "add", "x" * 9000)  # a new page for a long entry
    assert full in _refused(
        cell, "assets", "transition", "--all", "--to", "isolated", "--reason", "disk test"
    )
    assert dump(cell.url) == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_after_a_full_disk_the_database_is_intact(cell: Relance) -> None:
    engine = make_engine(cell.url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()
    assert "rendez-vous" in cell("appointments", "import", str(cell.directory / "book.csv"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_busy_database_gives_up_with_a_message(cell: Relance) -> None:
    path = make_url(cell.url).database
    assert path is not None
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process writing, for as long as the test lasts
    try:
        message = _refused(cell, "log", "add", "while another one writes")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    busy = "est occupée : une autre commande ou le serveur web écrit depuis plus de"
    assert f"{busy} {SQLITE_WAIT:g} s" in message


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_read_only_database(cell: Relance) -> None:
    read_only = f"sqlite:///file:{make_url(cell.url).database}?mode=ro&uri=true"
    result = CliRunner().invoke(app, ["log", "add", "x"], env={"RELANCE_DATABASE_URL": read_only})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "ne peut pas être écrite (attempt to write a readonly database)" in said


def test_a_database_of_another_version(cell: Relance) -> None:
    engine = make_engine(cell.url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = CliRunner().invoke(app, ["status"], env={"RELANCE_DATABASE_URL": cell.url})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "a été écrite par une autre version de relance" in said


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"postgresql+psycopg://relance:s3cret@127.0.0.1:{_closed_port()}/x",
            "impossible de joindre",
        ),
        ("mysql+nodriver://u:p@h/x", "n'est pas une URL de base que relance peut utiliser"),
    ],
    ids=["unreachable", "unknown driver"],
)
def test_a_server_out_of_reach_or_a_bad_url(url: str, expected: str) -> None:
    result = CliRunner().invoke(app, ["status"], env={"RELANCE_DATABASE_URL": url})
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "s3cret" not in result.output


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "relance.db").write_text("a spreadsheet, saved here by mistake\n")
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    result = CliRunner().invoke(app, ["status"], env={"RELANCE_DATABASE_URL": url})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "n'est pas une base relance, ou elle est endommagée" in said
