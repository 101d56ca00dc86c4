"""Sending the outbox through the SMS gateway, each message at most once.

A message is claimed (status sending) and the claim committed before its request leaves; the
gateway's answer is committed after. Claims are taken a few at a time (as many as requests go
out at once), so a dispatcher that dies leaves only those in flight behind. The next dispatcher
marks them unknown (they may have been sent) and never sends them again on its own: a delivery
report, Kannel's access log or a person settles them (app/in_doubt.py).

One dispatcher sends at a time: it holds the sms_dispatcher row, renews it with every batch and
clears it when it ends. Another finds it held and refuses to start, unless the holder is gone:
its process no longer runs on this machine, or it has not been seen for the lease.
"""

import csv
import math
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.audit import record_event
from relance.app.choices import DISPATCH_WORKERS
from relance.app.context import Context
from relance.app.incident_clock import mode_of
from relance.app.pages import Page, asked_sites, page_of
from relance.app.sms_status import Change, change
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery
from relance.domain.errors import N_, InvalidInput, RelanceError
from relance.domain.roles import Permission
from relance.i18n import Language
from relance.notifications.gateway import Gateway, Outcome, Outgoing, SendResult
from relance.reports.call_list_pdf import call_list_pdf
from relance.storage import outbox_store
from relance.storage.database import UnitOfWork
from relance.storage.outbox_store import CallListEntry, Dispatcher

Transaction = Callable[[], AbstractContextManager[UnitOfWork]]

LEASE = timedelta(seconds=60)  # a dispatcher not seen for this long has stopped
AFTER = {Outcome.ACCEPTED: Delivery.SUBMITTED, Outcome.NOT_SENT: Delivery.QUEUED}


@dataclass(frozen=True)
class DispatchOptions:
    rate: float = 100.0  # messages per second at most
    workers: int = DISPATCH_WORKERS  # requests under way at once
    limit: int | None = None  # stop after this many messages (None: until the queue is empty)
    lease: timedelta = LEASE


@dataclass(frozen=True)
class Process:
    """Who dispatches: this process on this machine."""

    pid: int
    host: str

    @property
    def label(self) -> str:
        return f"{self.pid}@{self.host}"


def this_process() -> Process:
    return Process(os.getpid(), socket.gethostname())


@dataclass(frozen=True)
class Predecessor:
    """A dispatcher that stopped while sending, as the next one found it."""

    holder: str  # pid@host
    started_at: datetime | None
    seen_at: datetime | None
    why_stopped: str
    in_doubt: int  # its claims, now unknown


@dataclass
class DispatchReport:
    sent: int = 0  # the gateway took them
    not_sent: int = 0  # refused, or the gateway not reachable: back in the queue
    unknown: int = 0  # the answer was lost: they may have been sent
    found: Predecessor | None = None
    stopped: str = ""  # why it stopped before the queue was empty
    seconds: float = 0.0
    problems: dict[str, int] = field(default_factory=dict)  # each distinct one, how many times

    @property
    def complete(self) -> bool:
        """Every message it took went to the gateway, and nothing stopped it."""
        return not (self.not_sent or self.unknown or self.stopped)


class DispatcherBusy(RelanceError):
    """Another dispatcher holds the right to send; `retry_after`: when its turn expires."""

    def __init__(self, holder: Dispatcher, in_flight: int, retry_after: datetime) -> None:
        self.holder, self.in_flight, self.retry_after = holder, in_flight, retry_after
        super().__init__(N_("another dispatcher is sending: {holder}"), holder=holder.holder)


class _Pace:
    """At most `rate` messages a second, a batch at a time."""

    def __init__(self, rate: float) -> None:
        self.interval, self.next = 1.0 / rate, time.monotonic()

    def delay(self, messages: int) -> float:
        """Seconds to wait before sending the next `messages`."""
        now = time.monotonic()
        slot = max(self.next, now)
        self.next = slot + messages * self.interval
        return slot - now


def dispatch(
    transaction: Transaction,
    ctx: Context,
    gateway: Gateway,
    options: DispatchOptions,
    *,
    me: Process | None = None,
    stop: threading.Event | None = None,
) -> DispatchReport:
    """Send queued messages until the queue is empty (or `limit`, or `stop` is set), at most
    `rate` a second. Raises DispatcherBusy if another dispatcher is sending."""
    began = time.perf_counter()
    me = me or this_process()
    with transaction() as uow:
        report = DispatchReport(found=_take_turn(uow, ctx, me, options.lease))
    try:
        _Run(transaction, ctx, gateway, options, me.label, report).send_queue(
            stop or threading.Event()
        )
    finally:
        with transaction() as uow:
            outbox_store.release_dispatcher(uow, ctx.request_id)
    report.seconds = time.perf_counter() - began
    return report


def _take_turn(uow: UnitOfWork, ctx: Context, me: Process, lease: timedelta) -> Predecessor | None:
    """Hold the right to send; what an earlier dispatcher was sending when it stopped becomes
    unknown."""
    now = ctx.clock.now()
    holder = outbox_store.dispatcher(uow, lock=True)
    claims = outbox_store.sending(uow)
    why = ""
    if holder is not None:
        why = _why_stopped(holder, me, now, lease)
        if not why:
            raise DispatcherBusy(holder, len(claims), holder.seen_at + lease)
    outbox_store.hold_dispatcher(
        uow, Dispatcher(ctx.request_id, me.label, me.host, me.pid, now, now)
    )
    if not claims:
        return None
    by = holder.holder if holder else claims[0][1]
    why = why or "it ended without recording the gateway's answers"
    reason = f"dispatcher {by} stopped while sending ({why}): the SMS may have been sent"
    change(uow, ctx, [Change(i, Delivery.UNKNOWN, reason) for i, _, _ in claims])
    return Predecessor(
        by,
        holder.started_at if holder else None,
        holder.seen_at if holder else None,
        why,
        len(claims),
    )


def _why_stopped(holder: Dispatcher, me: Process, now: datetime, lease: timedelta) -> str:
    """Why the holder is known to have stopped; "" if it may still be sending."""
    if holder.host == me.host and (holder.pid == me.pid or not _running(holder.pid)):
        return "its process is gone"
    quiet = now - holder.seen_at
    if quiet >= lease:
        return f"not seen for {int(quiet.total_seconds())} s"
    return ""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


@dataclass
class _Run:
    """One dispatcher run: up to `workers` requests under way at once. When half of them are
    answered, their answers are committed and as many messages claimed again: never more
    claimed than sent at once, and no waiting for the slowest of a batch."""

    transaction: Transaction
    ctx: Context
    gateway: Gateway
    options: DispatchOptions
    me: str  # pid@host, written on each claim
    report: DispatchReport
    refused: list[str] = field(default_factory=list)  # not claimed again until the next run
    problems: Counter[str] = field(default_factory=Counter)

    def send_queue(self, stop: threading.Event) -> None:
        pace = _Pace(self.options.rate)
        window = max(1, min(self.options.workers, math.ceil(self.options.rate)))
        group = max(1, window // 2)  # claimed, then committed, together
        under_way: dict[Future[SendResult], Outgoing] = {}
        more = True  # messages may be left to claim
        with ThreadPoolExecutor(window) as pool:
            while True:
                free = min(window - len(under_way), self._left(len(under_way)))
                if more and not self.report.stopped and free >= min(group, self._left(0)) > 0:
                    if stop.wait(pace.delay(free)):
                        self.report.stopped = "asked to stop"
                        continue
                    claimed = self._claim(free)
                    more = bool(claimed)
                    under_way |= {pool.submit(self.gateway.send, m): m for m in claimed}
                if not under_way:
                    break
                done = self._answered(under_way, min(group, len(under_way)))
                self._record([(under_way.pop(f), f.result()) for f in done])
        self.report.problems = dict(self.problems.most_common())

    def _left(self, under_way: int) -> int:
        """Messages it may still claim (`limit`), counting those under way."""
        if self.options.limit is None:
            return 1 << 30
        r = self.report
        return self.options.limit - (r.sent + r.not_sent + r.unknown) - under_way

    @staticmethod
    def _answered(
        under_way: dict[Future[SendResult], Outgoing], enough: int
    ) -> set[Future[SendResult]]:
        done: set[Future[SendResult]] = set()
        while len(done) < enough:
            done |= wait(set(under_way) - done, return_when=FIRST_COMPLETED).done
        return done

    def _claim(self, size: int) -> list[Outgoing]:
        """Committed before any request leaves; none if another dispatcher took over."""
        with self.transaction() as uow:
            now = self.ctx.clock.now()
            if not outbox_store.renew_dispatcher(uow, self.ctx.request_id, now):
                self.report.stopped = "another dispatcher took over: this one stopped"
                return []
            claimed = outbox_store.claim(uow, size, now, self.me, self.refused)
        return [Outgoing(*c) for c in claimed]

    def _record(self, answers: list[tuple[Outgoing, SendResult]]) -> None:
        with self.transaction() as uow:
            change(
                uow,
                self.ctx,
                [
                    Change(m.id, AFTER.get(r.outcome, Delivery.UNKNOWN), r.detail)
                    for m, r in answers
                ],
            )
        outcomes = Counter(r.outcome for _, r in answers)
        self.report.sent += outcomes[Outcome.ACCEPTED]
        self.report.not_sent += outcomes[Outcome.NOT_SENT]
        self.report.unknown += outcomes[Outcome.UNKNOWN]
        self.problems.update(r.detail for _, r in answers if r.outcome is not Outcome.ACCEPTED)
        self.refused += [m.id for m, r in answers if r.outcome is Outcome.NOT_SENT]
        if outcomes[Outcome.NOT_SENT] == len(answers):
            self.report.stopped = "the gateway sent none of them: the others would fare alike"


def sending_now(uow: UnitOfWork) -> Dispatcher | None:
    """The dispatcher holding the right to send, if any."""
    return outbox_store.dispatcher(uow)


def delivery_counts(uow: UnitOfWork) -> dict[Delivery, int]:
    return outbox_store.counts(uow)


def queued(uow: UnitOfWork) -> int:
    return outbox_store.queued_count(uow)


def call_list(uow: UnitOfWork, ctx: Context) -> list[CallListEntry]:
    """Patients the secretariat must phone, at the caller's sites; reading it is audited."""
    return call_list_page(uow, ctx).items


def call_list_page(
    uow: UnitOfWork,
    ctx: Context,
    sites: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
) -> Page[CallListEntry]:
    """A page of the call list at `sites` (all the caller's if none); the patients on it are
    the ones recorded as read."""
    chosen = asked_sites(uow, ctx, Permission.VIEW_PATIENTS, sites)
    page = page_of(outbox_store.call_list(uow, chosen), limit, offset)
    entries = page.items
    record_event(
        uow,
        ctx,
        EventType.PATIENTS_LISTED,
        "call-list",
        "notify call-list",
        after={"patients": len(entries)},
    )
    return page


def call_list_format(out: Path) -> str:
    """csv or pdf, by the file's suffix; any other file is refused before anything is written."""
    suffix = out.suffix.lower().removeprefix(".")
    if suffix not in ("csv", "pdf"):
        raise InvalidInput(N_("{file}: write the call list to a .csv or .pdf file"), file=out.name)
    return suffix


def write_call_list(
    ctx: Context,
    entries: list[CallListEntry],
    out: Path,
    zone: ZoneInfo,
    as_of: datetime,
    *,
    language: Language = Language.FR,
) -> None:
    """A CSV, or a PDF to print, by the suffix of `out`; `as_of` is when the list was read.
    The PDF of an exercise or a replay carries its mark on every page."""
    if call_list_format(out) == "pdf":
        mode = mode_of(ctx.clock)
        pdf = call_list_pdf(entries, as_of=as_of, zone=zone, language=language, clock_mode=mode)
        out.write_bytes(pdf)
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
