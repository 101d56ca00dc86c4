"""`relance inventory`: the network from the IT team's exports (GLPI, directory, EDR)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from relance.cli.common import (
    console,
    context,
    database_exists,
    fail,
    local,
    print_json,
    transaction,
    user_errors,
)
from relance.importers.inventory_files import Source

if TYPE_CHECKING:
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
    _render(plan, dry_run)


def _render(plan: "InventoryPlan", dry_run: bool) -> None:
    _files(plan)
    _counts(plan)
    _lists(plan)
    if dry_run:
        console.print("[bold]dry run[/]: nothing was written")
    elif plan.applied:
        console.print("[green]applied[/]: one audit row per machine (`relance audit`)")
    else:
        console.print("nothing to change: the database already matches these exports")


def _files(plan: "InventoryPlan") -> None:
    files = Table(title="exports read")
    for column in ("file", "what", "encoding", "machines seen", "newest date", "sha256"):
        files.add_column(column)
    for f in plan.files:
        newest = f.newest.strftime("%Y-%m-%d %H:%M") if f.newest else "-"
        seen = str(len(f.sightings))
        files.add_row(f.source, f.kind, f.encoding, seen, newest, f.sha256[:16] + "…")
    console.print(files)
    for f in plan.files:
        for note in f.notes[1:]:
            console.print(f"[yellow]{f.source}[/]: {note}", highlight=False)


def _counts(plan: "InventoryPlan") -> None:
    counts = Table(title=f"{plan.machines} machines in the exports")
    counts.add_column("")
    counts.add_column("machines", justify="right")
    if plan.new_network:
        counts.add_row(f"new network {plan.new_network}", "")
    counts.add_row("sites added", str(len(plan.new_sites)))
    counts.add_row("departments added", str(len(plan.new_departments)))
    counts.add_row("added", str(len(plan.added)))
    counts.add_row("changed (site, department, kind or role)", str(len(plan.changed)))
    counts.add_row("moved to isolated (EDR)", str(len(plan.isolated)))
    counts.add_row("unchanged", str(plan.unchanged))
    counts.add_row("known here, not in these exports (left as they are)", str(plan.not_in_exports))
    counts.add_row("released by the EDR (left as they are)", str(plan.released_in_edr))
    counts.add_row("[red]conflicts (stop the import)[/]", str(len(plan.conflicts)))
    counts.add_row("to check", str(len(plan.to_check)))
    console.print(counts)
    kinds: dict[tuple[str, str], int] = {}
    for a in plan.added:
        kinds[(a.site, a.kind.value)] = kinds.get((a.site, a.kind.value), 0) + 1
    if kinds:
        added = Table(title="added, per site and kind")
        for column in ("site", "kind", "machines"):
            added.add_column(column)
        for (site, kind), n in sorted(kinds.items()):
            added.add_row(site, kind, str(n))
        console.print(added)


def _lists(plan: "InventoryPlan") -> None:
    for known, asset in plan.changed[:SHOWN]:
        console.print(
            f"changed {asset.hostname}: {known.site}/{known.department or '-'} {known.kind.value}"
            f" -> {asset.site}/{asset.department or '-'} {asset.kind.value}",
            highlight=False,
        )
    for move in plan.isolated[:SHOWN]:
        console.print(f"isolated {move.hostname} at {local(move.at)}", highlight=False)
    for title, items in (("conflict", plan.conflicts), ("to check", plan.to_check)):
        for c in items[:SHOWN]:
            console.print(f"[red]{title}[/] {c.hostname or '?'}: {c.message}", highlight=False)
        if len(items) > SHOWN:
            console.print(f"... and {len(items) - SHOWN} more ({title})")


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
            fail(f"{output} exists: name another file, or remove it first")
        output.write_text(text, encoding="utf-8")
    console.print(f"written {output}: check each site and rule before importing")
