"""When each activity comes back at each site, and what it waits for."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.planning.build import RecoveryProblem
from relance.planning.problem import Schedule


@dataclass(frozen=True)
class Calendar:
    """Working hours of the plan to dates: technicians work `hours_per_day` of every 24."""

    start: datetime
    hours_per_day: int

    def at(self, hour: int) -> datetime:
        return self.start + timedelta(hours=hour * 24 / self.hours_per_day)


@dataclass(frozen=True)
class ActivityForecast:
    site: str
    activity: str
    name: str
    capacity_now: int
    partial_hour: int | None  # first capacity gain; None when nothing is left to gain
    full_hour: int | None
    waits_for: str  # the chain the last step waits for, last link first


def forecast(recovery: RecoveryProblem, schedule: Schedule) -> list[ActivityForecast]:
    problem = recovery.problem
    ends = [
        s + t.modes[m].duration
        for s, m, t in zip(schedule.starts, schedule.modes, problem.tasks, strict=True)
    ]
    times: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for k, (level, milestone) in enumerate(zip(recovery.levels, problem.milestones, strict=True)):
        reached = max((ends[t] for t in milestone.tasks), default=0)
        times.setdefault((level.site, level.activity), []).append((reached, level.capacity, k))
    names = {(lv.site, lv.activity): lv.name for lv in recovery.levels}
    out = []
    for key, now in recovery.capacity_now.items():
        steps = times.get(key, [])
        full = next((t for t, c, _ in steps if c >= 100), None)
        last = max(steps, default=None)
        out.append(
            ActivityForecast(
                site=key[0],
                activity=key[1],
                name=names.get(key, key[1]),
                capacity_now=now,
                partial_hour=min((t for t, _, _ in steps), default=None),
                full_hour=full,
                waits_for=_chain(recovery, ends, problem.milestones[last[2]].tasks) if last else "",
            )
        )
    return out


def _chain(
    recovery: RecoveryProblem, ends: list[int], tasks: tuple[int, ...], depth: int = 4
) -> str:
    """The task that finishes last, then the predecessor it waited for, and so on."""
    problem, links = recovery.problem, list[str]()
    current = max(tasks, key=lambda t: ends[t], default=None)
    while current is not None and len(links) < depth:
        group = recovery.tasks[current].group
        if not links or links[-1] != group:
            links.append(group)
        preds = problem.predecessors[current]
        current = max(preds, key=lambda p: ends[p]) if preds else None
    return " <- ".join(links)
