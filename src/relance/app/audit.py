"""Reading the audit trail, and the incident timeline built from it."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from relance.app.context import Context
from relance.domain.audit_events import TIMELINE_EVENTS, EventType
from relance.storage import audit_store
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork


def audit_trail(
    uow: UnitOfWork, query: AuditQuery, limit: int | None
) -> tuple[int, list[AuditEvent]]:
    """(total matching, the newest `limit` events in the order they happened)."""
    return audit_store.count(uow, query), audit_store.find(uow, query, limit, newest_first=True)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline: one event, or many alike made by one command at one time."""

    occurred_at: datetime
    recorded_at: datetime
    actor: str
    event_type: str
    before: str
    after: str
    reason: str
    objects: tuple[str, ...]


def timeline(uow: UnitOfWork, query: AuditQuery, limit: int | None) -> list[TimelineEntry]:
    """The story in order; a bulk change (one request, one time, one move) is one line."""
    if not query.event_types:
        query = replace(query, event_types=TIMELINE_EVENTS)
    entries: list[TimelineEntry] = []
    for event in audit_store.find(uow, query):
        before = (event.before or {}).get("state", "")
        after = (event.after or {}).get("state", "")
        last = entries[-1] if entries else None
        if (
            last is not None
            and event.event_type == last.event_type == EventType.ASSET_TRANSITIONED
            and (event.occurred_at, event.actor, before, after, event.reason)
            == (last.occurred_at, last.actor, last.before, last.after, last.reason)
        ):
            entries[-1] = replace(last, objects=(*last.objects, event.object_key))
            continue
        entries.append(
            TimelineEntry(
                event.occurred_at,
                event.recorded_at,
                event.actor,
                event.event_type,
                before,
                after,
                event.reason,
                (event.object_key,),
            )
        )
    return entries[-limit:] if limit else entries


def record_event(
    uow: UnitOfWork,
    ctx: Context,
    event_type: EventType,
    object_type: str,
    object_key: str,
    *,
    after: dict[str, Any] | None = None,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> None:
    """One audit row for one change made now (or that happened at `occurred_at`)."""
    now = ctx.clock.now()
    event = AuditEvent(
        ctx.request_id,
        ctx.actor,
        occurred_at or now,
        now,
        event_type,
        object_type,
        object_key,
        after=after,
        reason=reason,
    )
    audit_store.record(uow, [event])
