"""Solve: a full CP-SAT search for the bound, and the Python-driven LNS for schedules.

With two workers or more, one thread runs the complete search (it proves optimality and
finds schedules too) from the start, while this thread runs a heuristic (the genetic
algorithm) until its time is up, then the LNS; all share the incumbent. With one worker, the
heuristic, then the complete search alone.
"""

import math
import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from relance.planning.cpsat.lns import Incumbent, Lns
from relance.planning.cpsat.model import Model, build, read_schedule
from relance.planning.problem import Problem, Schedule


class _Recorder(cp_model.CpSolverSolutionCallback):
    """Hands every schedule the complete search finds to the incumbent."""

    def __init__(self, built: Model, incumbent: Incumbent) -> None:
        super().__init__()
        self.built, self.incumbent = built, incumbent

    def on_solution_callback(self) -> None:
        self.incumbent.offer(round(self.objective_value), read_schedule(self, self.built.v))


Heuristic = Callable[[Incumbent, float], None]  # improves the incumbent until a deadline


def solve_cpsat(
    problem: Problem,
    hint: Schedule,
    time_limit: float,
    workers: int,
    seed: int,
    *,
    heuristic: tuple[Heuristic, float] | None = None,
) -> tuple[Schedule, str, int] | None:
    """(schedule, status, lower bound) or None if CP-SAT found no schedule in time.

    `heuristic` (a search, and the share of the time limit it runs) offers the incumbent
    schedules before the LNS starts."""
    began = time.perf_counter()
    deadline = began + time_limit
    built = build(problem, hint)
    incumbent = Incumbent(built.objective_of(problem, hint), hint)
    full = cp_model.CpSolver()
    full.parameters.max_time_in_seconds = time_limit
    full.parameters.num_workers = max(1, workers - 1)
    full.parameters.random_seed = seed
    full.best_bound_callback = lambda bound: incumbent.raise_bound(_integral(bound))
    recorder = _Recorder(built, incumbent)
    finished = threading.Event()
    statuses: list[cp_model.CpSolverStatus] = []

    def search() -> None:
        try:
            statuses.append(full.solve(built.model, recorder))
            if statuses[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                # Raised here, not after the join: the heuristic stops once it is closed.
                incumbent.raise_bound(_integral(full.best_objective_bound))
        finally:
            finished.set()

    thread = threading.Thread(target=search, name="cp-sat full search")
    if heuristic is not None and workers < 2:  # one core: the heuristic first
        run, share = heuristic
        run(incumbent, began + time_limit * share)
        full.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    thread.start()
    if workers >= 2:
        if heuristic is not None:
            run, share = heuristic
            run(incumbent, began + time_limit * share)
        Lns(problem, built, incumbent, seed).run(deadline, finished)
        full.stop_search()
    thread.join()
    status = statuses[0] if statuses else cp_model.UNKNOWN
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and incumbent.schedule is hint:
        return None
    state = "optimal" if incumbent.closed() else "feasible"
    # A bound never exceeds what a schedule achieves: the smaller of the two is the proof.
    bound = min(incumbent.bound, incumbent.objective)
    return incumbent.schedule, state, bound // built.scale


def _integral(bound: float) -> int:
    """The objective is an integer: round a float bound up, but not its rounding noise."""
    return math.ceil(bound - 1e-6)
