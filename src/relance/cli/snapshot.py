"""`relance snapshot`: encrypted, printable copies of every ward's patients and treatments.

No database: these commands read FHIR files and write snapshot directories. What they print
names files, wards and counts, never a patient.
"""

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    errors,
    fail,
    local,
    parse_time,
    print_json,
    timezone,
    user_errors,
)
from relance.cli.tables import (
    Wide,
    count_line,
    key_column,
    number_column,
    show,
    table,
    text_column,
)
from relance.cli.wording import n_, number
from relance.i18n import Language

if TYPE_CHECKING:
    from relance.app.snapshots import BuildResult, Cycle, Freshness

app = typer.Typer(help="Downtime snapshots: ward sheets and data, encrypted for offline laptops.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Fhir = Annotated[
    list[Path],
    typer.Option(
        "--fhir", help="FHIR export: a directory of NDJSON or bundles, or a file (repeatable)."
    ),
]
Out = Annotated[Path, typer.Option("--out", help="Directory of the snapshots.")]
Recipients = Annotated[
    Path,
    typer.Option("--recipients", help="Public keys of the downtime laptops, one age1... a line."),
]
Lang = Annotated[Language, typer.Option("--lang", help="Language of the sheets.")]
Keep = Annotated[int, typer.Option("--keep", min=1, help="Snapshots kept: older ones are removed.")]
Workers = Annotated[int, typer.Option("--workers", min=1, help="Processes rendering the wards.")]
Actor = Annotated[str | None, typer.Option(help="Who builds, recorded in the manifest.")]
DURATION = re.compile(r"(\d+)\s*(d|h|m|min|s)")
UNITS = {"d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1}


def duration(text: str, option: str) -> timedelta:
    """15m, 1h, 1h30m, 90s, 2d."""
    compact = text.replace(" ", "").lower()
    parts = DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        fail(
            _(
                "{option} {text} is not a duration like 15m, 1h, 1h30m or 90s",
                option=option,
                text=repr(text),
            )
        )
    seconds = sum(int(n) * UNITS[u] for n, u in parts)
    if seconds <= 0:
        fail(_("{option} must be longer than 0", option=option))
    return timedelta(seconds=seconds)


@app.command()
def build(
    fhir: Fhir,
    out: Out,
    recipients: Recipients,
    as_of: Annotated[
        str | None,
        typer.Option(help="The export's time, when its resources have no meta.lastUpdated."),
    ] = None,
    lang: Lang = Language.FR,
    keep: Keep = 12,
    workers: Workers = 2,
    problems: Annotated[
        bool,
        typer.Option("--problems", help="List the data's problems (ids and fields, no names)."),
    ] = False,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Build one snapshot: a PDF per ward, a cover page and the data, encrypted with age."""
    from relance.app import snapshots as service
    from relance.app.snapshots import BuildRequest

    request = BuildRequest(
        tuple(fhir), out, recipients, timezone(), parse_time(as_of, "--as-of"), lang, keep, workers
    )
    with user_errors(), console.status(_("building the snapshot...")):
        result = service.build_snapshot(context(actor), request)
    if json:
        print_json(_result_json(result))
        return
    console.print(_built(result), highlight=False)
    if problems and result.snapshot.issues:
        _print_problems(result)


def _built(result: "BuildResult") -> str:
    s = result.snapshot
    said = _(
        "{inpatients} inpatients in {wards} wards, {orders} active orders, data as of {time}, "
        "{files} encrypted files, {seconds} s",
        inpatients=s.inpatients,
        wards=s.wards,
        orders=result.active_orders,
        time=local(s.as_of),
        files=s.files,
        seconds=number(round(result.seconds, 1)),
    )
    text = f"[green]{s.name}[/]: {said}"
    if s.issues:
        problems = _("{n} problem(s) in the data: see the cover page, 00-index.pdf", n=s.issues)
        text += f"\n[yellow]{problems}[/]"
    if result.pruned:
        text += "\n" + _("removed {n} older snapshot(s)", n=len(result.pruned))
    return text


def _print_problems(result: "BuildResult") -> None:
    """Each names a file, line, resource id and field: no patient's name."""
    for problem in result.problems:
        errors.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)


def _result_json(result: "BuildResult") -> dict[str, object]:
    s = result.snapshot
    return {
        "snapshot": s.name,
        "path": str(s.path),
        "as_of": s.as_of,
        "built_at": s.built_at,
        "wards": s.wards,
        "inpatients": s.inpatients,
        "active_orders": result.active_orders,
        "issues": s.issues,
        "files": s.files,
        "seconds": round(result.seconds, 3),
        "timings": {k: round(v, 3) for k, v in result.timings.items()},
        "pruned": list(result.pruned),
    }


@app.command()
def verify(
    path: Annotated[
        Path, typer.Argument(help="A snapshot, or a directory of snapshots (the newest).")
    ],
    identity: Annotated[
        Path | None,
        typer.Option(help="A private key (age-keygen's file): decrypt and check the content too."),
    ] = None,
    json: Json = False,
) -> None:
    """Check a snapshot's files against its manifest's SHA-256 hashes."""
    from relance.app import snapshots as service

    with user_errors():
        verified = service.verify_snapshot(path, identity)
    s = verified.snapshot
    if json:
        print_json(
            {
                "snapshot": s.name,
                "as_of": s.as_of,
                "files": verified.files,
                "decrypted": verified.decrypted,
            }
        )
        return
    said = (
        _(
            "{files} files, decrypted and matched; data as of {time}",
            files=verified.files,
            time=local(s.as_of),
        )
        if verified.decrypted
        else _(
            "{files} files, encrypted files match (give --identity to decrypt); data as of {time}",
            files=verified.files,
            time=local(s.as_of),
        )
    )
    console.print(f"[green]{s.name}[/]: {said}", highlight=False)


@app.command("list")
def list_(
    out: Annotated[
        Path,
        typer.Option(
            "--dir",
            "--out",
            metavar="DIR",
            show_default="the current directory",
            help="Directory of the snapshots.",
        ),
    ] = Path(),
    max_age: Annotated[
        str | None,
        typer.Option(help="Freshness limit (1h, 30m): exit 2 if the newest data is older."),
    ] = None,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """The snapshots kept, oldest data first, and how old the newest data is."""
    from relance.app import snapshots as service

    snapshots = service.list_snapshots(out)
    limit = duration(max_age, "--max-age") if max_age else None
    fresh = service.freshness(context(None, reads=True), out, limit) if limit else None
    if json:
        print_json(
            {
                "snapshots": [
                    {
                        "snapshot": s.name,
                        "as_of": s.as_of,
                        "built_at": s.built_at,
                        "inpatients": s.inpatients,
                    }
                    for s in snapshots
                ],
                "stale": fresh.stale if fresh else None,
            }
        )
    elif snapshots:
        noun = n_("snapshot", "snapshots", len(snapshots))
        shown = table(count_line(len(snapshots), len(snapshots), noun))
        key_column(shown, _("snapshot"), [s.name for s in snapshots])
        text_column(shown, _("data"), min_width=10)
        text_column(shown, _("built"), min_width=10)
        number_column(shown, _("inpat."))
        number_column(shown, _("wards"))
        number_column(shown, _("probl."))
        for s in snapshots:
            shown.add_row(
                s.name,
                local(s.as_of),
                local(s.built_at),
                str(s.inpatients),
                str(s.wards),
                str(s.issues),
            )
        show(shown, wide)
        console.print(
            _("inpat.: inpatients; probl.: problems in the data"), style="dim", highlight=False
        )
    else:
        console.print(_("no snapshot in {directory}", directory=out), highlight=False)
    if fresh and fresh.stale:
        fail(_alarm(fresh))


def _alarm(fresh: "Freshness") -> str:
    if fresh.newest is None or fresh.age is None:
        return _("FRESHNESS ALARM: no snapshot at all")
    minutes = int(fresh.age.total_seconds() // 60)
    return _(
        "FRESHNESS ALARM: the newest snapshot's data is {hours} h {minutes} min old "
        "(as of {time}), more than {limit}",
        hours=minutes // 60,
        minutes=f"{minutes % 60:02d}",
        time=local(fresh.newest.as_of),
        limit=fresh.limit,
    )


@app.command()
def watch(
    fhir: Fhir,
    out: Out,
    recipients: Recipients,
    every: Annotated[str, typer.Option(help="Time between builds: 15m, 1h.")] = "15m",
    max_age: Annotated[
        str, typer.Option(help="Freshness limit: an alarm when the newest data is older.")
    ] = "1h",
    lang: Lang = Language.FR,
    keep: Keep = 12,
    workers: Workers = 2,
    once: Annotated[
        bool, typer.Option("--once", help="One build and check, then exit (2 on failure or alarm).")
    ] = False,
    actor: Actor = None,
) -> None:
    """Rebuild when the export changes, keep the last N, alarm when the data gets too old."""
    from relance.app import snapshots as service
    from relance.app.snapshots import BuildRequest

    interval, limit = duration(every, "--every"), duration(max_age, "--max-age")
    request = BuildRequest(tuple(fhir), out, recipients, timezone(), None, lang, keep, workers)
    ctx = context(actor)
    try:
        while True:
            started = time.monotonic()
            cycle = service.watch_cycle(ctx, request, limit)
            _report(cycle)
            if once:
                if cycle.status == "failed" or cycle.freshness.stale:
                    raise typer.Exit(2)
                return
            time.sleep(max(0.0, interval.total_seconds() - (time.monotonic() - started)))
    except KeyboardInterrupt:
        console.print(_("watch stopped"))


def _report(cycle: "Cycle") -> None:
    now = local(context(None, reads=True).clock.now())
    if cycle.status == "built" and cycle.result:
        console.print(f"{now} {_built(cycle.result)}", highlight=False)
    elif cycle.status == "unchanged":
        console.print(f"{now} " + _("export unchanged since the newest snapshot"), highlight=False)
    else:
        failed = _("build failed")
        kept = _("the last good snapshot is kept: {why}", why=cycle.error)
        errors.print(
            f"{now} [bold red]{failed}[/], {kept}",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )
    if cycle.freshness.stale:
        errors.print(
            f"[bold red]{_alarm(cycle.freshness)}[/]", highlight=False, markup=True, soft_wrap=True
        )


@app.command()
def census(
    out: Out,
    patients: Annotated[int, typer.Option(min=1, help="Inpatients to make up.")] = 1000,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 2022,
    as_of: Annotated[
        str | None, typer.Option(help="The export's time (default 2022-05-14T01:15).")
    ] = None,
    admit_from: Annotated[
        Path | None,
        typer.Option(
            help="Another export (the Synthea sample) whose living patients get a bed too."
        ),
    ] = None,
) -> None:
    """Write the vivalia-2022 inpatient census as FHIR NDJSON: 40 wards, beds, patients, orders."""
    from relance.importers import census_generator

    with user_errors():
        admit = tuple(census_generator.living_patients([admit_from])) if admit_from else ()
        spec = census_generator.CensusSpec(
            patients, seed, parse_time(as_of, "--as-of") or census_generator.AS_OF, admit
        )
        written = census_generator.write(census_generator.generate(spec), out)
    total = sum(written.values())
    said = _(
        "wrote {resources} resources to {directory}: {stays} inpatient stays in {locations} "
        "locations",
        resources=number(total),
        directory=out,
        stays=number(written.get("Encounter", 0)),
        locations=number(written.get("Location", 0)),
    )
    if admit:
        said += _(", {n} patients of {file} admitted", n=len(admit), file=admit_from)
    console.print(said, highlight=False)
