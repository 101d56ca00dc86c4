"""Constraints: one mode per task, precedences, team capacity, milestone and makespan links."""

from ortools.sat.python import cp_model

from relance.planning.cpsat.variables import Variables
from relance.planning.problem import Problem


def add_constraints(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for presence in v.presences:
        if len(presence) > 1:
            model.add_exactly_one(presence)
    for a, b in problem.precedences:
        model.add(v.starts[b] >= v.ends[a])
    _add_capacities(model, problem, v)
    for k, milestone in enumerate(problem.milestones):
        for t in milestone.tasks:
            model.add(v.milestones[k] >= v.ends[t])
    sinks = [i for i in range(len(problem.tasks)) if not problem.successors[i]]
    if sinks:
        model.add_max_equality(v.makespan, [v.ends[i] for i in sinks])


def _add_capacities(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """A team never has more tasks under way than technicians (no_overlap for a team of one)."""
    for r, resource in enumerate(problem.resources):
        spans, demands = [], []
        for i, task in enumerate(problem.tasks):
            for m, mode in enumerate(task.modes):
                units = sum(u for res, u in mode.demands if res == r)
                if units and mode.duration:
                    spans.append(v.intervals[i][m])
                    demands.append(units)
        if spans:
            if resource.capacity == 1:
                model.add_no_overlap(spans)
            else:
                model.add_cumulative(spans, demands, resource.capacity)
