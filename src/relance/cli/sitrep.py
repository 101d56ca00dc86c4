"""`relance sitrep`: the daily situation report, drafted, approved, published."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from relance.app.choices import Format
from relance.cli.common import (
    N_,
    _,
    console,
    context,
    fail,
    local,
    parse_day,
    print_json,
    timezone,
    transaction,
)
from relance.cli.tables import key_column, number_column, show, table, text_column
from relance.cli.wording import code
from relance.domain.errors import InvalidInput
from relance.i18n import DEFAULT, parse_language

app = typer.Typer(help="Daily situation report: Markdown or PDF; draft, approved, published.")
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Day = Annotated[str, typer.Option("--date", help="The day, as 2022-05-17.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _day(text: str | None) -> date:
    if text is None:
        fail(_("give the day: --date 2022-05-17"))
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
        name = f"sitrep-{chosen.isoformat()}.{fmt.value}"
        fail(_("give the file: --out {file}", file=name))
    if not out.parent.is_dir():
        fail(_("{directory} is not a directory", directory=out.parent))
    if version is not None and new_version:
        fail(_("--version exports a version as it is; --new-version starts another: not both"))
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
        _(
            "sitrep {day} v{version} ({state}, {language}) written to {files}",
            day=found.day,
            version=found.version,
            state=code(found.state),
            language=language,
            files=", ".join(str(p) for p in written),
        )
    )


@app.command()
def approve(day: Day, actor: Actor = None) -> None:
    """Approve the day's draft (not your own): its facts are frozen, the approver recorded."""
    from relance.app import sitrep as service

    with transaction() as uow:
        v = service.approve_sitrep(uow, context(actor), _day(day))
    console.print(
        _(
            "sitrep {day} v{version} approved by {who}",
            day=v.day,
            version=v.version,
            who=v.approved_by,
        )
    )


@app.command()
def publish(day: Day, actor: Actor = None) -> None:
    """Publish the day's approved report; it can no longer change, and its files are kept."""
    from relance.app import sitrep as service

    with transaction() as uow:
        v = service.publish_sitrep(uow, context(actor), _day(day), timezone())
    console.print(
        _(
            "sitrep {day} v{version} published by {who}",
            day=v.day,
            version=v.version,
            who=v.published_by,
        )
    )


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
    console.print(
        _(
            "sitrep {day} v{version} ({state}): note set",
            day=v.day,
            version=v.version,
            state=code(v.state),
        )
    )


@app.command("list")
def list_(json: Json = False) -> None:
    """Every version of every day's report, with who drafted, approved and published it."""
    from relance.app import sitrep as service

    with transaction() as uow:
        versions = service.list_sitreps(uow)
    if json:
        print_json([{k: v for k, v in s.__dict__.items() if k != "facts"} for s in versions])
        return
    reports = table(_("situation reports: {n}", n=len(versions)))
    key_column(reports, _("day"), [s.day for s in versions])
    number_column(reports, "v")
    text_column(reports, _("state"), min_width=8)
    for header in (N_("drafted"), N_("approved"), N_("published")):
        text_column(reports, _(header), min_width=16)
    for s in versions:
        reports.add_row(
            s.day,
            str(s.version),
            code(s.state),
            f"{local(s.drafted_at)}\n{s.drafted_by}",
            f"{local(s.approved_at)}\n{s.approved_by}" if s.approved_at else "-",
            f"{local(s.published_at)}\n{s.published_by}" if s.published_at else "-",
        )
    show(reports)
