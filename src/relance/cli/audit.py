"""`relance timeline` and `relance audit`: what happened, in order, and who did it."""

from typing import Annotated

import typer
from rich.table import Table

from relance.app.audit import audit_trail, timeline
from relance.cli.common import console, local, parse_time, print_json, transaction
from relance.storage.audit_store import AuditQuery

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Since = Annotated[str | None, typer.Option(help="From this time (local time or ISO).")]
Until = Annotated[str | None, typer.Option(help="Before this time.")]


def timeline_command(
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(min=1, help="The last N lines.")] = 100,
    json: Json = False,
) -> None:
    """The incident's story: each change, bulk changes on one line, in the order they happened."""
    query = AuditQuery(since=parse_time(since, "--since"), until=parse_time(until, "--until"))
    with transaction() as uow:
        entries = timeline(uow, query, limit)
    if json:
        print_json(entries)
        return
    table = Table(title="timeline")
    for column in ("when", "who", "what", "machines", "why"):
        table.add_column(column)
    for e in entries:
        what = f"{e.before} -> {e.after}" if e.after else e.event_type
        shown = ", ".join(e.objects[:3]) + (
            f" and {len(e.objects) - 3} more" if len(e.objects) > 3 else ""
        )
        table.add_row(local(e.occurred_at), e.actor, what, f"{len(e.objects)}: {shown}", e.reason)
    console.print(table)


def audit_command(
    object_key: Annotated[
        str | None, typer.Option("--object", help="Hostname or other key.")
    ] = None,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="Event type.")] = None,
    request: Annotated[str | None, typer.Option(help="Request id of one command.")] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(min=1, help="The newest N events.")] = 100,
    json: Json = False,
) -> None:
    """Every recorded change: who, when it happened, when it was recorded, before and after."""
    query = AuditQuery(
        object_key=object_key,
        event_types=tuple(event_type or ()),
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
        request_id=request,
    )
    with transaction() as uow:
        total, events = audit_trail(uow, query, limit)
    if json:
        print_json({"total": total, "events": events})
        return
    table = Table(title=f"audit: {total} events, the newest {len(events)} shown")
    for column in ("happened", "recorded", "who", "event", "object", "before", "after", "reason"):
        table.add_column(column)
    for e in events:
        table.add_row(
            local(e.occurred_at),
            local(e.recorded_at),
            e.actor,
            e.event_type,
            e.object_key,
            str((e.before or {}).get("state", e.before or "")),
            str((e.after or {}).get("state", "") or ""),
            e.reason,
        )
    console.print(table)
