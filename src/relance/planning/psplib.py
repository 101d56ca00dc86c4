"""PSPLIB single-mode RCPSP files (Kolisch & Sprecher) and a command to solve one.

    python -m relance.planning.psplib FILE.sm [--time-limit S] [--workers N] [--json]

prints the makespan, the solver's lower bound, its status, the seconds spent and the start
of every job in file order (jobs numbered from 1, dummy source and sink included).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from relance.domain.errors import InvalidInput
from relance.planning.problem import Mode, Problem, Resource, Task
from relance.planning.solve import solve


def parse(text: str, name: str = "instance") -> Problem:
    """A Problem with one task per job and one resource per renewable resource."""
    lines = text.splitlines()
    try:
        capacities = _section(lines, "RESOURCEAVAILABILITIES")
        renewable = [int(x) for x in capacities[1].split()]
        precedences = _section(lines, "PRECEDENCE RELATIONS")
        requests = [r for r in _section(lines, "REQUESTS/DURATIONS") if not r.startswith("-")]
    except (IndexError, ValueError, StopIteration) as error:
        raise InvalidInput(f"{name}: not a PSPLIB single-mode file ({error})") from None
    jobs = len(precedences) - 1
    arcs: list[tuple[int, int]] = []
    for row in precedences[1:]:
        fields = [int(x) for x in row.split()]
        job, successors = fields[0], fields[3:]
        arcs += [(job - 1, s - 1) for s in successors]
    tasks = []
    for row in requests[1:]:
        fields = [int(x) for x in row.split()]
        job, duration, demand = fields[0], fields[2], fields[3:]
        demands = tuple((r, u) for r, u in enumerate(demand) if u)
        tasks.append(Task(f"job {job}", (Mode(duration, demands),)))
    if len(tasks) != jobs:
        raise InvalidInput(f"{name}: {jobs} jobs in the precedences but {len(tasks)} durations")
    resources = tuple(Resource(f"R{r + 1}", c) for r, c in enumerate(renewable))
    return Problem(resources, tuple(tasks), tuple(arcs))


def _section(lines: list[str], title: str) -> list[str]:
    """The rows after a section title up to the next line of stars (header row first)."""
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("*"):
            break
        if line.strip():
            rows.append(line.strip())
    return rows


def read(path: Path) -> Problem:
    return parse(path.read_text(encoding="ascii", errors="replace"), path.name)


def reference_makespans(path: Path) -> dict[tuple[int, int], int]:
    """(parameter, instance) -> makespan from a jXXopt.sm or jXXhrs.sm table."""
    out: dict[tuple[int, int], int] = {}
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        fields = line.split()
        if len(fields) >= 3 and all(re.fullmatch(r"\d+", f) for f in fields[:3]):
            out[(int(fields[0]), int(fields[1]))] = int(fields[2])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relance.planning.psplib", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print JSON (the default output)")
    args = parser.parse_args(argv)
    try:
        problem = read(args.file)
    except (OSError, InvalidInput) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    print(
        json.dumps(
            {
                "makespan": result.evaluation.makespan,
                "lower_bound": result.lower_bound,
                "status": result.status,
                "seconds": round(result.seconds, 3),
                "starts": list(result.schedule.starts),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
