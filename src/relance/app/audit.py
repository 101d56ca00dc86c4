"""Reading the audit trail, and the incident timeline built from it."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from relance.app import access
from relance.app.context import Context
from relance.domain.audit_events import ACCESS_EVENTS, BULK_EVENTS, TIMELINE_EVENTS, EventType
from relance.domain.roles import Permission
from relance.storage import audit_store
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork


def audit_trail(
    uow: UnitOfWork, ctx: Context, query: AuditQuery, limit: int | None, offset: int = 0
) -> tuple[int, list[AuditEvent]]:
    """(total matching, the newest `limit` events (after skipping `offset`) in their order), of
    the part of the trail the caller may read."""
    query = access.trail(ctx, query, Permission.VIEW_AUDIT)
    found = audit_store.find(uow, query, limit, newest_first=True, offset=offset)
    return audit_store.count(uow, query), access.shown(ctx, found)


def latest_change(uow: UnitOfWork) -> int:
    """A number that grows with every recorded change: pages poll it to refresh themselves."""
    return audit_store.last_id(uow, ACCESS_EVENTS)


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
    what: str = ""  # the line in words: a manual entry's text, a log entry, "isolated -> imaged"


SHOWN_KEYS = ("state", "decision", "status", "phase", "holder", "functioning")


def _shown(values: dict[str, Any] | None) -> str:
    """The one value of a before/after that says what changed."""
    for key in SHOWN_KEYS:
        if values and values.get(key) is not None:
            if key == "functioning" and "capacity" in values:
                return f"{values[key]} {values['capacity']} %"
            return str(values[key])
    return ""


def _what(event: AuditEvent, before: str, after: str) -> str:
    a = event.after or {}
    described = {
        EventType.TIMELINE_NOTED: str(a.get("entry", "")),
        EventType.LOG_ADDED: f"{a.get('kind', 'log')}: {a.get('text', '')}",
        EventType.INCIDENT_DECLARED: f"incident {event.object_key} declared",
        EventType.PHASE_ENTERED: f"phase {before} -> {after}" if before else f"phase {after}",
        EventType.PERIOD_OPENED: f"operational period {event.object_key} opened",
        EventType.EVIDENCE_REGISTERED: f"{a.get('kind', 'evidence')} registered, held by "
        f"{a.get('holder', '')}",
        EventType.SITREP_APPROVED: f"sitrep {event.object_key} approved",
        EventType.SITREP_PUBLISHED: f"sitrep {event.object_key} published",
        EventType.MESSAGE_APPROVED: f"message {event.object_key} approved",
        EventType.MESSAGE_SENT: f"message {event.object_key} sent",
        EventType.SELF_APPROVED: f"{event.object_type} {event.object_key} approved by its "
        f"drafter {a.get('approved_by', '')} (cell of one person)",
    }
    if event.event_type in described:
        return described[EventType(event.event_type)]
    if after:
        return f"{before or '-'} -> {after}" if before or event.before is not None else after
    return event.event_type


def timeline(
    uow: UnitOfWork, ctx: Context, query: AuditQuery, limit: int | None
) -> list[TimelineEntry]:
    """The story in order, as far as the caller may read it; a bulk change (one request, one
    move, one reason) is one line.

    Machine moves group only at one time; decisions and SMS statuses of one command group
    whatever their time, the first time standing for them all.
    """
    if not query.event_types:
        query = replace(query, event_types=TIMELINE_EVENTS)
    query = access.trail(ctx, query, Permission.VIEW_STATUS)
    entries: list[TimelineEntry] = []
    groups: dict[tuple[object, ...], int] = {}
    for event in access.shown(ctx, audit_store.find(uow, query)):
        before, after = _shown(event.before), _shown(event.after)
        if event.event_type in BULK_EVENTS:
            moment = event.occurred_at if event.event_type == EventType.ASSET_TRANSITIONED else None
            key: tuple[object, ...] = (event.event_type, event.request_id, event.actor)
            key += (before, after, event.reason, moment)
            if key in groups:
                last = entries[groups[key]]
                entries[groups[key]] = replace(last, objects=(*last.objects, event.object_key))
                continue
            groups[key] = len(entries)
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
                _what(event, before, after),
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


def timeline_page(
    uow: UnitOfWork, ctx: Context, query: AuditQuery, limit: int, offset: int = 0
) -> tuple[int, list[TimelineEntry]]:
    """(lines in all, `limit` lines newest first after skipping `offset`): pages and the API."""
    entries = timeline(uow, ctx, query, None)
    newest = entries[::-1]
    return len(entries), newest[offset : offset + limit]
