"""A lower bound on the weighted downtime: a time-indexed relaxation solved as a linear program.

Relax the schedule into a fluid: technicians may share out any task's work and switch tasks
at will, a task's precedences only delay its earliest start (its critical path), and time is
cut into buckets. What remains must still hold: at the end of each bucket, the work of every
milestone reached by then (its tasks and all they wait for) fits in what the teams able to do
it could work since the start, for every set of teams (Hall's condition: it is exactly what a
fluid needs). A milestone reached in bucket s costs its weight times the start of that bucket.
Every real plan is such a fluid plan and costs at least as much, so the optimum of the linear
program is a lower bound of the best possible plan.

Variables, per bucket t: z[k,t], the share of milestone k reached by then (rising with t; a
level is reached no later than the levels above it), and y[j,t], the share done of the work j
(tasks grouped when the same milestones wait for them, on the same teams). The program is
solved with HiGHS through OR-Tools' model builder, within the deadline; the constraints of the
sets of teams are added lazily, those violated by the last solution, and every round's optimum
is already a bound. The solution also says when each milestone is reached in the fluid plan:
the order search starts from those times.

Measured on vivalia-2022 after the demo (2 cores, load average 18): 9.03 million against 4.9
for the bound of the full CP-SAT model, in 6.5 s (build and two rounds).
"""

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from ortools.linear_solver.python import model_builder as mb

from relance.planning.cpsat.model import bounds
from relance.planning.problem import Problem

FIRST_BUCKET = 160  # the first buckets are horizon / 160 long; later ones a fifteenth of the time
LATER = 15
TOLERANCE = 1e-5  # relative: what the floating-point optimum is lowered by before it is a proof
MAX_CELLS = 4_000_000  # milestones x tasks waited for x buckets beyond which it is not tried


@dataclass(frozen=True)
class Relaxation:
    bound: int  # no plan has a lower weighted downtime
    milestone_times: tuple[float, ...]  # when each milestone is reached in the fluid plan
    seconds: float


@dataclass(frozen=True)
class _Work:
    energy: int  # technician-hours
    teams: frozenset[int]  # the resources able to do it
    waited: frozenset[int]  # the milestones waiting for it (the lowest levels only)
    head: int  # it cannot end before this


def buckets(horizon: int) -> list[int]:
    """Ends of the buckets: short at first, where most milestones fall, longer later."""
    step = max(1, math.ceil(horizon / FIRST_BUCKET))
    ends, t = [], 0
    while t < horizon:
        t += max(step, round(t / LATER))
        ends.append(t)
    return ends


def relax(
    problem: Problem,
    horizon: int,
    deadline: float,
    on_round: Callable[[Relaxation], None] | None = None,
) -> Relaxation | None:
    """The bound and the fluid milestone times, or None if it could not be had by `deadline`.
    `on_round` is told each round's result (each is a bound; later ones are higher)."""
    began = time.perf_counter()
    needs = problem.milestone_needs()
    taus = buckets(horizon)
    if sum(len(n) for n in needs) * len(taus) > MAX_CELLS or not problem.milestones:
        return None
    works, heads = _works(problem, needs)
    program = _Program(problem, works, heads, needs, taus)
    result = None
    while time.perf_counter() < deadline:
        value = program.solve(deadline)
        if value is None:
            break
        result = Relaxation(
            max(0, math.floor(value - TOLERANCE * abs(value)) - 1),
            program.milestone_times(),
            time.perf_counter() - began,
        )
        if on_round is not None:
            on_round(result)
        if not program.add_violated_teams():
            break
    return result


def _works(problem: Problem, needs: list[frozenset[int]]) -> tuple[list[_Work], list[float]]:
    """Tasks grouped into works, and each milestone's earliest time (work and critical path)."""
    duration = [min(m.duration for m in t.modes) for t in problem.tasks]
    starts, _ = bounds(problem, problem.horizon())
    teams = [frozenset(r for m in t.modes for r, u in m.demands if u) for t in problem.tasks]
    energy = [
        min(sum(u for _, u in m.demands) * m.duration for m in t.modes) if teams[i] else 0
        for i, t in enumerate(problem.tasks)
    ]
    capacity = [r.capacity for r in problem.resources]
    heads: list[float] = []
    waited: dict[int, set[int]] = defaultdict(set)
    for k, (milestone, need) in enumerate(zip(problem.milestones, needs, strict=True)):
        head: float = max((starts[t] + duration[t] for t in milestone.tasks), default=0)
        for group in {teams[t] for t in need if energy[t]}:
            inside = [t for t in need if energy[t] and teams[t] <= group]
            room = sum(capacity[r] for r in group)
            for release in {starts[t] for t in inside}:  # what starts after it fits after it
                later = sum(energy[t] for t in inside if starts[t] >= release)
                head = max(head, release + later / room)
        heads.append(head)
        for t in need:
            if energy[t]:
                waited[t].add(k)
    grouped: dict[tuple[frozenset[int], frozenset[int], int], int] = defaultdict(int)
    for t, ks in waited.items():
        lowest = frozenset(k for k in ks if not any(needs[c] < needs[k] for c in ks))
        grouped[(lowest, teams[t], starts[t] + duration[t])] += energy[t]
    works = [_Work(e, group, ks, head) for (ks, group, head), e in grouped.items()]
    return works, heads


Var = mb.Variable


class _Program:
    def __init__(
        self,
        problem: Problem,
        works: list[_Work],
        heads: list[float],
        needs: list[frozenset[int]],
        taus: list[int],
    ) -> None:
        self.model = mb.Model()  # type: ignore[no-untyped-call]  # untyped in OR-Tools
        self.works, self.taus = works, taus
        n = len(problem.milestones)
        # z[k][t]: reached by the end of bucket t; None before it can be.
        first = [next((t for t, end in enumerate(taus) if end >= h), len(taus)) for h in heads]
        self.first = first
        self.z = [
            [self.model.new_num_var(0, 1, "") if t >= first[k] else None for t in range(len(taus))]
            for k in range(n)
        ]
        for k in range(n):
            for t in range(first[k], len(taus) - 1):
                self._at_most(self.z[k][t], self.z[k][t + 1])
            for lower in _directly_below(k, needs):
                for t in range(first[k], len(taus)):
                    self._at_most(self.z[k][t], self.z[lower][t])
        self.y = [self._done(w) for w in works]
        everything = [w.teams for w in works]
        self.groups = _unions(set(everything))
        self.capacity = {g: sum(problem.resources[r].capacity for r in g) for g in self.groups}
        self.active: set[frozenset[int]] = set()
        for group in {*everything, frozenset().union(*everything)}:
            self._add_teams(group)
        lengths = [end - (taus[t - 1] if t else 0) for t, end in enumerate(taus)]
        costs = []
        for k in range(n):
            # Cost of k: its weight x the start of the bucket it is reached in (at least its
            # earliest time), written as the buckets it is not yet reached at.
            cost = self.model.new_num_var(heads[k], math.inf, "")
            before = taus[first[k] - 1] if first[k] else 0
            reached = [(v, lengths[t]) for t, v in enumerate(self.z[k]) if v is not None]
            self.model.add(
                cost + mb.LinearExpr.weighted_sum([v for v, _ in reached], [c for _, c in reached])
                >= before + sum(lengths[first[k] :])
            )
            costs.append(cost)
        self.model.minimize(
            mb.LinearExpr.weighted_sum(costs, [m.weight for m in problem.milestones])
        )

    def solve(self, deadline: float) -> float | None:
        """The optimum, or None if not found by `deadline`."""
        solver = mb.Solver("highs")
        solver.enable_output(False)
        # No banner on stdout (it would break --json); the interior point method was faster
        # than the simplex on this program (6.8 s against 9.0 s for the first round).
        solver.set_solver_specific_parameters("output_flag=false\nsolver=ipm")
        solver.set_time_limit_in_seconds(max(0.01, deadline - time.perf_counter()))
        if solver.solve(self.model) != mb.SolveStatus.OPTIMAL:
            return None
        self.solver = solver
        return float(solver.objective_value)

    def _at_most(self, a: Var | None, b: Var | None) -> None:
        """a <= b, where None is a share that must be 0."""
        if a is None:
            return
        if b is None:
            a.upper_bound = 0
        else:
            self.model.add(a <= b)

    def _done(self, work: _Work) -> list[Var | None]:
        """y[t]: the share of the work done by the end of bucket t, at least what each
        milestone waiting for it has reached. Work only one milestone waits for is done when
        that milestone is reached: its z serves (y is only bounded above, so nothing is lost)."""
        if len(work.waited) == 1:
            return self.z[next(iter(work.waited))]
        row: list[Var | None] = []
        for t, end in enumerate(self.taus):
            if end < work.head:
                row.append(None)
                continue
            done = self.model.new_num_var(0, 1, "")
            for k in work.waited:
                self._at_most(self.z[k][t], done)
            row.append(done)
        return row

    def _add_teams(self, group: frozenset[int]) -> None:
        """The work done by each bucket's end by these teams fits in their time since 0."""
        inside = [j for j, w in enumerate(self.works) if w.teams <= group]
        for t, end in enumerate(self.taus):
            energy: dict[int, tuple[Var, int]] = {}  # works may share a variable: add up
            for j in inside:
                done = self.y[j][t]
                if done is not None:
                    energy[done.index] = (
                        done,
                        energy.get(done.index, (done, 0))[1] + self.works[j].energy,
                    )
            if energy:
                terms = list(energy.values())
                self.model.add(
                    mb.LinearExpr.weighted_sum([v for v, _ in terms], [e for _, e in terms])
                    <= self.capacity[group] * end
                )
        self.active.add(group)

    def add_violated_teams(self) -> bool:
        """Add the sets of teams whose condition the last solution breaks; False if none."""
        values = [self._values(row) for row in self.y]
        broken = []
        for group in self.groups - self.active:
            inside = [j for j, w in enumerate(self.works) if w.teams <= group]
            room = self.capacity[group]
            if any(
                sum(self.works[j].energy * values[j][t] for j in inside) > room * end * 1.000001
                for t, end in enumerate(self.taus)
            ):
                broken.append(group)
        for group in broken:
            self._add_teams(group)
        return bool(broken)

    def milestone_times(self) -> tuple[float, ...]:
        """When each milestone is reached in the fluid plan (the buckets it is not reached at)."""
        out = []
        for k, row in enumerate(self.z):
            before = self.taus[self.first[k] - 1] if self.first[k] else 0
            values = self._values(row)
            out.append(
                before
                + sum(
                    (end - (self.taus[t - 1] if t else 0)) * (1 - values[t])
                    for t, end in enumerate(self.taus)
                    if row[t] is not None
                )
            )
        return tuple(out)

    def _values(self, row: list[Var | None]) -> list[float]:
        present = [v for v in row if v is not None]
        found = iter(self.solver.values(present).tolist() if present else [])
        return [next(found) if v is not None else 0.0 for v in row]


def _directly_below(k: int, needs: list[frozenset[int]]) -> list[int]:
    """The milestones whose work is part of k's, with none between (lower levels)."""
    below = [b for b in range(len(needs)) if b != k and needs[b] < needs[k]]
    return [b for b in below if not any(needs[b] < needs[c] for c in below if c != b)]


def _unions(groups: set[frozenset[int]]) -> set[frozenset[int]]:
    """Every union of the given sets of teams."""
    found = set(groups)
    while True:
        new = {a | b for a, b in combinations(found, 2)} - found
        if not new:
            return found
        found |= new
