"""`relance demo`: the reference network after the first three days of the Vivalia attack."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from relance.cli.common import console, context, transaction, user_errors
from relance.cli.network import render_status


def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Directory for the demo database (default: here).")
    ] = Path(),
    force: Annotated[
        bool, typer.Option(help="Delete the SQLite database already in DIR first.")
    ] = False,
) -> None:
    """Build the vivalia-2022 network, replay its first three days and print the status."""
    from relance.app import demo as replay
    from relance.app.status import status_for
    from relance.storage.database import DEFAULT_FILE, database_url

    directory.mkdir(parents=True, exist_ok=True)
    url = database_url(directory)
    if force and url.startswith("sqlite:///") and not os.environ.get("RELANCE_DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)

    with user_errors():
        summary = replay.load_reference(lambda: transaction(directory, create=True))
    console.print(
        f"[green]{summary.name}[/]: {summary.sites} sites, {summary.servers} servers, "
        f"{summary.workstations} workstations, {summary.medical_devices} medical-device PCs"
    )
    with user_errors():
        seeded = replay.seed_crisis_cell(lambda: transaction(directory))
    console.print(
        f"incident declared: {seeded.timeline} timeline entries of the public record, "
        f"{seeded.log} log entries, {seeded.periods} operational periods"
    )
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("replaying the first three days", total=len(replay.STEPS))
        for done, moved in replay.replay(lambda: transaction(directory), crisis_cell=True):
            console.print(f"{done.at:%d/%m %H:%M} {done.actor}: {done.what} ({moved} machines)")
            progress.advance(task)
    with transaction(directory) as uow:
        render_status(status_for(uow, context(None, directory, reads=True)))
    with user_errors():
        plan = replay.plan_by_tiers(lambda: transaction(directory))
    console.print(
        f"plan version {plan.version.id} by tiers (the crisis cell's order by hand): last machine "
        f"back after {plan.version.makespan_hours} working hours; relance plan --time-limit 30 "
        "computes the optimised one, relance plan compare sets them side by side",
        highlight=False,
    )
    with user_errors():
        login, password = replay.add_demo_account(lambda: transaction(directory))
    console.print(
        f"\nDashboard: relance serve, then http://127.0.0.1:8000/ ; "
        f"sign in as [bold]{login}[/] with the password [bold]{password}[/] (shown once; "
        f"relance users reset-password {login} gives a new one)",
        highlight=False,
    )
    where = f" (in {directory})" if directory != Path() else ""
    console.print(
        f"\nNext{where}: relance status, relance timeline, relance assets list --site MAR, "
        f"relance audit --object MAR-SRV-AD-01, relance incident show, "
        f"relance sitrep --date {replay.T0.date() + timedelta(days=3)} --out sitrep.pdf. "
        f"Database: {DEFAULT_FILE}"
    )
