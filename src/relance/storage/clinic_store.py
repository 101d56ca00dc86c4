"""Patients, appointments, triage decisions and the SMS outbox."""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import String, func, insert, select, type_coerce, update

from relance.domain.appointments import BookedAppointment, Patient
from relance.domain.triage import Decision
from relance.storage import bulk
from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    AppointmentRow,
    NotificationRow,
    PatientRow,
    PlanLevelRow,
    PlanVersionRow,
    SiteRow,
    TriageDecisionRow,
)

CHUNK = 5_000
PHYSICIAN = "physician"  # the rule column of a decision a physician made


class BookEntry(NamedTuple):
    """An appointment with its patient and its current decision, as triage needs it.

    A named tuple: triage reads 100,000 at once, and builds these four times faster than
    frozen dataclasses.
    """

    id: int
    external_id: str
    site: str
    activity: str
    pathway: str
    starts_at: datetime
    patient: Patient
    decision: Decision | None
    decision_id: int | None
    by_physician: bool = False  # a physician's decision is never overturned by the rules


class NewDecision(NamedTuple):
    """A decision to record (a named tuple: triage makes 100,000 at once)."""

    appointment_id: int
    decision: Decision
    rule: str
    rules_version: str
    decided_by: str
    reason: str
    decided_at: datetime
    new_start: datetime | None = None


def _existing(
    uow: UnitOfWork, table: type[PatientRow] | type[AppointmentRow], keys: Sequence[str]
) -> dict[str, int]:
    """Ids of the rows with these external ids."""
    out: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = select(table.external_id, table.id).where(table.external_id.in_(chunk))
        out.update((key, row_id) for key, row_id in uow.session.execute(query).all())
    return out


def upsert_book(
    uow: UnitOfWork, book: Sequence[BookedAppointment], site_ids: dict[str, int]
) -> tuple[int, int]:
    """Insert new patients and appointments, update known ones: (created, updated) appointments.

    The external id is the key, so importing the same book twice changes nothing.
    """
    patients = {a.patient.external_id: a.patient for a in book}
    known = _existing(uow, PatientRow, list(patients))
    fresh = [p for key, p in patients.items() if key not in known]
    for start in range(0, len(fresh), CHUNK):
        uow.session.execute(insert(PatientRow), [p.__dict__ for p in fresh[start : start + CHUNK]])
    changed = [{"id": known[k], **p.__dict__} for k, p in patients.items() if k in known]
    for start in range(0, len(changed), CHUNK):
        uow.session.execute(update(PatientRow), changed[start : start + CHUNK])
    patient_ids = _existing(uow, PatientRow, list(patients))
    rows = {
        a.external_id: {
            "external_id": a.external_id,
            "patient_id": patient_ids[a.patient.external_id],
            "site_id": site_ids[a.site],
            "activity": a.activity,
            "pathway": a.pathway,
            "practitioner": a.practitioner,
            "starts_at": a.starts_at,
            "booked": a.booked,
        }
        for a in book
    }
    existing = _existing(uow, AppointmentRow, list(rows))
    new = [r for k, r in rows.items() if k not in existing]
    for start in range(0, len(new), CHUNK):
        uow.session.execute(insert(AppointmentRow), new[start : start + CHUNK])
    updated = [{"id": existing[k], **r} for k, r in rows.items() if k in existing]
    for start in range(0, len(updated), CHUNK):
        uow.session.execute(update(AppointmentRow), updated[start : start + CHUNK])
    return len(new), len(updated)


def site_ids(uow: UnitOfWork) -> dict[str, int]:
    rows = uow.session.execute(select(SiteRow.code, SiteRow.id)).all()
    return {row.code: row.id for row in rows}


def book(
    uow: UnitOfWork,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    sites: Sequence[str] = (),
    reference: str | None = None,
) -> list[BookEntry]:
    """Booked appointments in [since, until) (at `sites`; the one `reference`), with their
    patient and current decision.

    Plain columns, not ORM objects: triage reads 100,000 of them at once.
    """
    query = (
        select(
            AppointmentRow.id,
            AppointmentRow.external_id,
            SiteRow.code,
            AppointmentRow.activity,
            AppointmentRow.pathway,
            type_coerce(AppointmentRow.starts_at, String),  # converted below, 100,000 at once
            PatientRow.external_id,
            PatientRow.name,
            PatientRow.language,
            PatientRow.mobile,
            PatientRow.phone,
            TriageDecisionRow.decision,
            TriageDecisionRow.id,
            TriageDecisionRow.rule,
        )
        .join(SiteRow, AppointmentRow.site_id == SiteRow.id)
        .join(PatientRow, AppointmentRow.patient_id == PatientRow.id)
        .outerjoin(
            TriageDecisionRow,
            (TriageDecisionRow.appointment_id == AppointmentRow.id) & TriageDecisionRow.current,
        )
        .where(AppointmentRow.booked)
        .order_by(AppointmentRow.starts_at, AppointmentRow.id)
    )
    if since is not None:
        query = query.where(AppointmentRow.starts_at >= since)
    if until is not None:
        query = query.where(AppointmentRow.starts_at < until)
    if sites:
        query = query.where(SiteRow.code.in_(sites))
    if reference is not None:
        query = query.where(AppointmentRow.external_id == reference)
    decisions: dict[str | None, Decision | None] = {d.value: d for d in Decision} | {None: None}
    out = []
    for row in uow.session.connection().execute(query).all():  # Core: no ORM work per row
        values: tuple[Any, ...] = tuple(row)
        (i, ref, site, activity, pathway, starts, pid, name, lang, mobile, phone, d, did, rule) = (
            values
        )
        out.append(
            BookEntry(
                i,
                ref,
                site,
                activity,
                pathway,
                _utc(starts),
                Patient(pid, name, lang, mobile, phone),
                decisions[d],
                did,
                rule == PHYSICIAN,
            )
        )
    return out


def _utc(stored: str | datetime) -> datetime:
    """A time as the driver returns it: SQLite's text (UTC, no offset) or PostgreSQL's datetime.

    Parsed here with fromisoformat: SQLAlchemy's per-value conversion was a third of reading
    the book (measured).
    """
    if isinstance(stored, datetime):
        return stored.astimezone(UTC)
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


DECISION_COLUMNS = (
    "id",
    "appointment_id",
    "decision",
    "rule",
    "rules_version",
    "decided_by",
    "reason",
    "decided_at",
    "new_start",
    "current",
)


def record_decisions(
    uow: UnitOfWork, decisions: Sequence[NewDecision], superseded: Sequence[int]
) -> list[int]:
    """Make these the current decisions, the `superseded` ones (by id) no longer; new ids."""
    for start in range(0, len(superseded), CHUNK):
        uow.session.execute(
            update(TriageDecisionRow)
            .where(TriageDecisionRow.id.in_(superseded[start : start + CHUNK]))
            .values(current=False)
            .execution_options(synchronize_session=False)
        )
    ids = bulk.reserve_ids(uow, TriageDecisionRow, len(decisions))
    rows = [
        (
            i,
            d.appointment_id,
            d.decision.value,
            d.rule,
            d.rules_version,
            d.decided_by,
            d.reason,
            d.decided_at,
            d.new_start,
            True,
        )
        for i, d in zip(ids, decisions, strict=True)
    ]
    bulk.insert_tuples(uow, TriageDecisionRow, DECISION_COLUMNS, rows)
    return ids


class QueuedMessage(NamedTuple):
    """A new SMS in the outbox: the columns of the notifications table, in order."""

    id: str
    appointment_id: int
    decision_id: int
    to: str
    language: str
    text: str
    status: str
    created_at: datetime
    status_at: datetime
    attempts: int = 0
    error: str = ""


def queue_notifications(uow: UnitOfWork, messages: Sequence[QueuedMessage]) -> None:
    bulk.insert_tuples(uow, NotificationRow, QueuedMessage._fields, messages)


def review_queue(uow: UnitOfWork, sites: Sequence[str] = ()) -> list[BookEntry]:
    return [e for e in book(uow, sites=sites) if e.decision is Decision.REVIEW]


def plan_levels(uow: UnitOfWork) -> dict[tuple[str, str], list[tuple[datetime, int]]]:
    """The newest plan's capacity levels: (site, activity) -> [(reached at, capacity)], sorted."""
    newest = uow.session.scalar(select(func.max(PlanVersionRow.id)))
    if newest is None:
        return {}
    out: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
    query = select(PlanLevelRow).where(PlanLevelRow.plan_id == newest)
    for row in uow.session.execute(query).scalars():
        out.setdefault((row.site, row.activity), []).append((row.reached_at, row.capacity))
    return {k: sorted(v) for k, v in out.items()}


def save_plan_levels(
    uow: UnitOfWork, plan_id: int, levels: Iterable[tuple[str, str, int, datetime]]
) -> None:
    rows = [
        {"plan_id": plan_id, "site": s, "activity": a, "capacity": c, "reached_at": t}
        for s, a, c, t in levels
    ]
    if rows:
        uow.session.execute(insert(PlanLevelRow), rows)
