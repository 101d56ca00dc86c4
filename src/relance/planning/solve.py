"""One solve(): the best priority rule as the warm start, then a search within a time limit.

Two searches, by objective:

- Weighted downtime (restoration plans): a relaxation solved as a linear program gives the
  proven lower bound and the times the milestones aim at (cpsat/relaxation.py); the order
  search (order_search.py) walks from those times. With two workers or more the program is
  solved in a thread while the search starts from the warm start's own milestone times.
- Makespan (PSPLIB): CP-SAT's complete search from the start on one worker, beside the
  genetic algorithm (genetic.py) then the LNS on the other (cpsat/solver.py).

Every schedule returned is checked by evaluate().
"""

import threading
import time
from dataclasses import dataclass

from relance.planning import baseline, improve
from relance.planning.cpsat.lns import Incumbent
from relance.planning.cpsat.relaxation import Relaxation, relax
from relance.planning.cpsat.solver import solve_cpsat
from relance.planning.evaluate import Evaluation, evaluate
from relance.planning.genetic import Genetic
from relance.planning.order_search import OrderSearch
from relance.planning.problem import Problem, Schedule

GENETIC_SHARE = 0.9  # of the time limit the genetic algorithm runs before the LNS
ALONE_SHARE = 0.6  # of the time limit the relaxation may take when it cannot run beside


@dataclass(frozen=True)
class _Budget:
    began: float
    seconds: float
    workers: int
    seed: int

    @property
    def deadline(self) -> float:
        return self.began + self.seconds


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


def rules(problem: Problem) -> dict[str, Schedule]:
    """Every priority rule of baseline.py, by name."""
    found = {"latest finish": baseline.serial_sgs(problem, baseline.latest_finish(problem))}
    if problem.milestones:
        found["weighted urgency"] = baseline.serial_sgs(problem, baseline.weighted_urgency(problem))
    return found


def best_rule(problem: Problem) -> Schedule:
    """The best of the priority rules, by the problem's own objective."""
    return min(
        rules(problem).values(),
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
    budget = _Budget(began, time_limit, workers, seed)
    if problem.milestones:
        return _downtime(problem, start, budget)
    return _makespan(problem, start, budget)


class _Proof:
    """The second worker: the relaxation (bound and milestone times), then CP-SAT's complete
    search on the full model, which proves small problems optimal."""

    def __init__(self, problem: Problem, start: Schedule, horizon: int) -> None:
        self.problem, self.start, self.horizon = problem, start, horizon
        self.relaxation: Relaxation | None = None
        self.relaxed = threading.Event()
        self.exact: tuple[Schedule, str, int] | None = None

    def run(self, relax_until: float, deadline: float, seed: int) -> None:
        try:
            relax(self.problem, self.horizon, relax_until, self._round)
            self.relaxed.set()
            left = deadline - time.perf_counter()
            if left > 0.05:
                self.exact = solve_cpsat(self.problem, self.start, left, workers=1, seed=seed)
        finally:
            self.relaxed.set()

    def _round(self, found: Relaxation) -> None:
        """The first round's milestone times are enough to start the search from."""
        self.relaxation = found
        self.relaxed.set()

    def proven(self) -> bool:
        """CP-SAT proved its plan the best possible: nothing is left to search."""
        return self.exact is not None and self.exact[1] == "optimal"

    def bound(self) -> tuple[int, str]:
        lower, method = _critical_path_bound(self.problem), "critical path"
        if self.relaxation is not None and self.relaxation.bound > lower:
            lower, method = self.relaxation.bound, "fluid relaxation"
        if self.exact is not None and self.exact[2] > lower:
            lower, method = self.exact[2], "cp-sat"
        return lower, method


def _downtime(problem: Problem, start: Schedule, budget: _Budget) -> SolveResult:
    began, deadline, seed = budget.began, budget.deadline, budget.seed
    first = evaluate(problem, start).check()
    proof = _Proof(problem, start, first.makespan)
    worker = threading.Thread(target=proof.run, args=(deadline, deadline, seed), name="proof")
    if budget.workers >= 2:
        worker.start()  # both of its solvers stop at the deadline
    else:
        alone = began + budget.seconds * ALONE_SHARE
        proof.run(alone, alone, seed)
    search = OrderSearch(problem, start, seed)
    adopted = False
    while time.perf_counter() < deadline and not proof.proven():
        if not adopted and proof.relaxed.is_set():
            adopted = True
            if proof.relaxation is not None:
                search.restart(proof.relaxation.milestone_times)
        search.step()
        if search.best_score[0] <= proof.bound()[0]:
            break
    if worker.is_alive():
        worker.join()
    candidates = [search.schedule()]
    if proof.exact is not None:
        candidates.append(proof.exact[0])
    schedule = min(candidates, key=lambda c: evaluate(problem, c).weighted_downtime)
    evaluation = evaluate(problem, schedule).check()
    objective = evaluation.weighted_downtime
    lower, method = proof.bound()
    lower = min(lower, objective)  # a bound never exceeds what a plan achieves
    if objective <= lower:
        status = "optimal"
    elif objective < first.weighted_downtime:
        status = "feasible"
    else:
        status = "heuristic"
    seconds = time.perf_counter() - began
    return SolveResult(status, schedule, evaluation, objective, lower, seconds, method)


def _critical_path_bound(problem: Problem) -> int:
    """Each milestone no earlier than its longest chain of work: a bound needing no solver."""
    order = problem.topological_order()
    shortest = [min(m.duration for m in t.modes) for t in problem.tasks]
    end = [0] * len(problem.tasks)
    for i in order:
        task = problem.tasks[i]
        begin = max((end[p] for p in problem.predecessors[i]), default=0)
        end[i] = (task.fixed_start if task.fixed_start is not None else begin) + shortest[i]
    return sum(m.weight * max((end[t] for t in m.tasks), default=0) for m in problem.milestones)


def _makespan(problem: Problem, start: Schedule, budget: _Budget) -> SolveResult:
    began, time_limit, workers, seed = budget.began, budget.seconds, budget.workers, budget.seed
    first = evaluate(problem, start).check()
    inst = improve.Instance(problem)
    genetic = Genetic(inst, [_placed(start)], [baseline.latest_finish(problem)], seed)

    def evolve(incumbent: Incumbent, until: float) -> None:
        def share(best: improve.Placed) -> bool:
            """Offer the GA's best, take CP-SAT's if better; False once proven optimal."""
            incumbent.offer(inst.objective(best)[0], _schedule(best))
            objective, found = incumbent.snapshot()
            if objective < inst.objective(best)[0]:
                genetic.add(_placed(found))
            return not incumbent.closed()

        genetic.run(until, share)

    remaining = max(0.05, time_limit - (time.perf_counter() - began))
    found = solve_cpsat(problem, start, remaining, workers, seed, heuristic=(evolve, GENETIC_SHARE))
    seconds = time.perf_counter() - began
    best = _schedule(genetic.best[1])
    candidates = [best] if found is None else [found[0], best]
    schedule = min(candidates, key=lambda c: evaluate(problem, c).makespan)
    evaluation = evaluate(problem, schedule).check()
    lower = min(found[2], evaluation.makespan) if found is not None else 0
    if evaluation.makespan <= lower:
        status = "optimal"
    elif evaluation.makespan < first.makespan:
        status = "feasible"
    else:
        status = "heuristic"  # nothing beat the best priority rule
    return SolveResult(status, schedule, evaluation, evaluation.makespan, lower, seconds)


def _placed(schedule: Schedule) -> improve.Placed:
    return list(schedule.starts), list(schedule.modes)


def _schedule(placed: improve.Placed) -> Schedule:
    return Schedule(tuple(placed[0]), tuple(placed[1]))
