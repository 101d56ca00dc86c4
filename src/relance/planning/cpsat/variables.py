"""Decision variables: a start, an end and one interval per mode of each task."""

from dataclasses import dataclass

from ortools.sat.python import cp_model

from relance.planning.problem import Problem


@dataclass
class Variables:
    starts: list[cp_model.IntVar]
    ends: list[cp_model.IntVar]
    presences: list[list[cp_model.IntVar | int]]  # per task, per mode: 1 if that mode is used
    intervals: list[list[cp_model.IntervalVar]]
    milestones: list[cp_model.IntVar]
    makespan: cp_model.IntVar


def make_variables(
    model: cp_model.CpModel, problem: Problem, earliest: list[int], latest: list[int], horizon: int
) -> Variables:
    """Domains are tightened with the critical-path bounds [earliest, latest] of each start."""
    starts, ends, presences, intervals = [], [], [], []
    for i, task in enumerate(problem.tasks):
        lo, hi = (
            (task.fixed_start, task.fixed_start)
            if task.fixed_start is not None
            else (earliest[i], latest[i])
        )
        durations = [m.duration for m in task.modes]
        start = model.new_int_var(lo, hi, f"start_{i}")
        end = model.new_int_var(lo + min(durations), hi + max(durations), f"end_{i}")
        if len(task.modes) == 1:
            presence: list[cp_model.IntVar | int] = [1]
            spans = [model.new_interval_var(start, durations[0], end, f"task_{i}")]
        else:
            presence = [model.new_bool_var(f"mode_{i}_{m}") for m in range(len(task.modes))]
            spans = [
                model.new_optional_interval_var(start, d, end, p, f"task_{i}_{m}")
                for m, (d, p) in enumerate(zip(durations, presence, strict=True))
            ]
        starts.append(start)
        ends.append(end)
        presences.append(presence)
        intervals.append(spans)
    milestones = [
        model.new_int_var(0, horizon, f"milestone_{k}") for k in range(len(problem.milestones))
    ]
    makespan = model.new_int_var(0, horizon, "makespan")
    return Variables(starts, ends, presences, intervals, milestones, makespan)
