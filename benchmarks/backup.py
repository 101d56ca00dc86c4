"""Benchmark: back up and restore a large database, on SQLite and PostgreSQL.

The network of import_states.py (N workstations and 300 servers) is loaded and every workstation
isolated (N audit rows); then `take_backup` (plain, and encrypted to one age key) and
`restore_backup` into an empty place, each checked: the restored rows per table equal the
manifest's. Prints seconds and sizes with the machine they ran on.

Run from the repository root:

    .venv/bin/python benchmarks/backup.py                  # SQLite, 100,000 workstations
    .venv/bin/python benchmarks/backup.py --assets 20000   # a quicker run
    .venv/bin/python benchmarks/backup.py --json

PostgreSQL runs when --postgres or RELANCE_TEST_POSTGRES_URL gives a server (fresh databases
relance_bench_<random>, dropped at the end).
"""

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from pyrage import x25519

from import_states import expect, postgres_database, write_report, write_scenario
from machine import about  # benchmarks/machine.py, beside this script
from relance.app.assets import import_states as apply_report
from relance.app.backup import take_backup
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.restore import restore_backup
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.storage import asset_store
from relance.storage.database import make_engine, migrate, unit_of_work

ACTOR = "benchmark"


@dataclass(frozen=True)
class Result:
    backend: str
    assets: int
    rows: int
    database_mb: float
    backup_seconds: float
    backup_mb: float
    encrypted_seconds: float
    restore_seconds: float


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(url: str, workdir: Path, assets: int) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        ctx = Context(actor=ACTOR)
        with unit_of_work(engine) as uow:
            load_network(uow, ctx, write_scenario(workdir, assets))
        with unit_of_work(engine) as uow:
            found = asset_store.find(uow, AssetFilter(kinds=(AssetKind.WORKSTATION,)))
        report = write_report(workdir / "isolated.csv", [a.hostname for a in found], None)
        with unit_of_work(engine) as uow:
            apply_report(uow, ctx, path=report, default_target=AssetState.ISOLATED)
    finally:
        engine.dispose()


def run(backend: str, url: str, target: str, assets: int, workdir: Path) -> Result:
    fill(url, workdir, assets)
    ctx = Context(actor=ACTOR)
    plain = take_backup(ctx, url, workdir / f"{backend}-plain.tar")
    progress(f"{backend}: backup in {plain.seconds:.2f} s, {plain.size / 1e6:.1f} MB")
    secret = x25519.Identity.generate()
    (workdir / "key.txt").write_text(f"{secret}\n")
    (workdir / "recipients.txt").write_text(f"{secret.to_public()}\n")
    sealed = take_backup(ctx, url, workdir / f"{backend}-age.tar", workdir / "recipients.txt")
    progress(f"{backend}: encrypted backup in {sealed.seconds:.2f} s")
    started = perf_counter()
    restored = restore_backup(ctx, sealed.path, target, workdir / "key.txt")
    restore_seconds = perf_counter() - started
    progress(f"{backend}: restored in {restore_seconds:.2f} s")
    expect(restored.counts == sealed.counts, "the restored rows differ from the manifest")
    expect(restored.counts["assets"] >= assets, f"{restored.counts['assets']} machines")
    source = Path(url.removeprefix("sqlite:///")) if backend == "sqlite" else None
    return Result(
        backend=backend,
        assets=assets,
        rows=sum(plain.counts.values()),
        database_mb=round(source.stat().st_size / 1e6, 1) if source else 0.0,
        backup_seconds=round(plain.seconds, 2),
        backup_mb=round(plain.size / 1e6, 1),
        encrypted_seconds=round(sealed.seconds, 2),
        restore_seconds=round(restore_seconds, 2),
    )


def table(results: Sequence[Result], machine: dict[str, Any]) -> str:
    header = (
        f"{'backend':<12}{'assets':>9}{'rows':>10}{'db MB':>8}{'backup s':>10}{'file MB':>9}"
        f"{'age s':>8}{'restore s':>11}"
    )
    lines = [
        f"machine: {machine['cpus']} CPUs, {machine['cpu']}; {machine['system']}",
        f"Python {machine['python']}; load average {machine['load']}",
        "",
        header,
        "-" * len(header),
    ]
    lines += [
        f"{r.backend:<12}{r.assets:>9,}{r.rows:>10,}{r.database_mb or '-':>8}"
        f"{r.backup_seconds:>10.2f}{r.backup_mb:>9.1f}{r.encrypted_seconds:>8.2f}"
        f"{r.restore_seconds:>11.2f}"
        for r in results
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--assets", type=int, default=100_000, help="workstations")
    parser.add_argument("--postgres", default=os.environ.get("RELANCE_TEST_POSTGRES_URL"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    machine = about(load=" ".join(f"{x:.1f}" for x in os.getloadavg()))
    results = []
    with tempfile.TemporaryDirectory(prefix="relance-bench-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'relance.db'}"
        results.append(run("sqlite", url, str(workdir / "restored"), args.assets, workdir))
        if args.postgres:
            source = stack.enter_context(postgres_database(args.postgres))
            target = stack.enter_context(postgres_database(args.postgres))
            results.append(run("postgresql", source, target, args.assets, workdir))
    if args.json:
        print(json.dumps({"machine": machine, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print(table(results, machine))


if __name__ == "__main__":
    main()
