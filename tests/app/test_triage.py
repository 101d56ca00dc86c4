"""Triage of the book with the outbox: decisions, SMS once, physicians, re-triage."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from relance.app.appointments import decide_appointment, import_book, review_queue, triage_book
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.notify import call_list
from relance.domain.errors import RejectedInput
from relance.domain.roles import CONSOLE
from relance.domain.triage import Decision
from relance.importers.triage_rules import default_rules
from relance.storage.database import unit_of_work
from relance.storage.tables import NotificationRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
ZONE = ZoneInfo("Europe/Brussels")
CTX = Context(actor="cell", authority=CONSOLE)
TODAY = datetime(2022, 5, 15, 8, tzinfo=ZONE)
BOOK = (
    "appointment,patient,name,language,mobile,phone,site,activity,pathway,start\n"
    "R1,P1,Anne Thiry,fr,0470 00 00 01,,A,radiology,routine,2022-05-16T09:00\n"
    "R2,P2,Jan Maes,nl,0470 00 00 02,,A,emergency,routine,2022-05-16T09:15\n"
    "R3,P3,Hans Krings,de,,063 00 00 03,A,radiology,routine,2022-05-16T09:30\n"
    "R4,P4,Marie Collard,fr,0470 00 00 04,,A,radiology,oncology,2022-05-16T09:45\n"
)


@pytest.fixture
def booked(engine: Engine, tmp_path: Path) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, CTX, SMALL)
    (tmp_path / "book.csv").write_text(BOOK)
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
    return engine


def _triage(engine: Engine) -> tuple[int, dict[str, int]]:
    with unit_of_work(engine) as uow:
        report = triage_book(uow, CTX, default_rules(), sender="Test", zone=ZONE, today=TODAY)
    return report.messages_queued, report.by_decision


def _outbox(engine: Engine) -> list[tuple[str, str, str]]:
    with unit_of_work(engine) as uow:
        rows = uow.session.execute(
            select(NotificationRow.to, NotificationRow.language, NotificationRow.status)
        )
        return sorted((to, lang, status) for to, lang, status in rows.all())


def test_triage_decides_and_queues_one_sms_per_told_patient(booked: Engine) -> None:
    queued, decided = _triage(booked)
    # radiology down: cancelled (R1; R3 has no mobile: phoned); emergency maintained (R2);
    # the oncology follow-up goes to a physician (R4)
    assert decided == {"cancel": 2, "maintain": 1, "review": 1}
    assert queued == 2
    assert _outbox(booked) == [("+32470000001", "fr", "queued"), ("+32470000002", "nl", "queued")]
    with unit_of_work(booked) as uow:
        assert [e.appointment for e in call_list(uow, CTX)] == ["R3"]
        assert [e.external_id for e in review_queue(uow, CTX)] == ["R4"]


def test_re_triage_does_not_tell_patients_twice(booked: Engine) -> None:
    _triage(booked)
    assert _triage(booked) == (0, {})
    assert len(_outbox(booked)) == 2


def test_a_physicians_decision_stands_and_is_told(booked: Engine) -> None:
    _triage(booked)
    with unit_of_work(booked) as uow:
        decide_appointment(
            uow, CTX, "R4", Decision.MAINTAIN, "chemotherapy cannot wait", sender="Test", zone=ZONE
        )
    _triage(booked)
    assert ("+32470000004", "fr", "queued") in _outbox(booked)
    with unit_of_work(booked) as uow:
        assert review_queue(uow, CTX) == []


def test_a_bad_row_imports_nothing(booked: Engine, tmp_path: Path) -> None:
    (tmp_path / "more.csv").write_text(
        BOOK.replace("A,radiology,routine,2022-05-16T09:00", "A,dialysis,routine,2022-05-16T09:00")
    )
    with (
        pytest.raises(RejectedInput, match="'dialysis' is not an activity of site 'A'"),
        unit_of_work(booked) as uow,
    ):
        import_book(uow, CTX, [tmp_path / "more.csv"], ZONE)
