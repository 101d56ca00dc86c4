"""The genetic algorithm: children keep every precedence, and the best is a checked schedule
no longer than the seed it started from."""

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
def test_children_are_activity_lists_that_keep_every_precedence(
    problem: Problem, dice: random.Random
) -> None:
    inst = Instance(problem)
    seed = sgs(
        inst, activity_list(inst, [dice.random() for _ in range(inst.n)]), {}, inst.predecessors
    )
    genetic = Genetic(inst, [seed], [latest_finish(problem)], dice.randrange(100))
    mother = activity_list(inst, [dice.random() for _ in range(inst.n)])
    father = activity_list(inst, [dice.random() for _ in range(inst.n)])
    for _ in range(5):
        child = genetic.crossover(mother, father)
        genetic.mutate(child)
        assert sorted(child) == list(range(inst.n))
        assert _before(problem, child)


@settings(max_examples=50, deadline=None)
@given(problems(), st.integers(0, 1000))
def test_the_best_is_feasible_and_never_longer_than_the_seed(problem: Problem, seed: int) -> None:
    inst = Instance(problem)
    start = sgs(inst, activity_list(inst, latest_finish(problem)), {}, inst.predecessors)
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
    """24 schedules converge within a few hundred children on j120: larger problems keep more."""
    dice = random.Random(7)  # noqa: S311 - test data, not a secret
    tasks = tuple(Task(f"t{i}", (Mode(dice.randint(1, 9), ((0, 1),)),)) for i in range(150))
    problem = Problem((Resource("team", 3),), tasks, ())
    inst = Instance(problem)
    start = sgs(inst, activity_list(inst, latest_finish(problem)), {}, inst.predecessors)
    genetic = Genetic(inst, [start], [latest_finish(problem)], 0)
    genetic.fill(time.perf_counter() + 60)
    assert genetic.size == 60
    assert POPULATION < len(genetic.population) <= genetic.size
