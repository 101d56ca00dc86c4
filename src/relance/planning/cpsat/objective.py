"""Objective: weighted clinical downtime first, the makespan only to break ties."""

from ortools.sat.python import cp_model

from relance.planning.cpsat.variables import Variables
from relance.planning.problem import Problem


def tie_break_scale(horizon: int) -> int:
    """Weight of one unit of downtime, so that no makespan difference can outweigh it."""
    return horizon + 1


def set_objective(model: cp_model.CpModel, problem: Problem, v: Variables, horizon: int) -> None:
    if not problem.milestones:
        model.minimize(v.makespan)
        return
    scale = tie_break_scale(horizon)
    downtime = sum(m.weight * t for m, t in zip(problem.milestones, v.milestones, strict=True))
    model.minimize(downtime * scale + v.makespan)
