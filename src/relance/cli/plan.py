"""`relance plan`: solve the restoration schedule, forecast reopenings, compare, draw."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from relance.app.choices import Method
from relance.cli.common import (
    console,
    context,
    errors,
    local,
    open_engine,
    parse_time,
    print_json,
    timezone,
    transaction,
    user_errors,
)

if TYPE_CHECKING:
    from relance.app import plan as service
    from relance.app.plan import Units

app = typer.Typer(help="Restoration plan: who rebuilds what, when, and when care comes back.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Version = Annotated[int | None, typer.Option("--version", help="Plan version (default: newest).")]
Force = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]


@contextmanager
def _units() -> "Iterator[Units]":
    """Units of work on this directory's database, read-only ones included, for one command."""
    from relance.storage.database import unit_of_work

    engine = open_engine()
    try:
        with user_errors():
            yield partial(unit_of_work, engine)
    finally:
        engine.dispose()


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

    from relance.app import plan as service
    from relance.app.plan import PlanInput, PlanOptions
    from relance.reports.plan_schedule import local_forecasts, local_version

    options = PlanOptions(
        method, time_limit, workers, seed, hours_per_day, parse_time(start, "--start"), batch_size
    )
    zone = timezone()

    def solving(state: PlanInput) -> None:  # on stderr: stdout may be JSON
        errors.print(
            f"state read as of {local(state.start)}: {len(state.recovery.problem.tasks)} tasks; "
            f"solving ({method.value}, up to {time_limit:g} s); the database stays free meanwhile",
            highlight=False,
        )

    with _units() as units:
        result = service.make_plan(units, context(actor), options, reason, on_read=solving)
        with units(read_only=True) as uow:
            day0 = service.incident_start(uow)
    if json:
        print_json(
            {
                "version": local_version(result.version, zone),
                "above_best": result.above_best,
                "forecasts": local_forecasts(result.forecasts, zone),
                "changes": result.changes,
            }
        )
        return
    v = result.version
    console.print(
        f"[green]plan {v.id}[/] ({v.method}, {v.status}) from {local(v.start_at)}: "
        f"weighted downtime {v.objective:,}; {_quality(v)}; "
        f"last task after {v.makespan_hours} working hours, {v.seconds:.1f} s"
    )
    if v.changes_missed:
        console.print(_missed(v))
    _forecast_table(result.forecasts, day0)
    for c in result.changes:
        console.print(_moved(c, day0))


@app.command()
def show(version: Version = None, json: Json = False) -> None:
    """The forecast of a plan: when each activity is partly and fully back at each site.

    With --json, every task too: kind, site, team, machines, start, end, predecessors."""
    from relance.app import plan as service
    from relance.app import plan_export

    with transaction() as uow:
        schedule = plan_export.schedule_of(uow, version, timezone())
        day0 = service.incident_start(uow)
    chosen = schedule.version
    if json:
        print_json(
            {
                "version": chosen,
                "above_best": service.above_best(chosen),
                "time_zone": schedule.time_zone,
                "forecasts": schedule.forecasts,
                "teams": schedule.teams,
                "tasks": schedule.tasks,
            }
        )
        return
    made = f"made {local(chosen.created_at)} by {chosen.actor}"
    console.print(f"plan {chosen.id} ({chosen.method}, {chosen.status}) {made}; {_quality(chosen)}")
    if chosen.changes_missed:
        console.print(_missed(chosen))
    _forecast_table(schedule.forecasts, day0)


@app.command()
def export(
    out: Annotated[Path, typer.Option(help="tasks.csv: one row per task.")],
    version: Version = None,
    force: Force = False,
) -> None:
    """Every task of a plan as CSV: kind, site, team, machines, start, end (with the offset of
    the crisis cell's time zone), predecessors."""
    from relance.app import plan_export

    with transaction() as uow:
        schedule = plan_export.export_tasks(uow, out, version, timezone(), force)
    console.print(f"plan {schedule.version.id}: {len(schedule.tasks)} tasks written to {out}")


@app.command("list")
def list_(json: Json = False) -> None:
    """Every plan version, oldest first."""
    from relance.app import plan as service

    with transaction() as uow:
        versions = service.list_plans(uow)
    if json:
        print_json(versions)
        return
    table = Table(title="plan versions")
    for column in ("version", "made", "by", "method", "status", "downtime", "above best", "why"):
        table.add_column(column)
    for v in versions:
        above = service.above_best(v)
        table.add_row(
            str(v.id),
            local(v.created_at),
            v.actor,
            v.method,
            v.status,
            f"{v.objective:,}",
            f"at most {above:.0%}" if above is not None else "unknown",
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
    from relance.app import plan as service

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
    from relance.app import plan as service

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
    force: Force = False,
) -> None:
    """Draw the plan per team and technician, coloured by what is restored."""
    from relance.app import plan_export

    with transaction() as uow:
        chosen = plan_export.draw_gantt(uow, out, version, timezone(), force)
    console.print(f"plan {chosen.id} drawn in {out}")


@app.command()
def curve(
    out: Annotated[Path, typer.Option(help="curve.png, curve.svg or curve.html")],
    version: Version = None,
    force: Force = False,
) -> None:
    """Machines redeployed over time: reported so far, then as planned."""
    from relance.app import plan_export

    with transaction() as uow:
        chosen = plan_export.draw_curve(uow, out, version, timezone(), force)
    console.print(f"restoration curve of plan {chosen.id} drawn in {out}")


def _quality(v: "service.PlanVersion") -> str:
    from relance.app import plan as service

    above = service.above_best(v)
    if above is None:
        return "no bound proven: how far from the best possible is unknown"
    return f"at most {above:.1%} above the best possible ({v.bound_method} bound {v.lower_bound:,})"


def _missed(v: "service.PlanVersion") -> str:
    return (
        f"[yellow]{v.changes_missed} change(s) were reported while this plan was solved from the "
        f"state as of {local(v.start_at)}: they are not in it; run relance plan again to count "
        "them[/]"
    )


def _moved(c: "service.ForecastChange", day0: datetime | None) -> str:
    before, after = _when(c.before, day0), _when(c.after, day0)
    return f"{c.name} at {c.site} moved from {before} to {after}; it waits for {c.waits_for}"


def _when(moment: datetime | None, day0: datetime | None) -> str:
    """A date with its day number from the incident's start, as the crisis cell counts."""
    if moment is None:
        return "not planned"
    day = f"day {(moment - day0).days}, " if day0 is not None else ""
    return f"{day}{local(moment)}"


def _forecast_table(forecasts: "list[service.Forecast]", day0: datetime | None) -> None:
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
