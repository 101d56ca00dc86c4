"""The scheduling problem: immutable, index-based, validated when built.

A resource-constrained project: tasks with alternative modes (one per team able to do the
work), precedences, renewable resources (teams, their size as capacity) and milestones (a
level of a clinical activity, reached when all its tasks are finished). The objective is
the weighted sum of milestone times, then the makespan. With no milestone it is plain
RCPSP (makespan), which is how PSPLIB instances are solved.
"""

from dataclasses import dataclass, field

from relance.domain.errors import N_, InvalidInput
from relance.domain.network import dependency_cycle


class InfeasibleProblem(InvalidInput):
    """The work cannot be scheduled at all (a task no team can do, a cycle)."""


@dataclass(frozen=True)
class Resource:
    name: str
    capacity: int


@dataclass(frozen=True)
class Mode:
    """One way to do a task: how long it takes and what it holds meanwhile."""

    duration: int
    demands: tuple[tuple[int, int], ...] = ()  # (resource index, units)


@dataclass(frozen=True)
class Task:
    name: str
    modes: tuple[Mode, ...]
    group: str = ""  # what the task restores, for pictures and tiers (a service, a department)
    tier: int = 0  # the hand-made restoration tier, for the tiers baseline
    fixed_start: int | None = None  # work already under way starts now, it is not moved


@dataclass(frozen=True)
class Milestone:
    """A level of an activity: reached when every task listed is finished."""

    name: str
    weight: int  # cost per time unit until reached (integer: CP-SAT objectives are integers)
    tasks: tuple[int, ...]


@dataclass(frozen=True)
class Problem:
    resources: tuple[Resource, ...]
    tasks: tuple[Task, ...]
    precedences: tuple[tuple[int, int], ...]  # (before, after): after starts once before ends
    milestones: tuple[Milestone, ...] = ()
    successors: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    predecessors: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.tasks)
        for r in self.resources:
            if r.capacity < 0:
                raise InvalidInput(f"resource {r.name} has a negative capacity")
        for i, task in enumerate(self.tasks):
            self._check_task(i, task)
        succ: list[list[int]] = [[] for _ in range(n)]
        pred: list[list[int]] = [[] for _ in range(n)]
        for a, b in self.precedences:
            if not (0 <= a < n and 0 <= b < n):
                raise InvalidInput(f"precedence ({a}, {b}) names a task that does not exist")
            succ[a].append(b)
            pred[b].append(a)
        cycle = dependency_cycle({str(i): [str(j) for j in succ[i]] for i in range(n)})
        if cycle:
            names = " -> ".join(self.tasks[int(i)].name for i in cycle)
            raise InfeasibleProblem(N_("the work has a precedence cycle: {names}"), names=names)
        for m in self.milestones:
            if any(not 0 <= t < n for t in m.tasks) or m.weight < 0:
                raise InvalidInput(f"milestone {m.name} names a missing task or a negative weight")
        object.__setattr__(self, "successors", tuple(tuple(s) for s in succ))
        object.__setattr__(self, "predecessors", tuple(tuple(p) for p in pred))

    def _check_task(self, index: int, task: Task) -> None:
        if not task.modes:
            no_team = N_("no team can do {task}: no team has the skill at its site")
            raise InfeasibleProblem(no_team, task=task.name)
        for mode in task.modes:
            if mode.duration < 0:
                raise InvalidInput(f"{task.name} has a negative duration")
            for r, units in mode.demands:
                if not 0 <= r < len(self.resources):
                    raise InvalidInput(f"{task.name} uses resource {r}, which does not exist")
                if units > self.resources[r].capacity:
                    too_many = N_("{task} needs {units} of {team}, which has {capacity}")
                    team = self.resources[r]
                    raise InfeasibleProblem(
                        too_many,
                        task=task.name,
                        units=units,
                        team=team.name,
                        capacity=team.capacity,
                    )
        if task.fixed_start is not None and task.fixed_start < 0:
            raise InvalidInput(f"{task.name} is fixed before the plan starts")

    def topological_order(self) -> list[int]:
        """Tasks in an order where every predecessor comes first."""
        waiting = [len(p) for p in self.predecessors]
        order = [i for i, w in enumerate(waiting) if w == 0]
        for i in order:
            for s in self.successors[i]:
                waiting[s] -= 1
                if waiting[s] == 0:
                    order.append(s)
        return order

    def milestone_needs(self) -> list[frozenset[int]]:
        """For each milestone, every task it waits for: its own and, back along the precedences,
        theirs (a service's servers, the services it depends on, their servers...)."""
        out = []
        for m in self.milestones:
            seen = set(m.tasks)
            stack = list(m.tasks)
            while stack:
                for p in self.predecessors[stack.pop()]:
                    if p not in seen:
                        seen.add(p)
                        stack.append(p)
            out.append(frozenset(seen))
        return out

    def horizon(self) -> int:
        """A safe upper bound on the makespan: everything one after the other."""
        return sum(max(m.duration for m in t.modes) for t in self.tasks) + max(
            (t.fixed_start or 0 for t in self.tasks), default=0
        )


@dataclass(frozen=True)
class Schedule:
    """A start time and a chosen mode for every task."""

    starts: tuple[int, ...]
    modes: tuple[int, ...]
