"""The daily situation report: built from one day's data, drafted, approved, published.

A draft is rebuilt from the data each time it is produced; approval freezes its facts. A
published report is never changed: a correction is a new version of the same day.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.context import Context
from relance.app.incident import audit, phase_at
from relance.domain.audit_events import EventType
from relance.domain.errors import InvalidInput
from relance.domain.functioning import Functioning
from relance.domain.incident import SITREP_TRANSITIONS, LogKind, Phase, SitrepState, check_move
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetFilter
from relance.domain.text import checked_text
from relance.reports import sitrep_markdown, sitrep_pdf
from relance.reports.sitrep_model import (
    Cell,
    ClinicFacts,
    Column,
    CurvePoint,
    DecisionLine,
    ForecastLine,
    Header,
    MatrixRow,
    PlanFacts,
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
from relance.storage.incident_store import SitrepVersion
from relance.storage.plan_store import PlanVersion

CURVE_POINTS = 160
NEXT_PERIOD_FROM = timedelta(hours=12)  # a period starting this late in the day is the next one


class Format(StrEnum):
    MD = "md"
    PDF = "pdf"


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
        raise InvalidInput(f"{day.isoformat()} has not begun: a report covers a day with data")
    return Window(day, zone, start, end, min(end, now))


def _iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="minutes") if moment else None


# Building the facts


def build_facts(uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo) -> SitrepFacts:
    """Everything the report says about `day`, read from the database."""
    w = window(ctx, day, zone)
    network = network_store.network_name(uow)
    if network is None:
        raise InvalidInput("no network loaded: run `relance init --scenario FILE` first")
    found = incident_store.incident(uow)
    day0 = found.detected_at if found else network_store.effort(uow)[1]
    phase = phase_at(uow, w.upto)
    columns, matrix = _matrix(uow, w.upto)
    initial, moves = _machine_history(uow)
    first = day0 or (moves[0].occurred_at if moves else w.starts_at)
    curve = _curve(initial, moves, min(first, w.starts_at), w.upto, zone)
    machines = curve[-1].counts if curve else {}
    plan = _plan(uow, w, initial, moves)
    facts = SitrepFacts(
        network=network,
        day=day.isoformat(),
        zone=str(zone),
        starts_at=str(_iso(w.starts_at, zone)),
        ends_at=str(_iso(w.ends_at, zone)),
        built_at=str(_iso(ctx.clock.now(), zone)),
        day_number=(day - day0.astimezone(zone).date()).days if day0 else None,
        incident=found.name if found else None,
        phase=phase.phase if phase else None,
        phase_since=_iso(phase.entered_at, zone) if phase else None,
        summary=[],
        activities=columns,
        matrix=matrix,
        machines=machines,
        curve=curve,
        plan=plan[0] if plan else None,
        forecast=_forecast(uow, plan[1], zone) if plan else [],
        clinic=_clinic(uow, w),
        decisions=[
            DecisionLine(
                str(_iso(e.occurred_at, zone)),
                e.text,
                e.decided_by or e.author,
                e.rationale,
                e.priority,
            )
            for e in incident_store.log_entries(
                uow, [LogKind.DECISION.value], w.starts_at, w.ends_at
            )
        ],
        log_entries=len(incident_store.log_entries(uow, (), w.starts_at, w.ends_at)),
        objectives_period=None,
    )
    period = _next_period(uow, w)
    if period is not None:
        facts = replace(facts, objectives_period=period.number, objectives=list(period.objectives))
    return replace(facts, summary=summary(facts))


def _matrix(uow: UnitOfWork, moment: datetime) -> tuple[list[Column], list[MatrixRow]]:
    """Site x activity: each activity's status as recorded at `moment`."""
    statuses = incident_store.statuses_at(uow, moment)
    activities = network_store.activities(uow)
    columns: dict[str, str] = {}
    for a in activities:
        columns.setdefault(a.code, a.name)
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
            rows.append(MatrixRow(site.code, site.name, cells))
    return [Column(c, n) for c, n in columns.items()], rows


def _machine_history(uow: UnitOfWork) -> tuple[dict[str, AssetState], list[AuditEvent]]:
    """Each machine's state before its first recorded move, and every move in order."""
    moves = audit_store.find(uow, AuditQuery(event_types=(EventType.ASSET_TRANSITIONED,)))
    initial = {m.hostname: m.state for m in asset_store.states(uow, AssetFilter())}
    seen: set[str] = set()
    for e in moves:
        if e.object_key not in seen and e.before:
            initial[e.object_key] = AssetState(e.before["state"])
        seen.add(e.object_key)
    return initial, moves


def _walk(
    initial: dict[str, AssetState], moves: Sequence[AuditEvent], moments: Sequence[datetime]
) -> list[Counter[AssetState]]:
    """Machines per state at each of `moments` (ascending)."""
    state = dict(initial)
    counts = Counter(state.values())
    out, i = [], 0
    for moment in moments:
        while i < len(moves) and moves[i].occurred_at <= moment:
            e = moves[i]
            new = AssetState((e.after or {})["state"])
            counts[state[e.object_key]] -= 1
            counts[new] += 1
            state[e.object_key] = new
            i += 1
        out.append(Counter(counts))
    return out


def _curve(
    initial: dict[str, AssetState],
    moves: Sequence[AuditEvent],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
) -> list[CurvePoint]:
    step = max((end - start) / CURVE_POINTS, timedelta(minutes=15))
    moments = [start + step * i for i in range(int((end - start) / step) + 1)]
    if not moments or moments[-1] < end:
        moments.append(end)
    return [
        CurvePoint(str(_iso(m, zone)), {s.value: c[s] for s in PATH})
        for m, c in zip(moments, _walk(initial, moves, moments), strict=True)
    ]


def _plan(
    uow: UnitOfWork, w: Window, initial: dict[str, AssetState], moves: Sequence[AuditEvent]
) -> tuple[PlanFacts, PlanVersion] | None:
    """The newest plan known on the day (made, or starting, before its end), as it expects."""
    known = [v for v in plan_store.versions(uow) if min(v.created_at, v.start_at) <= w.upto]
    if not known:
        return None
    v = known[-1]
    already = _walk(initial, moves, [v.start_at])[0][AssetState.REDEPLOYED]
    ends = Counter(
        t.end_hour
        for t in plan_store.tasks(uow, v.id)
        for _ in range(t.machines)
        if t.kind in ("server", "machines")
    )
    points, total = [(str(_iso(v.start_at, w.zone)), already)], already
    for hour in sorted(ends):
        total += ends[hour]
        at = v.start_at + timedelta(hours=hour * 24 / v.hours_per_day)
        points.append((str(_iso(at, w.zone)), total))
    last = points[-1][0] if len(points) > 1 else None
    return PlanFacts(v.id, v.method, str(_iso(v.start_at, w.zone)), points, last), v


def _forecast(uow: UnitOfWork, version: PlanVersion, zone: ZoneInfo) -> list[ForecastLine]:
    lines = [
        ForecastLine(
            f.site,
            f.name,
            f.capacity_now,
            _iso(f.partial_at, zone),
            _iso(f.full_at, zone),
            f.waits_for,
        )
        for f in plan_store.forecasts(uow, version.id)
        if f.capacity_now < 100
    ]
    return sorted(lines, key=lambda f: (f.full_at or "9999", f.site, f.name))


def _clinic(uow: UnitOfWork, w: Window) -> ClinicFacts | None:
    if incident_store.appointment_count(uow) == 0:
        return None

    def today(event: EventType, key: str) -> dict[str, int]:
        events = audit_store.find(
            uow, AuditQuery(event_types=(event,), since=w.starts_at, until=w.ends_at)
        )
        return dict(Counter(str((e.after or {}).get(key, "")) for e in events))

    return ClinicFacts(
        decided_today=today(EventType.APPOINTMENT_DECIDED, "decision"),
        current=incident_store.current_decisions(uow),
        sms_today=today(EventType.NOTIFICATION_STATUS, "status"),
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


def summary(f: SitrepFacts) -> list[str]:
    """The situation in a few sentences, from the facts alone."""
    out = []
    if f.incident and f.phase:
        since = f.phase_since[:16].replace("T", " ") if f.phase_since else ""
        out.append(
            f"Day {f.day_number} of the incident {f.incident}; phase {Phase(f.phase).label.lower()}"
            f" since {since}."
        )
    else:
        out.append("No incident has been declared in relance.")
    total = sum(f.machines.values())
    if total:
        back = f.machines.get(AssetState.REDEPLOYED.value, 0)
        down = sum(
            f.machines.get(s.value, 0) for s in (AssetState.COMPROMISED, AssetState.ISOLATED)
        )
        ready = sum(
            f.machines.get(s.value, 0)
            for s in (AssetState.REIMAGED, AssetState.VALIDATED, AssetState.CLEAN_ZONE)
        )
        out.append(
            f"{back} of {total} machines redeployed ({back / total:.0%}), {ready} being rebuilt, "
            f"{down} still compromised or isolated, "
            f"{f.machines.get(AssetState.IMAGED.value, 0)} kept as forensic copies."
        )
    cells = [c for row in f.matrix for c in row.cells if c is not None]
    by = Counter(c.functioning for c in cells)
    out.append(
        f"Clinical activities at the end of the day: {by[Functioning.FULLY.value]} fully, "
        f"{by[Functioning.PARTIALLY.value]} partially and {by[Functioning.NOT.value]} not "
        f"functional, across {len(f.matrix)} sites."
    )
    if f.plan is None:
        out.append("No restoration plan had been computed yet: no forecast of reopenings.")
    elif f.plan.last_at:
        out.append(
            f"Plan {f.plan.version} ({f.plan.method}) expects the last machine back "
            f"on {f.plan.last_at[:16].replace('T', ' ')}."
        )
    if f.clinic is None:
        out.append("No appointment book imported: no triage and no SMS to report.")
    else:
        delivered = f.clinic.sms_now.get("delivered", 0)
        out.append(
            f"{sum(f.clinic.decided_today.values())} appointments triaged during the day; "
            f"{delivered} patients notified by SMS so far."
        )
    return out


# The workflow


def _versions(uow: UnitOfWork, day: date, for_update: bool = False) -> list[SitrepVersion]:
    return incident_store.sitreps(uow, day.isoformat(), for_update)


def _key(v: SitrepVersion) -> tuple[str, str]:
    return ("sitrep", f"{v.day} v{v.version}")


def produce_sitrep(
    uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo, new_version: bool = False
) -> SitrepVersion:
    """The report of `day`: a new draft, a draft rebuilt from the data, or the frozen version."""
    versions = _versions(uow, day, for_update=True)
    latest = versions[-1] if versions else None
    if latest is not None and latest.state != SitrepState.DRAFT and not new_version:
        return latest
    if latest is not None and new_version and latest.state != SitrepState.PUBLISHED:
        raise InvalidInput(
            f"sitrep {day.isoformat()} v{latest.version} is {latest.state}: "
            "a new version follows a published one"
        )
    facts = build_facts(uow, ctx, day, zone).as_json()
    now = ctx.clock.now()
    if latest is not None and latest.state == SitrepState.DRAFT:
        incident_store.update_sitrep(uow, latest.id, {"facts": facts, "drafted_at": now})
        audit(uow, ctx, EventType.SITREP_UPDATED, _key(latest), now, reason="rebuilt from data")
        return _reload(uow, latest.id)
    return _new_version(uow, ctx, day, latest, facts=facts, note="")


def _new_version(
    uow: UnitOfWork,
    ctx: Context,
    day: date,
    latest: SitrepVersion | None,
    *,
    facts: dict[str, object],
    note: str,
) -> SitrepVersion:
    now = ctx.clock.now()
    values = {
        "day": day.isoformat(),
        "version": latest.version + 1 if latest else 1,
        "state": SitrepState.DRAFT.value,
        "facts": facts,
        "note": note,
        "drafted_by": ctx.actor,
        "drafted_at": now,
    }
    new_id = incident_store.add_sitrep(uow, values)
    made = _reload(uow, new_id)
    why = f"correction of published v{latest.version}" if latest else ""
    audit(uow, ctx, EventType.SITREP_DRAFTED, _key(made), now, after={"state": "draft"}, reason=why)
    return made


def _reload(uow: UnitOfWork, sitrep_id: int) -> SitrepVersion:
    found = incident_store.sitrep(uow, sitrep_id)
    assert found is not None  # noqa: S101 - just written
    return found


def edit_sitrep(
    uow: UnitOfWork, ctx: Context, day: date, zone: ZoneInfo, note: str
) -> SitrepVersion:
    """Set the cell's note; an approved report goes back to draft, a published one gets a new
    version with facts rebuilt from the data."""
    note = checked_text(note, "the note")
    versions = _versions(uow, day, for_update=True)
    if not versions:
        raise InvalidInput(f"no sitrep for {day.isoformat()} yet: produce it first")
    latest = versions[-1]
    if latest.state == SitrepState.PUBLISHED:
        facts = build_facts(uow, ctx, day, zone).as_json()
        return _new_version(uow, ctx, day, latest, facts=facts, note=note)
    now = ctx.clock.now()
    values: dict[str, object] = {"note": note}
    if latest.state == SitrepState.APPROVED:
        check_move(SITREP_TRANSITIONS, "the sitrep", SitrepState.APPROVED, SitrepState.DRAFT)
        values |= {"state": SitrepState.DRAFT.value, "approved_by": None, "approved_at": None}
    incident_store.update_sitrep(uow, latest.id, values)
    audit(
        uow,
        ctx,
        EventType.SITREP_UPDATED,
        _key(latest),
        now,
        before={"state": latest.state, "note": latest.note},
        after={"state": values.get("state", latest.state), "note": note},
        reason="note edited",
    )
    return _reload(uow, latest.id)


def _move(uow: UnitOfWork, ctx: Context, day: date, target: SitrepState) -> SitrepVersion:
    versions = _versions(uow, day, for_update=True)
    if not versions:
        raise InvalidInput(f"no sitrep for {day.isoformat()} yet: produce it first")
    latest = versions[-1]
    check_move(
        SITREP_TRANSITIONS, f"sitrep {day} v{latest.version}", SitrepState(latest.state), target
    )
    now = ctx.clock.now()
    who = "approved" if target is SitrepState.APPROVED else "published"
    incident_store.update_sitrep(
        uow, latest.id, {"state": target.value, f"{who}_by": ctx.actor, f"{who}_at": now}
    )
    event = EventType.SITREP_APPROVED if who == "approved" else EventType.SITREP_PUBLISHED
    audit(
        uow,
        ctx,
        event,
        _key(latest),
        now,
        before={"state": latest.state},
        after={"state": target.value},
    )
    return _reload(uow, latest.id)


def approve_sitrep(uow: UnitOfWork, ctx: Context, day: date) -> SitrepVersion:
    return _move(uow, ctx, day, SitrepState.APPROVED)


def publish_sitrep(uow: UnitOfWork, ctx: Context, day: date) -> SitrepVersion:
    return _move(uow, ctx, day, SitrepState.PUBLISHED)


def list_sitreps(uow: UnitOfWork) -> list[SitrepVersion]:
    return incident_store.sitreps(uow)


def latest_approved(uow: UnitOfWork, day: date) -> SitrepVersion:
    approved = [v for v in _versions(uow, day) if v.state != SitrepState.DRAFT]
    if not approved:
        raise InvalidInput(
            f"no approved sitrep for {day.isoformat()}: a communiqué states approved facts only"
        )
    return approved[-1]


# Output


def header(v: SitrepVersion, zone: ZoneInfo) -> Header:
    return Header(
        v.version,
        v.state,
        v.drafted_by,
        str(_iso(v.drafted_at, zone)),
        v.approved_by,
        _iso(v.approved_at, zone),
        v.published_by,
        _iso(v.published_at, zone),
        v.note,
    )


def write_sitrep(v: SitrepVersion, zone: ZoneInfo, fmt: Format, out: Path) -> list[Path]:
    """Write the report as Markdown (with its charts as PNG files beside it) or PDF."""
    if not out.parent.is_dir():
        raise InvalidInput(f"{out.parent} is not a directory")
    facts = SitrepFacts.from_json(v.facts)
    if fmt is Format.PDF:
        sitrep_pdf.write(facts, header(v, zone), out)
        return [out]
    return sitrep_markdown.write(facts, header(v, zone), out)
