"""One solve(): the best priority-rule schedule, improved by CP-SAT within a time limit."""

import time
from dataclasses import dataclass

from relance.planning import baseline, improve
from relance.planning.cpsat.solver import solve_cpsat
from relance.planning.evaluate import Evaluation, evaluate
from relance.planning.problem import Problem, Schedule

HEURISTIC_SHARE = 0.1  # of the time limit spent improving the priority-rule schedules first


@dataclass(frozen=True)
class SolveResult:
    status: str  # optimal | feasible (improved on its warm start) | heuristic (did not)
    schedule: Schedule
    evaluation: Evaluation
    objective: int  # weighted downtime, or the makespan when there is no milestone
    lower_bound: int
    seconds: float
    bound_method: str = "cp-sat"  # what proved the lower bound

    @property
    def gap(self) -> float:
        """Relative distance to the proven lower bound (0 = proven optimal)."""
        return (self.objective - self.lower_bound) / self.objective if self.objective else 0.0


def objective_of(problem: Problem, evaluation: Evaluation) -> int:
    return evaluation.weighted_downtime if problem.milestones else evaluation.makespan


def best_rule(problem: Problem) -> Schedule:
    """The best of the priority rules, by the problem's own objective."""
    rules = [baseline.latest_finish(problem)]
    if problem.milestones:
        rules.append(baseline.weighted_urgency(problem))
    schedules = [baseline.serial_sgs(problem, rule) for rule in rules]
    return min(
        schedules,
        key=lambda s: (objective_of(problem, evaluate(problem, s)), evaluate(problem, s).makespan),
    )


def solve(
    problem: Problem,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    warm_start: Schedule | None = None,
) -> SolveResult:
    """Never returns an infeasible schedule: every result is checked by evaluate()."""
    began = time.perf_counter()
    start = warm_start or best_rule(problem)
    rules = [baseline.latest_finish(problem)]
    if problem.milestones:
        rules.append(baseline.weighted_urgency(problem))
    start = improve.sample(problem, [start], rules, time_limit * HEURISTIC_SHARE, seed)
    heuristic = evaluate(problem, start).check()
    remaining = max(0.05, time_limit - (time.perf_counter() - began))
    found = solve_cpsat(problem, start, time_limit=remaining, workers=workers, seed=seed)
    seconds = time.perf_counter() - began
    if found is not None:
        schedule, status, bound = found
        evaluation = evaluate(problem, schedule).check()
        if objective_of(problem, evaluation) <= objective_of(problem, heuristic):
            return SolveResult(
                status, schedule, evaluation, objective_of(problem, evaluation), bound, seconds
            )
    lower = found[2] if found is not None else 0
    return SolveResult(
        "heuristic", start, heuristic, objective_of(problem, heuristic), lower, seconds
    )
