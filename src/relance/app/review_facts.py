"""What the after-action review says, read from the cell's records: values, never sentences.

Every figure comes from a record: the incident and its phases, the log, the activity history,
the machines' moves in the audit trail, the plan versions, the SMS outbox, the duties register
(when one is given), and the cell's own findings and actions. The review's "now" is the
incident's clock.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from relance.app.context import Context
from relance.app.incident import measures_in_force
from relance.app.organisation import identity
from relance.app.sitrep_facts import History, iso, planned_curve
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery
from relance.domain.errors import N_, InvalidInput
from relance.domain.functioning import Functioning, services_up
from relance.domain.incident import LogKind, Measure, Phase
from relance.domain.lifecycle import AssetState
from relance.domain.review import ActionStatus
from relance.reports.review_model import (
    ActionLine,
    ActivityBack,
    DecisionOutcome,
    DutyLine,
    FindingLine,
    KeyTime,
    PlanCurve,
    ReviewFacts,
)
from relance.storage import (
    asset_store,
    audit_store,
    incident_store,
    network_store,
    outbox_store,
    plan_store,
    review_store,
)
from relance.storage.audit_store import AuditQuery
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import Incident


class Duty(Protocol):
    """A legal duty's outcome, as the duties register reports it (NIS2, GDPR)."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def status(self) -> str: ...


# The duties' outcomes for the caller: relance.app.duties.outcomes, or a test's own.
DutiesProvider = Callable[[Context], Sequence[Duty]]
OPEN = (ActionStatus.PLANNED.value, ActionStatus.IN_PROGRESS.value)


def build_facts(
    uow: UnitOfWork, ctx: Context, zone: ZoneInfo, duties: DutiesProvider
) -> ReviewFacts:
    """Everything the review says, as of the incident clock's now."""
    found = incident_store.incident(uow)
    if found is None:
        raise InvalidInput(N_("no incident declared: run `relance incident declare` first"))
    now = ctx.clock.now()
    who = identity(uow)
    history = History.read(uow)
    return ReviewFacts(
        organisation=who.organisation.name,
        incident=found.name,
        zone=str(zone),
        now=str(iso(now, zone)),
        day0=found.detected_at.astimezone(zone).date().isoformat(),
        key_times=_key_times(uow, found, history, zone),
        activities_back=_activities_back(uow, found.detected_at, zone),
        plans=_plans(uow, history, zone),
        redeployed=_redeployed(history, zone),
        machines=len(history.initial),
        decisions=_decisions(uow, now, zone),
        sms_handed=_sms_handed(uow),
        sms_now={k.value: n for k, n in outbox_store.counts(uow).items()},
        duties=_duties(duties, ctx, zone),
        findings=[
            FindingLine(f.id, f.kind, f.text, f.recorded_by) for f in review_store.findings(uow)
        ],
        actions=actions(uow, now.astimezone(zone).date()),
        activities={a.code: a.name for a in network_store.activities(uow)},
        sites={s.code: s.short for s in who.sites.values()},
        names=who.translations,
    )


def actions(uow: UnitOfWork, today: date) -> list[ActionLine]:
    """The improvement plan, each action late if past its day and still open."""
    return [
        ActionLine(
            a.id,
            a.finding_id,
            a.text,
            a.owner,
            a.due_on,
            a.status,
            a.status in OPEN and date.fromisoformat(a.due_on) < today,
        )
        for a in review_store.actions(uow)
    ]


def _key_times(uow: UnitOfWork, found: Incident, history: History, zone: ZoneInfo) -> list[KeyTime]:
    first = _first_record(uow)
    containment = next(
        (p for p in incident_store.phases(uow, found.id) if p.phase == Phase.CONTAINMENT), None
    )
    service = _first_service_back(uow, history, found.detected_at)
    return [
        KeyTime("first_signs", iso(first[0], zone) if first else None, first[1] if first else ""),
        KeyTime("alert", iso(found.detected_at, zone), found.summary),
        KeyTime("confirmation", iso(found.confirmed_at, zone), ""),
        KeyTime(
            "containment",
            iso(containment.entered_at, zone) if containment else None,
            containment.criteria if containment else "",
        ),
        KeyTime(
            "first_service",
            iso(service[0], zone) if service else None,
            ", ".join(service[1]) if service else "",
        ),
    ]


def _first_record(uow: UnitOfWork) -> tuple[datetime, str] | None:
    """The earliest fact the cell recorded: a timeline entry or a log entry."""
    notes = audit_store.find(uow, AuditQuery(event_types=(EventType.TIMELINE_NOTED,)))
    found = [(e.occurred_at, str((e.after or {}).get("entry", ""))) for e in notes]
    found += [(e.occurred_at, e.text) for e in incident_store.log_entries(uow)]
    return min(found, key=lambda f: f[0], default=None)


def _first_service_back(
    uow: UnitOfWork, history: History, since: datetime
) -> tuple[datetime, list[str]] | None:
    """The first moment after `since` an IT service down then runs again, and which."""
    hosting = [(host, hosted) for host, _, hosted, _ in asset_store.servers(uow)]
    services = network_store.services(uow)

    def up_at(states: dict[str, AssetState]) -> set[str]:
        counts: dict[str, Counter[AssetState]] = {}
        for host, hosted in hosting:
            for code in hosted:
                counts.setdefault(code, Counter())[states[host]] += 1
        return services_up(services, counts)

    moments = sorted({m.occurred_at for m in history.moves if m.occurred_at > since})
    (start,) = history.states_at([since])
    down = {s.code for s in services} - up_at(start)
    for moment, states in zip(moments, history.states_at(moments), strict=True):
        back = sorted(down & up_at(states))
        if back:
            return moment, back
    return None


def _activities_back(uow: UnitOfWork, since: datetime, zone: ZoneInfo) -> list[ActivityBack]:
    """Each activity of each site below full capacity after `since`, and when fully back."""
    down: dict[tuple[str, str], datetime] = {}
    back: dict[tuple[str, str], datetime | None] = {}
    for site, activity, functioning, at in incident_store.status_history(uow):
        key = (site, activity)
        if functioning != Functioning.FULLY.value:
            if key not in down and at >= since:
                down[key] = at
                back[key] = None
        elif key in down and back[key] is None:
            back[key] = at
    sites = {s.code: i for i, s in enumerate(network_store.sites(uow))}
    order = {a.code: i for i, a in enumerate(network_store.activities(uow))}
    return [
        ActivityBack(site, activity, str(iso(at, zone)), iso(back[(site, activity)], zone))
        for (site, activity), at in sorted(
            down.items(), key=lambda kv: (sites.get(kv[0][0], 0), order.get(kv[0][1], 0))
        )
    ]


def _plans(uow: UnitOfWork, history: History, zone: ZoneInfo) -> list[PlanCurve]:
    redeployed = _redeployed_moments(history)
    curves = []
    for v in plan_store.versions(uow):
        already, ends = planned_curve(uow, v, history)
        points = [(v.start_at, already)]
        for at, n in ends:
            points.append((at, points[-1][1] + n))
        target = points[-1][1]
        reached = next((at for at, n in redeployed if n >= target), None)
        curves.append(
            PlanCurve(
                v.id,
                v.method,
                str(iso(v.start_at, zone)),
                iso(points[-1][0], zone) if ends else None,
                [(str(iso(at, zone)), n) for at, n in points],
                iso(reached, zone),
            )
        )
    return curves


def _redeployed_moments(history: History) -> list[tuple[datetime, int]]:
    """Machines redeployed after each recorded move that changed their number."""
    moments = sorted({m.occurred_at for m in history.moves})
    out: list[tuple[datetime, int]] = []
    for at, states in zip(moments, history.states_at(moments), strict=True):
        n = sum(s is AssetState.REDEPLOYED for s in states.values())
        if not out or out[-1][1] != n:
            out.append((at, n))
    return out


def _redeployed(history: History, zone: ZoneInfo) -> list[tuple[str, int]]:
    return [(str(iso(at, zone)), n) for at, n in _redeployed_moments(history)]


def _decisions(uow: UnitOfWork, now: datetime, zone: ZoneInfo) -> list[DecisionOutcome]:
    """Each decision; for a standing measure, the decision after which it was in force nowhere
    (as the sitrep's measures in force define it), or none: still in force somewhere."""
    entries = incident_store.log_entries(uow, [LogKind.DECISION.value], None, None)
    in_force = {m.entry.id for m in measures_in_force(uow, now)}
    setting = [e for e in entries if e.measure and e.occurred_at <= now]
    out = []
    for e in entries:
        ended = None
        if e.measure and e.measure != Measure.LIFTED and e.id not in in_force:
            ended = next(
                (
                    later
                    for later in setting
                    if later.occurred_at >= e.occurred_at
                    and later.id != e.id
                    and e.id not in {m.entry.id for m in measures_in_force(uow, later.occurred_at)}
                ),
                None,
            )
        out.append(
            DecisionOutcome(
                str(iso(e.occurred_at, zone)),
                e.text,
                e.decided_by or e.author,
                e.measure,
                iso(ended.occurred_at, zone) if ended else None,
                ended.measure if ended else None,
            )
        )
    return out


def _sms_handed(uow: UnitOfWork) -> int:
    events = audit_store.find(uow, AuditQuery(event_types=(EventType.NOTIFICATION_STATUS,)))
    return sum((e.after or {}).get("status") == Delivery.SUBMITTED.value for e in events)


def _duties(provider: DutiesProvider, ctx: Context, zone: ZoneInfo) -> list[DutyLine]:
    return [
        DutyLine(d.key, d.title, str(iso(d.due_at, zone)), iso(d.submitted_at, zone), d.status)
        for d in provider(ctx)
    ]
