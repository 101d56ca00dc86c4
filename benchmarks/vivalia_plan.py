"""Plan the vivalia-2022 network from the state after `relance demo`: every priority rule, the
optimised plan, its proven bound, and the forecasts beside the press record (day 0 = T0).

    python benchmarks/vivalia_plan.py [--time-limit 30] [--workers 2] [--picture FILE]

Acceptance (issue 13): the optimised plan's weighted downtime <= 0.90 x the best rule's (every
rule of baseline.py, and each sampled for the same time when it can be), and a proven lower
bound within 25 % of the plan.
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

import matplotlib.pyplot as plt
import ortools

from machine import about  # benchmarks/machine.py, beside this script
from relance.app import demo
from relance.app.context import Context
from relance.app.plan import PlanOptions, incident_start, plan_start, recovery_problem
from relance.app.status import network_status
from relance.domain.lifecycle import AssetState
from relance.planning import baseline, improve
from relance.planning.build import RecoveryProblem
from relance.planning.evaluate import evaluate
from relance.planning.forecast import Calendar
from relance.planning.problem import Problem, Schedule
from relance.planning.solve import SolveResult, solve
from relance.storage.database import UnitOfWork, make_engine, migrate, unit_of_work

SITES = ("ARL", "MAR", "LIB", "BAS", "VIR")
# What happened, day numbers from T0 (14 May 2022 03:30), with the seed article saying it.
RECORD = {
    ("surgery", "ARL"): ("17", "000: resumes Tue 31 May"),
    ("surgery", "MAR"): ("18", "000: Wed 1 June"),
    ("surgery", "LIB"): ("19", "000: Thu 2 June"),
    ("surgery", "BAS"): ("20, then postponed", "000: Fri 3 June; 002: unrelated fault"),
    ("surgery", "VIR"): ("-", "no date in the record"),
    ("labs", "3 sites"): ("16", "000: > 70 % on the three lab sites, Mon 30 May"),
    ("consultations", "MAR"): ("25", "002: almost normal, Wed 8 June"),
    ("consultations", "LIB"): ("25", "002: almost normal, Wed 8 June"),
    ("consultations", "ARL"): ("> 25", "002: still progressive on 8 June"),
    ("consultations", "VIR"): ("> 25", "002: still progressive on 8 June"),
    ("radiology", "*"): ("before surgery", "000: theatres get images from radiology"),
    ("machines", "900"): ("25", "002: about 900 reformatted, 8 June"),
}
LAB_SITES = ("ARL", "MAR", "LIB")  # the three lab sites of the record, by size


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


def every_rule(problem: Problem, seconds: float) -> dict[str, Schedule]:
    """Each rule of baseline.py; those built on a priority also sampled for `seconds`."""
    priorities: dict[str, Callable[[Problem], list[float]]] = {
        "latest finish": baseline.latest_finish,
        "weighted urgency": baseline.weighted_urgency,
    }
    found = {"tiers (by hand)": baseline.tiers(problem)}
    for name, rule in priorities.items():
        priority = rule(problem)
        found[name] = baseline.serial_sgs(problem, priority)
        found[f"{name}, sampled {seconds:g} s"] = improve.sample(
            problem, [found[name]], [priority], seconds
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hours-per-day", type=int, default=PlanOptions.hours_per_day)
    parser.add_argument("--picture", type=Path, help="PNG comparing the tiers and optimised plans")
    args = parser.parse_args()
    recovery, calendar, day0, back = demo_state(args.hours_per_day)
    problem = recovery.problem
    rules = every_rule(problem, args.time_limit)
    scores = {name: evaluate(problem, s).check().weighted_downtime for name, s in rules.items()}
    began = time.perf_counter()
    result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    wall = time.perf_counter() - began
    load = os.getloadavg()
    machine = about(ortools=ortools.__version__)
    print(f"machine: {machine['cpus']} CPUs, {machine['cpu']}, Python {machine['python']}")
    print(f"load average {load[0]:.1f} (1 min), {load[1]:.1f} (5 min) at the end")
    print(f"OR-Tools {machine['ortools']}, {args.workers} workers, {args.time_limit:g} s limit")
    print(
        f"problem: {len(problem.tasks)} tasks, {len(problem.resources)} team pools, "
        f"{len(problem.milestones)} milestones; start {calendar.start:%Y-%m-%d %H:%M}, "
        f"{args.hours_per_day} h/day"
    )
    report(scores, result, wall)
    tiers = rules["tiers (by hand)"]
    history(recovery, tiers, result.schedule, calendar=calendar, day0=day0, back=back)
    if args.picture:
        draw(recovery, (tiers, result.schedule), calendar=calendar, day0=day0, already=back)
        plt.savefig(args.picture, dpi=110)
        print(f"picture: {args.picture}")


def report(scores: dict[str, int], result: SolveResult, wall: float) -> None:
    print("\nweighted downtime")
    for name, score in scores.items():
        print(f"  rule {name:34}{score:>14,}")
    best_name = min((n for n in scores if not n.startswith("tiers")), key=lambda n: scores[n])
    best = scores[best_name]
    print(f"  optimised ({result.status}){'':22}{result.objective:>14,}")
    ratio = result.objective / best
    print(f"ratio to the best rule ({best_name}): {ratio:.3f}  (target <= 0.90)")
    bound = result.lower_bound
    below = (result.objective - bound) / result.objective if result.objective else 0.0
    above = (result.objective - bound) / bound if bound else float("inf")
    print(
        f"proven lower bound ({result.bound_method}): {bound:,}; the plan is {below:.1%} above it "
        f"as a share of the plan (target <= 25 %), at most {above:.1%} above the best possible"
    )
    print(f"seconds: {wall:.1f} (solve)")


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
    plans = [level_days(recovery, s, calendar, day0) for s in (tiers, best)]
    print(f"\n{'day (from T0)':30}{'tiers':>7}{'optimised':>11}   record (seed)")

    def line(label: str, values: list[float | None], key: tuple[str, str]) -> None:
        shown = "".join(
            f"{v:>{w}.1f}" if v is not None else f"{'-':>{w}}"
            for v, w in zip(values, (7, 11), strict=True)
        )
        known, seed = RECORD.get(key, ("", ""))
        print(f"{label:30}{shown}   {known} ({seed})" if known else f"{label:30}{shown}")

    for site in SITES:
        line(
            f"surgery back, {site}",
            [p.get((site, "surgery", 100)) for p in plans],
            ("surgery", site),
        )
    for site in SITES:
        line(
            f"radiology back, {site}",
            [p.get((site, "radiology", 100)) for p in plans],
            ("radiology", "*"),
        )
    labs = [max(p[(s, "labs", 75)] for s in LAB_SITES) for p in plans]
    line("labs >= 75 %, ARL MAR LIB", labs, ("labs", "3 sites"))
    for site in SITES:
        line(
            f"consultations back, {site}",
            [p.get((site, "consultations", 100)) for p in plans],
            ("consultations", site),
        )
    for target in (828, 900):
        days = [machine_days(recovery, s, calendar, day0) for s in (tiers, best)]
        when = [d[target - back - 1] if 0 < target - back <= len(d) else None for d in days]
        line(f"{target} machines back", when, ("machines", "900") if target == 900 else ("", ""))
    print(f"{'':30}{'':18}   828 by about day 20 (RTL, about 3 June)")


def draw(
    recovery: RecoveryProblem,
    schedules: tuple[Schedule, Schedule],
    *,
    calendar: Calendar,
    day0: datetime,
    already: int,
) -> None:
    fig, ax = plt.subplots(figsize=(10, 5))
    styles = (("tiers (by hand)", "--"), ("optimised", "-"))
    for (label, style), schedule in zip(styles, schedules, strict=True):
        days = machine_days(recovery, schedule, calendar, day0)
        steps = range(already + 1, already + len(days) + 1)
        ax.step(days, steps, where="post", linestyle=style, label=label)
    ax.scatter([25], [900], color="black", zorder=5, label="record: about 900 machines, day 25")
    ax.scatter([20], [828], color="grey", zorder=5, label="record: 828 machines, about day 20")
    ax.scatter([11], [341], color="silver", zorder=5, label="record: 341 machines, day 11")
    ax.set_xlabel("days since the attack (T0 = 14 May 2022 03:30)")
    ax.set_ylabel("machines back (servers and PCs)")
    ax.set_title("vivalia-2022: restoration after the demo's first three days")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()


if __name__ == "__main__":
    main()
