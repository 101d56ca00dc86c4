"""What a day's situation report says, read from the database: values, never sentences.

The day runs from midnight to midnight in the crisis cell's time zone. Its data are what was
recorded as happening up to the day's end; the report is dated by the newest of them (the
incident's clock), never by the wall clock of the person who builds it.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from relance.app.context import Context
from relance.app.duties import duty_register
from relance.app.incident import measures_in_force, phase_at
from relance.app.organisation import identity
from relance.domain.audit_events import TIMELINE_EVENTS, EventType
from relance.domain.delivery import Delivery
from relance.domain.duties import DutyStatus
from relance.domain.errors import N_, InvalidInput
from relance.domain.functioning import Functioning, services_up
from relance.domain.incident import LogKind
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetFilter
from relance.reports.sitrep_model import (
    Cell,
    Change,
    ClinicFacts,
    Column,
    DayPoint,
    DecisionLine,
    DutyLine,
    ForecastLine,
    MatrixRow,
    MeasureLine,
    PlanFacts,
    SinceYesterday,
    SitrepFacts,
)
from relance.storage import (
    asset_store,
    audit_store,
    incident_store,
    network_store,
    outbox_store,
    plan_store,
)
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork
from relance.storage.plan_store import PlanVersion

NEXT_PERIOD_FROM = timedelta(hours=12)  # a period starting this late in the day is the next one
# What the cell recorded of the incident; its own reports and messages are not data about it.
DATA_EVENTS = tuple(
    e.value for e in TIMELINE_EVENTS if not e.value.startswith(("sitrep.", "comms.", "approval."))
)


@dataclass(frozen=True)
class Window:
    day: date
    zone: ZoneInfo
    starts_at: datetime
    ends_at: datetime
    upto: datetime  # the end of the day, or now if the day is not over


def window(ctx: Context, day: date, zone: ZoneInfo) -> Window:
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    now = ctx.clock.now()
    if start > now:
        not_begun = N_("{day} has not begun: a report covers a day with data")
        raise InvalidInput(not_begun, day=day.isoformat())
    return Window(day, zone, start, end, min(end, now))


def iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else None


def build_facts(uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo) -> SitrepFacts:
    """Everything the report says about `day`."""
    w = window(ctx, day, zone)
    network = network_store.network_name(uow)
    if network is None:
        raise InvalidInput(N_("no network loaded: run `relance init --scenario FILE` first"))
    who = identity(uow)
    found = incident_store.incident(uow)
    start = found.detected_at if found else network_store.effort(uow)[1]
    day0 = start.astimezone(zone).date() if start else None
    phase = phase_at(uow, w.upto)
    columns, matrix = _matrix(uow, w.upto)
    history = History.read(uow)
    plan = _plan(uow, w)
    days = _days(uow, w, day0, history, plan[1] if plan else None)
    decisions = _decisions(uow, w)
    sms_today = _today(uow, w, EventType.NOTIFICATION_STATUS, "status")
    period = _next_period(uow, w)
    return SitrepFacts(
        network=network,
        organisation=who.organisation.name,
        day=day.isoformat(),
        zone=str(zone),
        starts_at=str(iso(w.starts_at, zone)),
        ends_at=str(iso(w.ends_at, zone)),
        as_of=iso(audit_store.newest(uow, DATA_EVENTS, w.upto), zone),
        day0=day0.isoformat() if day0 else None,
        day_number=(day - day0).days if day0 else None,
        incident=found.name if found else None,
        phase=phase.phase if phase else None,
        phase_since=iso(phase.entered_at, zone) if phase else None,
        activities=columns,
        matrix=matrix,
        machines=days[-1].counts,
        days=days,
        plan=plan[0] if plan else None,
        forecast=_forecast(uow, plan[1], w, history) if plan else [],
        clinic=_clinic(uow, w, sms_today),
        since=_since_yesterday(uow, w, days, len(decisions), sms_today),
        measures=_measures(uow, w, columns, matrix),
        decisions=decisions,
        log_entries=len(incident_store.log_entries(uow, (), w.starts_at, w.ends_at)),
        objectives_period=period.number if period else None,
        objectives=list(period.objectives) if period else [],
        sites={s.code: s.short for s in who.sites.values()},
        departments={f"{s}/{d}": n for (s, d), n in network_store.department_names(uow).items()},
        names=who.translations,
        duties=_duties(uow, ctx, w),
    )


def _matrix(uow: UnitOfWork, moment: datetime) -> tuple[list[Column], list[MatrixRow]]:
    """Site x activity: each activity's status as recorded at `moment`."""
    statuses = incident_store.statuses_at(uow, moment)
    activities = network_store.activities(uow)
    columns: dict[str, Column] = {}
    for a in activities:
        public = a.public_service.value if a.public_service else None
        columns.setdefault(a.code, Column(a.code, a.name, public))
    rows = []
    for site in network_store.sites(uow):
        here = {a.code for a in activities if a.site == site.code}
        cells: list[Cell | None] = []
        for code in columns:
            status = statuses.get((site.code, code))
            if code not in here:
                cells.append(None)
            else:
                cells.append(Cell(*status) if status else Cell(Functioning.NOT.value, 0))
        if here:
            rows.append(MatrixRow(site.code, site.short, site.kind.value, cells))
    return list(columns.values()), rows


@dataclass(frozen=True)
class History:
    """Each machine's state before its first recorded move, and every move in order."""

    initial: dict[str, AssetState]
    moves: list[AuditEvent]

    @classmethod
    def read(cls, uow: UnitOfWork) -> "History":
        moves = audit_store.find(uow, AuditQuery(event_types=(EventType.ASSET_TRANSITIONED,)))
        initial = {m.hostname: m.state for m in asset_store.states(uow, AssetFilter())}
        seen: set[str] = set()
        for e in moves:
            if e.object_key not in seen and e.before:
                initial[e.object_key] = AssetState(e.before["state"])
            seen.add(e.object_key)
        return cls(initial, moves)

    def states_at(self, moments: Sequence[datetime]) -> list[dict[str, AssetState]]:
        """Every machine's state at each of `moments` (ascending)."""
        state, moves = dict(self.initial), self.moves
        out, i = [], 0
        for moment in moments:
            while i < len(moves) and moves[i].occurred_at <= moment:
                state[moves[i].object_key] = AssetState((moves[i].after or {})["state"])
                i += 1
            out.append(dict(state))
        return out


def _days(
    uow: UnitOfWork, w: Window, day0: date | None, history: History, plan: PlanVersion | None
) -> list[DayPoint]:
    """Machines per state at the end of each day from day 0 to the report's day."""
    first = min(day0, w.day) if day0 else w.day
    dates = [first + timedelta(days=n) for n in range((w.day - first).days + 1)]
    ends = [min(datetime.combine(d + timedelta(days=1), time(0), w.zone), w.upto) for d in dates]
    planned = planned_curve(uow, plan, history) if plan else None
    points = []
    for d, end, states in zip(dates, ends, history.states_at(ends), strict=True):
        counts = Counter(states.values())
        expected = None
        if planned is not None and plan is not None and plan.start_at <= end:
            expected = planned[0] + sum(n for at, n in planned[1] if at <= end)
        points.append(
            DayPoint(
                (d - day0).days if day0 else 0,
                d.isoformat(),
                {s.value: counts[s] for s in PATH},
                expected,
            )
        )
    return points


def planned_curve(
    uow: UnitOfWork, plan: PlanVersion, history: History
) -> tuple[int, list[tuple[datetime, int]]]:
    """Machines redeployed when the plan starts, and when each of its machine tasks ends."""
    (at_start,) = history.states_at([plan.start_at])
    already = sum(s is AssetState.REDEPLOYED for s in at_start.values())
    ends = Counter(
        t.end_hour
        for t in plan_store.tasks(uow, plan.id)
        for _ in range(t.machines)
        if t.kind in ("server", "machines")
    )
    hour = timedelta(hours=24 / plan.hours_per_day)
    return already, [(plan.start_at + hour * h, n) for h, n in sorted(ends.items())]


def _plan(uow: UnitOfWork, w: Window) -> tuple[PlanFacts, PlanVersion] | None:
    """The newest plan known on the day (made, or starting, before its end)."""
    known = [v for v in plan_store.versions(uow) if min(v.created_at, v.start_at) <= w.upto]
    if not known:
        return None
    v = known[-1]
    hours = max((t.end_hour for t in plan_store.tasks(uow, v.id)), default=None)
    last = v.start_at + timedelta(hours=hours * 24 / v.hours_per_day) if hours else None
    return PlanFacts(v.id, v.method, str(iso(v.start_at, w.zone)), iso(last, w.zone)), v


def _forecast(
    uow: UnitOfWork, version: PlanVersion, w: Window, history: History
) -> list[ForecastLine]:
    """Each activity below full capacity, as the plan expects it back; what it waits for names
    only services still down at the end of the day (a plan made earlier still lists them)."""
    up = _services_up_at(uow, w.upto, history)
    lines = [
        ForecastLine(
            f.site,
            f.activity,
            f.capacity_now,
            iso(f.partial_at, w.zone),
            iso(f.full_at, w.zone),
            [item for item in _links(f.waits_for) if item not in up],
        )
        for f in plan_store.forecasts(uow, version.id)
        if f.capacity_now < 100
    ]
    sites = {s.code: i for i, s in enumerate(network_store.sites(uow))}
    order = {a.code: i for i, a in enumerate(network_store.activities(uow))}
    return sorted(lines, key=lambda f: (sites.get(f.site, 0), order.get(f.activity, 0)))


def _links(chain: str) -> list[tuple[str, str]]:
    """'MAR/COVID <- AD <- team WS-MAR' -> machines, service and team links, in that order."""
    out = []
    for link in (part.strip() for part in chain.split("<-")):
        if link.startswith("team "):
            out.append(("team", link.removeprefix("team ")))
        elif "/" in link:
            out.append(("machines", link))
        elif link:
            out.append(("service", link))
    return out


def _services_up_at(uow: UnitOfWork, moment: datetime, history: History) -> set[tuple[str, str]]:
    (states,) = history.states_at([moment])
    counts: dict[str, Counter[AssetState]] = {}
    for hostname, _, hosted, _ in asset_store.servers(uow):
        for code in hosted:
            counts.setdefault(code, Counter())[states[hostname]] += 1
    up = services_up(network_store.services(uow), counts)
    return {("service", code) for code in up}


def _decisions(uow: UnitOfWork, w: Window) -> list[DecisionLine]:
    entries = incident_store.log_entries(uow, [LogKind.DECISION.value], w.starts_at, w.ends_at)
    return [
        DecisionLine(
            str(iso(e.occurred_at, w.zone)),
            e.text,
            e.decided_by or e.author,
            e.rationale,
            e.priority,
        )
        for e in entries
    ]


def _measures(
    uow: UnitOfWork, w: Window, columns: list[Column], matrix: list[MatrixRow]
) -> list[MeasureLine]:
    activities = [c.code for c in columns]
    sites = [r.site for r in matrix]
    lines = []
    for m in measures_in_force(uow, w.upto):
        where = {a for a, _ in m.where}, {s for _, s in m.where}
        lines.append(
            MeasureLine(
                str(iso(m.entry.occurred_at, w.zone)),
                m.measure.value,
                m.entry.text,
                m.entry.decided_by or m.entry.author,
                [a for a in activities if a in where[0]],
                [s for s in sites if s in where[1]],
            )
        )
    return lines


def _since_yesterday(
    uow: UnitOfWork, w: Window, days: list[DayPoint], decisions: int, sms: dict[str, int]
) -> SinceYesterday:
    before = incident_store.statuses_at(uow, w.starts_at)
    after = incident_store.statuses_at(uow, w.upto)
    changes = [
        Change(site, activity, Cell(*before[key]) if key in before else None, Cell(*status))
        for key, status in after.items()
        for site, activity in [key]
        if before.get(key) != status
    ]
    sites = {s.code: i for i, s in enumerate(network_store.sites(uow))}
    order = {a.code: i for i, a in enumerate(network_store.activities(uow))}
    changes.sort(key=lambda c: (sites.get(c.site, 0), order.get(c.activity, 0)))
    back = AssetState.REDEPLOYED.value
    during = AuditQuery(
        event_types=(EventType.ASSET_TRANSITIONED,), since=w.starts_at, until=w.ends_at
    )
    return SinceYesterday(
        changes=changes,
        redeployed=days[-1].counts[back] - (days[-2].counts[back] if len(days) > 1 else 0),
        moves=audit_store.count(uow, during),
        decisions=decisions,
        sms_sent=sms.get(Delivery.SUBMITTED.value, 0),
    )


def _today(uow: UnitOfWork, w: Window, event: EventType, key: str) -> dict[str, int]:
    events = audit_store.find(
        uow, AuditQuery(event_types=(event,), since=w.starts_at, until=w.ends_at)
    )
    return dict(Counter(str((e.after or {}).get(key, "")) for e in events))


def _clinic(uow: UnitOfWork, w: Window, sms_today: dict[str, int]) -> ClinicFacts | None:
    if incident_store.appointment_count(uow) == 0:
        return None
    return ClinicFacts(
        decided_today=_today(uow, w, EventType.APPOINTMENT_DECIDED, "decision"),
        current=incident_store.current_decisions(uow),
        sms_today=sms_today,
        sms_now={k.value: n for k, n in outbox_store.counts(uow).items()},
    )


def _next_period(uow: UnitOfWork, w: Window) -> incident_store.Period | None:
    found = incident_store.incident(uow)
    if found is None:
        return None
    later = [
        p
        for p in incident_store.periods(uow, found.id)
        if p.starts_at >= w.starts_at + NEXT_PERIOD_FROM
    ]
    return later[0] if later else None


def _duties(uow: UnitOfWork, ctx: Context, w: Window) -> list[DutyLine]:
    """Each duty known at the end of the day: its deadline as the register counts it, its
    status then (from its audit rows: a later move does not rewrite the day), the time left."""
    if incident_store.incident(uow) is None:
        return []
    rows = audit_store.find(uow, AuditQuery(object_type="duty", until=w.ends_at))
    status = {e.object_key: str(e.after["status"]) for e in rows if e.after and "status" in e.after}
    added = {e.object_key for e in rows if e.event_type == EventType.DUTY_ADDED.value}
    return [
        DutyLine(
            d.key,
            d.title,
            d.authority,
            iso(d.due_at, w.zone),
            status.get(d.key, DutyStatus.TO_DO.value),
            int((d.due_at - w.upto).total_seconds() // 60) if d.due_at else None,
        )
        for d in duty_register(uow, ctx).duties
        if d.standard or d.key in added
    ]
