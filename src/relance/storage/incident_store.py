"""The crisis cell's records: incident, phases, periods, log, evidence, sitreps, messages."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update

from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    ActivityStatusRow,
    AppointmentRow,
    AssetRow,
    CustodyTransferRow,
    EvidenceRow,
    IncidentPhaseRow,
    IncidentRow,
    LogEntryRow,
    MessageRow,
    ObjectiveRow,
    OperationalPeriodRow,
    PatientRow,
    SitrepDocumentRow,
    SitrepRow,
    TriageDecisionRow,
)

R = TypeVar("R")


@dataclass(frozen=True)
class Incident:
    id: int
    name: str
    summary: str
    detected_at: datetime
    confirmed_at: datetime | None
    declared_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class PhaseEntry:
    phase: str
    entered_at: datetime
    declared_by: str
    criteria: str


@dataclass(frozen=True)
class Period:
    id: int
    number: int
    starts_at: datetime
    ends_at: datetime
    opened_by: str
    objectives: tuple[tuple[str, str], ...] = ()  # (text, owner)


@dataclass(frozen=True)
class LogEntry:
    id: int
    kind: str
    priority: str
    occurred_at: datetime
    recorded_at: datetime
    author: str
    text: str
    decided_by: str | None
    rationale: str
    links: list[str]
    version: int
    measure: str | None = None


@dataclass(frozen=True)
class Evidence:
    id: int
    reference: str
    kind: str
    description: str
    sha256: str
    asset: str | None  # hostname
    acquired_at: datetime
    acquired_by: str
    holder: str
    transfers: tuple["Transfer", ...] = field(default=())


@dataclass(frozen=True)
class Transfer:
    from_holder: str
    to_holder: str
    transferred_at: datetime
    reason: str
    recorded_by: str


@dataclass(frozen=True)
class SitrepVersion:
    id: int
    day: str
    version: int
    state: str
    facts: dict[str, Any]
    note: str
    drafted_by: str
    drafted_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    published_by: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class Message:
    id: int
    audience: str
    recipient: str
    language: str
    subject: str
    body: str
    state: str
    sitrep_id: int | None
    drafted_by: str
    drafted_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    sent_at: datetime | None


def _as(kind: type[R], row: object, **extra: Any) -> R:
    names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]  # dataclasses
    return kind(**{n: extra[n] if n in extra else getattr(row, n) for n in names})


def _insert(uow: UnitOfWork, table: Any, values: dict[str, Any]) -> int:
    new_id = uow.session.execute(insert(table).values(**values).returning(table.id)).scalar_one()
    return int(new_id)


# The incident, its phases and periods


def incident(uow: UnitOfWork, for_update: bool = False) -> Incident | None:
    query = select(IncidentRow).order_by(IncidentRow.id).limit(1)
    if for_update:
        query = query.with_for_update()  # PostgreSQL locks the row; SQLite ignores it
    row = uow.session.execute(query).scalar_one_or_none()
    return _as(Incident, row) if row is not None else None


def add_incident(uow: UnitOfWork, values: dict[str, Any]) -> int:
    return _insert(uow, IncidentRow, values)


def phases(uow: UnitOfWork, incident_id: int) -> list[PhaseEntry]:
    query = (
        select(IncidentPhaseRow)
        .where(IncidentPhaseRow.incident_id == incident_id)
        .order_by(IncidentPhaseRow.entered_at, IncidentPhaseRow.id)
    )
    return [_as(PhaseEntry, r) for r in uow.session.execute(query).scalars()]


def add_phase(uow: UnitOfWork, incident_id: int, entry: PhaseEntry) -> None:
    _insert(uow, IncidentPhaseRow, {"incident_id": incident_id, **dataclasses.asdict(entry)})


def periods(uow: UnitOfWork, incident_id: int) -> list[Period]:
    rows = uow.session.execute(
        select(OperationalPeriodRow)
        .where(OperationalPeriodRow.incident_id == incident_id)
        .order_by(OperationalPeriodRow.number)
    ).scalars()
    objectives: dict[int, list[tuple[str, str]]] = {}
    for o in uow.session.execute(select(ObjectiveRow).order_by(ObjectiveRow.id)).scalars():
        objectives.setdefault(o.period_id, []).append((o.text, o.owner))
    return [_as(Period, r, objectives=tuple(objectives.get(r.id, ()))) for r in rows]


def add_period(uow: UnitOfWork, incident_id: int, values: dict[str, Any]) -> int:
    return _insert(uow, OperationalPeriodRow, {"incident_id": incident_id, **values})


def add_objective(uow: UnitOfWork, period_id: int, text: str, owner: str, set_by: str) -> int:
    values = {"period_id": period_id, "text": text, "owner": owner, "set_by": set_by}
    return _insert(uow, ObjectiveRow, values)


# The log


def add_log(uow: UnitOfWork, incident_id: int, values: dict[str, Any]) -> int:
    return _insert(uow, LogEntryRow, {"incident_id": incident_id, "version": 1, **values})


def log_entry(uow: UnitOfWork, entry_id: int, for_update: bool = False) -> LogEntry | None:
    query = select(LogEntryRow).where(LogEntryRow.id == entry_id)
    if for_update:
        query = query.with_for_update()
    row = uow.session.execute(query).scalar_one_or_none()
    return _as(LogEntry, row) if row is not None else None


def update_log(uow: UnitOfWork, entry_id: int, values: dict[str, Any]) -> None:
    uow.session.execute(update(LogEntryRow).where(LogEntryRow.id == entry_id).values(**values))


def log_entries(
    uow: UnitOfWork,
    kinds: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[LogEntry]:
    query = select(LogEntryRow).order_by(LogEntryRow.occurred_at, LogEntryRow.id)
    if kinds:
        query = query.where(LogEntryRow.kind.in_(kinds))
    if since is not None:
        query = query.where(LogEntryRow.occurred_at >= since)
    if until is not None:
        query = query.where(LogEntryRow.occurred_at < until)
    return [_as(LogEntry, r) for r in uow.session.execute(query).scalars()]


# Evidence


def next_evidence_number(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(EvidenceRow)) or 0) + 1


def add_evidence(uow: UnitOfWork, values: dict[str, Any]) -> int:
    return _insert(uow, EvidenceRow, values)


def evidence(
    uow: UnitOfWork, reference: str | None = None, for_update: bool = False
) -> list[Evidence]:
    query = (
        select(EvidenceRow, AssetRow.hostname)
        .outerjoin(AssetRow, EvidenceRow.asset_id == AssetRow.id)
        .order_by(EvidenceRow.id)
    )
    if reference is not None:
        query = query.where(func.upper(EvidenceRow.reference) == reference.upper())
    if for_update:
        query = query.with_for_update(of=EvidenceRow)
    rows = uow.session.execute(query).all()
    transfers: dict[int, list[Transfer]] = {}
    ids = [r.id for r, _ in rows]
    if ids:
        found = uow.session.execute(
            select(CustodyTransferRow)
            .where(CustodyTransferRow.evidence_id.in_(ids))
            .order_by(CustodyTransferRow.transferred_at, CustodyTransferRow.id)
        ).scalars()
        for t in found:
            transfers.setdefault(t.evidence_id, []).append(_as(Transfer, t))
    return [
        _as(Evidence, r, asset=host, transfers=tuple(transfers.get(r.id, ()))) for r, host in rows
    ]


def add_transfer(uow: UnitOfWork, evidence_id: int, transfer: Transfer) -> None:
    _insert(uow, CustodyTransferRow, {"evidence_id": evidence_id, **dataclasses.asdict(transfer)})
    uow.session.execute(
        update(EvidenceRow).where(EvidenceRow.id == evidence_id).values(holder=transfer.to_holder)
    )


# Sitreps


def sitreps(
    uow: UnitOfWork, day: str | None = None, for_update: bool = False
) -> list[SitrepVersion]:
    query = select(SitrepRow).order_by(SitrepRow.day, SitrepRow.version)
    if day is not None:
        query = query.where(SitrepRow.day == day)
    if for_update:
        query = query.with_for_update()
    return [_as(SitrepVersion, r) for r in uow.session.execute(query).scalars()]


def sitrep(uow: UnitOfWork, sitrep_id: int) -> SitrepVersion | None:
    row = uow.session.get(SitrepRow, sitrep_id)
    return _as(SitrepVersion, row) if row is not None else None


def add_sitrep(uow: UnitOfWork, values: dict[str, Any]) -> int:
    return _insert(uow, SitrepRow, values)


def update_sitrep(uow: UnitOfWork, sitrep_id: int, values: dict[str, Any]) -> None:
    uow.session.execute(update(SitrepRow).where(SitrepRow.id == sitrep_id).values(**values))


def add_sitrep_files(
    uow: UnitOfWork, sitrep_id: int, files: Sequence[tuple[str, str, str, bytes]]
) -> None:
    """Keep a published version's files: (language, name, SHA-256, content)."""
    for language, name, digest, content in files:
        _insert(
            uow,
            SitrepDocumentRow,
            {
                "sitrep_id": sitrep_id,
                "language": language,
                "name": name,
                "sha256": digest,
                "content": content,
            },
        )


def sitrep_files(uow: UnitOfWork, sitrep_id: int, language: str) -> dict[str, tuple[str, bytes]]:
    """A published version's files in one language: name -> (SHA-256, content)."""
    rows = uow.session.execute(
        select(SitrepDocumentRow).where(
            SitrepDocumentRow.sitrep_id == sitrep_id, SitrepDocumentRow.language == language
        )
    ).scalars()
    return {r.name: (r.sha256, r.content) for r in rows}


# Messages


def add_message(uow: UnitOfWork, values: dict[str, Any]) -> int:
    return _insert(uow, MessageRow, values)


def messages(
    uow: UnitOfWork, message_id: int | None = None, for_update: bool = False
) -> list[Message]:
    query = select(MessageRow).order_by(MessageRow.id)
    if message_id is not None:
        query = query.where(MessageRow.id == message_id)
    if for_update:
        query = query.with_for_update()
    return [_as(Message, r) for r in uow.session.execute(query).scalars()]


def update_message(uow: UnitOfWork, message_id: int, values: dict[str, Any]) -> None:
    uow.session.execute(update(MessageRow).where(MessageRow.id == message_id).values(**values))


# What a sitrep reads from the other contexts


def statuses_at(uow: UnitOfWork, moment: datetime) -> dict[tuple[str, str], tuple[str, int]]:
    """(site, activity) -> (functioning, capacity) as recorded at `moment`."""
    newest = (
        select(func.max(ActivityStatusRow.id))
        .where(ActivityStatusRow.since <= moment)
        .group_by(ActivityStatusRow.site, ActivityStatusRow.activity)
        .scalar_subquery()
    )
    rows = uow.session.execute(
        select(
            ActivityStatusRow.site,
            ActivityStatusRow.activity,
            ActivityStatusRow.functioning,
            ActivityStatusRow.capacity,
        ).where(ActivityStatusRow.id.in_(newest))
    ).all()
    return {(site, activity): (f, c) for site, activity, f, c in rows}


def status_history(uow: UnitOfWork) -> list[tuple[str, str, str, datetime]]:
    """(site, activity, functioning, since) of every recorded status, oldest first."""
    t = ActivityStatusRow
    query = select(t.site, t.activity, t.functioning, t.since).order_by(t.since, t.id)
    return [(site, a, f, since) for site, a, f, since in uow.session.execute(query).all()]


def appointment_count(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(AppointmentRow)) or 0)


def patient_count(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(PatientRow)) or 0)


def current_decisions(uow: UnitOfWork) -> dict[str, int]:
    query = (
        select(TriageDecisionRow.decision, func.count())
        .where(TriageDecisionRow.current)
        .group_by(TriageDecisionRow.decision)
    )
    return {str(d): int(n) for d, n in uow.session.execute(query).all()}
