"""`relance sitrep`: the daily situation report, drafted, approved, published."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from relance.app.choices import Format
from relance.cli.common import (
    console,
    context,
    fail,
    local,
    parse_day,
    print_json,
    timezone,
    transaction,
)
from relance.domain.errors import InvalidInput
from relance.i18n import DEFAULT, parse_language

app = typer.Typer(help="Daily situation report: Markdown or PDF; draft, approved, published.")
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Day = Annotated[str, typer.Option("--date", help="The day, as 2022-05-17.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _day(text: str | None) -> date:
    if text is None:
        fail("give the day: --date 2022-05-17")
    return parse_day(text)


def _language(text: str) -> str:
    try:
        return parse_language(text)
    except InvalidInput as error:
        fail(str(error))


@app.callback(invoke_without_command=True)
def sitrep(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="The day, as 2022-05-17.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="md or pdf.")] = Format.PDF,
    lang: Annotated[str, typer.Option("--lang", help="fr, nl, de or en.")] = DEFAULT,
    out: Annotated[Path | None, typer.Option(help="The file to write.")] = None,
    version: Annotated[
        int | None,
        typer.Option(help="Export this version as it is (a published one as it went out)."),
    ] = None,
    new_version: Annotated[
        bool, typer.Option(help="Start a new version after a published one.")
    ] = False,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Write the day's report; a draft is rebuilt from the data, an approved one is frozen."""
    if ctx.invoked_subcommand is not None:
        return
    from relance.app import sitrep as service

    chosen, language = _day(day), _language(lang)
    if out is None:
        fail(f"give the file: --out sitrep-{chosen.isoformat()}.{fmt.value}")
    if not out.parent.is_dir():
        fail(f"{out.parent} is not a directory")
    if version is not None and new_version:
        fail("--version exports a version as it is; --new-version starts another: not both")
    zone = timezone()
    with transaction() as uow:
        if version is None:
            found = service.produce_sitrep(uow, context(actor), chosen, zone, new_version)
        else:
            found = service.find_version(uow, chosen, version)
        files = service.sitrep_files(uow, found, zone, fmt, language)
    written = service.write_files(files, out)
    if json:
        summary = {"day": found.day, "version": found.version, "state": found.state}
        print_json({**summary, "language": language, "files": [str(p) for p in written]})
        return
    console.print(
        f"sitrep {found.day} v{found.version} ({found.state}, {language}) written to "
        + ", ".join(str(p) for p in written)
    )


@app.command()
def approve(day: Day, actor: Actor = None) -> None:
    """Approve the day's draft (not your own): its facts are frozen, the approver recorded."""
    from relance.app import sitrep as service

    with transaction() as uow:
        v = service.approve_sitrep(uow, context(actor), _day(day))
    console.print(f"sitrep {v.day} v{v.version} approved by {v.approved_by}")


@app.command()
def publish(day: Day, actor: Actor = None) -> None:
    """Publish the day's approved report; it can no longer change, and its files are kept."""
    from relance.app import sitrep as service

    with transaction() as uow:
        v = service.publish_sitrep(uow, context(actor), _day(day), timezone())
    console.print(f"sitrep {v.day} v{v.version} published by {v.published_by}")


@app.command()
def edit(
    day: Day,
    note: Annotated[str, typer.Option(help="The crisis cell's note at the top of the report.")],
    actor: Actor = None,
) -> None:
    """Set the note; an approved report returns to draft, a published one gets a new version."""
    from relance.app import sitrep as service

    with transaction() as uow:
        v = service.edit_sitrep(uow, context(actor), _day(day), timezone(), note)
    console.print(f"sitrep {v.day} v{v.version} ({v.state}): note set")


@app.command("list")
def list_(json: Json = False) -> None:
    """Every version of every day's report, with who drafted, approved and published it."""
    from relance.app import sitrep as service

    with transaction() as uow:
        versions = service.list_sitreps(uow)
    if json:
        print_json([{k: v for k, v in s.__dict__.items() if k != "facts"} for s in versions])
        return
    table = Table(title="situation reports")
    for column in ("day", "version", "state", "drafted", "approved", "published"):
        table.add_column(column)
    for s in versions:
        table.add_row(
            s.day,
            str(s.version),
            s.state,
            f"{s.drafted_by} {local(s.drafted_at)}",
            f"{s.approved_by} {local(s.approved_at)}" if s.approved_at else "-",
            f"{s.published_by} {local(s.published_at)}" if s.published_at else "-",
        )
    console.print(table)
