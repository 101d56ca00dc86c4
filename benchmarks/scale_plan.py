"""Plan a network the size of HSE Ireland in 2021 (5,000 servers, 70,000 PCs) from scratch.

    python benchmarks/scale_plan.py [--servers 5000] [--workstations 70000] [--time-limit 30]

Prints the time of the whole `make_plan` as `relance plan` runs it (read the state, build the
problem, solve with the time limit, forecast, store) and of its parts, with the plan's figures;
the plan must be feasible (every schedule is checked). Target: the whole within 60 s with
`relance plan`'s default time limit (30 s).
"""

import argparse
import os
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import ortools
import yaml

from machine import about  # benchmarks/machine.py, beside this script
from relance.app.context import Context
from relance.app.network import LoadSummary, load_network
from relance.app.plan import (
    PlanInput,
    PlanOptions,
    PlanResult,
    compute_plan,
    read_state,
    store_plan,
)
from relance.storage.database import make_engine, migrate, unit_of_work

DEPARTMENTS = ("URG", "USI", "HOSP", "BOP", "CONS", "RAD", "LAB", "PHA", "ADM", "PREL")
SERVICES: tuple[tuple[str, int, list[str], int, float], ...] = (  # code, hours, needs, tier, share
    ("NET", 8, [], 1, 0.02),
    ("AD", 12, ["NET"], 1, 0.03),
    ("DEPLOY", 8, ["AD"], 1, 0.01),
    ("PACS", 20, ["AD"], 2, 0.10),
    ("RIS", 12, ["PACS"], 2, 0.04),
    ("DPI", 24, ["AD"], 3, 0.15),
    ("LAB", 16, ["AD"], 3, 0.08),
    ("PHARMA", 12, ["AD"], 4, 0.07),
    ("FILE", 12, ["AD"], 4, 0.20),
    ("ERP", 14, ["AD"], 4, 0.30),
)

# Every scenario names who patients hear from; invented for the benchmark.
ORGANISATION = {
    "name": "Benchmark hospitals",
    "short_name": "Bench",
    "patient_line": "081 00 00 00",
    "sms_sender": "Bench",
}


def scenario(servers: int, workstations: int, sites: int) -> dict[str, Any]:
    """A regional health service: `sites` hospitals, central server teams, a PC team per site."""
    codes = [f"H{i:02d}" for i in range(sites)]
    server_groups = []
    for code, _, _, _, share in SERVICES:
        count = round(servers * share)
        for i, site in enumerate(codes):
            n = count // sites + (1 if i < count % sites else 0)
            if n:
                server_groups.append({"site": site, "services": [code], "count": n})
    groups = [(s, d) for s in codes for d in DEPARTMENTS]
    per_group, extra = divmod(workstations, len(groups))
    machines = [
        {"site": s, "department": d, "count": per_group + (1 if i < extra else 0)}
        for i, (s, d) in enumerate(groups)
    ]
    return {
        "format": "relance-scenario/1",
        "name": "scale",
        "organisation": ORGANISATION,
        "effort": {
            "workstation_hours": 2.0,
            "medical_device_hours": 4.0,
            "machine_services": ["AD", "DEPLOY"],
        },
        "sites": [
            {
                "code": s,
                "name": f"Hospital {s}",
                "kind": "hospital",
                "departments": [{"code": d, "name": d} for d in DEPARTMENTS],
            }
            for s in codes
        ],
        "services": [
            {"code": c, "name": c, "rebuild_hours": h, "depends_on": deps, "tier": tier}
            for c, h, deps, tier, _ in SERVICES
        ],
        "teams": [
            {"code": f"SRV{i}", "name": f"Servers {i}", "size": 8, "skills": ["server"]}
            for i in range(12)
        ]
        + [
            {"code": f"WS-{s}", "name": f"PCs {s}", "site": s, "size": 5, "skills": ["workstation"]}
            for s in codes
        ],
        "activities": [
            {
                "code": "emergency",
                "name": "Emergency",
                "sites": codes,
                "weight": 100,
                "paper_mode": True,
                "paper_capacity": 60,
                "needs": {"services": ["DPI"], "machines": [{"department": "URG", "share": 0.8}]},
            },
            {
                "code": "radiology",
                "name": "Radiology",
                "sites": codes,
                "weight": 25,
                "needs": {
                    "services": ["PACS", "RIS"],
                    "machines": [{"department": "RAD", "share": 0.5}],
                },
            },
            {
                "code": "consultations",
                "name": "Consultations",
                "sites": codes,
                "weight": 20,
                "paper_mode": True,
                "paper_capacity": 10,
                "needs": {"services": ["DPI"], "machines": [{"department": "CONS", "share": 0.6}]},
            },
            {
                "code": "labs",
                "name": "Labs",
                "sites": codes,
                "weight": 30,
                "paper_mode": True,
                "paper_capacity": 30,
                "needs": {"services": ["LAB"], "machines": [{"department": "LAB", "share": 0.5}]},
            },
        ],
        "assets": {
            "initial_state": "isolated",
            "generate": {"seed": 2021, "servers": server_groups, "machines": machines},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", type=int, default=5000)
    parser.add_argument("--workstations", type=int, default=70000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=PlanOptions.time_limit)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(
            yaml.safe_dump(scenario(args.servers, args.workstations, args.sites)), encoding="utf-8"
        )
        engine = make_engine(f"sqlite:///{Path(tmp) / 'relance.db'}")
        migrate(engine)
        ctx = Context("bench")
        began = time.perf_counter()
        with unit_of_work(engine) as uow:
            summary = load_network(uow, ctx, path)
        loaded = time.perf_counter() - began
        options = PlanOptions(time_limit=args.time_limit, workers=args.workers)
        units = partial(unit_of_work, engine)
        # make_plan's three steps, timed one by one
        began = time.perf_counter()
        with units(read_only=True) as uow:
            state = read_state(uow, ctx, options)
        read = time.perf_counter()
        computed = compute_plan(state, ctx, options, "scale benchmark")
        solved = time.perf_counter()
        with units() as uow:
            result = store_plan(uow, ctx, computed)
        stored = time.perf_counter()
        engine.dispose()
    seconds = (loaded, read - began, solved - read, stored - solved)
    report(summary, state, result, seconds, args.time_limit)


def report(
    summary: LoadSummary,
    state: PlanInput,
    result: PlanResult,
    seconds: tuple[float, float, float, float],
    limit: float,
) -> None:
    loaded, read, solved, stored = seconds
    v, problem = result.version, state.recovery.problem
    machine = about(ortools=ortools.__version__)
    print(f"machine: {machine['cpus']} CPUs, {machine['cpu']}, Python {machine['python']}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"network: {summary.servers:,} servers, {summary.workstations:,} workstations, "
        f"{summary.sites} sites; loaded in {loaded:.1f} s"
    )
    print(
        f"problem: {len(problem.tasks):,} tasks, {len(problem.resources)} team pools, "
        f"{len(problem.milestones)} milestones"
    )
    whole = read + solved + stored
    print(
        f"make_plan, time limit {limit:g} s: {whole:.1f} s = read and build {read:.1f} s "
        f"+ solve, check and forecast {solved:.1f} s + store {stored:.1f} s"
    )
    print(
        f"status {v.status}; weighted downtime {v.objective:,}, lower bound {v.lower_bound:,} "
        f"({v.bound_method}); last task after {v.makespan_hours} h"
    )
    print(f"target, the whole make_plan within 60 s: {'met' if whole <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
