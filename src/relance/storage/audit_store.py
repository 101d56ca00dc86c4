"""The audit trail: written in the same transaction as the change it records."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from relance.domain.audit_events import SITE_OBJECTS
from relance.storage import bulk
from relance.storage.database import UnitOfWork
from relance.storage.tables import AssetRow, AuditRow, SiteRow


@dataclass(frozen=True)
class AuditEvent:
    request_id: str
    actor: str
    occurred_at: datetime
    recorded_at: datetime
    event_type: str
    object_type: str
    object_key: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""
    evidence: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class AuditQuery:
    object_type: str | None = None
    object_key: str | None = None
    event_types: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    request_id: str | None = None
    # Only rows about these sites' records, and the network's (none: every site).
    sites: tuple[str, ...] = ()
    hidden_objects: tuple[str, ...] = ()  # object types left out


FIELDS = (
    "request_id",
    "actor",
    "occurred_at",
    "recorded_at",
    "event_type",
    "object_type",
    "object_key",
    "before",
    "after",
    "reason",
    "evidence",
)


def record(uow: UnitOfWork, events: Sequence[AuditEvent]) -> None:
    rows = [
        (
            e.request_id,
            e.actor,
            e.occurred_at,
            e.recorded_at,
            e.event_type,
            e.object_type,
            e.object_key,
            e.before,
            e.after,
            e.reason,
            e.evidence,
        )
        for e in events
    ]
    bulk.insert_tuples(uow, AuditRow, FIELDS, rows)


def _where(query: Any, q: AuditQuery) -> Any:
    if q.object_type:
        query = query.where(AuditRow.object_type == q.object_type)
    if q.object_key:  # hostnames are upper-case, other keys as written: compare without case
        query = query.where(func.upper(AuditRow.object_key) == q.object_key.upper())
    if q.event_types:
        query = query.where(AuditRow.event_type.in_(q.event_types))
    if q.since:
        query = query.where(AuditRow.occurred_at >= q.since)
    if q.until:
        query = query.where(AuditRow.occurred_at < q.until)
    if q.request_id:
        query = query.where(AuditRow.request_id == q.request_id)
    if q.hidden_objects:
        query = query.where(AuditRow.object_type.not_in(q.hidden_objects))
    if q.sites:
        query = query.where(_about_sites(q.sites))
    return query


def _about_sites(sites: tuple[str, ...]) -> Any:
    """Rows about the network, or about a record of one of `sites` (see SITE_OBJECTS)."""
    # the appointment book's tables, mapped only by a trail filtered by site
    from relance.storage.tables import AppointmentRow, NotificationRow  # noqa: PLC0415

    at_sites = SiteRow.code.in_(sites)
    machines = select(AssetRow.hostname).join(SiteRow, AssetRow.site_id == SiteRow.id)
    appointments = select(AppointmentRow.external_id).join(
        SiteRow, AppointmentRow.site_id == SiteRow.id
    )
    messages = (
        select(NotificationRow.id)
        .join(AppointmentRow, NotificationRow.appointment_id == AppointmentRow.id)
        .join(SiteRow, AppointmentRow.site_id == SiteRow.id)
    )
    kind = AuditRow.object_type
    return or_(
        kind.not_in(sorted(SITE_OBJECTS)),
        and_(kind == "asset", AuditRow.object_key.in_(machines.where(at_sites))),
        and_(kind == "appointment", AuditRow.object_key.in_(appointments.where(at_sites))),
        and_(kind == "notification", AuditRow.object_key.in_(messages.where(at_sites))),
        and_(  # "SITE/activity"
            kind == "activity",
            or_(*(AuditRow.object_key.startswith(f"{s}/", autoescape=True) for s in sites)),
        ),
    )


def find(
    uow: UnitOfWork,
    q: AuditQuery,
    limit: int | None = None,
    newest_first: bool = False,
    offset: int = 0,
) -> list[AuditEvent]:
    """Events in the order they happened (ties in the order they were recorded)."""
    order = (AuditRow.occurred_at, AuditRow.id)
    query = _where(select(AuditRow), q).order_by(
        *(c.desc() for c in order) if newest_first else order
    )
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = uow.session.execute(query).scalars().all()
    events = [AuditEvent(id=r.id, **{f: getattr(r, f) for f in FIELDS}) for r in rows]
    return events[::-1] if newest_first else events


def count(uow: UnitOfWork, q: AuditQuery) -> int:
    return uow.session.scalar(_where(select(func.count()).select_from(AuditRow), q)) or 0


def latest(uow: UnitOfWork, event_type: str) -> datetime | None:
    """When the most recent event of this type happened."""
    return uow.session.scalar(
        select(func.max(AuditRow.occurred_at)).where(AuditRow.event_type == event_type)
    )


def count_after(uow: UnitOfWork, after_id: int, event_types: Sequence[str]) -> int:
    """How many rows of these types were recorded after the row `after_id`."""
    query = select(func.count()).where(AuditRow.id > after_id, AuditRow.event_type.in_(event_types))
    return uow.session.scalar(query) or 0


def newest(uow: UnitOfWork, event_types: Sequence[str], until: datetime) -> datetime | None:
    """When the newest event of these types happened, at `until` or before."""
    return uow.session.scalar(
        select(func.max(AuditRow.occurred_at)).where(
            AuditRow.event_type.in_(event_types), AuditRow.occurred_at <= until
        )
    )


def last_id(uow: UnitOfWork, ignore: Sequence[str] = ()) -> int:
    """The number of the newest audit row not of the `ignore` types (walks the key backwards)."""
    query = select(AuditRow.id).order_by(AuditRow.id.desc()).limit(1)
    if ignore:
        query = query.where(AuditRow.event_type.not_in(ignore))
    return uow.session.scalar(query) or 0
