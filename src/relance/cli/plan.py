"""`relance plan`: solve the restoration schedule, forecast reopenings, compare, draw."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.app.choices import Method
from relance.cli.common import (
    _,
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
from relance.cli.tables import (
    Wide,
    key_column,
    number_column,
    percent,
    table,
    text_column,
)
from relance.cli.tables import show as show_table
from relance.cli.wording import code, number, words

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
            _(
                "state read as of {time}: {tasks} tasks; solving ({method}, up to {seconds} s); "
                "the database stays free meanwhile",
                time=local(state.start),
                tasks=len(state.recovery.problem.tasks),
                method=method.value,
                seconds=number(time_limit),
            ),
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
    made = _("plan {id}", id=v.id)
    console.print(
        f"[green]{made}[/] "
        + _(
            "({method}, {status}) from {start}: weighted downtime {downtime}; {quality}; "
            "last task after {hours} working hours, {seconds} s",
            method=words().method(v.method),
            status=code(v.status),
            start=local(v.start_at),
            downtime=number(v.objective),
            quality=_quality(v),
            hours=number(v.makespan_hours),
            seconds=number(round(v.seconds, 1)),
        )
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
    console.print(
        _(
            "plan {id} ({method}, {status}) made {time} by {actor}; {quality}",
            id=chosen.id,
            method=words().method(chosen.method),
            status=code(chosen.status),
            time=local(chosen.created_at),
            actor=chosen.actor,
            quality=_quality(chosen),
        )
    )
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
    console.print(
        _(
            "plan {id}: {tasks} tasks written to {out}",
            id=schedule.version.id,
            tasks=len(schedule.tasks),
            out=out,
        )
    )


@app.command("list")
def list_(wide: Wide = False, json: Json = False) -> None:
    """Every plan version, oldest first."""
    from relance.app import plan as service

    with transaction(read_only=True) as uow:
        versions = service.list_plans(uow)
    if json:
        print_json(versions)
        return
    shown = table(_("plan versions"))
    key_column(shown, _("no."), [str(v.id) for v in versions], justify="right")
    key_column(shown, _("made"), [local(v.created_at) for v in versions])
    text_column(shown, _("by"), min_width=8)
    methods = [f"{words().method(v.method)}\n{code(v.status)}" for v in versions]
    text_column(shown, _("method"), min_width=6, cells=methods)
    number_column(shown, _("downtime"))
    number_column(shown, _("above best"))
    text_column(shown, _("why"), ratio=2)
    for v, method in zip(versions, methods, strict=True):
        above = service.above_best(v)
        shown.add_row(
            str(v.id),
            local(v.created_at),
            v.actor,
            method,
            number(v.objective),
            _("at most {share}", share=f"{above:.0%}") if above is not None else _("unknown"),
            v.reason,
        )
    show_table(shown, wide)


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
        console.print(_("no activity moved"))
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
        _(
            "delay recorded: {target} not before {time}; run `relance plan` to re-plan",
            target=target,
            time=local(not_before),
        )
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
    console.print(_("plan {id} drawn in {out}", id=chosen.id, out=out))


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
    console.print(_("restoration curve of plan {id} drawn in {out}", id=chosen.id, out=out))


def _quality(v: "service.PlanVersion") -> str:
    from relance.app import plan as service

    above = service.above_best(v)
    if above is None:
        return _("no bound proven: how far from the best possible is unknown")
    return _(
        "at most {share} above the best possible ({method} bound {bound})",
        share=f"{number(round(above * 100, 1))}%",  # as percent(): never split from its unit
        method=code(v.bound_method),
        bound=number(v.lower_bound),
    )


def _missed(v: "service.PlanVersion") -> str:
    missed = _(
        "{count} change(s) were reported while this plan was solved from the state as of "
        "{time}: they are not in it; run relance plan again to count them",
        count=v.changes_missed,
        time=local(v.start_at),
    )
    return f"[yellow]{missed}[/]"


def _moved(c: "service.ForecastChange", day0: datetime | None) -> str:
    before, after = _when(c.before, day0), _when(c.after, day0)
    return _(
        "{activity} at {site} moved from {before} to {after}; it waits for {waits}",
        activity=c.name,
        site=c.site,
        before=before,
        after=after,
        waits=words().waits(c.waits_for),
    )


def _when(moment: datetime | None, day0: datetime | None) -> str:
    """A date with its day number from the incident's start, as the crisis cell counts."""
    if moment is None:
        return _("not planned")
    if day0 is None:
        return local(moment)
    return _("day {day}, {time}", day=(moment - day0).days, time=local(moment))


def _forecast_table(forecasts: "list[service.Forecast]", day0: datetime | None) -> None:
    shown = table(_("forecast: when each activity comes back"))
    key_column(shown, _("site"), [f.site for f in forecasts])
    longest = max((len(word) for f in forecasts for word in f.name.split()), default=0)
    text_column(shown, _("activity"), min_width=max(10, longest))  # a name's word never cut
    number_column(shown, _("now"))
    text_column(shown, _("first gain"), min_width=10)
    text_column(shown, _("fully back"), min_width=10)
    text_column(shown, _("waits for"), min_width=8)
    now = _("now")
    for f in sorted(forecasts, key=lambda f: (f.site, f.activity)):
        shown.add_row(
            f.site,
            f.name,
            percent(f.capacity_now),
            _when(f.partial_at, day0) if f.partial_at else "-",
            _when(f.full_at, day0) if f.full_at else (now if f.capacity_now >= 100 else "-"),
            words().waits(f.waits_for),
        )
    show_table(shown)
