"""The relaxation's lower bound never exceeds the best plan; the order search never worsens."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from relance.planning import baseline
from relance.planning.cpsat.relaxation import buckets, relax
from relance.planning.cpsat.solver import solve_cpsat
from relance.planning.evaluate import evaluate
from relance.planning.order_search import OrderSearch
from relance.planning.problem import Milestone, Mode, Problem, Resource, Task
from relance.planning.solve import solve

FAR = 60.0  # seconds: a deadline a loaded machine still meets


@st.composite
def restorations(draw: st.DrawFn) -> Problem:
    """Two teams, one able to help the other; tasks with precedences; weighted milestones."""
    n = draw(st.integers(2, 7))
    tasks = []
    for i in range(n):
        duration = draw(st.integers(1, 8))
        modes = [Mode(duration, ((0, 1),))]
        if draw(st.booleans()):
            modes.append(Mode(duration, ((1, 1),)))
        tasks.append(Task(f"t{i}", tuple(modes)))
    arcs = tuple(
        {(a, b) for a in range(n) for b in range(a + 1, n) if draw(st.integers(0, 4)) == 0}
    )
    waited = st.sets(st.integers(0, n - 1), min_size=1)
    milestones = tuple(
        Milestone(f"m{k}", draw(st.integers(1, 9)), tuple(draw(waited)))
        for k in range(draw(st.integers(1, 4)))
    )
    resources = (Resource("site", draw(st.integers(1, 2))), Resource("contractor", 1))
    return Problem(resources, tuple(tasks), arcs, milestones)


@settings(max_examples=30, deadline=None)
@given(restorations())
def test_the_bound_never_exceeds_the_optimum(problem: Problem) -> None:
    start = baseline.serial_sgs(problem, baseline.weighted_urgency(problem))
    exact = solve_cpsat(problem, start, time_limit=20, workers=1, seed=0)
    assert exact is not None
    schedule, status, _ = exact
    assert status == "optimal"  # tiny problems: CP-SAT proves it
    optimum = evaluate(problem, schedule).check().weighted_downtime
    found = relax(problem, evaluate(problem, start).makespan, time.perf_counter() + FAR)
    assert found is not None
    assert found.bound <= optimum
    assert len(found.milestone_times) == len(problem.milestones)


def test_the_bound_counts_the_work_a_milestone_waits_for() -> None:
    # One technician; a heavy milestone waits for 10 hours of work, a light one for 10 more.
    problem = Problem(
        (Resource("team", 1),),
        (Task("a", (Mode(10, ((0, 1),)),)), Task("b", (Mode(10, ((0, 1),)),))),
        ((0, 1),),
        (Milestone("heavy", 5, (0,)), Milestone("light", 1, (1,))),
    )
    found = relax(problem, 20, time.perf_counter() + FAR)
    assert found is not None
    assert found.bound <= 5 * 10 + 1 * 20  # the optimum
    assert found.bound >= 5 * 10 + 1 * 20 - 2 * max(
        b - a for a, b in zip([0, *buckets(20)], buckets(20), strict=False)
    )


def test_buckets_cover_the_horizon_finer_at_first() -> None:
    ends = buckets(480)
    assert ends[-1] >= 480
    assert ends == sorted(set(ends))
    lengths = [b - a for a, b in zip([0, *ends], ends, strict=False)]
    assert lengths[0] <= lengths[-1]


@settings(max_examples=20, deadline=None)
@given(restorations(), st.integers(0, 3))
def test_the_order_search_never_worsens_its_start(problem: Problem, seed: int) -> None:
    start = baseline.serial_sgs(problem, baseline.latest_finish(problem))
    search = OrderSearch(problem, start, seed)
    for _ in range(20):
        search.step()
    found = evaluate(problem, search.schedule()).check()
    assert found.weighted_downtime <= evaluate(problem, start).weighted_downtime


def test_a_plan_says_heuristic_when_nothing_beat_the_rule() -> None:
    # Both rules already find the only sensible plan and nothing can prove it best in 0.1 s
    # of a single worker... unless the bound closes it: then it is optimal, never "feasible".
    problem = Problem(
        (Resource("team", 1),),
        (Task("a", (Mode(3, ((0, 1),)),)), Task("b", (Mode(2, ((0, 1),)),))),
        ((0, 1),),
        (Milestone("a done", 1, (0,)), Milestone("b done", 1, (1,))),
    )
    result = solve(problem, time_limit=0.5, workers=1)
    assert result.status in ("optimal", "heuristic")
    assert result.objective == 3 + 5


def test_the_order_search_keeps_work_under_way() -> None:
    problem = Problem(
        (Resource("team", 1), Resource("contractor", 1)),
        (
            Task("under way", (Mode(4, ((0, 1),)),), fixed_start=0),
            Task("next", (Mode(3, ((0, 1),)), Mode(3, ((1, 1),)))),
            Task("last", (Mode(2, ((0, 1),)),)),
        ),
        ((1, 2),),
        (Milestone("all", 3, (2,)), Milestone("next", 5, (1,))),
    )
    start = baseline.serial_sgs(problem, baseline.latest_finish(problem))
    search = OrderSearch(problem, start, 0)
    for _ in range(30):
        search.step()
    found = search.schedule()
    assert found.starts[0] == 0
    assert evaluate(problem, found).check().weighted_downtime == 5 * 3 + 3 * 6
