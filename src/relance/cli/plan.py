"""`relance plan`: solve the restoration schedule, forecast reopenings, compare, draw."""

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from relance.app import plan as service
from relance.app.plan import Method, PlanOptions
from relance.cli.common import console, context, local, parse_time, print_json, transaction

app = typer.Typer(help="Restoration plan: who rebuilds what, when, and when care comes back.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Version = Annotated[int | None, typer.Option("--version", help="Plan version (default: newest).")]


@app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    method: Annotated[
        Method, typer.Option(help="cpsat (optimised), tiers (by hand), rule.")
    ] = Method.CPSAT,
    time_limit: Annotated[float, typer.Option(min=0.1, help="Seconds CP-SAT may search.")] = 30.0,
    workers: Annotated[int, typer.Option(min=1, help="Solver threads.")] = 2,
    seed: Annotated[int, typer.Option(help="Solver seed, for repeatable plans.")] = 0,
    hours_per_day: Annotated[
        int, typer.Option(min=1, max=24, help="Working hours of a technician per day.")
    ] = 12,
    start: Annotated[
        str | None, typer.Option(help="Plan start (default: the last reported change).")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="PCs per technician task.")] = None,
    reason: Annotated[str, typer.Option(help="Why this plan (kept with the version).")] = "",
    actor: Annotated[str | None, typer.Option(help="Who plans.")] = None,
    json: Json = False,
) -> None:
    """Solve the remaining work and store it as a new plan version, with its forecast."""
    if ctx.invoked_subcommand is not None:
        return
    options = PlanOptions(
        method, time_limit, workers, seed, hours_per_day, parse_time(start, "--start"), batch_size
    )
    with console.status("planning the restoration..."), transaction() as uow:
        result = service.make_plan(uow, context(actor), options, reason)
        day0 = service.incident_start(uow)
    if json:
        print_json(result)
        return
    v = result.version
    console.print(
        f"[green]plan {v.id}[/] ({v.method}, {v.status}) from {local(v.start_at)}: "
        "weighted downtime "
        f"{v.objective:,}, lower bound {v.lower_bound:,} (gap {result.gap:.1%}), "
        f"last task after {v.makespan_hours} working hours, {v.seconds:.1f} s"
    )
    _forecast_table(result.forecasts, day0)
    for c in result.changes:
        console.print(_moved(c, day0))


@app.command()
def show(version: Version = None, json: Json = False) -> None:
    """The forecast of a plan: when each activity is partly and fully back at each site."""
    with transaction() as uow:
        chosen, forecasts = service.show_plan(uow, version)
        day0 = service.incident_start(uow)
    if json:
        print_json({"version": chosen, "forecasts": forecasts})
        return
    made = f"made {local(chosen.created_at)} by {chosen.actor}"
    console.print(f"plan {chosen.id} ({chosen.method}, {chosen.status}) {made}")
    _forecast_table(forecasts, day0)


@app.command("list")
def list_(json: Json = False) -> None:
    """Every plan version, oldest first."""
    with transaction() as uow:
        versions = service.list_plans(uow)
    if json:
        print_json(versions)
        return
    table = Table(title="plan versions")
    for column in ("version", "made", "by", "method", "status", "downtime", "lower bound", "why"):
        table.add_column(column)
    for v in versions:
        table.add_row(
            str(v.id),
            local(v.created_at),
            v.actor,
            v.method,
            v.status,
            f"{v.objective:,}",
            f"{v.lower_bound:,}",
            v.reason,
        )
    console.print(table)


@app.command()
def compare(
    old: Annotated[
        int | None, typer.Option("--from", help="Older version (default: the one before).")
    ] = None,
    new: Annotated[
        int | None, typer.Option("--to", help="Newer version (default: newest).")
    ] = None,
    json: Json = False,
) -> None:
    """What moved between two plan versions, and what it now waits for."""
    with transaction() as uow:
        changes = service.compare_versions(uow, old, new)
        day0 = service.incident_start(uow)
    if json:
        print_json(changes)
        return
    if not changes:
        console.print("no activity moved")
    for c in changes:
        console.print(_moved(c, day0))


@app.command()
def delay(
    target: Annotated[
        str, typer.Argument(help="A service code (DPI) or SITE/DEPARTMENT (MAR/RAD).")
    ],
    until: Annotated[str, typer.Option(help="Work cannot start before this time.")],
    reason: Annotated[str, typer.Option(help="Why: it is shown when plans are compared.")],
    actor: Annotated[str | None, typer.Option(help="Who reports it.")] = None,
) -> None:
    """Report that work on a service or a department's PCs cannot start before a time."""
    not_before = parse_time(until, "--until")
    assert not_before is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        service.report_delay(uow, context(actor), target, not_before, reason)
    console.print(
        f"delay recorded: {target} not before {local(not_before)}; run `relance plan` to re-plan"
    )


@app.command()
def gantt(
    out: Annotated[Path, typer.Option(help="plan.png, plan.svg or plan.html")],
    version: Version = None,
) -> None:
    """Draw the plan per team and technician, coloured by what is restored."""
    with transaction() as uow:
        chosen = service.draw_gantt(uow, out, version)
    console.print(f"plan {chosen.id} drawn in {out}")


@app.command()
def curve(
    out: Annotated[Path, typer.Option(help="curve.png, curve.svg or curve.html")],
    version: Version = None,
) -> None:
    """Machines redeployed over time: reported so far, then as planned."""
    with transaction() as uow:
        chosen = service.draw_curve(uow, out, version)
    console.print(f"restoration curve of plan {chosen.id} drawn in {out}")


def _moved(c: service.ForecastChange, day0: datetime | None) -> str:
    before, after = _when(c.before, day0), _when(c.after, day0)
    return f"{c.name} at {c.site} moved from {before} to {after}; it waits for {c.waits_for}"


def _when(moment: datetime | None, day0: datetime | None) -> str:
    """A date with its day number from the incident's start, as the crisis cell counts."""
    if moment is None:
        return "not planned"
    day = f"day {(moment - day0).days}, " if day0 is not None else ""
    return f"{day}{local(moment)}"


def _forecast_table(forecasts: list[service.Forecast], day0: datetime | None) -> None:
    table = Table(title="forecast: when each activity comes back")
    for column in ("site", "activity", "now", "first gain", "fully back", "waits for"):
        table.add_column(column)
    for f in sorted(forecasts, key=lambda f: (f.site, f.activity)):
        table.add_row(
            f.site,
            f.name,
            f"{f.capacity_now} %",
            _when(f.partial_at, day0) if f.partial_at else "-",
            _when(f.full_at, day0) if f.full_at else ("now" if f.capacity_now >= 100 else "-"),
            f.waits_for,
        )
    console.print(table)
