"""Fixtures of the backup tests: a small network with a book, and an empty place to restore."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relance.app.appointments import import_book
from relance.app.context import Context
from relance.app.network import load_network
from relance.domain.roles import CONSOLE
from relance.storage.database import make_engine, unit_of_work
from tests.conftest import new_postgres_database

SMALL = Path(__file__).parent.parent / "data/small.yaml"
ZONE = ZoneInfo("Europe/Brussels")
APPOINTMENTS = 24
SLOTS = {"A": ("emergency", "radiology"), "B": ("care",)}


def book(path: Path) -> list[str]:
    """A CSV book of appointments at both sites; returns their ids."""
    lines = ["appointment,patient,name,language,mobile,phone,site,activity,pathway,start"]
    start = datetime(2022, 5, 16, 8, tzinfo=ZONE)
    ids = []
    for n in range(APPOINTMENTS):
        site = "A" if n % 3 else "B"
        activity = SLOTS[site][n % len(SLOTS[site])]
        at = (start + timedelta(minutes=15 * n)).strftime("%Y-%m-%dT%H:%M")
        ids.append(f"R{n}")
        lines.append(f"R{n},P{n},Patient {n},fr,0470 00 00 {n:02d},,{site},{activity},routine,{at}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


@pytest.fixture
def working_url(database_url: str, tmp_path: Path) -> str:
    """A database with the small network and a book of appointments, on each backend."""
    engine = make_engine(database_url)
    ctx = Context(actor="cell", authority=CONSOLE)
    with unit_of_work(engine) as uow:
        load_network(uow, ctx, SMALL)
    book(tmp_path / "book.csv")
    with unit_of_work(engine) as uow:
        import_book(uow, ctx, [tmp_path / "book.csv"], ZONE)
    engine.dispose()
    return database_url


@pytest.fixture
def empty_place(database_url: str, tmp_path: Path) -> Iterator[str]:
    """Where a backup of this backend restores: a new directory, or a new empty database."""
    if database_url.startswith("sqlite"):
        yield str(tmp_path / "restored")
        return
    with new_postgres_database("relance_restore") as url:
        yield url
