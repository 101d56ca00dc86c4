"""A technician's transition and `relance status` while `relance plan` solves for a minute.

    python benchmarks/plan_concurrency.py [--time-limit 60] [--url postgresql+psycopg://...]

Builds the demo database (SQLite in a temporary directory, or the PostgreSQL database given),
times a transition of one server and a status read with no plan running, then starts
`relance plan --time-limit 60` as its own process and, once it says it has read the state,
times the same operations while it solves. The acceptance: a transition under 2 s.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path

import ortools

from machine import about  # benchmarks/machine.py, beside this script
from relance.app import demo
from relance.app.assets import transition_matching
from relance.app.context import Context
from relance.app.status import network_status
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.storage.database import Engine, UnitOfWork, make_engine, migrate, unit_of_work

SERVERS = ("BAS-SRV-FILE-01", "VIR-SRV-FILE-01", "BAS-SRV-PRINT-01", "VIR-SRV-PRINT-01")


def timed_transition(engine: Engine, hostname: str, target: AssetState) -> float:
    began = time.perf_counter()
    with unit_of_work(engine) as uow:
        transition_matching(
            uow,
            Context("bench:technician"),
            where=AssetFilter(hostnames=(hostname,)),
            target=target,
            reason="benchmark",
        )
    return time.perf_counter() - began


def timed_status(engine: Engine) -> float:
    began = time.perf_counter()
    with unit_of_work(engine, read_only=True) as uow:
        network_status(uow)
    return time.perf_counter() - began


def start_plan(url: str, directory: Path, limit: float) -> subprocess.Popen[str]:
    """`relance plan` as a crisis cell runs it; returns once it has read the state."""
    plan = subprocess.Popen(  # noqa: S603 - this Python running relance, arguments of our own
        [sys.executable, "-m", "relance", "plan", "--time-limit", str(limit)],
        cwd=directory,
        env={**os.environ, "RELANCE_DATABASE_URL": url, "COLUMNS": "200"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in plan.stderr or ():
        if "solving" in line:
            return plan
    raise SystemExit(f"relance plan ended without solving (exit {plan.wait()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--url", help="a PostgreSQL database to use (it is emptied)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'relance.db'}"
        engine = make_engine(url)
        migrate(engine)

        def transaction() -> AbstractContextManager[UnitOfWork]:
            return unit_of_work(engine)

        demo.load_reference(transaction)
        for _ in demo.replay(transaction):
            pass
        alone = (
            timed_transition(engine, SERVERS[0], AssetState.REIMAGED),
            timed_status(engine),
        )
        plan = start_plan(url, Path(tmp), args.time_limit)
        began = time.perf_counter()
        during = [
            (timed_transition(engine, host, AssetState.REIMAGED), timed_status(engine))
            for host in SERVERS[1:]
        ]
        solving = plan.poll() is None
        plan.wait()
        planned = time.perf_counter() - began
        engine.dispose()
    load = os.getloadavg()
    print(
        f"database: {'PostgreSQL' if args.url else 'SQLite'}; plan --time-limit {args.time_limit:g}"
    )
    print(f"no plan running: transition {alone[0]:.2f} s, status {alone[1]:.2f} s")
    for k, (moved, status) in enumerate(during, start=1):
        print(f"while the plan solves ({k}): transition {moved:.2f} s, status {status:.2f} s")
    print(f"plan still solving after them: {solving}; it ended {planned:.0f} s after reading")
    worst = max(moved for moved, _ in during)
    verdict = "met" if worst < 2 else "NOT met"
    print(f"acceptance, every transition during the plan under 2 s: {verdict}")
    machine = about(ortools=ortools.__version__)
    print(f"machine: {machine['cpus']} CPUs, {machine['cpu']}; load average {load[0]:.1f}")


if __name__ == "__main__":
    main()
