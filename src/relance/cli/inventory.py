"""`relance inventory`: the network from the IT team's exports (GLPI, directory, EDR)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    database_exists,
    fail,
    local,
    print_json,
    said,
    transaction,
    user_errors,
)
from relance.importers.inventory_files import Source

if TYPE_CHECKING:
    from datetime import datetime

    from relance.app.inventory import InventoryPlan

app = typer.Typer(help="The network from the inventory exports the IT team already has.")

Files = Annotated[list[Path], typer.Argument(help="Export files (CSV, JSON), several at once.")]
SourceOption = Annotated[
    Source | None, typer.Option("--source", help="The tool that wrote them, if not recognised.")
]
SHOWN = 20  # machines listed per section: the counts say the rest


@app.command("import")
def import_(
    files: Files,
    mapping: Annotated[Path, typer.Option("--mapping", help="The mapping file (YAML).")],
    source: SourceOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    actor: Annotated[str | None, typer.Option(help="Who imports.")] = None,
    wide: Annotated[
        bool, typer.Option("--wide", help="Every column at full width, past the terminal's edge.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Add, reclassify and isolate machines from the exports, all or nothing."""
    from relance.app import inventory as service

    ctx = context(actor)
    with user_errors():  # every file checked before a database is opened or created
        read = service.read_inventory(ctx, paths=files, mapping=mapping, source=source)
    if dry_run and not database_exists():
        with user_errors():  # nothing to compare with, and no database file made for a look
            plan = service.import_inventory(None, ctx, read, dry_run=True)
    else:
        with transaction(create=not dry_run) as uow:
            plan = service.import_inventory(uow, ctx, read, dry_run=dry_run)
    if json:
        print_json(plan)
        return
    _render(plan, dry_run, wide)


def _render(plan: "InventoryPlan", dry_run: bool, wide: bool) -> None:
    _files(plan, wide)
    _counts(plan, wide)
    _lists(plan)
    if dry_run:
        console.print(_("dry run: nothing was written"), style="bold", highlight=False)
    elif plan.applied:
        said = _("applied: one audit row per machine (`relance audit`)")
        console.print(said, style="green", highlight=False)
    else:
        said = _("nothing to change: the database already matches these exports")
        console.print(said, highlight=False)


def _files(plan: "InventoryPlan", wide: bool) -> None:
    from relance.cli.tables import count_line, key_column, number_column, show, table, text_column
    from relance.cli.wording import n_

    noun = n_("export read", "exports read", len(plan.files))
    files = table(count_line(len(plan.files), len(plan.files), noun))
    key_column(files, _("file"), [f.source for f in plan.files])
    number_column(files, _("mach."))
    key_column(files, _("newest"), [_newest(f.newest) for f in plan.files])
    text_column(files, _("what, encoding"), ratio=1, min_width=16)
    if wide:  # the whole file's hash, to compare with the IT team's copy
        key_column(files, "sha256", [f.sha256 for f in plan.files])
    for f in plan.files:
        what = f"{_(f.kind)}, {_(f.encoding)}"
        row = [f.source, str(len(f.sightings)), _newest(f.newest), what]
        files.add_row(*row, *([f.sha256] if wide else []))
    show(files, wide)
    console.print(
        _("mach.: machines seen; newest: its newest date; --wide: SHA-256"),
        style="dim",
        highlight=False,
    )
    for f in plan.files:
        for note in f.notes[1:]:
            console.print(f"[yellow]{f.source}[/]: {said(note)}", highlight=False)


def _newest(moment: "datetime | None") -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def _counts(plan: "InventoryPlan", wide: bool) -> None:
    from relance.cli.tables import key_column, number_column, show, table, text_column
    from relance.cli.wording import kind as kind_words
    from relance.cli.wording import n_

    counts = table(n_("{n} machine in the exports", "{n} machines in the exports", plan.machines))
    text_column(counts, "", ratio=1)
    number_column(counts, _("machines"))
    if plan.new_network:
        counts.add_row(_("new network {name}", name=plan.new_network), "")
    conflicts = _("conflicts (stop the import)")
    rows = (
        (_("sites added"), len(plan.new_sites)),
        (_("departments added"), len(plan.new_departments)),
        (_("added"), len(plan.added)),
        (_("changed (site, department, kind or role)"), len(plan.changed)),
        (_("moved to isolated (EDR)"), len(plan.isolated)),
        (_("unchanged"), plan.unchanged),
        (_("known here, not in these exports (left as they are)"), plan.not_in_exports),
        (_("released by the EDR (left as they are)"), plan.released_in_edr),
        (f"[red]{conflicts}[/]", len(plan.conflicts)),
        (_("to check"), len(plan.to_check)),
    )
    for label, n in rows:
        counts.add_row(label, str(n))
    show(counts, wide)
    kinds: dict[tuple[str, str], int] = {}
    for a in plan.added:
        kinds[(a.site, a.kind.value)] = kinds.get((a.site, a.kind.value), 0) + 1
    if kinds:
        added = table(_("added, per site and kind"))
        key_column(added, _("site"), [site for site, _kind in kinds])
        text_column(added, _("kind"), ratio=1)
        number_column(added, _("machines"))
        for (site, kind), n in sorted(kinds.items()):
            added.add_row(site, kind_words(kind), str(n))
        show(added, wide)


def _lists(plan: "InventoryPlan") -> None:
    from relance.cli.wording import kind

    for known, asset in plan.changed[:SHOWN]:
        console.print(
            _(
                "changed {host}: {before} -> {after}",
                host=asset.hostname,
                before=f"{known.site}/{known.department or '-'} {kind(known.kind)}",
                after=f"{asset.site}/{asset.department or '-'} {kind(asset.kind)}",
            ),
            highlight=False,
        )
    for move in plan.isolated[:SHOWN]:
        console.print(
            _("isolated {host} at {time}", host=move.hostname, time=local(move.at)),
            highlight=False,
        )
    for title, items in ((_("conflict"), plan.conflicts), (_("to check"), plan.to_check)):
        for c in items[:SHOWN]:
            said = _("{host}: {problem}", host=c.hostname or "?", problem=c.message)
            console.print(f"[red]{title}[/] {said}", highlight=False)
        if len(items) > SHOWN:
            console.print(
                _("... and {n} more ({what})", n=len(items) - SHOWN, what=title), highlight=False
            )


@app.command("mapping")
def mapping(
    from_: Annotated[list[Path], typer.Option("--from", help="An export (repeatable).")],
    source: SourceOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write it here (default: print it).")
    ] = None,
) -> None:
    """Write a starter mapping from the exports: a site per location or top OU, to check."""
    from relance.app import inventory as service

    with user_errors():
        text = service.starter_mapping(context(None, reads=True), from_, source)
        if output is None:
            typer.echo(text, nl=False)
            return
        if output.exists():
            fail(_("{file} exists: name another file, or remove it first", file=output))
        output.write_text(text, encoding="utf-8")
    said = _("written {file}: check each site and rule before importing", file=output)
    console.print(said, highlight=False)
