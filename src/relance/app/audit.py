"""Reading the audit trail, and the incident timeline built from it."""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from relance.app import access
from relance.app.context import Context
from relance.domain.audit_events import ACCESS_EVENTS, BULK_EVENTS, TIMELINE_EVENTS, EventType
from relance.domain.roles import Permission
from relance.i18n import N_
from relance.storage import audit_store, network_store
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
    what_message: str = ""  # the same as a catalogue message and its values, for other languages
    what_values: dict[str, str] = field(default_factory=dict)
    why_message: str = ""  # a reason the rules wrote in English, as a catalogue message
    why_values: dict[str, str] = field(default_factory=dict)


SHOWN_KEYS = ("state", "decision", "status", "phase", "holder", "functioning")


def _shown(values: dict[str, Any] | None) -> str:
    """The one value of a before/after that says what changed."""
    for key in SHOWN_KEYS:
        if values and values.get(key) is not None:
            if key == "functioning" and "capacity" in values:
                return f"{values[key]} {values['capacity']} %"
            return str(values[key])
    return ""


# The reasons the rules write in English (app.appointments' triage, domain.functioning).
TRIAGED = re.compile(
    r"(?P<activity>\S+) at (?P<site>\S+): (?P<functioning>fully|partially|not) functioning, "
    r"(?P<capacity>\d+) %"
)
ON_PAPER = re.compile(r"on paper at (?P<capacity>\d+) %: (?P<detail>.+)")
DOWN = re.compile(r"(?P<services>[^;]+) down")


def _why(event: AuditEvent, activities: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A rule's reason as a catalogue message and its values, for each reader's language;
    ("", {}) for a reason a person typed (shown as typed)."""
    reason = event.reason
    if event.event_type == EventType.APPOINTMENT_DECIDED:
        triaged = TRIAGED.fullmatch(reason)
        if triaged:
            name = activities.get(triaged["activity"], triaged["activity"])
            return N_("{activity} at {site}: {functioning}, {capacity} %"), {
                **triaged.groupdict(),
                "activity": name,
            }
    if event.event_type == EventType.ACTIVITY_STATUS_CHANGED:
        if reason == "all systems and machines back":
            return N_("all systems and machines back"), {}
        paper = ON_PAPER.fullmatch(reason)
        down = DOWN.fullmatch(paper["detail"] if paper else reason)
        if paper and down:
            return N_("on paper at {capacity} %: {services} down"), {
                "capacity": paper["capacity"],
                "services": down["services"],
            }
        if down:
            return N_("{services} down"), {"services": down["services"]}
    return "", {}


def _what(event: AuditEvent, before: str, after: str) -> tuple[str, dict[str, str]]:
    """The line in words: an English message of the catalogue and its values, so that each
    reader sees it in their own language (Words.what)."""
    a, b, key = event.after or {}, event.before or {}, event.object_key
    described: dict[str, tuple[str, dict[str, str]]] = {
        EventType.TIMELINE_NOTED: ("{entry}", {"entry": str(a.get("entry", ""))}),
        EventType.LOG_ADDED: (
            "{kind}: {text}",
            {"kind": str(a.get("kind", "log")), "text": str(a.get("text", ""))},
        ),
        EventType.INCIDENT_DECLARED: (N_("incident {key} declared"), {"key": key}),
        EventType.PHASE_ENTERED: (
            (N_("phase {before} -> {after}"), {"before": before, "after": after})
            if before
            else (N_("phase {after}"), {"after": after})
        ),
        EventType.PERIOD_OPENED: (N_("operational period {key} opened"), {"key": key}),
        EventType.EVIDENCE_REGISTERED: (
            N_("{kind} registered, held by {holder}"),
            {"kind": str(a.get("kind", "evidence")), "holder": str(a.get("holder", ""))},
        ),
        EventType.ACTIVITY_STATUS_CHANGED: (
            (
                N_("{was}, {was_capacity} % -> {functioning}, {capacity} %"),
                {
                    "was": str(b.get("functioning", "")),
                    "was_capacity": str(b.get("capacity", "")),
                    "functioning": str(a.get("functioning", "")),
                    "capacity": str(a.get("capacity", "")),
                },
            )
            if b
            else (
                N_("{functioning}, {capacity} %"),
                {
                    "functioning": str(a.get("functioning", "")),
                    "capacity": str(a.get("capacity", "")),
                },
            )
        ),
        EventType.SITREP_APPROVED: (N_("sitrep {key} approved"), {"key": key}),
        EventType.SITREP_PUBLISHED: (N_("sitrep {key} published"), {"key": key}),
        EventType.MESSAGE_APPROVED: (N_("message {key} approved"), {"key": key}),
        EventType.MESSAGE_SENT: (N_("message {key} sent"), {"key": key}),
        EventType.SELF_APPROVED: (
            N_("{kind} {key} approved by its drafter {drafter} (cell of one person)"),
            {"kind": event.object_type, "key": key, "drafter": str(a.get("approved_by", ""))},
        ),
    }
    if event.event_type in described:
        return described[EventType(event.event_type)]
    if after and (before or event.before is not None):
        return "{before} -> {after}", {"before": before or "-", "after": after}
    return "{after}", {"after": after or event.event_type}


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
    activities = {a.code: a.name for a in network_store.activities(uow)}
    for event in access.shown(ctx, audit_store.find(uow, query)):
        before, after = _shown(event.before), _shown(event.after)
        message, values = _what(event, before, after)
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
                message.format(**values),
                message,
                values,
                *_why(event, activities),
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
