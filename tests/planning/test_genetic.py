"""The genetic algorithm: children keep every precedence, and the best is a checked schedule
no longer than the seed it started from."""

import dataclasses
import itertools
import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from relance.planning.baseline import latest_finish
from relance.planning.evaluate import evaluate
from relance.planning.genetic import POPULATION, Genetic
from relance.planning.improve import Instance, Placed, activity_list, sgs
from relance.planning.problem import Mode, Problem, Resource, Schedule, Task
from tests.planning.test_improve import problems


def _before(problem: Problem, order: list[int]) -> bool:
    position = {task: k for k, task in enumerate(order)}
    return all(position[a] < position[b] for a, b in problem.precedences)


@settings(max_examples=100, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_children_keep_every_precedence_and_capacity(problem: Problem, dice: random.Random) -> None:
    """Crossover and mutation in the compiled kernel: a child list that broke a precedence would
    decode into a schedule evaluate() rejects; each member's row holds its own schedule, before
    and after a restart."""
    inst = Instance(problem)
    seed = sgs(inst, activity_list(inst, [dice.random() for _ in range(inst.n)]), {})
    genetic = Genetic(inst, [seed], [latest_finish(problem)], dice.randrange(100))
    genetic.fill(time.perf_counter() + 60)
    genetic.breed(50)
    best = genetic.best
    genetic.restart(time.perf_counter() + 60)  # the best keeps its place, the others go
    assert genetic.best == best
    genetic.breed(50)
    for score, order, (starts, modes) in genetic.population:
        assert sorted(order) == list(range(inst.n))
        assert _before(problem, order)
        schedule = Schedule(tuple(starts), tuple(modes))
        assert evaluate(problem, schedule).check().makespan == score
    scores = [score for score, _, _ in genetic.population]
    assert scores == sorted(scores)


@settings(max_examples=50, deadline=None)
@given(problems(), st.integers(0, 1000))
def test_the_best_is_feasible_and_never_longer_than_the_seed(problem: Problem, seed: int) -> None:
    inst = Instance(problem)
    start = sgs(inst, activity_list(inst, latest_finish(problem)), {})
    first = evaluate(problem, Schedule(tuple(start[0]), tuple(start[1]))).check()
    genetic = Genetic(inst, [start], [latest_finish(problem)], seed)
    shared: list[int] = []

    def share(best: Placed) -> bool:
        shared.append(inst.objective(best)[0])
        return True

    genetic.run(time.perf_counter() + 0.05, share)
    score, (starts, modes) = genetic.best
    found = evaluate(problem, Schedule(tuple(starts), tuple(modes))).check()
    assert found.makespan == score[0] <= first.makespan
    assert all(a >= b for a, b in itertools.pairwise(shared))  # offers only improve


def test_a_large_problem_breeds_a_larger_population() -> None:
    """A small population converges within a second on j120: larger problems keep more."""
    dice = random.Random(7)  # noqa: S311 - test data, not a secret
    tasks = tuple(Task(f"t{i}", (Mode(dice.randint(1, 9), ((0, 1),)),)) for i in range(150))
    problem = Problem((Resource("team", 3),), tasks, ())
    inst = Instance(problem)
    start = sgs(inst, activity_list(inst, latest_finish(problem)), {})
    genetic = Genetic(inst, [start], [latest_finish(problem)], 0)
    genetic.fill(time.perf_counter() + 60)
    assert genetic.size == 8 * 150
    assert POPULATION < len(genetic.population) <= genetic.size


@settings(max_examples=50, deadline=None)
@given(problems(), st.integers(0, 1000), st.integers(0, 20))
def test_work_under_way_keeps_its_start_in_every_child(
    problem: Problem, seed: int, start: int
) -> None:
    """A task with no predecessor is under way: every member keeps its start."""
    k = next(i for i, before in enumerate(problem.predecessors) if not before)
    tasks = list(problem.tasks)
    tasks[k] = dataclasses.replace(tasks[k], fixed_start=start)
    problem = dataclasses.replace(problem, tasks=tuple(tasks))
    inst = Instance(problem)
    placed = sgs(inst, activity_list(inst, latest_finish(problem)), {k: (start, 0)})
    genetic = Genetic(inst, [placed], [latest_finish(problem)], seed)
    genetic.fill(time.perf_counter() + 60)
    genetic.breed(50)
    for score, _, (starts, modes) in genetic.population:
        schedule = Schedule(tuple(starts), tuple(modes))
        assert evaluate(problem, schedule).check().makespan == score
        assert schedule.starts[k] == start
