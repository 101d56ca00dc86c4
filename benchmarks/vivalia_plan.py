"""Plan the vivalia-2022 network from the state after `relance demo`: CP-SAT against the tiers
baseline, and the tiers forecast against what really happened (public facts, day 0 = T0).

    python benchmarks/vivalia_plan.py [--time-limit 30] [--workers 2] [--picture FILE]
"""

import argparse
import os
import platform
import tempfile
import time
from contextlib import AbstractContextManager
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import matplotlib.pyplot as plt

from relance.app import demo
from relance.app.context import Context
from relance.app.plan import PlanOptions, incident_start, plan_start, recovery_problem
from relance.app.status import network_status
from relance.domain.lifecycle import AssetState
from relance.planning import baseline
from relance.planning.build import RecoveryProblem
from relance.planning.evaluate import evaluate
from relance.planning.forecast import Calendar
from relance.planning.problem import Schedule
from relance.planning.solve import solve
from relance.storage.database import UnitOfWork, make_engine, migrate, unit_of_work

HISTORY = {  # public facts (docs/reference-scenario.md), day numbers from T0
    "surgery ARL": "17",
    "surgery MAR": "18",
    "surgery LIB": "19",
    "surgery BAS": "20 (slipped, unrelated fault)",
    "labs 50 %": "10-11",
    "machines back by day 20": "828 (about 900)",
}


def day_of(calendar: Calendar, day0: datetime, hour: int) -> float:
    return (calendar.at(hour) - day0).total_seconds() / 86400


def level_days(
    recovery: RecoveryProblem, schedule: Schedule, calendar: Calendar, day0: datetime
) -> dict[tuple[str, str, int], float]:
    """(site, activity, capacity %) -> day number (from T0) the level is reached."""
    evaluation = evaluate(recovery.problem, schedule).check()
    return {
        (level.site, level.activity, level.capacity): day_of(calendar, day0, hour)
        for level, hour in zip(recovery.levels, evaluation.milestone_times, strict=True)
    }


def machine_days(
    recovery: RecoveryProblem, schedule: Schedule, calendar: Calendar, day0: datetime
) -> list[float]:
    """The day each machine of the plan is back, sorted."""
    days = []
    for start, mode, task, info in zip(
        schedule.starts, schedule.modes, recovery.problem.tasks, recovery.tasks, strict=True
    ):
        if info.kind in ("server", "machines"):
            end = day_of(calendar, day0, start + task.modes[mode].duration)
            days += [end] * info.machines
    return sorted(days)


def machines_by(
    recovery: RecoveryProblem, schedule: Schedule, calendar: Calendar, day0: datetime, day: int
) -> int:
    return sum(1 for d in machine_days(recovery, schedule, calendar, day0) if d <= day)


def demo_state(hours_per_day: int) -> tuple[RecoveryProblem, Calendar, datetime, int]:
    """The remaining work after the demo's replay, its calendar, T0 and machines already back."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'relance.db'}")
        migrate(engine)

        def transaction() -> AbstractContextManager[UnitOfWork]:
            return unit_of_work(engine)

        demo.load_reference(transaction)
        for _ in demo.replay(transaction):
            pass
        with unit_of_work(engine) as uow:
            start = plan_start(uow, Context("bench"))
            recovery = recovery_problem(uow, start, PlanOptions(hours_per_day=hours_per_day))
            day0 = incident_start(uow)
            totals = network_status(uow).totals
        engine.dispose()
    if day0 is None:
        raise SystemExit("the reference scenario must give incident_start")
    back = sum(by_state[AssetState.REDEPLOYED] for by_state in totals.values())
    return recovery, Calendar(start, hours_per_day), day0, back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hours-per-day", type=int, default=PlanOptions.hours_per_day)
    parser.add_argument("--picture", type=Path, help="PNG comparing the tiers and optimised plans")
    args = parser.parse_args()
    recovery, calendar, day0, back = demo_state(args.hours_per_day)
    problem = recovery.problem
    began = time.perf_counter()
    tiers = baseline.tiers(problem)
    tiers_eval = evaluate(problem, tiers).check()
    result = solve(problem, time_limit=args.time_limit, workers=args.workers)
    wall = time.perf_counter() - began
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}")
    print(f"OR-Tools {version('ortools')}, {args.workers} workers, {args.time_limit} s limit")
    print(
        f"problem: {len(problem.tasks)} tasks, {len(problem.resources)} teams, "
        f"{len(problem.milestones)} milestones; start {calendar.start:%Y-%m-%d %H:%M}, "
        f"{args.hours_per_day} h/day"
    )
    print(f"tiers baseline  weighted downtime {tiers_eval.weighted_downtime:>14,}")
    print(f"optimised plan  weighted downtime {result.objective:>14,}  ({result.status})")
    print(f"lower bound                       {result.lower_bound:>14,}  gap {result.gap:.1%}")
    print(f"makespan: tiers {tiers_eval.makespan} h, optimised {result.evaluation.makespan} h")
    print(f"reduction against tiers: {1 - result.objective / tiers_eval.weighted_downtime:.1%}")
    print(f"seconds (tiers + solve): {wall:.1f}")
    history(recovery, tiers, result.schedule, calendar=calendar, day0=day0, back=back)
    if args.picture:
        draw(
            recovery,
            (tiers, result.schedule),
            calendar=calendar,
            day0=day0,
            already=back,
            out=args.picture,
        )
        print(f"picture: {args.picture}")


def history(
    recovery: RecoveryProblem,
    tiers: Schedule,
    best: Schedule,
    *,
    calendar: Calendar,
    day0: datetime,
    back: int,
) -> None:
    """The forecasts side by side with what happened at Vivalia."""
    tier_days = level_days(recovery, tiers, calendar, day0)
    best_days = level_days(recovery, best, calendar, day0)
    print(f"\n{'day (from T0)':32}{'tiers':>8}{'optimised':>11}   history")
    for site in ("ARL", "MAR", "LIB", "BAS", "VIR"):
        key = (site, "surgery", 100)
        known = HISTORY.get(f"surgery {site}", "")
        print(f"{'surgery ' + site:32}{tier_days[key]:8.1f}{best_days[key]:11.1f}   {known}")
    labs = [v for (_, a, c), v in tier_days.items() if a == "labs" and c == 50]
    labs_best = [v for (_, a, c), v in best_days.items() if a == "labs" and c == 50]
    mean, mean_best = sum(labs) / len(labs), sum(labs_best) / len(labs_best)
    print(f"{'labs 50 % (mean of sites)':32}{mean:8.1f}{mean_best:11.1f}   {HISTORY['labs 50 %']}")
    by_20 = [back + machines_by(recovery, s, calendar, day0, 20) for s in (tiers, best)]
    known = HISTORY["machines back by day 20"]
    print(f"{'machines back by day 20':32}{by_20[0]:8}{by_20[1]:11}   {known}")


def draw(
    recovery: RecoveryProblem,
    schedules: tuple[Schedule, Schedule],
    *,
    calendar: Calendar,
    day0: datetime,
    already: int,
    out: Path,
) -> None:
    fig, ax = plt.subplots(figsize=(10, 5))
    styles = (("tiers (by hand)", "--"), ("optimised (CP-SAT)", "-"))
    for (label, style), schedule in zip(styles, schedules, strict=True):
        days = machine_days(recovery, schedule, calendar, day0)
        steps = range(already + 1, already + len(days) + 1)
        ax.step(days, steps, where="post", linestyle=style, label=label)
    ax.scatter([20], [828], color="black", zorder=5, label="history: 828 machines by day 20")
    ax.scatter([11], [341], color="grey", zorder=5, label="history: 341 machines by day 11")
    ax.set_xlabel("days since the attack (T0 = 14 May 2022 03:30)")
    ax.set_ylabel("machines back (servers and PCs)")
    ax.set_title("vivalia-2022: restoration after the demo's first three days")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
