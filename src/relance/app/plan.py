"""Restoration plans: solve from the current state, store a version, forecast, compare, delay.

Solving takes as long as the crisis cell allows (30 s, a minute), so it never runs inside a
transaction: the state is read in a read-only unit, the schedule computed with no database
open, and the plan written in a short transaction of its own. Changes reported meanwhile are
not in the plan; it says how many there were (`changes_missed`).
"""

import math
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from relance.app.audit import record_event
from relance.app.choices import Method
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
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
from relance.planning.solve import best_rule, solve
from relance.storage import asset_store, audit_store, clinic_store, network_store, plan_store
from relance.storage.database import UnitOfWork
from relance.storage.plan_store import Forecast, PlannedTask, PlanVersion, ReportedDelay

__all__ = ["Forecast", "ForecastChange", "Method", "PlanOptions", "PlanVersion"]

# What a plan is computed from: a change of one of these while it is solved is not in it.
PLAN_INPUTS = (
    EventType.NETWORK_LOADED,
    EventType.ASSET_TRANSITIONED,
    EventType.ASSET_IMPORTED,  # an inventory import adds machines
    EventType.ASSET_RECLASSIFIED,  # or moves them to another site or department
    EventType.DELAY_REPORTED,
)


class Units(Protocol):
    """Opens a unit of work: read-only ones neither take nor wait for the write lock."""

    def __call__(self, *, read_only: bool = False) -> AbstractContextManager[UnitOfWork]: ...


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
class PlanInput:
    """The state a plan is solved from, read in one read-only unit."""

    recovery: RecoveryProblem
    start: datetime
    based_on: int  # the newest audit row then
    teams: dict[str, int]


@dataclass(frozen=True)
class ComputedPlan:
    """Everything a plan version stores, computed with no database open."""

    version: PlanVersion
    tasks: list[PlannedTask]
    forecasts: list[Forecast]
    levels: list[tuple[str, str, int, datetime]]  # site, activity, capacity, reached at


@dataclass(frozen=True)
class PlanResult:
    version: PlanVersion
    forecasts: list[Forecast]
    changes: list[ForecastChange]  # against the previous version
    above_best: float | None  # at most this share above the best possible plan (None: unproven)


def above_best(version: PlanVersion) -> float | None:
    """How far above the proven lower bound a plan can be: 0.12 is "at most 12 % worse than the
    best possible plan"; None when nothing was proven."""
    if version.lower_bound <= 0:
        return None
    return max(0.0, (version.objective - version.lower_bound) / version.lower_bound)


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
        machines=asset_store.pcs(uow),
        delays=delays,
    )
    return build(state, options.batch_size)


def read_state(uow: UnitOfWork, ctx: Context, options: PlanOptions) -> PlanInput:
    """What the plan needs, read at one moment (a read-only unit is enough)."""
    if options.hours_per_day not in range(1, 25):
        raise InvalidInput(N_("--hours-per-day must be between 1 and 24"))
    based_on = audit_store.last_id(uow)
    start = options.start or plan_start(uow, ctx)
    recovery = recovery_problem(uow, start, options)
    teams = {t.code: t.size for t in network_store.teams(uow)}
    return PlanInput(recovery, start, based_on, teams)


def compute_plan(state: PlanInput, ctx: Context, options: PlanOptions, reason: str) -> ComputedPlan:
    """Solve and forecast; touches no database, however long the search."""
    recovery, problem = state.recovery, state.recovery.problem
    bound_method = ""
    if options.method is Method.CPSAT:
        result = solve(problem, options.time_limit, options.workers, options.seed)
        schedule, status, lower, seconds = (
            result.schedule,
            result.status,
            result.lower_bound,
            result.seconds,
        )
        bound_method = result.bound_method
    else:
        schedule = baseline.tiers(problem) if options.method is Method.TIERS else best_rule(problem)
        status, lower, seconds = "heuristic", 0, 0.0
    evaluation = evaluate(problem, schedule).check()
    calendar = Calendar(state.start, options.hours_per_day)
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
            info.hostnames,
            problem.predecessors[i],
        )
        for i, (t, info) in enumerate(zip(problem.tasks, recovery.tasks, strict=True))
    ]
    version = PlanVersion(
        id=0,
        created_at=ctx.clock.now(),
        actor=ctx.actor,
        reason=reason,
        start_at=state.start,
        hours_per_day=options.hours_per_day,
        method=options.method.value,
        status=status,
        objective=evaluation.weighted_downtime,
        lower_bound=lower,
        makespan_hours=evaluation.makespan,
        seconds=seconds,
        based_on=state.based_on,
        bound_method=bound_method,
        teams=state.teams,
        site_objectives=_site_objectives(recovery, evaluation.milestone_times),
    )
    levels = [
        (level.site, level.activity, level.capacity, calendar.at(hour))
        for level, hour in zip(recovery.levels, evaluation.milestone_times, strict=True)
    ]
    return ComputedPlan(version, tasks, forecasts, levels)


def _site_objectives(recovery: RecoveryProblem, times: Sequence[int]) -> dict[str, int]:
    """Each site's part of the weighted downtime: its activities' levels, weight x hour."""
    by_site: Counter[str] = Counter()
    milestones = recovery.problem.milestones
    for level, milestone, hour in zip(recovery.levels, milestones, times, strict=True):
        by_site[level.site] += milestone.weight * hour
    return dict(sorted(by_site.items()))


def store_plan(uow: UnitOfWork, ctx: Context, plan: ComputedPlan) -> PlanResult:
    """Write a computed plan as the next version, saying what changed while it was solved."""
    missed = audit_store.count_after(uow, plan.version.based_on, PLAN_INPUTS)
    previous = plan_store.versions(uow)
    version = replace(plan.version, changes_missed=missed)
    plan_id = plan_store.save_plan(uow, version, plan.tasks, plan.forecasts)
    version = replace(version, id=plan_id)
    clinic_store.save_plan_levels(uow, plan_id, plan.levels)
    changes = (
        compare(plan_store.forecasts(uow, previous[-1].id), plan.forecasts) if previous else []
    )
    record_event(
        uow,
        ctx,
        EventType.PLAN_CREATED,
        "plan",
        str(plan_id),
        after={
            "method": version.method,
            "status": version.status,
            "weighted_downtime": version.objective,
            "lower_bound": version.lower_bound,
            "makespan_hours": version.makespan_hours,
            "based_on": version.based_on,
            "changes_missed": missed,
        },
        reason=version.reason,
    )
    return PlanResult(version, plan.forecasts, changes, above_best(version))


def make_plan(
    units: Units,
    ctx: Context,
    options: PlanOptions,
    reason: str = "",
    on_read: Callable[[PlanInput], None] | None = None,
) -> PlanResult:
    """Read the state, solve with no transaction open, store the plan as a new version.

    `on_read` is told once the state is read (the command line says it is solving)."""
    reason = checked_text(reason, "the reason (--reason)")
    with units(read_only=True) as uow:
        state = read_state(uow, ctx, options)
    if on_read is not None:
        on_read(state)
    computed = compute_plan(state, ctx, options, reason)
    with units() as uow:
        return store_plan(uow, ctx, computed)


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
    chosen = plan_version(uow, version)
    return chosen, plan_store.forecasts(uow, chosen.id)


def plan_tasks(
    uow: UnitOfWork, version: int | None = None
) -> tuple[PlanVersion, list[PlannedTask]]:
    chosen = plan_version(uow, version)
    return chosen, plan_store.tasks(uow, chosen.id)


def compare_versions(uow: UnitOfWork, old: int | None, new: int | None) -> list[ForecastChange]:
    all_versions = plan_store.versions(uow)
    if len(all_versions) < 2 and (old is None or new is None):
        raise InvalidInput(N_("only one plan version: there is nothing to compare yet"))
    before = plan_version(uow, old) if old is not None else all_versions[-2]
    after = plan_version(uow, new)
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
        why = N_("{target} is neither a service code nor a SITE/DEPARTMENT with PCs")
        raise InvalidInput(why, target=repr(target))
    if not reason.strip():
        why = N_("a delay needs a reason (--reason), for the plan comparison and the audit")
        raise InvalidInput(why)
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


def plan_version(uow: UnitOfWork, version: int | None) -> PlanVersion:
    """A stored version (default: the newest), or a message listing those there are."""
    all_versions = plan_store.versions(uow)
    if not all_versions:
        raise InvalidInput(N_("no plan yet: run `relance plan` first"))
    if version is None:
        return all_versions[-1]
    found = next((v for v in all_versions if v.id == version), None)
    if found is None:
        why = N_("no plan version {version} (versions: {versions})")
        raise InvalidInput(
            why, version=version, versions=", ".join(str(v.id) for v in all_versions)
        )
    return found


def incident_start(uow: UnitOfWork) -> datetime | None:
    """Day 0 of the forecasts, if the scenario gives when the attack began."""
    return network_store.effort(uow)[1]
