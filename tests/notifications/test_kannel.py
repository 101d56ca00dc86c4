"""Patient SMS through real Kannel and its fake SMSC, whatever fails: each at most once, none lost
without a visible state, the exit codes the crisis cell reads.

The fake SMSC's output is the ground truth: every SMS it got, with its text. Each test runs on
SQLite and PostgreSQL, and waits for conditions (never a fixed time).
"""

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from relance.app import demo
from relance.app.appointments import generate_week, import_book, triage_book
from relance.app.context import Context
from relance.app.delivery_reports import expire_reports
from relance.app.network import load_network
from relance.app.notify import DispatchOptions, dispatch
from relance.cli.main import app
from relance.domain.clock import FixedClock
from relance.domain.roles import CONSOLE
from relance.importers.book_generator import write_csv
from relance.importers.triage_rules import default_rules
from relance.notifications.kannel import KannelGateway, KannelSettings
from relance.storage.database import UnitOfWork, unit_of_work
from relance.storage.tables import AppointmentRow, NotificationRow, PatientRow
from tests.notifications.conftest import (
    BOOK_HEADER,
    PASSWORD,
    SMALL,
    TODAY,
    USER,
    ZONE,
    Kannel,
    Listener,
    book_rows,
    free_port,
    listening,
    wait_for,
)

CTX = Context(actor="tester", authority=CONSOLE)
DAY = datetime(2022, 5, 17, tzinfo=ZONE)
WORDS = {"fr": "rendez-vous", "nl": "afspraak", "de": "Termin", "en": "appointment"}
SENT = {"submitted", "accepted", "delivered", "unconfirmed"}  # states that say it left
NOT_SENT = {"queued", "failed"}  # states that say it did not reach the patient


@pytest.fixture
def reference_day(engine: Engine, tmp_path: Path) -> Engine:
    """The reference network, a twentieth of a week's book, and a day of it triaged: ~70 SMS."""
    demo.load_reference(lambda: unit_of_work(engine))
    with unit_of_work(engine) as uow:
        book = generate_week(uow, date(2022, 5, 16), ZONE, scale=0.05)
    write_csv(book, tmp_path / "book.csv", ZONE)
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
        _triage(uow, since=DAY, until=DAY + timedelta(days=1))
    assert len(_statuses(engine)) > 50
    return engine


@pytest.fixture
def day(engine: Engine, tmp_path: Path) -> Engine:
    """A small network whose radiology is down: 60 patients told their exam is cancelled."""
    with unit_of_work(engine) as uow:
        load_network(uow, CTX, SMALL)
    (tmp_path / "book.csv").write_text(BOOK_HEADER + "\n".join(book_rows(60)) + "\n")
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
        _triage(uow)
    assert len(_statuses(engine)) == 60
    return engine


def _triage(uow: UnitOfWork, **when: datetime) -> None:
    triage_book(uow, CTX, default_rules(), sender="Vivalia", zone=ZONE, today=TODAY, **when)


@pytest.fixture
def reports(engine: Engine) -> Iterator[Listener]:
    with listening(engine) as listener:
        yield listener


def _statuses(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine, read_only=True) as uow:  # polled: never in the writers' way
        return dict(uow.session.execute(select(NotificationRow.id, NotificationRow.status)).all())


def _counts(engine: Engine) -> Counter[str]:
    return Counter(_statuses(engine).values())


def _in(engine: Engine, status: str) -> list[str]:
    return sorted(i for i, s in _statuses(engine).items() if s == status)


def _at_smsc(engine: Engine, kannel: Kannel) -> Counter[str]:
    """How many times the fake SMSC got each message; an SMS that is none of ours fails."""
    with unit_of_work(engine, read_only=True) as uow:
        ours = {
            (to, text): i
            for i, to, text in uow.session.execute(
                select(NotificationRow.id, NotificationRow.to, NotificationRow.text)
            ).all()
        }
    got = kannel.received()
    assert set(got) <= set(ours), "the SMSC got an SMS relance never wrote"
    return Counter({ours[sms]: n for sms, n in got.items()})


def _nothing_twice_nothing_hidden(engine: Engine, kannel: Kannel) -> Counter[str]:
    """Once Kannel has passed on all it took: no SMS twice, and every status tells the truth
    (an SMS that left is never queued, one that did not is never counted as sent)."""
    wait_for(kannel.idle, "Kannel passed on every SMS it took")
    got, statuses = _at_smsc(engine, kannel), _statuses(engine)
    assert [i for i, n in got.items() if n > 1] == [], "an SMS was sent twice"
    lying = {i: s for i, s in statuses.items() if s in (SENT if got[i] == 0 else NOT_SENT)}
    assert lying == {}, "a status says the opposite of what the SMSC got"
    assert "sending" not in statuses.values(), "a claim was left without a state"
    return got


def _env(database_url: str, kannel: Kannel, dlr_url: str, **changes: str) -> dict[str, str]:
    return {
        **os.environ,
        "RELANCE_DATABASE_URL": database_url,
        "RELANCE_KANNEL_URL": kannel.sendsms_url,
        "RELANCE_KANNEL_USER": USER,
        "RELANCE_KANNEL_PASSWORD": PASSWORD,
        "RELANCE_DLR_URL": dlr_url,
        "RELANCE_SMS_SENDER": "Vivalia",
        "RELANCE_KANNEL_ACCESS_LOG": str(kannel.access_log),
        **changes,
    }


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _relance(env: dict[str, str], *args: str) -> Ran:
    """`relance notify ARGS` in this process (a process each would cost seconds of imports)."""
    ours = {k: v for k, v in env.items() if k.startswith("RELANCE_")}
    result = CliRunner().invoke(app, ["notify", *args], env={**ours, "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def _start_sending(env: dict[str, str], rate: int) -> subprocess.Popen[str]:
    """`relance notify send` in a process of its own, to be killed."""
    return subprocess.Popen(
        [sys.executable, "-m", "relance", "notify", "send", "--rate", str(rate)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class Sending(threading.Thread):
    """`relance notify send` under way in a thread, while the test breaks things."""

    def __init__(self, env: dict[str, str], rate: int) -> None:
        super().__init__(daemon=True)
        self.env, self.rate = env, rate
        self.ran: Ran | None = None
        self.start()

    def run(self) -> None:
        self.ran = _relance(self.env, "send", "--rate", str(self.rate))

    def result(self) -> Ran:
        self.join(timeout=300)
        assert self.ran is not None, "relance notify send did not end"
        return self.ran


def _settle_the_rest(engine: Engine, kannel: Kannel, env: dict[str, str]) -> None:
    """What a person does: Kannel's log first, then, for what it does not trace, check (here at
    the SMSC itself) and settle as not sent; then send. Each SMS ends received exactly once."""
    reconciled = _relance(env, "reconcile", "--json")
    assert reconciled.returncode == 0, reconciled.stderr
    got = _at_smsc(engine, kannel)
    left = _in(engine, "unknown")
    assert json.loads(reconciled.stdout)["still_unknown"] == len(left)
    assert [i for i in left if got[i]] == [], "Kannel's log missed an SMS that left"
    if left:
        settled = _relance(env, "settle", *left, "--as", "not-sent", "--reason", "not at SMSC")
        assert settled.returncode == 0, settled.stderr
    again = _relance(env, "send", "--rate", "200")
    assert again.returncode == 0, again.stdout + again.stderr
    got = _nothing_twice_nothing_hidden(engine, kannel)
    assert set(got) == set(_statuses(engine)), "an SMS never reached the SMSC"


def test_a_day_of_the_book_is_told_once_in_each_patients_language(
    reference_day: Engine, kannel: Kannel, reports: Listener
) -> None:
    day = reference_day
    queued = len(_statuses(day))
    gateway = KannelGateway(
        KannelSettings(kannel.sendsms_url, USER, PASSWORD, "Vivalia", reports.url)
    )
    result = dispatch(lambda: unit_of_work(day), CTX, gateway, DispatchOptions(rate=200))
    gateway.close()
    assert (result.sent, result.complete) == (queued, True)
    wait_for(lambda: _counts(day)["delivered"] == queued, "every report recorded")
    assert set(_nothing_twice_nothing_hidden(day, kannel).values()) == {1}
    with unit_of_work(day) as uow:
        rows = uow.session.execute(
            select(NotificationRow.text, PatientRow.language)
            .join(AppointmentRow, NotificationRow.appointment_id == AppointmentRow.id)
            .join(PatientRow, AppointmentRow.patient_id == PatientRow.id)
        ).all()
        for text, language in rows:
            assert WORDS[language] in text, (language, text)


def test_a_killed_dispatcher_with_the_listener_down_sends_nothing_twice(
    day: Engine, kannel: Kannel, database_url: str
) -> None:
    down = f"http://127.0.0.1:{free_port()}/dlr"  # nobody listens: every report is lost
    env = _env(database_url, kannel, down)
    first = _start_sending(env, rate=20)
    wait_for(lambda: sum(_at_smsc(day, kannel).values()) >= 10, "ten SMS sent")
    kannel.freeze("bearerbox")  # requests taken by smsbox now wait for bearerbox
    wait_for(lambda: _counts(day)["sending"] > 0, "a batch under way")
    first.send_signal(signal.SIGKILL)
    first.communicate()
    in_flight = len(_in(day, "sending"))
    assert 0 < in_flight <= DispatchOptions().workers  # claims are small batches
    kannel.thaw("bearerbox")  # what smsbox took now leaves: the SMS may have been sent
    second = _relance(env, "send", "--rate", "200")
    assert second.returncode == 0, second.stdout + second.stderr
    assert (
        f"{in_flight} SMS étaient en cours d'envoi par l'expéditeur {first.pid}@" in second.stderr
    )
    assert "its process is gone" in second.stderr
    got = _nothing_twice_nothing_hidden(day, kannel)
    assert len(_in(day, "unknown")) == in_flight
    assert sum(got.values()) == len(got) >= len(_statuses(day)) - in_flight
    _settle_the_rest(day, kannel, env)


def test_a_gateway_that_refuses_leaves_every_sms_queued(
    day: Engine, kannel: Kannel, reports: Listener, database_url: str
) -> None:
    """A wrong password, a URL that is not sendsms, Kannel not listening: nothing was sent,
    so everything stays queued, and the command says so, once, with exit code 2."""
    queued = len(_statuses(day))
    port = kannel.sendsms_url.split(":")[2].split("/")[0]
    faults = {
        "HTTP 403 'Authorization failed for sendsms'": (kannel.sendsms_url, "wrong"),
        "HTTP 404 'Unknown request.'": (kannel.sendsms_url.replace("sendsms", "nosuch"), PASSWORD),
        "Connection refused": (kannel.sendsms_url.replace(port, str(free_port())), PASSWORD),
    }
    for said, (url, password) in faults.items():
        env = _env(
            database_url,
            kannel,
            reports.url,
            RELANCE_KANNEL_URL=url,
            RELANCE_KANNEL_PASSWORD=password,
        )
        text, as_json = _relance(env, "send"), _relance(env, "send", "--json")
        assert (text.returncode, as_json.returncode) == (2, 2), said
        lines = [line for line in text.stderr.splitlines() if said in line]
        assert len(lines) == 1, text.stderr  # one line for one cause, with its count
        assert lines[0].strip().startswith(f"{DispatchOptions().workers} x "), lines
        assert url in lines[0], lines  # where, and no password
        assert password not in text.stdout + text.stderr + as_json.stdout + as_json.stderr
        report = json.loads(as_json.stdout)
        workers = DispatchOptions().workers
        assert (report["sent"], report["not_sent"], report["unknown"]) == (0, workers, 0)
        assert [(said in p, n) for p, n in report["problems"].items()] == [(True, workers)]
        assert _counts(day) == {"queued": queued}, said
    assert kannel.received() == Counter()
    fixed = _relance(_env(database_url, kannel, reports.url), "send", "--rate", "200")
    assert fixed.returncode == 0, fixed.stderr
    assert set(_nothing_twice_nothing_hidden(day, kannel).values()) == {1}
    assert len(_at_smsc(day, kannel)) == queued


def test_kannel_restarted_mid_run_sends_nothing_twice(
    day: Engine, kannel: Kannel, reports: Listener, database_url: str
) -> None:
    env = _env(database_url, kannel, reports.url)
    first = Sending(env, rate=20)
    wait_for(lambda: sum(_at_smsc(day, kannel).values()) >= 10, "ten SMS sent")
    kannel.stop()
    stopped = first.result()
    assert stopped.returncode == 2, stopped.stdout + stopped.stderr
    assert f"cannot reach Kannel at {kannel.sendsms_url}" in stopped.stderr
    kannel.start()  # its queue on disk: what it took before stopping leaves now
    _nothing_twice_nothing_hidden(day, kannel)
    second = _relance(env, "send", "--rate", "200")
    assert second.returncode == 0, second.stdout + second.stderr
    _nothing_twice_nothing_hidden(day, kannel)
    _settle_the_rest(day, kannel, env)


def test_the_listener_restarted_mid_run_loses_no_sms_silently(
    day: Engine, kannel: Kannel, reports: Listener, database_url: str
) -> None:
    queued = len(_statuses(day))
    first = Sending(_env(database_url, kannel, reports.url), rate=10)
    wait_for(lambda: _counts(day)["delivered"] >= 10, "ten SMS delivered")
    reports.stop()  # Kannel's reports now fail, and Kannel drops them (no http-request-retry)
    sent = sum(_at_smsc(day, kannel).values())
    wait_for(lambda: sum(_at_smsc(day, kannel).values()) >= sent + 10, "ten more SMS sent")
    delivered = _counts(day)["delivered"]
    reports.start()
    done = first.result()
    assert done.returncode == 0, done.stdout + done.stderr
    got = _nothing_twice_nothing_hidden(day, kannel)
    assert set(got.values()) == {1}
    assert len(got) == queued
    wait_for(lambda: _counts(day)["delivered"] >= delivered + 10, "reports recorded again")
    a_day_later = Context("tester", FixedClock(datetime.now(UTC) + timedelta(days=1)))
    with unit_of_work(day) as uow:
        expire_reports(uow, a_day_later, timedelta(hours=1))
    after = _counts(day)  # a lost report leaves its SMS unconfirmed: someone checks it
    assert set(after) <= {"delivered", "unconfirmed"}
    assert after.total() == queued
