"""Priority-rule schedules (serial schedule generation): the solver's warm start and fallback,
the test oracle, and the "tiers" schedule a crisis cell makes by hand."""

import heapq
from collections.abc import Callable, Sequence

from relance.planning.problem import Problem, Schedule

Priority = Callable[[Problem], Sequence[float]]  # lower value is scheduled first


class _Profile:
    """Units in use per time slot of one resource, grown on demand."""

    def __init__(self, capacity: int) -> None:
        self.capacity, self.used = capacity, [0] * 64

    def fits(self, start: int, duration: int, units: int) -> int | None:
        """None if [start, start+duration) has room, else the next slot worth trying."""
        self._grow(start + duration)
        for t in range(start, start + duration):
            if self.used[t] + units > self.capacity:
                return t + 1
        return None

    def take(self, start: int, duration: int, units: int) -> None:
        self._grow(start + duration)
        for t in range(start, start + duration):
            self.used[t] += units

    def _grow(self, size: int) -> None:
        if size > len(self.used):
            self.used.extend([0] * max(size - len(self.used), len(self.used)))


class _Builder:
    """A schedule under construction: resource profiles and the tasks placed so far."""

    def __init__(self, problem: Problem) -> None:
        n = len(problem.tasks)
        self.problem = problem
        self.profiles = [_Profile(r.capacity) for r in problem.resources]
        self.starts, self.modes, self.ends = [0] * n, [0] * n, [0] * n

    def run(self, members: Sequence[int], priority: Sequence[float], release: int = 0) -> None:
        """Place `members` (their predecessors outside it already placed), lowest value first."""
        problem, inside = self.problem, set(members)
        waiting = {i: sum(p in inside for p in problem.predecessors[i]) for i in members}

        def key(j: int) -> tuple[bool, float, int]:
            return (problem.tasks[j].fixed_start is None, priority[j], j)

        ready = [key(i) for i in members if waiting[i] == 0]
        heapq.heapify(ready)
        while ready:
            i = heapq.heappop(ready)[2]
            earliest = max([release, *(self.ends[p] for p in problem.predecessors[i])])
            self.starts[i], self.modes[i] = _place(problem, self.profiles, i, earliest)
            self.ends[i] = self.starts[i] + problem.tasks[i].modes[self.modes[i]].duration
            for s in problem.successors[i]:
                if s in inside:
                    waiting[s] -= 1
                    if waiting[s] == 0:
                        heapq.heappush(ready, key(s))

    def schedule(self) -> Schedule:
        return Schedule(tuple(self.starts), tuple(self.modes))


def serial_sgs(problem: Problem, priority: Sequence[float]) -> Schedule:
    """Schedule tasks one at a time, each at its earliest feasible start in its best mode.

    Among the tasks whose predecessors are all placed, take the lowest priority value;
    work under way keeps its start.
    """
    builder = _Builder(problem)
    builder.run(range(len(problem.tasks)), priority)
    return builder.schedule()


def tiers(problem: Problem) -> Schedule:
    """The crisis cell's hand-made order: whole tiers one after another (like SRM groups);
    a tier starts once the previous one is finished, its longest chains first. A task never
    comes before a predecessor's tier, whatever its own."""
    n = len(problem.tasks)
    tier = [t.tier for t in problem.tasks]
    for i in problem.topological_order():
        tier[i] = max([tier[i], *(tier[p] for p in problem.predecessors[i])])
    lft = latest_finish(problem)
    builder = _Builder(problem)
    done_at = 0
    for level in sorted(set(tier)):
        members = [i for i in range(n) if tier[i] == level]
        builder.run(members, lft, release=done_at)
        done_at = max([done_at, *(builder.ends[i] for i in members)])
    return builder.schedule()


def _place(problem: Problem, profiles: list[_Profile], i: int, earliest: int) -> tuple[int, int]:
    task = problem.tasks[i]
    best: tuple[int, int] | None = None
    if task.fixed_start is not None:  # under way: keep its start, on a team that has room
        best = next(
            (
                (task.fixed_start, m)
                for m, mode in enumerate(task.modes)
                if all(
                    profiles[r].fits(task.fixed_start, mode.duration, u) is None
                    for r, u in mode.demands
                )
            ),
            (task.fixed_start, 0),
        )
    for m, mode in enumerate(task.modes if best is None else ()):
        start = earliest
        while best is None or start < best[0]:
            blocked = [profiles[r].fits(start, mode.duration, u) for r, u in mode.demands]
            later = max((b for b in blocked if b is not None), default=None)
            if later is None:
                best = (start, m)
                break
            start = later
    assert best is not None  # noqa: S101 - every demand fits an empty profile (checked by Problem)
    start, m = best
    for r, units in task.modes[m].demands:
        profiles[r].take(start, task.modes[m].duration, units)
    return best


def latest_finish(problem: Problem) -> list[float]:
    """LFT rule: tasks whose successors chain is longest go first (a classic for makespan)."""
    n = len(problem.tasks)
    tail = [0.0] * n
    for i in reversed(problem.topological_order()):
        d = min(m.duration for m in problem.tasks[i].modes)
        tail[i] = d + max((tail[s] for s in problem.successors[i]), default=0.0)
    return [-t for t in tail]


def weighted_urgency(problem: Problem) -> list[float]:
    """Tasks that unlock the most milestone weight per hour of work first, then LFT."""
    n = len(problem.tasks)
    weight = [0.0] * n
    for m in problem.milestones:
        for t in m.tasks:
            weight[t] += m.weight / max(1, len(m.tasks))
    for i in reversed(problem.topological_order()):
        weight[i] += sum(weight[s] for s in problem.successors[i]) * 0.5
    lft = latest_finish(problem)
    return [
        -(weight[i] * 1e6) / max(1, min(m.duration for m in problem.tasks[i].modes)) + lft[i]
        for i in range(n)
    ]
