"""Objective: weighted clinical downtime first, the makespan only to break ties."""

from ortools.sat.python import cp_model

from relance.planning.cpsat.variables import Variables
from relance.planning.problem import Problem


def tie_break_scale(horizon: int) -> int:
    """Weight of one unit of downtime, so that no makespan difference can outweigh it."""
    return horizon + 1


def objective_expression(problem: Problem, v: Variables, horizon: int) -> cp_model.LinearExprT:
    """The makespan alone for plain RCPSP, else downtime x scale + makespan."""
    if not problem.milestones:
        return v.makespan
    scale = tie_break_scale(horizon)
    downtime = cp_model.LinearExpr.weighted_sum(
        list(v.milestones), [m.weight for m in problem.milestones]
    )
    return downtime * scale + v.makespan
