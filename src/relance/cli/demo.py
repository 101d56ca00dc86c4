"""`relance demo`: the reference network after the first three days of the Vivalia attack."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from relance.cli.common import _, console, context, n_, transaction, user_errors
from relance.cli.network import render_status
from relance.cli.wording import number


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
        _(
            "[green]{network}[/]: {sites}, {servers}, {workstations}, {devices}",
            network=summary.name,
            sites=n_("{n} site", "{n} sites", summary.sites),
            servers=n_("{n} server", "{n} servers", summary.servers),
            workstations=n_("{n} workstation", "{n} workstations", summary.workstations),
            devices=n_(
                "{n} medical-device PC",
                "{n} medical-device PCs",
                summary.medical_devices,
            ),
        )
    )
    with user_errors():
        seeded = replay.seed_crisis_cell(lambda: transaction(directory))
    console.print(
        _(
            "incident declared: {timeline} of the public record, {log}, {periods}",
            timeline=n_("{n} timeline entry", "{n} timeline entries", seeded.timeline),
            log=n_("{n} log entry", "{n} log entries", seeded.log),
            periods=n_(
                "{n} operational period",
                "{n} operational periods",
                seeded.periods,
            ),
        )
    )
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(_("replaying the first three days"), total=len(replay.STEPS))
        for done, moved in replay.replay(lambda: transaction(directory), crisis_cell=True):
            machines = n_("{n} machine", "{n} machines", moved)
            console.print(
                f"{done.at:%d/%m %H:%M} {done.actor}: {done.what} ({machines})", highlight=False
            )
            progress.advance(task)
    with transaction(directory) as uow:
        render_status(status_for(uow, context(None, directory, reads=True)))
    with user_errors():
        plan = replay.plan_by_tiers(lambda: transaction(directory))
    console.print(
        _(
            "plan version {version} by tiers (the crisis cell's order by hand): last machine back "
            "after {hours} working hours; `relance plan --time-limit 30` computes the optimised "
            "one, `relance plan compare` sets them side by side",
            version=plan.version.id,
            hours=number(plan.version.makespan_hours),
        ),
        highlight=False,
    )
    with user_errors():
        login, password = replay.add_demo_account(lambda: transaction(directory))
    console.print(
        "\n"
        + _(
            "Dashboard: `relance serve`, then http://127.0.0.1:8000/ ; sign in as [bold]{login}[/] "
            "with the password [bold]{password}[/] (shown once; `relance users reset-password "
            "{login}` gives a new one)",
            login=login,
            password=password,
        ),
        highlight=False,
    )
    next_steps = (
        "relance status, relance timeline, relance assets list --site MAR, "
        "relance audit --object MAR-SRV-AD-01, relance incident show, "
        f"relance sitrep --date {replay.T0.date() + timedelta(days=3)} --out sitrep.pdf"
    )
    if directory == Path():
        said = _("Next: {commands}. Database: {file}", commands=next_steps, file=DEFAULT_FILE)
    else:
        said = _(
            "Next (in {directory}): {commands}. Database: {file}",
            directory=directory,
            commands=next_steps,
            file=DEFAULT_FILE,
        )
    console.print("\n" + said, highlight=False)
