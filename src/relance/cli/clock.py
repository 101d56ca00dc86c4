"""`relance clock`: the time the database lives in; a replay's clock set, advanced, made live."""

from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import _, console, context, local, parse_time, print_json, transaction
from relance.cli.snapshot import duration

if TYPE_CHECKING:
    from relance.app.incident_clock import IncidentTime

app = typer.Typer(help="The incident clock: the wall clock (live) or a replay's time.")
Reason = Annotated[str, typer.Option(help="Why the clock moves (kept in the audit trail).")]
Actor = Annotated[str | None, typer.Option(help="Who moves it (default: RELANCE_ACTOR or you).")]


def _show(now: "IncidentTime", json: bool) -> None:
    if json:
        print_json({"mode": now.mode, "now": now.now})
        return
    if now.mode == "live":
        line = _("live (wall clock): {time}", time=local(now.now))
    else:
        line = _("replay (incident time): {time}", time=local(now.now))
    console.print(line, highlight=False)


@app.callback(invoke_without_command=True)
def show(
    ctx: typer.Context,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show whether the database is live or replays an incident, and its time now."""
    if ctx.invoked_subcommand is not None:
        return
    from relance.app import incident_clock as service

    with transaction() as uow:
        now = service.show_clock(uow, context(None, reads=True))
    _show(now, json)


@app.command("set")
def set_(
    at: Annotated[str, typer.Argument(help="The incident's time, e.g. 2022-05-17T08:00.")],
    reason: Reason,
    actor: Actor = None,
) -> None:
    """Move a replay's clock forward to AT (never before what is recorded)."""
    from relance.app import incident_clock as service

    moment = parse_time(at, "AT")
    assert moment is not None  # noqa: S101 - the argument is required
    with transaction() as uow:
        now = service.set_clock(uow, context(actor), moment, reason)
    _show(now, json=False)


@app.command()
def advance(
    step: Annotated[str, typer.Argument(help="How long: 30m, 2h, 1d, 1h30m.")],
    reason: Reason,
    actor: Actor = None,
) -> None:
    """Move a replay's clock forward by STEP."""
    from relance.app import incident_clock as service

    delta = duration(step, "STEP")
    with transaction() as uow:
        now = service.advance_clock(uow, context(actor), delta, reason)
    _show(now, json=False)


@app.command()
def live(reason: Reason, actor: Actor = None) -> None:
    """Switch a replay to the wall clock, for good (refused while it is ahead of today)."""
    from relance.app import incident_clock as service

    with transaction() as uow:
        now = service.go_live(uow, context(actor), reason)
    _show(now, json=False)
