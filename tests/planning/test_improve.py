"""The compiled serial SGS against a slot-by-slot replay of its definition; justification."""

import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from relance.planning.evaluate import evaluate
from relance.planning.improve import Instance, activity_list, improve, sgs
from relance.planning.problem import Mode, Problem, Resource, Schedule, Task


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Several teams, tasks with one or two modes needing some of them, long and short."""
    capacities = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    n = draw(st.integers(1, 9))
    tasks = []
    for i in range(n):
        modes = []
        for _ in range(draw(st.integers(1, 2))):
            used = draw(st.sets(st.integers(0, len(capacities) - 1), min_size=1))
            demands = tuple((r, draw(st.integers(1, capacities[r]))) for r in sorted(used))
            modes.append(Mode(draw(st.integers(0, 12)), demands))
        tasks.append(Task(f"t{i}", tuple(modes)))
    arcs = {(a, b) for a in range(n) for b in range(a + 1, n) if draw(st.booleans())}
    # tasks listed in any order: a plan's tasks are not listed predecessors first
    place = draw(st.permutations(range(n)))
    listed = [tasks[place.index(k)] for k in range(n)]
    resources = tuple(Resource(f"r{k}", c) for k, c in enumerate(capacities))
    return Problem(resources, tuple(listed), tuple((place[a], place[b]) for a, b in arcs))


def fits(problem: Problem, used: dict[tuple[int, int], int], mode: Mode, start: int) -> bool:
    return all(
        used[r, t] + units <= problem.resources[r].capacity
        for r, units in mode.demands
        for t in range(start, start + mode.duration)
    )


@settings(max_examples=300, deadline=None)
@given(problems(), st.randoms(use_true_random=False), st.booleans())
def test_each_task_goes_at_its_earliest_start_in_its_earliest_finishing_mode(
    problem: Problem, dice: random.Random, pinned: bool
) -> None:
    """The compiled SGS against its definition replayed slot by slot, with work under way
    reserved first and a price on some modes (the order search's penalty)."""
    inst = Instance(problem)
    order = activity_list(inst, [dice.random() for _ in range(inst.n)])
    fixed = {
        i: (dice.randrange(300), dice.randrange(len(t.modes)))
        for i, t in enumerate(problem.tasks)
        if pinned and dice.random() < 0.3
    }
    penalty = [[dice.choice((0, 0, 3, 20)) for _ in t.modes] for t in problem.tasks]
    starts, modes = sgs(inst, order, fixed, penalty)
    used: dict[tuple[int, int], int] = defaultdict(int)
    ends: dict[int, int] = {}
    for i, (start, m) in fixed.items():
        mode = problem.tasks[i].modes[m]
        for r, units in mode.demands:
            for t in range(start, start + mode.duration):
                used[r, t] += units
        ends[i] = start + mode.duration
        assert (starts[i], modes[i]) == (start, m)
    for i in (i for i in order if i not in fixed):
        ready = max((ends[p] for p in problem.predecessors[i]), default=0)
        best: tuple[int, int, int] | None = None
        for m, mode in enumerate(problem.tasks[i].modes):
            start = ready
            while not fits(problem, used, mode, start):
                start += 1
            if best is None or start + mode.duration + penalty[i][m] < best[0]:
                best = (start + mode.duration + penalty[i][m], start, m)
        assert best is not None
        assert (starts[i], modes[i]) == (best[1], best[2])
        mode = problem.tasks[i].modes[best[2]]
        for r, units in mode.demands:
            for t in range(best[1], best[1] + mode.duration):
                used[r, t] += units
        ends[i] = best[1] + mode.duration


@settings(max_examples=100, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_justification_keeps_schedules_feasible_and_never_longer(
    problem: Problem, dice: random.Random
) -> None:
    inst = Instance(problem)
    order = activity_list(inst, [dice.random() for _ in range(inst.n)])
    placed = sgs(inst, order, {})
    before = evaluate(problem, Schedule(tuple(placed[0]), tuple(placed[1]))).check()
    starts, modes = improve(inst, placed)
    after = evaluate(problem, Schedule(tuple(starts), tuple(modes))).check()
    assert after.makespan <= before.makespan


def test_justification_keeps_a_chain_of_tasks_of_no_duration_in_order() -> None:
    """A chain of tasks of no duration starts and ends at one hour: times alone do not tell
    which waits for which (the genetic algorithm's best was once infeasible for it)."""
    tasks = tuple(Task(f"t{i}", (Mode(d, ((0, 1),)),)) for i, d in enumerate((1, 0, 0, 0, 1)))
    for arcs in (((0, 1), (1, 3), (3, 4)), ((0, 3), (3, 1), (1, 4))):
        problem = Problem((Resource("r0", 2),), tasks, arcs)
        inst = Instance(problem)
        placed = sgs(inst, inst.order, {})
        starts, modes = improve(inst, placed)
        evaluate(problem, Schedule(tuple(starts), tuple(modes))).check()
