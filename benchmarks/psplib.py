"""Benchmark: the restoration scheduler on the PSPLIB single-mode RCPSP sets.

Every instance goes through relance.planning.solve.solve, the product's entry point, and every
schedule is checked for precedence and resource feasibility by evaluate() before it counts.
The gap is measured to the reference makespan: the optimum for j30, the best known for j60 and
j120 (a negative gap means better than the best known).

Targets on a 2-core machine with 2 workers: j30 (all 480, 1 s each) mean gap <= 0.1 %;
j120 (instance 1 of each of the 60 classes, 10 s each) mean gap <= 1.5 %.

Run from the repository root (the data stays outside it, in ../shared/data/psplib):

    .venv/bin/python benchmarks/psplib.py --set j30 --time-limit 1
    .venv/bin/python benchmarks/psplib.py --set j120 --per-class 1 --time-limit 10
    .venv/bin/python benchmarks/psplib.py --set j60 --limit 20 --json
    .venv/bin/python benchmarks/psplib.py --set j120 --instances 2,3 --time-limit 10
"""

import argparse
import json
import re
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import ortools

from machine import about  # benchmarks/machine.py, beside this script
from relance.planning.evaluate import evaluate
from relance.planning.psplib import parse, reference_makespans
from relance.planning.solve import solve

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "psplib"
REFERENCES = {"j30": "j30opt.sm", "j60": "j60hrs.sm", "j120": "j120hrs.sm"}


@dataclass(frozen=True)
class Outcome:
    name: str
    reference: int
    makespan: int
    lower_bound: int
    status: str
    seconds: float

    @property
    def gap(self) -> float:
        """Percent above the reference makespan."""
        return 100.0 * (self.makespan - self.reference) / self.reference


def instances(data: Path, name: str) -> Iterator[tuple[int, int, str, str]]:
    """(parameter, instance, member name, text) of every file of a set, in archive order."""
    member_name = re.compile(rf"{name}(\d+)_(\d+)\.sm")  # j3012_3.sm: parameter 12, instance 3
    with zipfile.ZipFile(data / f"{name}.sm.zip") as archive:
        for member in archive.namelist():
            base = Path(member).name
            found = member_name.fullmatch(base)
            if found:
                text = archive.read(member).decode("ascii", errors="replace")
                yield int(found[1]), int(found[2]), base, text


def select(
    data: Path,
    name: str,
    per_class: int | None,
    limit: int | None,
    numbers: Sequence[int] = (),
) -> list[tuple[str, str, int]]:
    """(member name, text, reference makespan) sorted by parameter then instance; `numbers`
    keeps only those instance numbers of each class (develop on 2-10, confirm on 1)."""
    references = reference_makespans(data / REFERENCES[name])
    chosen = sorted(
        (parameter, instance, base, text)
        for parameter, instance, base, text in instances(data, name)
        if (per_class is None or instance <= per_class) and (not numbers or instance in numbers)
    )
    rows = [(base, text, references[(p, i)]) for p, i, base, text in chosen]
    return rows[:limit] if limit is not None else rows


def run_one(name: str, text: str, reference: int, time_limit: float, workers: int) -> Outcome:
    problem = parse(text, name)
    began = perf_counter()
    result = solve(problem, time_limit=time_limit, workers=workers)
    seconds = perf_counter() - began
    checked = evaluate(problem, result.schedule).check()  # an infeasible plan never counts
    return Outcome(name, reference, checked.makespan, result.lower_bound, result.status, seconds)


def machine() -> dict[str, Any]:
    return about(ortools=ortools.__version__)


def summary(outcomes: Sequence[Outcome], wall: float) -> dict[str, Any]:
    gaps = [o.gap for o in outcomes]
    count = max(1, len(outcomes))
    return {
        "instances": len(outcomes),
        "mean_gap_percent": round(sum(gaps) / count, 3),
        "max_gap_percent": round(max(gaps, default=0.0), 3),
        "at_reference": sum(o.makespan == o.reference for o in outcomes),
        "better_than_reference": sum(o.makespan < o.reference for o in outcomes),
        "proven_optimal": sum(o.status == "optimal" for o in outcomes),
        "mean_seconds": round(sum(o.seconds for o in outcomes) / count, 3),
        "wall_seconds": round(wall, 1),
    }


def report(
    name: str, args: argparse.Namespace, figures: dict[str, Any], about: dict[str, Any]
) -> str:
    reference = "optimum" if name == "j30" else "best known"
    return "\n".join(
        [
            f"PSPLIB {name}: {figures['instances']} instances, {args.time_limit:g} s each, "
            f"{args.workers} workers",
            f"gap to the {reference}: mean {figures['mean_gap_percent']:.3f} %, "
            f"max {figures['max_gap_percent']:.3f} %",
            f"at the reference: {figures['at_reference']}, better than it: "
            f"{figures['better_than_reference']}, proven optimal: {figures['proven_optimal']}",
            f"mean seconds per instance: {figures['mean_seconds']:.2f} "
            f"(wall {figures['wall_seconds']:.0f} s)",
            f"machine: {about['cpus']} CPUs, {about['cpu']}; {about['system']}",
            f"Python {about['python']}, OR-Tools {about['ortools']}",
        ]
    )


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--set", choices=sorted(REFERENCES), default="j30", dest="name")
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--per-class", type=int, help="only instances 1..K of each class")
    parser.add_argument(
        "--instances",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[],
        help="only these instance numbers of each class, e.g. 2,3 (comma-separated)",
    )
    parser.add_argument("--limit", type=int, help="only the first N instances selected")
    parser.add_argument("--json", action="store_true", help="print JSON, instances included")
    parser.add_argument("--data", type=Path, default=DATA, help="the PSPLIB directory")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    if not (args.data / f"{args.name}.sm.zip").is_file():
        print(f"error: {args.name}.sm.zip not found in {args.data}", file=sys.stderr)
        return 2
    selected = select(args.data, args.name, args.per_class, args.limit, args.instances)
    began = perf_counter()
    outcomes = []
    for base, text, reference in selected:
        outcome = run_one(base, text, reference, args.time_limit, args.workers)
        outcomes.append(outcome)
        print(
            f"{outcome.name:<14} {outcome.makespan:>4} ref {reference:>4} "
            f"lb {outcome.lower_bound:>4} {outcome.gap:6.2f} % {outcome.status:<9} "
            f"{outcome.seconds:5.2f} s",
            file=sys.stderr,
            flush=True,
        )
    figures = summary(outcomes, perf_counter() - began)
    about = machine()
    if args.json:
        detail = [asdict(o) | {"gap_percent": round(o.gap, 3)} for o in outcomes]
        print(json.dumps({"set": args.name, **figures, "machine": about, "results": detail}))
    else:
        print(report(args.name, args, figures, about))
    return 0


if __name__ == "__main__":
    sys.exit(main())
