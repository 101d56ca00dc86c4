"""Build the CP-SAT model, warm-start it, solve it, read the schedule back."""

from ortools.sat.python import cp_model

from relance.planning.cpsat.constraints import add_constraints
from relance.planning.cpsat.objective import set_objective, tie_break_scale
from relance.planning.cpsat.variables import make_variables
from relance.planning.evaluate import evaluate
from relance.planning.problem import Problem, Schedule


def bounds(problem: Problem, horizon: int) -> tuple[list[int], list[int]]:
    """Critical-path earliest and latest starts of every task within `horizon`."""
    n = len(problem.tasks)
    order = problem.topological_order()
    shortest = [min(m.duration for m in t.modes) for t in problem.tasks]
    earliest = [0] * n
    for i in order:
        fixed = problem.tasks[i].fixed_start
        earliest[i] = (
            fixed
            if fixed is not None
            else max((earliest[p] + shortest[p] for p in problem.predecessors[i]), default=0)
        )
    tail = [0] * n
    for i in reversed(order):
        tail[i] = shortest[i] + max((tail[s] for s in problem.successors[i]), default=0)
    latest = [max(earliest[i], horizon - tail[i]) for i in range(n)]
    return earliest, latest


def solve_cpsat(
    problem: Problem, hint: Schedule, time_limit: float, workers: int, seed: int
) -> tuple[Schedule, str, int] | None:
    """(schedule, status, lower bound) or None if CP-SAT found no schedule in time."""
    hinted = evaluate(problem, hint)
    # Minimising the makespan alone, the hint's makespan bounds every better schedule.
    horizon = hinted.makespan if not problem.milestones else problem.horizon()
    earliest, latest = bounds(problem, horizon)
    model = cp_model.CpModel()
    v = make_variables(model, problem, earliest, latest, horizon)
    add_constraints(model, problem, v)
    set_objective(model, problem, v, horizon)
    for i, start in enumerate(hint.starts):
        model.add_hint(v.starts[i], start)
        for m, presence in enumerate(v.presences[i]):
            if not isinstance(presence, int):
                model.add_hint(presence, m == hint.modes[i])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    starts = tuple(solver.value(s) for s in v.starts)
    modes = tuple(
        next((m for m, p in enumerate(ps) if isinstance(p, int) or solver.boolean_value(p)), 0)
        for ps in v.presences
    )
    bound = int(solver.best_objective_bound)
    if problem.milestones:
        bound //= tie_break_scale(horizon)
    return Schedule(starts, modes), "optimal" if status == cp_model.OPTIMAL else "feasible", bound
