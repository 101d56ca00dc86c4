"""Restoration plans: solve from the current state, store a version, forecast, compare, delay."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import InvalidInput
from relance.domain.text import checked_text
from relance.planning import baseline
from relance.planning.build import (
    Delay,
    RecoveryProblem,
    RecoveryState,
    ServerState,
    assign_teams,
    build,
)
from relance.planning.evaluate import evaluate
from relance.planning.forecast import Calendar, forecast
from relance.planning.solve import best_heuristic, solve
from relance.reports import plan_pictures
from relance.storage import asset_store, audit_store, clinic_store, network_store, plan_store
from relance.storage.database import UnitOfWork
from relance.storage.plan_store import Forecast, PlannedTask, PlanVersion, ReportedDelay

__all__ = ["Forecast", "ForecastChange", "Method", "PlanOptions"]


class Method(StrEnum):
    CPSAT = "cpsat"  # optimised: CP-SAT warm-started from the best priority rule
    TIERS = "tiers"  # the hand-made order: whole service tiers one after another
    RULE = "rule"  # the best priority rule alone


@dataclass(frozen=True)
class PlanOptions:
    method: Method = Method.CPSAT
    time_limit: float = 30.0
    workers: int = 2
    seed: int = 0
    hours_per_day: int = 12
    start: datetime | None = None
    batch_size: int | None = None


@dataclass(frozen=True)
class ForecastChange:
    site: str
    activity: str
    name: str
    before: datetime | None
    after: datetime | None
    waits_for: str


@dataclass(frozen=True)
class PlanResult:
    version: PlanVersion
    forecasts: list[Forecast]
    changes: list[ForecastChange]  # against the previous version
    gap: float


def plan_start(uow: UnitOfWork, ctx: Context) -> datetime:
    """The state is known as of the last reported change; a plan starts there (or now)."""
    return audit_store.latest(uow, EventType.ASSET_TRANSITIONED) or ctx.clock.now()


def recovery_problem(uow: UnitOfWork, start: datetime, options: PlanOptions) -> RecoveryProblem:
    effort, _ = network_store.effort(uow)
    delays = []
    for d in plan_store.delays(uow):
        hours = math.ceil(
            (d.not_before - start).total_seconds() / 3600 * options.hours_per_day / 24
        )
        if hours > 0:
            delays.append(Delay(d.target, hours, d.reason))
    state = RecoveryState(
        services=network_store.services(uow),
        teams=network_store.teams(uow),
        activities=network_store.activities(uow),
        effort=effort,
        servers=[ServerState(*s) for s in asset_store.servers(uow)],
        machines=asset_store.machine_states(uow),
        delays=delays,
    )
    return build(state, options.batch_size)


def make_plan(uow: UnitOfWork, ctx: Context, options: PlanOptions, reason: str = "") -> PlanResult:
    """Solve the remaining work, store it as a new version with its forecast, audit it."""
    reason = checked_text(reason, "the reason (--reason)")
    if options.hours_per_day not in range(1, 25):
        raise InvalidInput("--hours-per-day must be between 1 and 24")
    start = options.start or plan_start(uow, ctx)
    recovery = recovery_problem(uow, start, options)
    problem = recovery.problem
    if options.method is Method.CPSAT:
        result = solve(problem, options.time_limit, options.workers, options.seed)
        schedule, status, lower, seconds = (
            result.schedule,
            result.status,
            result.lower_bound,
            result.seconds,
        )
    else:
        schedule = (
            baseline.tiers(problem) if options.method is Method.TIERS else best_heuristic(problem)
        )
        status, lower, seconds = "heuristic", 0, 0.0
    evaluation = evaluate(problem, schedule).check()
    objective = evaluation.weighted_downtime
    calendar = Calendar(start, options.hours_per_day)
    forecasts = [
        Forecast(
            f.site,
            f.activity,
            f.name,
            f.capacity_now,
            calendar.at(f.partial_hour) if f.partial_hour is not None else None,
            calendar.at(f.full_hour) if f.full_hour is not None else None,
            f.waits_for,
        )
        for f in forecast(recovery, schedule)
    ]
    teams = assign_teams(recovery, schedule)
    tasks = [
        PlannedTask(
            t.name,
            info.kind,
            info.site,
            info.group,
            teams[i],
            schedule.starts[i],
            schedule.starts[i] + t.modes[schedule.modes[i]].duration,
            info.machines,
        )
        for i, (t, info) in enumerate(zip(problem.tasks, recovery.tasks, strict=True))
    ]
    previous = plan_store.versions(uow)
    now = ctx.clock.now()
    version = PlanVersion(
        0,
        now,
        ctx.actor,
        reason,
        start,
        options.hours_per_day,
        options.method.value,
        status,
        objective,
        lower,
        evaluation.makespan,
        seconds,
    )
    plan_id = plan_store.save_plan(uow, version, tasks, forecasts)
    version = PlanVersion(**{**version.__dict__, "id": plan_id})
    clinic_store.save_plan_levels(
        uow,
        plan_id,
        (
            (level.site, level.activity, level.capacity, calendar.at(hour))
            for level, hour in zip(recovery.levels, evaluation.milestone_times, strict=True)
        ),
    )
    changes = compare(plan_store.forecasts(uow, previous[-1].id), forecasts) if previous else []
    record_event(
        uow,
        ctx,
        EventType.PLAN_CREATED,
        "plan",
        str(plan_id),
        after={
            "method": version.method,
            "status": status,
            "weighted_downtime": objective,
            "lower_bound": lower,
            "makespan_hours": evaluation.makespan,
        },
        reason=reason,
    )
    gap = (objective - lower) / objective if objective and lower else 0.0
    return PlanResult(version, forecasts, changes, gap)


def compare(before: Sequence[Forecast], after: Sequence[Forecast]) -> list[ForecastChange]:
    """Activities whose full return moved between two versions, with what they now wait for."""
    old = {(f.site, f.activity): f for f in before}
    out = []
    for f in after:
        was = old.get((f.site, f.activity))
        if was is not None and was.full_at != f.full_at:
            out.append(
                ForecastChange(f.site, f.activity, f.name, was.full_at, f.full_at, f.waits_for)
            )
    return out


def show_plan(uow: UnitOfWork, version: int | None = None) -> tuple[PlanVersion, list[Forecast]]:
    chosen = _version(uow, version)
    return chosen, plan_store.forecasts(uow, chosen.id)


def plan_tasks(
    uow: UnitOfWork, version: int | None = None
) -> tuple[PlanVersion, list[PlannedTask]]:
    chosen = _version(uow, version)
    return chosen, plan_store.tasks(uow, chosen.id)


def compare_versions(uow: UnitOfWork, old: int | None, new: int | None) -> list[ForecastChange]:
    all_versions = plan_store.versions(uow)
    if len(all_versions) < 2 and (old is None or new is None):
        raise InvalidInput("only one plan version: there is nothing to compare yet")
    before = _version(uow, old) if old is not None else all_versions[-2]
    after = _version(uow, new)
    return compare(plan_store.forecasts(uow, before.id), plan_store.forecasts(uow, after.id))


def list_plans(uow: UnitOfWork) -> list[PlanVersion]:
    return plan_store.versions(uow)


def report_delay(
    uow: UnitOfWork, ctx: Context, target: str, not_before: datetime, reason: str
) -> ReportedDelay:
    """Work on a service (code) or a department's PCs (SITE/DEPT) cannot start before a time."""
    reason = checked_text(reason, "the reason (--reason)")
    services = {s.code for s in network_store.services(uow)}
    departments = {f"{s}/{d}" for s, _, d in asset_store.machine_states(uow)}
    if target not in services | departments:
        raise InvalidInput(f"{target!r} is neither a service code nor a SITE/DEPARTMENT with PCs")
    if not reason.strip():
        raise InvalidInput(
            "a delay needs a reason (--reason), for the plan comparison and the audit"
        )
    now = ctx.clock.now()
    delay = ReportedDelay(target, not_before, reason, ctx.actor, now)
    plan_store.add_delay(uow, delay)
    record_event(
        uow,
        ctx,
        EventType.DELAY_REPORTED,
        "delay",
        target,
        after={"not_before": not_before.isoformat()},
        reason=reason,
    )
    return delay


def machines_back(uow: UnitOfWork) -> list[datetime]:
    """When machines were redeployed, as reported (the 'actual' of plan-versus-actual)."""
    return asset_store.redeployed_over_time(uow)


def _version(uow: UnitOfWork, version: int | None) -> PlanVersion:
    all_versions = plan_store.versions(uow)
    if not all_versions:
        raise InvalidInput("no plan yet: run `relance plan` first")
    if version is None:
        return all_versions[-1]
    found = next((v for v in all_versions if v.id == version), None)
    if found is None:
        raise InvalidInput(
            f"no plan version {version} (versions: {', '.join(str(v.id) for v in all_versions)})"
        )
    return found


def incident_start(uow: UnitOfWork) -> datetime | None:
    """Day 0 of the forecasts, if the scenario gives when the attack began."""
    return network_store.effort(uow)[1]


def draw_gantt(uow: UnitOfWork, out: Path, version: int | None = None) -> PlanVersion:
    chosen, tasks = plan_tasks(uow, version)
    _check_picture(out, (".png", ".svg", ".html"))
    plan_pictures.gantt(chosen, tasks, out)
    return chosen


def draw_curve(uow: UnitOfWork, out: Path, version: int | None = None) -> PlanVersion:
    """Machines redeployed: as reported, and as planned from the plan's start."""
    chosen, tasks = plan_tasks(uow, version)
    _check_picture(out, (".png", ".svg", ".html"))
    actual = [t for t in machines_back(uow) if t <= chosen.start_at]
    plan_pictures.curve(chosen, tasks, actual, len(actual), out)
    return chosen


def _check_picture(out: Path, suffixes: tuple[str, ...]) -> None:
    if out.suffix.lower() not in suffixes:
        raise InvalidInput(f"{out.name}: give a file ending in {', '.join(suffixes)}")
    if not out.parent.is_dir():
        raise InvalidInput(f"{out.parent} is not a directory")
