"""The `relance` command line."""

import typer

from relance.cli import (
    activities,
    appointments,
    assets,
    audit,
    demo,
    network,
    notify,
    plan,
    snapshot,
)

app = typer.Typer(
    name="relance",
    help="Crisis cell of a hospital network hit by ransomware: inventory, containment, recovery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(network.init)
app.command()(network.status)
app.command()(demo.demo)
app.command("timeline")(audit.timeline_command)
app.command("audit")(audit.audit_command)
app.add_typer(assets.app, name="assets")
app.add_typer(plan.app, name="plan")
app.add_typer(appointments.app, name="appointments")
app.add_typer(notify.app, name="notify")
app.command()(activities.activities)
app.add_typer(snapshot.app, name="snapshot")
