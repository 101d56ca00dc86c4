"""Recompute a schedule's objective and check it, independently of whoever made it."""

from dataclasses import dataclass

from relance.planning.problem import Problem, Schedule


@dataclass(frozen=True)
class Evaluation:
    feasible: bool
    violations: tuple[str, ...]
    makespan: int
    milestone_times: tuple[int, ...]
    weighted_downtime: int  # sum of milestone weight x time

    def check(self) -> "Evaluation":
        """Raise if infeasible: a schedule that breaks a rule must never be shown as a plan."""
        if not self.feasible:
            raise AssertionError("infeasible schedule: " + "; ".join(self.violations[:5]))
        return self


def evaluate(problem: Problem, schedule: Schedule) -> Evaluation:
    n = len(problem.tasks)
    violations: list[str] = []
    if len(schedule.starts) != n or len(schedule.modes) != n:
        return Evaluation(False, ("schedule length differs from the task count",), 0, (), 0)
    ends = []
    for i, task in enumerate(problem.tasks):
        m, start = schedule.modes[i], schedule.starts[i]
        if not 0 <= m < len(task.modes):
            violations.append(f"{task.name}: mode {m} does not exist")
            m = 0
        if start < 0:
            violations.append(f"{task.name} starts before the plan")
        if task.fixed_start is not None and start != task.fixed_start:
            violations.append(f"{task.name} is under way and must start at {task.fixed_start}")
        ends.append(start + task.modes[m].duration)
    for a, b in problem.precedences:
        if schedule.starts[b] < ends[a]:
            violations.append(f"{problem.tasks[b].name} starts before {problem.tasks[a].name} ends")
    violations += _overloads(problem, schedule, ends)
    makespan = max(ends, default=0)
    times = tuple(max((ends[t] for t in m.tasks), default=0) for m in problem.milestones)
    downtime = sum(m.weight * t for m, t in zip(problem.milestones, times, strict=True))
    return Evaluation(not violations, tuple(violations), makespan, times, downtime)


def _overloads(problem: Problem, schedule: Schedule, ends: list[int]) -> list[str]:
    """Sweep each resource's usage over time; report where it exceeds the capacity."""
    events: dict[int, list[tuple[int, int]]] = {}
    for i, task in enumerate(problem.tasks):
        mode = task.modes[schedule.modes[i]] if 0 <= schedule.modes[i] < len(task.modes) else None
        if mode is None or mode.duration == 0:
            continue
        for r, units in mode.demands:
            events.setdefault(r, []).extend(((schedule.starts[i], units), (ends[i], -units)))
    out = []
    for r, changes in events.items():
        changes.sort(key=lambda e: (e[0], e[1]))  # releases before acquisitions at equal times
        used = 0
        for time, delta in changes:
            used += delta
            if used > problem.resources[r].capacity:
                out.append(f"{problem.resources[r].name} over capacity at {time}: {used}")
                break
    return out
