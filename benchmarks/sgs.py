"""Benchmark: schedules the serial SGS builds per CPU second on PSPLIB j120, and the genetic
algorithm's children per CPU second (a child: crossover, mutation, SGS, justification).

CPU time, not wall time: the figure holds on a loaded machine. The first call of the compiled
schedule builder in a fresh process may compile it (or load it from numba's cache): that time
is printed apart and left out of the rates.

    .venv/bin/python benchmarks/sgs.py --instances 2 --classes 10
"""

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence

from machine import about  # benchmarks/machine.py, beside this script
from psplib import DATA, select  # benchmarks/psplib.py, beside this script
from relance.planning import baseline
from relance.planning.genetic import Genetic
from relance.planning.improve import Instance, activity_list, fixed_work, justify, sgs
from relance.planning.problem import Problem
from relance.planning.psplib import parse

SECONDS = 2.0  # of CPU per measure and instance


def rate(work: Callable[[], object], seconds: float = SECONDS) -> float:
    """Calls of `work` per CPU second."""
    began, count = time.process_time(), 0
    while time.process_time() - began < seconds:
        work()
        count += 1
    return count / (time.process_time() - began)


def measure(problem: Problem) -> tuple[float, float, float]:
    """Serial SGS passes, justifications and GA children per CPU second on one instance."""
    inst = Instance(problem)
    rng = random.Random(0)
    lists = [activity_list(inst, [rng.random() for _ in range(inst.n)]) for _ in range(50)]
    fixed = fixed_work(inst, [0] * inst.n)
    k = iter(range(10**9))
    sgs_rate = rate(lambda: sgs(inst, lists[next(k) % 50], fixed))
    placed = [sgs(inst, order, fixed) for order in lists]
    justify_rate = rate(lambda: justify(inst, placed[next(k) % 50]))
    genetic = Genetic(inst, [placed[0]], [baseline.latest_finish(problem)], seed=0)
    genetic.fill(time.perf_counter() + 60)
    return sgs_rate, justify_rate, genetic.size * rate(lambda: genetic.breed(genetic.size))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--instances", type=int, default=2, help="instance number of each class")
    parser.add_argument("--classes", type=int, default=10, help="first N classes of j120")
    args = parser.parse_args(argv)
    selected = select(DATA, "j120", None, None, [args.instances])[: args.classes]
    first = time.process_time()
    problem = parse(selected[0][1], selected[0][0])
    inst = Instance(problem)
    genetic = Genetic(inst, [sgs(inst, inst.order, {})], [baseline.latest_finish(problem)])
    genetic.fill(time.perf_counter() + 60)
    genetic.breed()  # compiles (or loads) every kernel
    print(f"first generation in this process: {time.process_time() - first:.2f} CPU s")
    rates = [measure(parse(text, base)) for base, text, _ in selected]
    for (base, _, _), (sgs_rate, justify_rate, child_rate) in zip(selected, rates, strict=True):
        print(
            f"{base:<12} SGS {sgs_rate:8.0f}/s  justify {justify_rate:7.0f}/s  "
            f"GA children {child_rate:7.0f}/s",
            file=sys.stderr,
        )
    sgs_rates, justify_rates, child_rates = zip(*rates, strict=True)
    mean = len(selected)
    machine = about()
    print(
        f"j120 instance {args.instances}, {mean} classes, per CPU second: "
        f"SGS {sum(sgs_rates) / mean:.0f}, justification {sum(justify_rates) / mean:.0f}, "
        f"GA children {sum(child_rates) / mean:.0f}"
    )
    print(f"machine: {machine['cpus']} CPUs, {machine['cpu']}; Python {machine['python']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
