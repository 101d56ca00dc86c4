"""The CP-SAT model of a Problem, built once, warm-started, and read back as a Schedule."""

from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from relance.planning.cpsat.constraints import add_constraints
from relance.planning.cpsat.objective import objective_expression, tie_break_scale
from relance.planning.cpsat.variables import Variables, make_variables
from relance.planning.evaluate import evaluate
from relance.planning.problem import Problem, Schedule


class Values(Protocol):
    """What a solver and a solution callback both answer."""

    def value(self, expression: cp_model.LinearExprT) -> int: ...

    def boolean_value(self, literal: cp_model.LiteralT) -> bool: ...


@dataclass(frozen=True)
class Model:
    model: cp_model.CpModel
    v: Variables
    objective: cp_model.LinearExprT
    scale: int  # CP-SAT objective units per unit of the problem's objective

    def objective_of(self, problem: Problem, schedule: Schedule) -> int:
        """The CP-SAT objective of a schedule (downtime x scale + makespan, or makespan)."""
        evaluation = evaluate(problem, schedule)
        if not problem.milestones:
            return evaluation.makespan
        return evaluation.weighted_downtime * self.scale + evaluation.makespan


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


def build(problem: Problem, hint: Schedule) -> Model:
    """The full model, its domains cut by the hint when only the makespan counts."""
    # Minimising the makespan alone, the hint's makespan bounds every better schedule.
    horizon = evaluate(problem, hint).makespan if not problem.milestones else problem.horizon()
    earliest, latest = bounds(problem, horizon)
    model = cp_model.CpModel()
    v = make_variables(model, problem, earliest, latest, horizon)
    add_constraints(model, problem, v)
    objective = objective_expression(problem, v, horizon)
    model.minimize(objective)
    add_hint(model, v, hint)
    scale = tie_break_scale(horizon) if problem.milestones else 1
    return Model(model, v, objective, scale)


def add_hint(model: cp_model.CpModel, v: Variables, schedule: Schedule) -> None:
    for i, start in enumerate(schedule.starts):
        model.add_hint(v.starts[i], start)
        for m, presence in enumerate(v.presences[i]):
            if not isinstance(presence, int):
                model.add_hint(presence, m == schedule.modes[i])


def read_schedule(values: Values, v: Variables) -> Schedule:
    starts = tuple(values.value(s) for s in v.starts)
    modes = tuple(
        next((m for m, p in enumerate(ps) if isinstance(p, int) or values.boolean_value(p)), 0)
        for ps in v.presences
    )
    return Schedule(starts, modes)
