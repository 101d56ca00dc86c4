"""Patient SMS through real Kannel and its fake SMSC: once each, right language, delivered."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from relance.app import demo
from relance.app.appointments import generate_week, import_book, triage_book
from relance.app.context import Context
from relance.app.notify import DispatchOptions, dispatch
from relance.cli.notify import report_server
from relance.domain.delivery import Delivery
from relance.importers.book_generator import write_csv
from relance.importers.triage_rules import default_rules
from relance.notifications.kannel import KannelGateway, KannelSettings
from relance.storage.database import unit_of_work
from relance.storage.tables import AppointmentRow, NotificationRow, PatientRow
from tests.notifications.conftest import PASSWORD, USER, Kannel, free_port

ZONE = ZoneInfo("Europe/Brussels")
CTX = Context(actor="tester")
# Delivery reports come back through Kannel and the report server: on a loaded machine that can
# take minutes; the wait ends as soon as they are all in.
DELIVERY_DEADLINE = 600
WORDS = {"fr": "rendez-vous", "nl": "afspraak", "de": "Termin", "en": "appointment"}


@pytest.fixture
def vivalia(engine: Engine, tmp_path: Path) -> Engine:
    """The reference network with a quarter of a week's book imported."""
    demo.load_reference(lambda: unit_of_work(engine))
    with unit_of_work(engine) as uow:
        book = generate_week(uow, date(2022, 5, 16), ZONE, scale=0.25)
    write_csv(book, tmp_path / "book.csv", ZONE)
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
    return engine


@pytest.fixture
def reports(engine: Engine) -> Iterator[str]:
    port = free_port()
    server = report_server(engine, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/dlr"
    server.shutdown()
    server.server_close()


def _triage(engine: Engine, since: datetime | None = None, until: datetime | None = None) -> int:
    with unit_of_work(engine) as uow:
        today = datetime(2022, 5, 15, 8, tzinfo=ZONE)
        report = triage_book(
            uow,
            CTX,
            default_rules(),
            sender="Vivalia",
            zone=ZONE,
            today=today,
            since=since,
            until=until,
        )
    return report.messages_queued


def _statuses(engine: Engine) -> Counter[str]:
    with unit_of_work(engine) as uow:
        return Counter(uow.session.execute(select(NotificationRow.status)).scalars())


def _wait_until(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)


GOT = re.compile(r"Got message \d+: <\S+ (\S+) text (.*)>$")


def _received(kannel: Kannel) -> Counter[tuple[str, str]]:
    """(receiver, text) of every SMS the fake SMSC got."""
    return Counter(m.groups() for line in kannel.messages() if (m := GOT.search(line)))


def _outbox(engine: Engine) -> Counter[tuple[str, str]]:
    """(receiver, text) of every SMS of the outbox: each must reach the SMSC exactly once."""
    with unit_of_work(engine) as uow:
        rows = uow.session.execute(select(NotificationRow.to, NotificationRow.text)).all()
    return Counter((to, text) for to, text in rows)


def test_a_day_of_the_book_is_told_once_in_each_patients_language(
    vivalia: Engine, kannel: Kannel, reports: str
) -> None:
    day = datetime(2022, 5, 17, tzinfo=ZONE)
    queued = _triage(vivalia, day, day + timedelta(days=1))
    assert queued > 100
    gateway = KannelGateway(KannelSettings(kannel.sendsms_url, USER, PASSWORD, "Vivalia", reports))
    result = dispatch(lambda: unit_of_work(vivalia), CTX, gateway, DispatchOptions(rate=200))
    gateway.close()
    assert result.sent == queued
    assert result.rejected == result.unreachable == 0
    _wait_until(lambda: _statuses(vivalia)[Delivery.DELIVERED.value] == queued, DELIVERY_DEADLINE)
    assert _statuses(vivalia) == Counter({Delivery.DELIVERED.value: queued})
    received = _received(kannel)
    assert sum(received.values()) == queued
    assert received == _outbox(vivalia)  # each message once, as written in the outbox
    with unit_of_work(vivalia) as uow:
        rows = uow.session.execute(
            select(NotificationRow.to, NotificationRow.text, PatientRow.language)
            .join(AppointmentRow, NotificationRow.appointment_id == AppointmentRow.id)
            .join(PatientRow, AppointmentRow.patient_id == PatientRow.id)
        ).all()
    for to, text, code in rows:
        assert WORDS[code] in text, (to, code, text)


def test_a_killed_dispatcher_sends_nothing_twice_and_loses_nothing(
    vivalia: Engine, kannel: Kannel, reports: str, database_url: str
) -> None:
    queued = _triage(vivalia)
    assert queued >= 1500
    env = {
        **os.environ,
        "RELANCE_DATABASE_URL": database_url,
        "RELANCE_KANNEL_URL": kannel.sendsms_url,
        "RELANCE_KANNEL_USER": USER,
        "RELANCE_KANNEL_PASSWORD": PASSWORD,
        "RELANCE_DLR_URL": reports,
        "RELANCE_SMS_SENDER": "Vivalia",
    }
    command = [sys.executable, "-m", "relance", "notify", "send", "--rate", "150", "--grace", "3"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until(lambda: _statuses(vivalia)[Delivery.DELIVERED.value] > queued // 4, 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert _statuses(vivalia)[Delivery.QUEUED.value] > 0, "killed too late to test anything"
    time.sleep(4)  # past the grace period: a claim with no report was never handed over
    second = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert second.returncode == 0, second.stdout + second.stderr
    _wait_until(lambda: _statuses(vivalia)[Delivery.DELIVERED.value] == queued, DELIVERY_DEADLINE)
    received = _received(kannel)
    assert sum(received.values()) == queued, "an SMS was lost or sent twice"
    assert received == _outbox(vivalia)
    assert _statuses(vivalia) == Counter({Delivery.DELIVERED.value: queued})
