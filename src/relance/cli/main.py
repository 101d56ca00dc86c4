"""The `relance` command line."""

from typing import Annotated

import typer

import relance
from relance.cli import (
    activities,
    appointments,
    assets,
    audit,
    backup,
    clock,
    comms,
    demo,
    duties,
    exercise,
    incident,
    inventory,
    kit,
    network,
    notify,
    plan,
    review,
    serve,
    signin,
    sitrep,
    snapshot,
    users,
)
from relance.cli.common import Commands
from relance.cli.help import quiet

quiet()
app = typer.Typer(
    name="relance",
    help="Crisis cell of a hospital network hit by ransomware: inventory, containment, recovery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=Commands,
)
app.command()(signin.login)
app.command()(signin.logout)
app.command()(signin.whoami)
app.command()(network.init)
app.command()(network.status)
app.command()(demo.demo)
app.add_typer(audit.timeline_app, name="timeline")
app.command("audit")(audit.audit_command)
app.add_typer(assets.app, name="assets")
app.add_typer(inventory.app, name="inventory")
app.add_typer(plan.app, name="plan")
app.add_typer(appointments.app, name="appointments")
app.add_typer(notify.app, name="notify")
app.command()(activities.activities)
app.add_typer(snapshot.app, name="snapshot")
app.add_typer(incident.app, name="incident")
app.add_typer(incident.log_app, name="log")
app.add_typer(incident.evidence_app, name="evidence")
app.add_typer(sitrep.app, name="sitrep")
app.add_typer(comms.app, name="comms")
app.add_typer(review.app, name="review")
app.add_typer(duties.app, name="duties")
app.add_typer(duties.claims_app, name="claims")
app.add_typer(users.app, name="users")
app.command()(serve.serve)
app.command()(backup.backup)
app.command()(backup.restore)
app.add_typer(kit.app, name="kit")
app.add_typer(clock.app, name="clock")
app.add_typer(exercise.app, name="exercise")


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"relance {relance.__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and stop."
        ),
    ] = False,
) -> None:
    """Crisis cell of a hospital network hit by ransomware: inventory, containment, recovery."""
