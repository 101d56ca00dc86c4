"""The scheduler on problems with known answers, PSPLIB files, and random small problems."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.planning import baseline
from relance.planning.evaluate import evaluate
from relance.planning.problem import InfeasibleProblem, Milestone, Mode, Problem, Resource, Task
from relance.planning.psplib import parse, reference_makespans
from relance.planning.solve import solve

PSPLIB = Path(__file__).resolve().parents[3] / "shared" / "data" / "psplib"


def test_a_weighted_milestone_goes_first_even_if_the_makespan_does_not_care() -> None:
    # One technician, two jobs of 10 and 1 hours; the short one unlocks a heavy milestone.
    problem = Problem(
        (Resource("team", 1),),
        (Task("long", (Mode(10, ((0, 1),)),)), Task("short", (Mode(1, ((0, 1),)),))),
        (),
        (Milestone("surgery", 100, (1,)), Milestone("consultations", 1, (0,))),
    )
    result = solve(problem, time_limit=2)
    evaluation = evaluate(problem, result.schedule).check()
    assert result.schedule.starts == (1, 0)
    assert evaluation.weighted_downtime == 100 * 1 + 1 * 11
    assert result.status == "optimal"
    assert result.lower_bound == result.objective


def test_alternative_teams_share_the_work() -> None:
    # Four 5-hour jobs, each doable by team A or team B (one technician each): 10 hours.
    modes = (Mode(5, ((0, 1),)), Mode(5, ((1, 1),)))
    problem = Problem(
        (Resource("A", 1), Resource("B", 1)), tuple(Task(f"j{i}", modes) for i in range(4)), ()
    )
    result = solve(problem, time_limit=2)
    assert evaluate(problem, result.schedule).check().makespan == 10


def test_work_under_way_keeps_its_start() -> None:
    problem = Problem(
        (Resource("team", 1),),
        (
            Task("started", (Mode(3, ((0, 1),)),), fixed_start=2),
            Task("next", (Mode(2, ((0, 1),)),)),
        ),
        (),
    )
    result = solve(problem, time_limit=2)
    assert result.schedule.starts[0] == 2
    evaluate(problem, result.schedule).check()


def test_impossible_work_is_refused_with_its_name() -> None:
    with pytest.raises(InfeasibleProblem, match="big job needs 3 of team, which has 2"):
        Problem((Resource("team", 2),), (Task("big job", (Mode(1, ((0, 3),)),)),), ())
    with pytest.raises(InfeasibleProblem, match="precedence cycle"):
        Problem((), (Task("a", (Mode(1),)), Task("b", (Mode(1),))), ((0, 1), (1, 0)))


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 8))
    capacity = draw(st.integers(1, 3))
    tasks = []
    for i in range(n):
        units = draw(st.integers(1, capacity))
        tasks.append(Task(f"t{i}", (Mode(draw(st.integers(0, 6)), ((0, units),)),)))
    arcs = tuple({(a, b) for a in range(n) for b in range(a + 1, n) if draw(st.booleans())})
    milestones = tuple(
        Milestone(
            f"m{k}",
            draw(st.integers(0, 9)),
            tuple(draw(st.sets(st.integers(0, n - 1), min_size=1))),
        )
        for k in range(draw(st.integers(0, 3)))
    )
    return Problem((Resource("team", capacity),), tuple(tasks), arcs, milestones)


@settings(max_examples=25, deadline=None)
@given(problems())
def test_schedules_are_always_feasible_and_solving_never_worsens(problem: Problem) -> None:
    rule = evaluate(problem, baseline.serial_sgs(problem, baseline.latest_finish(problem))).check()
    result = solve(problem, time_limit=0.5)
    evaluate(problem, result.schedule).check()
    by = (lambda e: e.weighted_downtime) if problem.milestones else (lambda e: e.makespan)
    assert result.objective <= by(rule)
    assert result.lower_bound <= result.objective


def _instance(name: str) -> str:
    if not (PSPLIB / "j30.sm.zip").exists():
        pytest.skip("PSPLIB data not beside the project (../shared/data/psplib)")
    with zipfile.ZipFile(PSPLIB / "j30.sm.zip") as archive:
        member = next(m for m in archive.namelist() if m.endswith(name))
        return archive.read(member).decode("ascii")


@pytest.mark.parametrize(("parameter", "instance"), [(1, 1), (5, 3), (13, 2)])
def test_psplib_j30_instances_come_close_to_their_optimum(parameter: int, instance: int) -> None:
    # Within a few seconds of wall clock on a loaded CI machine the optimum itself is not
    # certain (13_2 ended more than 5 % above it at a load average of 28 on 2 cores, in 2 s): the
    # exact mean gap is the benchmark's figure, not a test's.
    problem = parse(_instance(f"j30{parameter}_{instance}.sm"))
    optimum = reference_makespans(PSPLIB / "j30opt.sm")[(parameter, instance)]
    result = solve(problem, time_limit=5)
    makespan = evaluate(problem, result.schedule).check().makespan
    assert result.lower_bound <= optimum <= makespan <= optimum * 1.1


def test_the_psplib_command(tmp_path: Path) -> None:
    path = tmp_path / "j301_1.sm"
    path.write_text(_instance("j301_1.sm"))
    run = subprocess.run(
        [sys.executable, "-m", "relance.planning.psplib", str(path), "--time-limit", "1", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) == {"makespan", "lower_bound", "status", "seconds", "starts"}
    assert len(out["starts"]) == 32
    assert out["makespan"] == 43
    (tmp_path / "bad.sm").write_text("not a psplib file\n")
    bad = subprocess.run(
        [sys.executable, "-m", "relance.planning.psplib", str(tmp_path / "bad.sm")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "bad.sm" in bad.stderr
