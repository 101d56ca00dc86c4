"""The SMS outbox: claims, status changes, reports, and the call list."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from relance.domain.delivery import Delivery
from relance.domain.triage import Decision
from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    AppointmentRow,
    NotificationRow,
    PatientRow,
    SiteRow,
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


def claim(uow: UnitOfWork, limit: int, now: datetime) -> list[tuple[str, str, str]]:
    """Mark up to `limit` queued messages as being sent, oldest first: (id, to, text)."""
    query = (
        select(NotificationRow.id, NotificationRow.to, NotificationRow.text)
        .where(NotificationRow.status == Delivery.QUEUED.value)
        .order_by(NotificationRow.created_at, NotificationRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL: two dispatchers never claim the same
    )
    claimed = [(i, to, text) for i, to, text in uow.session.execute(query).all()]
    if claimed:
        uow.session.execute(
            update(NotificationRow)
            .where(NotificationRow.id.in_([i for i, _, _ in claimed]))
            .values(
                status=Delivery.SENDING.value,
                status_at=now,
                attempts=NotificationRow.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
    return claimed


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
    """(id, status, error) for each message; the caller checked each move goes forward."""
    rows = [{"id": i, "status": s.value, "status_at": now, "error": e} for i, s, e in changes]
    for start in range(0, len(rows), CHUNK):
        uow.session.execute(update(NotificationRow), rows[start : start + CHUNK])


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
