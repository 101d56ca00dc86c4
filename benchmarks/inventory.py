"""Benchmark: an inventory import of N machines from three tools' exports, on SQLite.

The exports are written as the tools write them (relance.importers.inventory_samples): GLPI
10's Computers CSV in French, `Get-ADComputer | Export-Csv` from Windows PowerShell 5.1 in its
default ASCII with its #TYPE line, Defender's device inventory and machine actions. The
measure is the whole `relance inventory import`: reading and reconciling every file, placing
every machine by the mapping's rules, then applying it in one unit of work into an empty
SQLite database (commit included). It is checked afterwards: N machines, as many isolated
as the EDR isolated, one `asset.imported` audit row each.

Each step's wall and CPU time is printed: read (the exports and the mapping), reconcile,
place, apply (comparing with the database and writing), commit. They are measured by timing
the functions `read_inventory` calls, so the whole is measured as the command runs it.

Target: <= 15 s for 100,000 machines on SQLite.

Run from the repository root:

    .venv/bin/python benchmarks/inventory.py                     # 100,000 machines
    .venv/bin/python benchmarks/inventory.py --machines 20000    # a quicker run
    .venv/bin/python benchmarks/inventory.py --write DIR --machines 2000   # only the exports
"""

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from sqlalchemy import func, select

from machine import about  # benchmarks/machine.py, beside this script
from relance.app import inventory
from relance.app.context import Context
from relance.app.inventory import import_inventory, read_inventory
from relance.domain.roles import CONSOLE
from relance.importers import inventory_files, inventory_mapping, inventory_samples
from relance.storage.database import make_engine, migrate, unit_of_work
from relance.storage.tables import AssetRow, AuditRow

TARGET_SECONDS = 15.0
STEPS = ("read", "reconcile", "place", "apply", "commit")


class Steps:
    """Wall and CPU seconds spent in each step."""

    def __init__(self) -> None:
        self.wall = dict.fromkeys(STEPS, 0.0)
        self.cpu = dict.fromkeys(STEPS, 0.0)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        since = perf_counter(), process_time()
        try:
            yield
        finally:
            self.add(name, since)

    def add(self, name: str, since: tuple[float, float]) -> None:
        self.wall[name] += perf_counter() - since[0]
        self.cpu[name] += process_time() - since[1]

    def timing(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.step(name):
                return function(*args, **kwargs)

        return timed


def _timed_steps(steps: Steps) -> None:
    """The functions read_inventory calls, each timed as its step."""
    for module, name, step in (
        (inventory_mapping, "read", "read"),
        (inventory_files, "read_exports", "read"),
        (inventory, "reconcile", "reconcile"),
        (inventory, "place_all", "place"),
    ):
        setattr(module, name, steps.timing(step, getattr(module, name)))


def run(machines: int, directory: Path) -> dict[str, Any]:
    sample = inventory_samples.hospital(machines)
    files = inventory_samples.write(directory, sample)
    url = f"sqlite:///{directory / 'relance.db'}"
    engine = make_engine(url)
    migrate(engine)
    ctx = Context(actor="benchmark", authority=CONSOLE)
    steps = Steps()
    _timed_steps(steps)
    started, cpu = perf_counter(), process_time()
    read = read_inventory(ctx, paths=files, mapping=directory / "mapping.yaml")
    with unit_of_work(engine) as uow:
        with steps.step("apply"):
            plan = import_inventory(uow, ctx, read)
        committing = perf_counter(), process_time()  # the unit of work commits as it ends
    steps.add("commit", committing)
    total, cpu_used = perf_counter() - started, process_time() - cpu
    with unit_of_work(engine) as uow:
        assets = uow.session.scalar(select(func.count()).select_from(AssetRow))
        isolated = uow.session.scalar(
            select(func.count()).select_from(AssetRow).where(AssetRow.state == "isolated")
        )
        audited = uow.session.scalar(
            select(func.count()).where(AuditRow.event_type == "asset.imported")
        )
    engine.dispose()
    expected_isolated = sum(m.isolated for m in sample)
    if (assets, isolated, audited) != (machines, expected_isolated, machines):
        sys.exit(f"wrong import: {assets} machines, {isolated} isolated, {audited} audited")
    return {
        "machines": machines,
        "export_bytes": sum(p.stat().st_size for p in files),
        "sightings": sum(len(f.sightings) for f in plan.files),
        "isolated": isolated,
        **{f"{s}_seconds": f"{steps.wall[s]:.2f} wall, {steps.cpu[s]:.2f} CPU" for s in STEPS},
        "total_seconds": round(total, 2),
        "cpu_seconds": round(cpu_used, 2),  # this process's: the load of others aside
        "target_seconds": TARGET_SECONDS,
        "load_average": os.getloadavg(),
        "machine": about(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--machines", type=int, default=100_000)
    parser.add_argument("--write", type=Path, help="only write the exports and mapping here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=True)
        for path in inventory_samples.write(args.write, inventory_samples.hospital(args.machines)):
            print(path)
        print(args.write / "mapping.yaml")
        return
    with tempfile.TemporaryDirectory() as directory:
        figures = run(args.machines, Path(directory))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:28} {value}")
    if figures["total_seconds"] > TARGET_SECONDS:
        print(f"over the {TARGET_SECONDS:.0f} s target", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
