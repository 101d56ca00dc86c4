"""When each activity comes back at each site, and what it waits for."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.planning.build import RecoveryProblem, assign_teams
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
    teams = assign_teams(recovery, schedule)
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
                waits_for=_chain(recovery, schedule, ends, teams, problem.milestones[last[2]].tasks)
                if last
                else "",
            )
        )
    return out


def _chain(
    recovery: RecoveryProblem,
    schedule: Schedule,
    ends: list[int],
    teams: list[str],
    tasks: tuple[int, ...],
) -> str:
    """The task that finishes last, then what it waited for: a predecessor, or technicians
    (it could have started earlier but its team was busy), and so on back. What is already
    done when the plan starts (a service running, work ended at hour 0) is no wait."""
    problem, links = recovery.problem, list[str]()
    current = max(tasks, key=lambda t: ends[t], default=None)
    while current is not None and ends[current] > 0 and len(links) < 4:
        info = recovery.tasks[current]
        if not links or links[-1] != info.group:
            links.append(info.group)
        preds = problem.predecessors[current]
        ready = max((ends[p] for p in preds), default=0)
        if schedule.starts[current] > ready and info.kind in ("server", "machines"):
            links.append(f"team {teams[current]}")
            break
        current = max(preds, key=lambda p: ends[p]) if preds else None
    return " <- ".join(links)
