"""Patient SMS through real Kannel (fake SMSC): the send rate, and the rate of delivery reports.

    PYTHONPATH=. python benchmarks/sms.py [--messages 2000] [--rate 1000] [--postgres URL]

(from the repository root: it starts Kannel with the tests' launcher; Debian's kannel and
kannel-extras). For each backend (SQLite; PostgreSQL with --postgres or RELANCE_TEST_POSTGRES_URL):

1. send: `relance notify dlr-server` runs in its own process; the dispatcher sends --messages SMS
   as fast as Kannel takes them (at most --rate a second), and every report comes back.
2. reports: the operator's SMSC goes away, the dispatcher sends --messages more (Kannel queues
   them), the SMSC comes back: Kannel sends them all at once and floods the listener with two
   reports per SMS, through up to 512 connections, with its default settings (a report whose
   request fails is dropped). The figure is the reports recorded (committed) per second, from
   the first to the last (the audit trail stamps each); the time from the SMSC's return until
   every SMS is delivered is printed beside it.

Then it checks at the fake SMSC that none was lost or sent twice, and in smsbox's log that
Kannel dropped no report.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from tests.notifications.conftest import PASSWORD, USER, Kannel, free_port, start_kannel, wait_for

from machine import about  # benchmarks/machine.py, beside this script
from relance.app import demo
from relance.app.appointments import generate_week, import_book, triage_book
from relance.app.context import Context
from relance.app.notify import DispatchOptions, DispatchReport, dispatch
from relance.domain.audit_events import EventType
from relance.domain.roles import CONSOLE
from relance.importers.book_generator import WEEKLY, write_csv
from relance.importers.triage_rules import default_rules
from relance.notifications.kannel import KannelGateway, KannelSettings
from relance.storage.database import Engine, make_engine, migrate, unit_of_work
from relance.storage.tables import AuditRow, NotificationRow

ZONE = ZoneInfo("Europe/Brussels")
CTX = Context(actor="bench", authority=CONSOLE)
TOLD = 0.73  # share of a week's appointments told by SMS in the demo state


def queue(engine: Engine, messages: int, directory: Path) -> int:
    """The reference network and a generated book big enough for 2 x `messages` SMS, triaged."""
    migrate(engine)
    demo.load_reference(lambda: unit_of_work(engine))
    scale = 2.1 * messages / TOLD / sum(WEEKLY.values())
    with unit_of_work(engine) as uow:
        book = generate_week(uow, date(2022, 5, 16), ZONE, scale=scale)
    write_csv(book, directory / "book.csv", ZONE)
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [directory / "book.csv"], ZONE)
        today = datetime(2022, 5, 15, 8, tzinfo=ZONE)
        return triage_book(
            uow, CTX, default_rules(), sender="Vivalia", zone=ZONE, today=today
        ).messages_queued


def statuses(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine, read_only=True) as uow:  # never in the writers' way
        return dict(uow.session.execute(select(NotificationRow.id, NotificationRow.status)).all())


def recorded_span(engine: Engine, skip: int) -> tuple[float, int]:
    """Seconds from the first to the last report of the flood recorded, and how many: the
    audit trail has a row per report that moved an SMS, stamped when it was recorded."""
    with unit_of_work(engine, read_only=True) as uow:
        stamps = sorted(
            uow.session.scalars(
                select(AuditRow.recorded_at).where(
                    AuditRow.actor == "gateway",
                    AuditRow.event_type == EventType.NOTIFICATION_STATUS.value,
                )
            )
        )[2 * skip :]  # the reports of the first phase: two per SMS, both moved it
    return (stamps[-1] - stamps[0]).total_seconds(), len(stamps)


@contextmanager
def report_listener(url: str, port: int) -> Iterator[None]:
    """`relance notify dlr-server` in its own process, as in production."""
    env = {**os.environ, "RELANCE_DATABASE_URL": url}
    process = subprocess.Popen(  # noqa: S603 - this Python running relance, fixed arguments
        [sys.executable, "-m", "relance", "notify", "dlr-server", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(port), "the report listener answers")
        yield
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 404
    except httpx.HTTPError:
        return False


def send(engine: Engine, kannel: Kannel, dlr: str, args: argparse.Namespace) -> DispatchReport:
    gateway = KannelGateway(KannelSettings(kannel.sendsms_url, USER, PASSWORD, "Vivalia", dlr))
    options = DispatchOptions(rate=args.rate, limit=args.messages)
    try:
        return dispatch(lambda: unit_of_work(engine), CTX, gateway, options)
    finally:
        gateway.close()


def measure(backend: str, url: str, directory: Path, args: argparse.Namespace) -> dict[str, object]:
    engine = make_engine(url)
    queued = queue(engine, args.messages, directory)
    if queued < 2 * args.messages:
        raise SystemExit(f"only {queued} SMS queued for 2 x {args.messages}")
    port = free_port()
    dlr = f"http://127.0.0.1:{port}/dlr"
    with start_kannel(directory) as kannel, report_listener(url, port):
        load = os.getloadavg()[0]
        first = send(engine, kannel, dlr, args)
        began = time.perf_counter()
        wait_for(lambda: Counter(statuses(engine).values())["delivered"] == first.sent, "reports")
        settled = time.perf_counter() - began
        kannel.stop_smsc()
        second = send(engine, kannel, dlr, args)
        flood = time.perf_counter()
        kannel.start_smsc()
        wait_for(
            lambda: Counter(statuses(engine).values())["delivered"] == first.sent + second.sent,
            "every report of the flood",
            seconds=600,
        )
        flooded = time.perf_counter() - flood
        span, reports = recorded_span(engine, first.sent)
        wait_for(kannel.idle, "Kannel idle")
        received = kannel.received()
        dropped = (
            (kannel.directory / "smsbox.log").read_text(errors="replace").count("Couldn't fetch")
        )
    engine.dispose()
    sent = first.sent + second.sent
    return {
        "backend": backend,
        "load_1min_at_start": round(load, 1),
        "sms_sent_per_s": round(first.sent / first.seconds),
        "sent": f"{first.sent} in {first.seconds:.1f} s",
        "reports_after_last_send_s": round(settled, 1),
        "reports_per_s": round(reports / span),
        "flood": f"{reports} reports recorded in {span:.2f} s, from the first to the last; "
        f"{flooded:.1f} s from the SMSC's return until every SMS was delivered",
        "at_smsc": sum(received.values()),
        "lost": sent - len(received),
        "sent_twice": sum(1 for n in received.values() if n > 1),
        "reports_dropped_by_kannel": dropped,
    }


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    name = f"relance_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000, help="SMS in each phase")
    parser.add_argument("--rate", type=float, default=1000.0)
    parser.add_argument("--postgres", default=os.environ.get("RELANCE_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(
        "machine:", json.dumps(about(kannel="1.4.5 (Debian)", listener="relance notify dlr-server"))
    )
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Path(tmp) / "sqlite"
        sqlite.mkdir()
        rows = [measure("sqlite", f"sqlite:///{sqlite / 'relance.db'}", sqlite, args)]
        print(json.dumps(rows[-1]))
        if args.postgres:
            directory = Path(tmp) / "postgresql"
            directory.mkdir()
            with postgres_database(args.postgres) as url:
                rows.append(measure("postgresql", url, directory, args))
            print(json.dumps(rows[-1]))
    for row in rows:
        print(
            f"{row['backend']}: {row['sms_sent_per_s']} SMS/s sent (target >= 100), "
            f"{row['reports_per_s']} reports/s recorded (target >= 1,000); "
            f"lost {row['lost']}, sent twice {row['sent_twice']}, "
            f"reports dropped by Kannel {row['reports_dropped_by_kannel']}"
        )


if __name__ == "__main__":
    main()
