"""`relance activities`: what each site can do now (HICS 251), and since when."""

from typing import Annotated

import typer
from rich.table import Table

from relance.cli.common import console, context, local, print_json, transaction

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def activities(
    site: Annotated[list[str] | None, typer.Option("--site", help="Only these sites.")] = None,
    history: Annotated[
        str | None, typer.Option(help="SITE/ACTIVITY: every status it had, oldest first.")
    ] = None,
    json: Json = False,
) -> None:
    """Each clinical activity at each site: fully, partially or not functional, capacity, why."""
    from relance.app.activities import activity_board, activity_history

    ctx = context(None, reads=True)
    with transaction() as uow:
        if history:
            site_code, _, code = history.partition("/")
            past = activity_history(uow, ctx, site_code, code)
        else:
            board = activity_board(uow, ctx, tuple(site or ()))
    if history:
        if json:
            print_json(past)
            return
        table = Table(title=f"history of {history}")
        for column in ("since", "status", "capacity", "why"):
            table.add_column(column)
        for p in past:
            table.add_row(local(p.since), p.functioning, f"{p.capacity} %", p.reason)
        console.print(table)
        return
    if json:
        print_json(board)
        return
    table = Table(title="clinical activities (HICS 251)")
    for column in ("site", "activity", "status", "capacity", "since", "why"):
        table.add_column(column)
    for line in board:
        f = line.functioning
        since = local(line.since) if line.since else ""
        table.add_row(
            line.site,
            line.name,
            f"[{f.colour}]{f.label}[/]",
            f"{line.capacity} %",
            since,
            line.reason,
        )
    console.print(table)
