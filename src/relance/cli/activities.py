"""`relance activities`: what each site can do now (HICS 251), and since when."""

from typing import Annotated

import typer

from relance.cli.common import _, console, context, local, print_json, transaction
from relance.cli.tables import (
    Wide,
    glue,
    key_column,
    number_column,
    percent,
    show,
    table,
    text_column,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def activities(
    site: Annotated[list[str] | None, typer.Option("--site", help="Only these sites.")] = None,
    history: Annotated[
        str | None, typer.Option(help="SITE/ACTIVITY: every status it had, oldest first.")
    ] = None,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """Each clinical activity at each site: fully, partially or not functional, capacity, why."""
    from relance.app.activities import activity_board, activity_history
    from relance.domain.functioning import Functioning

    ctx = context(None, reads=True)
    with transaction(read_only=True) as uow:
        if history:
            site_code, _slash, code = history.partition("/")
            past = activity_history(uow, ctx, site_code, code)
        else:
            board = activity_board(uow, ctx, tuple(site or ()))
    if history:
        if json:
            print_json(past)
            return
        lines = table(_("history of {activity}", activity=history))
        key_column(lines, _("since"), [local(p.since) for p in past])
        text_column(lines, _("status"), min_width=10)
        number_column(lines, _("capacity"))
        text_column(lines, _("why"), ratio=2)
        for p in past:
            f = Functioning(p.functioning)
            lines.add_row(
                local(p.since), f"[{f.colour}]{_(f.label)}[/]", percent(p.capacity), glue(p.reason)
            )
        show(lines, wide)
        return
    if json:
        print_json(board)
        return
    shown = table(_("clinical activities (HICS 251)"))
    key_column(shown, _("site"), [line.site for line in board])
    text_column(shown, _("activity"), min_width=12)
    text_column(shown, _("status"), min_width=10)
    number_column(shown, _("capacity"))
    key_column(shown, _("since"), [local(line.since) for line in board if line.since])
    text_column(shown, _("why"), ratio=2)
    for line in board:
        f = line.functioning
        since = local(line.since) if line.since else ""
        shown.add_row(
            line.site,
            line.name,
            f"[{f.colour}]{_(f.label)}[/]",
            percent(line.capacity),
            since,
            glue(line.reason),
        )
    show(shown, wide)
    if not board:
        console.print(_("no clinical activity"))
