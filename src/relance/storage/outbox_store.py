"""The SMS outbox: claims, status changes, reports, the one dispatcher, and the call list."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, select, update

from relance.domain.delivery import Delivery
from relance.domain.triage import Decision
from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    AppointmentRow,
    NotificationRow,
    PatientRow,
    SiteRow,
    SmsDispatcherRow,
    TriageDecisionRow,
)

CHUNK = 5_000


@dataclass(frozen=True)
class CallListEntry:
    appointment: str
    patient: str
    phone: str
    site: str
    starts_at: datetime
    decision: Decision
    reason: str


@dataclass(frozen=True)
class InDoubt:
    """A message that may have been sent, with what is known of its last attempt."""

    id: str
    appointment: str
    site: str
    since: datetime
    claimed_by: str
    detail: str


@dataclass(frozen=True)
class Dispatcher:
    """The dispatcher run that holds the right to send, and when it was last seen."""

    run: str
    holder: str  # pid@host
    host: str
    pid: int
    started_at: datetime
    seen_at: datetime


def claim(
    uow: UnitOfWork, limit: int, now: datetime, by: str, skip: Sequence[str] = ()
) -> list[tuple[str, str, str]]:
    """Mark up to `limit` queued messages as being sent by `by`, oldest first, leaving out
    `skip`: (id, to, text)."""
    query = (
        select(NotificationRow.id, NotificationRow.to, NotificationRow.text)
        .where(NotificationRow.status == Delivery.QUEUED.value)
        .order_by(NotificationRow.created_at, NotificationRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL: two dispatchers never claim the same
    )
    if skip:
        query = query.where(NotificationRow.id.not_in(skip))
    claimed = [(i, to, text) for i, to, text in uow.session.execute(query).all()]
    if claimed:
        uow.session.execute(
            update(NotificationRow)
            .where(NotificationRow.id.in_([i for i, _, _ in claimed]))
            .values(
                status=Delivery.SENDING.value,
                status_at=now,
                attempts=NotificationRow.attempts + 1,
                claimed_by=by,
            )
            .execution_options(synchronize_session=False)
        )
    return claimed


def sending(uow: UnitOfWork) -> list[tuple[str, str, datetime]]:
    """Claims not settled yet: (id, claimed by, since)."""
    query = select(NotificationRow.id, NotificationRow.claimed_by, NotificationRow.status_at).where(
        NotificationRow.status == Delivery.SENDING.value
    )
    return [(i, by, at) for i, by, at in uow.session.execute(query).all()]


def in_doubt(uow: UnitOfWork) -> list[InDoubt]:
    """Messages that may have been sent, oldest first."""
    query = (
        select(
            NotificationRow.id,
            AppointmentRow.external_id,
            SiteRow.code,
            NotificationRow.status_at,
            NotificationRow.claimed_by,
            NotificationRow.error,
        )
        .join(AppointmentRow, NotificationRow.appointment_id == AppointmentRow.id)
        .join(SiteRow, AppointmentRow.site_id == SiteRow.id)
        .where(NotificationRow.status == Delivery.UNKNOWN.value)
        .order_by(NotificationRow.status_at, NotificationRow.id)
    )
    return [InDoubt(*row) for row in uow.session.execute(query).all()]


def dispatcher(uow: UnitOfWork, lock: bool = False) -> Dispatcher | None:
    """The run holding the right to send, if any; `lock` keeps others out until commit."""
    query = select(SmsDispatcherRow).where(SmsDispatcherRow.id == 1)
    row = uow.session.scalars(query.with_for_update() if lock else query).one()
    if row.run is None or row.started_at is None or row.seen_at is None:
        return None
    return Dispatcher(row.run, row.holder, row.host, row.pid, row.started_at, row.seen_at)


def hold_dispatcher(uow: UnitOfWork, run: Dispatcher) -> None:
    """`run` holds the right to send (the caller locked the row and checked it was free)."""
    uow.session.execute(
        update(SmsDispatcherRow)
        .where(SmsDispatcherRow.id == 1)
        .values(
            run=run.run,
            holder=run.holder,
            host=run.host,
            pid=run.pid,
            started_at=run.started_at,
            seen_at=run.seen_at,
        )
    )


def renew_dispatcher(uow: UnitOfWork, run: str, now: datetime) -> bool:
    """Seen now; False if `run` no longer holds the right to send (another took over)."""
    done = uow.session.execute(
        update(SmsDispatcherRow)
        .where(SmsDispatcherRow.id == 1, SmsDispatcherRow.run == run)
        .values(seen_at=now)
    )
    return bool(cast(CursorResult[Any], done).rowcount)


def release_dispatcher(uow: UnitOfWork, run: str) -> None:
    uow.session.execute(
        update(SmsDispatcherRow)
        .where(SmsDispatcherRow.id == 1, SmsDispatcherRow.run == run)
        .values(run=None, seen_at=None)
    )


def statuses(uow: UnitOfWork, ids: Sequence[str], for_update: bool = False) -> dict[str, Delivery]:
    """Current statuses; `for_update` locks the rows (PostgreSQL) so that two reports about one
    message, handled at once, cannot both read the old status and write over each other."""
    out: dict[str, Delivery] = {}
    ordered = sorted(ids)  # always lock in the same order
    for start in range(0, len(ordered), CHUNK):
        query = (
            select(NotificationRow.id, NotificationRow.status)
            .where(NotificationRow.id.in_(ordered[start : start + CHUNK]))
            .order_by(NotificationRow.id)
        )
        if for_update:
            query = query.with_for_update()
        out.update((i, Delivery(s)) for i, s in uow.session.execute(query).all())
    return out


def set_statuses(
    uow: UnitOfWork, changes: Sequence[tuple[str, Delivery, str]], now: datetime
) -> None:
    """(id, status, error) for each message; the caller checked each move goes forward.

    One executemany of a plain UPDATE: the ORM's bulk update by primary key took most of the
    time of a batch of delivery reports (measured)."""
    query = (
        update(NotificationRow)
        .where(NotificationRow.id == bindparam("key"))
        .values(status=bindparam("new"), status_at=bindparam("at"), error=bindparam("why"))
    )
    rows = [{"key": i, "new": s.value, "at": now, "why": e} for i, s, e in changes]
    for start in range(0, len(rows), CHUNK):
        uow.session.connection().execute(query, rows[start : start + CHUNK])


def older_than(uow: UnitOfWork, status: Sequence[Delivery], before: datetime) -> list[str]:
    query = select(NotificationRow.id).where(
        NotificationRow.status.in_([s.value for s in status]), NotificationRow.status_at < before
    )
    return list(uow.session.execute(query).scalars())


def counts(uow: UnitOfWork, sites: Sequence[str] = ()) -> dict[Delivery, int]:
    """Messages per status (about appointments at `sites`, if given)."""
    query = select(NotificationRow.status, func.count()).group_by(NotificationRow.status)
    if sites:
        query = (
            query.join(AppointmentRow, NotificationRow.appointment_id == AppointmentRow.id)
            .join(SiteRow, AppointmentRow.site_id == SiteRow.id)
            .where(SiteRow.code.in_(sites))
        )
    return {Delivery(s): n for s, n in uow.session.execute(query).all()}


def queued_count(uow: UnitOfWork) -> int:
    query = select(func.count()).where(NotificationRow.status == Delivery.QUEUED.value)
    return uow.session.scalar(query) or 0


def call_list(uow: UnitOfWork, sites: Sequence[str] = ()) -> list[CallListEntry]:
    """Current decisions to tell patients no SMS can reach, and every decision to phone (at
    `sites`, if given)."""
    tell = [Decision.MAINTAIN.value, Decision.CANCEL.value, Decision.RESCHEDULE.value]
    query = (
        select(
            AppointmentRow.external_id,
            PatientRow.name,
            PatientRow.phone,
            PatientRow.mobile,
            SiteRow.code,
            AppointmentRow.starts_at,
            TriageDecisionRow.decision,
            TriageDecisionRow.reason,
        )
        .join(TriageDecisionRow, TriageDecisionRow.appointment_id == AppointmentRow.id)
        .join(PatientRow, AppointmentRow.patient_id == PatientRow.id)
        .join(SiteRow, AppointmentRow.site_id == SiteRow.id)
        .where(TriageDecisionRow.current, AppointmentRow.booked)
        .where(
            (TriageDecisionRow.decision == Decision.PHONE.value)
            | (TriageDecisionRow.decision.in_(tell) & PatientRow.mobile.is_(None))
        )
        .order_by(SiteRow.code, AppointmentRow.starts_at)
    )
    if sites:
        query = query.where(SiteRow.code.in_(sites))
    return [
        CallListEntry(ref, name, phone or mobile or "", site, at, Decision(d), reason)
        for ref, name, phone, mobile, site, at, d, reason in uow.session.execute(query).all()
    ]
