"""The incident as the crisis cell runs it: declaration, phases, periods, log, evidence.

Every write: load (locked on PostgreSQL), check with the domain rule, change, one audit row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput, Word
from relance.domain.incident import (
    LogKind,
    Measure,
    Phase,
    Priority,
    check_phase,
    check_sha256,
)
from relance.domain.network import AssetFilter
from relance.domain.text import checked_name, checked_text
from relance.storage import asset_store, audit_store, incident_store, network_store
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import (
    Evidence,
    Incident,
    LogEntry,
    Period,
    PhaseEntry,
    Transfer,
)

CLOCK_TOLERANCE = timedelta(minutes=5)  # a laptop clock a little behind is not a typo
LINK_KINDS = ("asset", "site", "activity", "evidence", "sitrep", "plan", "message", "log")


def event_time(ctx: Context, at: datetime | None, what: str = "the event") -> datetime:
    """`at` (aware, not in the future), or now."""
    now = ctx.clock.now()
    if at is None:
        return now
    if at.tzinfo is None:
        raise InvalidInput(N_("the time of {what} needs a timezone"), what=Word(what))
    if at > now + CLOCK_TOLERANCE:
        future = N_("the time of {what} {at} is in the future")
        raise InvalidInput(future, what=Word(what), at=at.isoformat())
    return at


def audit(
    uow: UnitOfWork,
    ctx: Context,
    event: EventType,
    obj: tuple[str, str],
    at: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    evidence: str | None = None,
) -> None:
    """One audit row for one change of the crisis cell's records."""
    row = AuditEvent(
        ctx.request_id,
        ctx.actor,
        at,
        ctx.clock.now(),
        event,
        obj[0],
        obj[1],
        before,
        after,
        reason,
        evidence,
    )
    audit_store.record(uow, [row])


def current_incident(uow: UnitOfWork, for_update: bool = False) -> Incident:
    found = incident_store.incident(uow, for_update)
    if found is None:
        raise InvalidInput(N_("no incident declared yet: run `relance incident declare` first"))
    return found


def _required(text: str, what: str) -> str:
    return checked_text(text, what, required=True)


# Declaration, phases, periods


def declare_incident(
    uow: UnitOfWork,
    ctx: Context,
    *,
    name: str,
    detected_at: datetime,
    confirmed_at: datetime | None = None,
    summary: str = "",
) -> Incident:
    """Open the incident; it enters detection when it was detected."""
    name = checked_name(name, N_("the incident's name"), required=True)
    summary = checked_text(summary, N_("the summary"))
    if incident_store.incident(uow, for_update=True) is not None:
        raise InvalidInput(N_("an incident is already declared in this database"))
    detected = event_time(ctx, detected_at, N_("detection"))
    confirmed = event_time(ctx, confirmed_at, N_("confirmation")) if confirmed_at else None
    if confirmed is not None and confirmed < detected:
        raise InvalidInput(N_("the attack cannot be confirmed before it was detected"))
    now = ctx.clock.now()
    values = {
        "name": name,
        "summary": summary,
        "detected_at": detected,
        "confirmed_at": confirmed,
        "declared_by": ctx.actor,
        "recorded_at": now,
    }
    new_id = incident_store.add_incident(uow, values)
    audit(
        uow,
        ctx,
        EventType.INCIDENT_DECLARED,
        ("incident", name),
        confirmed or detected,
        after={
            "detected_at": detected.isoformat(),
            "confirmed_at": confirmed.isoformat() if confirmed else None,
        },
        reason=summary,
    )
    _enter(uow, ctx, new_id, current=None, phase=Phase.DETECTION, at=detected, criteria="")
    return current_incident(uow)


def enter_phase(
    uow: UnitOfWork, ctx: Context, phase: Phase, at: datetime | None = None, criteria: str = ""
) -> PhaseEntry:
    """Move the incident to its next phase, with the criteria met (default: the phase's own)."""
    found = current_incident(uow, for_update=True)
    history = incident_store.phases(uow, found.id)
    current = Phase(history[-1].phase) if history else None
    when = event_time(ctx, at, N_("the phase change"))
    if history and when < history[-1].entered_at:
        earlier = N_("the incident entered {phase} at {at}: a later phase cannot start before it")
        raise InvalidInput(earlier, phase=history[-1].phase, at=history[-1].entered_at.isoformat())
    return _enter(uow, ctx, found.id, current=current, phase=phase, at=when, criteria=criteria)


def _enter(
    uow: UnitOfWork,
    ctx: Context,
    incident_id: int,
    *,
    current: Phase | None,
    phase: Phase,
    at: datetime,
    criteria: str,
) -> PhaseEntry:
    check_phase(current, phase)
    criteria = checked_text(criteria, N_("the entry criteria"))
    entry = PhaseEntry(phase.value, at, ctx.actor, criteria or phase.entry_criteria)
    incident_store.add_phase(uow, incident_id, entry)
    audit(
        uow,
        ctx,
        EventType.PHASE_ENTERED,
        ("incident", str(incident_id)),
        at,
        before={"phase": current.value} if current else None,
        after={"phase": phase.value},
        reason=entry.criteria,
    )
    return entry


def open_period(
    uow: UnitOfWork,
    ctx: Context,
    starts_at: datetime,
    ends_at: datetime | None = None,
    objectives: Sequence[str] = (),
) -> Period:
    """A new operational period (a day unless said otherwise), after the previous one."""
    found = current_incident(uow, for_update=True)
    if starts_at.tzinfo is None or (ends_at is not None and ends_at.tzinfo is None):
        raise InvalidInput(N_("the period's times need a timezone"))
    ends = ends_at or starts_at + timedelta(days=1)
    if ends <= starts_at:
        raise InvalidInput(N_("a period must end after it starts"))
    existing = incident_store.periods(uow, found.id)
    if existing and starts_at < existing[-1].ends_at:
        overlap = N_("period {number} runs until {until}: the next one starts then or later")
        last = existing[-1]
        raise InvalidInput(overlap, number=last.number, until=last.ends_at.isoformat())
    number = len(existing) + 1
    values = {"number": number, "starts_at": starts_at, "ends_at": ends, "opened_by": ctx.actor}
    period_id = incident_store.add_period(uow, found.id, values)
    audit(
        uow,
        ctx,
        EventType.PERIOD_OPENED,
        ("period", str(number)),
        starts_at,
        after={"starts_at": starts_at.isoformat(), "ends_at": ends.isoformat()},
    )
    for text in objectives:
        _objective(uow, ctx, period_id, number=number, text=text, owner="")
    return incident_store.periods(uow, found.id)[-1]


def set_objective(uow: UnitOfWork, ctx: Context, number: int, text: str, owner: str = "") -> Period:
    found = current_incident(uow, for_update=True)
    periods = incident_store.periods(uow, found.id)
    period = next((p for p in periods if p.number == number), None)
    if period is None:
        if not periods:
            raise InvalidInput(N_("no operational period {number} (none yet)"), number=number)
        known = ", ".join(str(p.number) for p in periods)
        no_such = N_("no operational period {number} (periods: {known})")
        raise InvalidInput(no_such, number=number, known=known)
    _objective(uow, ctx, period.id, number=number, text=text, owner=owner)
    return incident_store.periods(uow, found.id)[number - 1]


def _objective(
    uow: UnitOfWork, ctx: Context, period_id: int, *, number: int, text: str, owner: str
) -> None:
    text = _required(text, N_("an objective"))
    owner = checked_name(owner, N_("the owner"))
    incident_store.add_objective(uow, period_id, text, owner, ctx.actor)
    audit(
        uow,
        ctx,
        EventType.OBJECTIVE_SET,
        ("period", str(number)),
        ctx.clock.now(),
        after={"objective": text, "owner": owner},
    )


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    phase: Phase
    phases: list[PhaseEntry]
    periods: list[Period]


def show_incident(uow: UnitOfWork) -> IncidentView:
    found = current_incident(uow)
    phases = incident_store.phases(uow, found.id)
    return IncidentView(
        found, Phase(phases[-1].phase), phases, incident_store.periods(uow, found.id)
    )


def phase_at(uow: UnitOfWork, moment: datetime) -> PhaseEntry | None:
    """The phase the incident was in at `moment` (None before it was detected or declared)."""
    found = incident_store.incident(uow)
    if found is None:
        return None
    earlier = [p for p in incident_store.phases(uow, found.id) if p.entered_at <= moment]
    return earlier[-1] if earlier else None


# Manual timeline entries


def note_timeline(
    uow: UnitOfWork, ctx: Context, text: str, at: datetime | None = None, link: str | None = None
) -> datetime:
    """A fact of the story no command recorded (a phone call, an alert seen on a screen)."""
    when = event_time(ctx, at, N_("the entry"))
    key = _check_links(uow, [link])[0] if link else "incident"
    audit(
        uow,
        ctx,
        EventType.TIMELINE_NOTED,
        ("timeline", key),
        when,
        after={"entry": _required(text, N_("a timeline entry"))},
    )
    return when


# The log (HICS 214)


def add_log_entry(
    uow: UnitOfWork,
    ctx: Context,
    *,
    kind: LogKind,
    text: str,
    priority: Priority = Priority.ROUTINE,
    at: datetime | None = None,
    decided_by: str | None = None,
    rationale: str = "",
    links: Sequence[str] = (),
    measure: Measure | None = None,
) -> LogEntry:
    """One entry of the log; a decision says who decided and why, and may set a standing
    measure on the activities it links to."""
    found = current_incident(uow)
    decided_by = checked_name(decided_by or "", N_("who decided (--decided-by)")) or None
    rationale = checked_text(rationale, N_("why (--why)"))
    if kind is LogKind.DECISION and not (decided_by and rationale):
        raise InvalidInput(N_("a decision needs who decided (--decided-by) and why (--why)"))
    checked = _check_links(uow, links)
    if measure is not None:
        if kind is not LogKind.DECISION:
            raise InvalidInput(N_("only a decision sets a measure (--kind decision)"))
        if not any(link.startswith("activity:") for link in checked):
            link_one = N_(
                "a measure applies to activities: link at least one (--link activity:CODE)"
            )
            raise InvalidInput(link_one)
    when = event_time(ctx, at, N_("the entry"))
    values = {
        "kind": kind.value,
        "priority": priority.value,
        "occurred_at": when,
        "recorded_at": ctx.clock.now(),
        "author": ctx.actor,
        "text": _required(text, N_("a log entry")),
        "decided_by": decided_by,
        "rationale": rationale,
        "links": checked,
        "measure": measure.value if measure else None,
    }
    entry_id = incident_store.add_log(uow, found.id, values)
    after = {"kind": kind.value, "priority": priority.value, "text": values["text"]}
    audit(
        uow,
        ctx,
        EventType.LOG_ADDED,
        ("log", str(entry_id)),
        when,
        after=after | ({"measure": measure.value} if measure else {}),
        reason=rationale,
    )
    entry = incident_store.log_entry(uow, entry_id)
    assert entry is not None  # noqa: S101 - just written
    return entry


EDITABLE = ("text", "priority", "decided_by", "rationale")


def edit_log_entry(
    uow: UnitOfWork, ctx: Context, entry_id: int, changes: dict[str, str], reason: str
) -> LogEntry:
    """Change an entry's text, priority, decider or rationale; the old values stay audited."""
    entry = incident_store.log_entry(uow, entry_id, for_update=True)
    if entry is None:
        raise InvalidInput(N_("no log entry {id}"), id=entry_id)
    if "priority" in changes:
        Priority(changes["priority"])  # validated by the caller; a bad value is a bug
    changes = {k: _edited(k, v) for k, v in changes.items()}
    reason = checked_text(reason, N_("the reason (--reason)"))
    new = {k: v for k, v in changes.items() if k in EDITABLE and getattr(entry, k) != v}
    if not new:
        raise InvalidInput(N_("log entry {id}: nothing to change"), id=entry_id)
    if not reason:
        raise InvalidInput(N_("an edit needs a reason (--reason): the log is evidence"))
    incident_store.update_log(uow, entry_id, {**new, "version": entry.version + 1})
    audit(
        uow,
        ctx,
        EventType.LOG_EDITED,
        ("log", str(entry_id)),
        ctx.clock.now(),
        before={k: getattr(entry, k) for k in new} | {"version": entry.version},
        after=new | {"version": entry.version + 1},
        reason=reason,
    )
    edited = incident_store.log_entry(uow, entry_id)
    assert edited is not None  # noqa: S101 - just written
    return edited


def _edited(field: str, value: str) -> str:
    if field == "text":
        return _required(value, N_("a log entry"))
    if field == "decided_by":
        return checked_name(value, N_("who decided (--decided-by)"))
    return checked_text(value, field)


@dataclass(frozen=True)
class MeasureInForce:
    entry: LogEntry
    measure: Measure
    where: tuple[tuple[str, str], ...]  # (activity, site) where it is still in force


def measures_in_force(uow: UnitOfWork, moment: datetime) -> list[MeasureInForce]:
    """The standing measures at `moment`: for each activity at each site, the newest decision
    setting a measure there, unless it lifted it; oldest decision first."""
    offered: dict[str, list[str]] = {}
    for a in network_store.activities(uow):
        offered.setdefault(a.code, []).append(a.site)
    current: dict[tuple[str, str], LogEntry] = {}
    upto = moment + timedelta(microseconds=1)  # a decision taken at `moment` is in force
    decisions = incident_store.log_entries(uow, [LogKind.DECISION.value], until=upto)
    for entry in (e for e in decisions if e.measure):
        kinds = [link.partition(":") for link in entry.links]
        sites = [key for kind, _, key in kinds if kind == "site"]
        for kind, _, code in kinds:
            if kind != "activity":
                continue
            for site in sites or offered.get(code, []):
                current[(code, site)] = entry
    by_entry: dict[int, list[tuple[str, str]]] = {}
    for place, entry in current.items():
        by_entry.setdefault(entry.id, []).append(place)
    entries = {e.id: e for e in current.values()}
    return [
        MeasureInForce(entries[i], Measure(entries[i].measure or ""), tuple(by_entry[i]))
        for i in sorted(by_entry, key=lambda i: (entries[i].occurred_at, i))
        if entries[i].measure != Measure.LIFTED
    ]


def list_log(
    uow: UnitOfWork,
    kinds: Sequence[LogKind] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[LogEntry]:
    return incident_store.log_entries(uow, [k.value for k in kinds], since, until)


def log_history(uow: UnitOfWork, entry_id: int) -> list[AuditEvent]:
    return audit_store.find(uow, AuditQuery(object_type="log", object_key=str(entry_id)))


def _check_links(uow: UnitOfWork, links: Sequence[str | None]) -> list[str]:
    """Links are KIND:KEY; assets and sites must exist."""
    out = []
    for link in links:
        kind, _, key = (link or "").partition(":")
        if kind not in LINK_KINDS or not key.strip():
            not_a_link = N_("link {link} is not KIND:KEY (kinds: {kinds})")
            raise InvalidInput(not_a_link, link=repr(link), kinds=", ".join(LINK_KINDS))
        if kind == "asset":
            if not asset_store.by_hostnames(uow, [key.upper()]):
                raise InvalidInput(
                    N_("link {link}: unknown host {host}"), link=link, host=key.upper()
                )
            key = key.upper()
        if kind == "site" and key not in {s.code for s in network_store.sites(uow)}:
            raise InvalidInput(N_("link {link}: unknown site {site}"), link=link, site=key)
        if kind == "activity" and key not in {a.code for a in network_store.activities(uow)}:
            raise InvalidInput(N_("link {link}: unknown activity {code}"), link=link, code=key)
        out.append(f"{kind}:{key}")
    return out


# Evidence


def register_evidence(
    uow: UnitOfWork,
    ctx: Context,
    *,
    sha256: str,
    description: str,
    kind: str = "disk image",
    asset: str | None = None,
    at: datetime | None = None,
    holder: str | None = None,
) -> Evidence:
    """A forensic image or artefact, its hash, and who holds it from now on."""
    digest = check_sha256(sha256)
    kind = checked_name(kind, N_("the kind of evidence"), required=True)
    description = _required(description, N_("the description"))
    holder = checked_name(holder or ctx.actor, N_("the holder"), required=True)
    if any(e.sha256 == digest for e in incident_store.evidence(uow)):
        raise InvalidInput(N_("an item with SHA-256 {sha256} is already registered"), sha256=digest)
    asset_id = None
    if asset:
        found = asset_store.states(uow, AssetFilter(hostnames=(asset,)))
        if not found:
            raise InvalidInput(N_("unknown host {host}"), host=asset.upper())
        asset_id = found[0].id
    when = event_time(ctx, at, N_("the acquisition"))
    reference = f"EV-{incident_store.next_evidence_number(uow):04d}"
    values = {
        "reference": reference,
        "kind": kind,
        "description": description,
        "sha256": digest,
        "asset_id": asset_id,
        "acquired_at": when,
        "acquired_by": ctx.actor,
        "holder": holder,
    }
    incident_store.add_evidence(uow, values)
    audit(
        uow,
        ctx,
        EventType.EVIDENCE_REGISTERED,
        ("evidence", reference),
        when,
        after={
            "kind": values["kind"],
            "asset": asset.upper() if asset else None,
            "holder": values["holder"],
        },
        reason=description,
        evidence=digest,
    )
    return incident_store.evidence(uow, reference)[0]


def transfer_evidence(
    uow: UnitOfWork,
    ctx: Context,
    reference: str,
    *,
    to: str,
    at: datetime | None = None,
    reason: str = "",
) -> Evidence:
    """Hand an item from its current holder to `to`: the chain of custody."""
    found = incident_store.evidence(uow, reference, for_update=True)
    if not found:
        raise InvalidInput(N_("no evidence {reference}"), reference=reference)
    item = found[0]
    receiver = checked_name(to, N_("the receiver (--to)"), required=True)
    reason = checked_text(reason, N_("the reason (--reason)"))
    if receiver == item.holder:
        raise InvalidInput(
            N_("{item} is already held by {holder}"), item=item.reference, holder=receiver
        )
    when = event_time(ctx, at, N_("the transfer"))
    last = item.transfers[-1].transferred_at if item.transfers else item.acquired_at
    if when < last:
        raise InvalidInput(
            N_("{item} changed hands at {at}: later only"), item=item.reference, at=last.isoformat()
        )
    transfer = Transfer(item.holder, receiver, when, reason, ctx.actor)
    incident_store.add_transfer(uow, item.id, transfer)
    audit(
        uow,
        ctx,
        EventType.EVIDENCE_TRANSFERRED,
        ("evidence", item.reference),
        when,
        before={"holder": item.holder},
        after={"holder": receiver},
        reason=reason,
        evidence=item.sha256,
    )
    return incident_store.evidence(uow, item.reference)[0]


def list_evidence(uow: UnitOfWork) -> list[Evidence]:
    return incident_store.evidence(uow)
