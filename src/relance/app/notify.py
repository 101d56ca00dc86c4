"""Sending the outbox through the SMS gateway, exactly once, and following delivery reports.

Exactly once: a message is claimed (status sending) and the claim committed before the request
leaves; after the gateway answers, the result is committed. A dispatcher killed in between
leaves claims behind: at the next start, claims older than the grace period with no report are
put back in the queue (nothing reached the gateway, or a report would have come); the others
keep the status their reports gave them. One dispatcher runs at a time.
"""

import csv
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery, from_report, moves
from relance.domain.errors import InvalidInput
from relance.notifications.gateway import Gateway, Outcome, Outgoing, SendResult
from relance.reports.call_list_pdf import call_list_pdf
from relance.reports.sheet_labels import Language
from relance.storage import audit_store, outbox_store
from relance.storage.audit_store import AuditEvent
from relance.storage.database import UnitOfWork
from relance.storage.outbox_store import CallListEntry

Transaction = Callable[[], AbstractContextManager[UnitOfWork]]


@dataclass(frozen=True)
class DispatchOptions:
    rate: float = 100.0  # messages per second at most
    batch: int = 200
    workers: int = 8
    grace: timedelta = timedelta(minutes=2)  # a claim older than this, with no report, was lost
    limit: int | None = None  # stop after this many messages (None: until the queue is empty)


@dataclass
class DispatchReport:
    sent: int = 0
    rejected: int = 0
    unreachable: int = 0
    requeued: int = 0  # claims of a dispatcher that died, put back
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class _Pace:
    """At most `rate` sends per second across the worker threads."""

    def __init__(self, rate: float) -> None:
        self.interval, self.next, self.lock = 1.0 / rate, time.monotonic(), threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(self.next, now)
            self.next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def _change(uow: UnitOfWork, ctx: Context, news: list[tuple[str, Delivery, str]], who: str) -> int:
    """Apply the status changes that move forward, each with its audit row; ignore the rest."""
    current = outbox_store.statuses(uow, [i for i, _, _ in news], for_update=True)
    forward = [(i, s, e) for i, s, e in news if i in current and moves(current[i], s)]
    now = ctx.clock.now()
    outbox_store.set_statuses(uow, forward, now)
    audit_store.record(
        uow,
        [
            AuditEvent(
                ctx.request_id,
                who,
                now,
                now,
                EventType.NOTIFICATION_STATUS,
                "notification",
                i,
                before={"status": current[i].value},
                after={"status": s.value},
                reason=e,
            )
            for i, s, e in forward
        ],
    )
    return len(forward)


def requeue_lost_claims(transaction: Transaction, ctx: Context, grace: timedelta) -> int:
    with transaction() as uow:
        lost = outbox_store.older_than(uow, [Delivery.SENDING], ctx.clock.now() - grace)
        return _change(
            uow,
            ctx,
            [(i, Delivery.QUEUED, "claim lost: no report, sent again") for i in lost],
            ctx.actor,
        )


def dispatch(
    transaction: Transaction, ctx: Context, gateway: Gateway, options: DispatchOptions
) -> DispatchReport:
    """Send queued messages until the queue is empty (or `limit`), at most `rate` a second."""
    began = time.perf_counter()
    report = DispatchReport(requeued=requeue_lost_claims(transaction, ctx, options.grace))
    pace = _Pace(options.rate)

    def send(message: Outgoing) -> tuple[Outgoing, SendResult]:
        pace.wait()
        return message, gateway.send(message)

    with ThreadPoolExecutor(options.workers) as pool:
        while options.limit is None or report.sent < options.limit:
            size = (
                options.batch
                if options.limit is None
                else min(options.batch, options.limit - report.sent)
            )
            with transaction() as uow:
                claimed = [Outgoing(*c) for c in outbox_store.claim(uow, size, ctx.clock.now())]
            if not claimed:
                break
            results = list(pool.map(send, claimed))
            news = []
            for message, result in results:
                if result.outcome is Outcome.ACCEPTED:
                    report.sent += 1
                    news.append((message.id, Delivery.SUBMITTED, ""))
                elif result.outcome is Outcome.REJECTED:
                    report.rejected += 1
                    news.append((message.id, Delivery.FAILED, result.detail))
                else:
                    report.unreachable += 1
                    news.append((message.id, Delivery.QUEUED, result.detail))
                    report.errors.append(result.detail)
            with transaction() as uow:
                _change(uow, ctx, news, ctx.actor)
            if report.unreachable and all(r.outcome is Outcome.UNREACHABLE for _, r in results):
                break  # the gateway is down: stop, the messages wait in the queue
    report.seconds = time.perf_counter() - began
    return report


def record_report(uow: UnitOfWork, ctx: Context, notification: str, report_type: str) -> bool:
    """A delivery report from the gateway; True if it moved the message forward."""
    status = from_report(report_type)
    if status is None:
        return False
    if not outbox_store.statuses(uow, [notification]):
        raise InvalidInput(f"no message {notification!r}")
    return _change(uow, ctx, [(notification, status, f"report type {report_type}")], "gateway") > 0


def expire_reports(uow: UnitOfWork, ctx: Context, timeout: timedelta) -> int:
    """Messages with no final report after `timeout` become unconfirmed: someone should check."""
    waiting = outbox_store.older_than(
        uow, [Delivery.SUBMITTED, Delivery.ACCEPTED], ctx.clock.now() - timeout
    )
    return _change(
        uow,
        ctx,
        [(i, Delivery.UNCONFIRMED, f"no final report after {timeout}") for i in waiting],
        ctx.actor,
    )


def delivery_counts(uow: UnitOfWork) -> dict[Delivery, int]:
    return outbox_store.counts(uow)


def queued(uow: UnitOfWork) -> int:
    return outbox_store.queued_count(uow)


def call_list(uow: UnitOfWork, ctx: Context) -> list[CallListEntry]:
    """Patients the secretariat must phone, at the caller's sites; reading it is audited."""
    entries = outbox_store.call_list(uow, access.patient_sites(ctx))
    record_event(
        uow,
        ctx,
        EventType.PATIENTS_LISTED,
        "call-list",
        "notify call-list",
        after={"patients": len(entries)},
    )
    return entries


def call_list_format(out: Path) -> str:
    """csv or pdf, by the file's suffix; any other file is refused before anything is written."""
    suffix = out.suffix.lower().removeprefix(".")
    if suffix not in ("csv", "pdf"):
        raise InvalidInput(f"{out.name}: write the call list to a .csv or .pdf file")
    return suffix


def write_call_list(
    entries: list[CallListEntry],
    out: Path,
    zone: ZoneInfo,
    as_of: datetime,
    language: Language = Language.FR,
) -> None:
    """A CSV, or a PDF to print, by the suffix of `out`; `as_of` is when the list was read."""
    if call_list_format(out) == "pdf":
        out.write_bytes(call_list_pdf(entries, as_of=as_of, zone=zone, language=language))
    else:
        _write_call_list_csv(entries, out, zone)


def _write_call_list_csv(entries: list[CallListEntry], out: Path, zone: ZoneInfo) -> None:
    """In the crisis cell's local time."""
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["site", "date", "time", "patient", "phone", "appointment", "decision", "reason"]
        )
        for e in entries:
            local = e.starts_at.astimezone(zone)
            writer.writerow(
                [
                    e.site,
                    f"{local:%Y-%m-%d}",
                    f"{local:%H:%M}",
                    e.patient,
                    e.phone,
                    e.appointment,
                    e.decision.value,
                    e.reason,
                ]
            )
