"""`relance timeline` and `relance audit`: what happened, in order, and who did it."""

from pathlib import Path
from typing import Annotated

import typer

from relance.app.choices import ExportFormat
from relance.cli.common import (
    N_,
    _,
    console,
    context,
    fail,
    language,
    local,
    parse_time,
    print_json,
    timezone,
    transaction,
    user_errors,
)
from relance.cli.tables import All, Wide, count_line, key_column, show, table, text_column
from relance.reports.words import Words

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Since = Annotated[
    str | None, typer.Option(metavar="TIME", help="From this time (2022-05-14T04:15).")
]
Until = Annotated[str | None, typer.Option(metavar="TIME", help="Before this time.")]


timeline_app = typer.Typer(
    help="The incident's story: every change and the cell's own entries, in order."
)


@timeline_app.callback(invoke_without_command=True)
def timeline_command(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    event_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only this event type (repeatable).")
    ] = None,
    object_key: Annotated[
        str | None, typer.Option("--object", help="Only this object: hostname or other key.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="The last N lines.")] = 100,
    every: All = False,
    fmt: Annotated[
        ExportFormat | None, typer.Option("--format", help="Export as csv or md (with --out).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="File to export to.")] = None,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """The incident's story: each change, bulk changes on one line, in the order they happened."""
    if ctx.invoked_subcommand is not None:
        return

    from relance.app.audit import timeline
    from relance.app.timeline_export import write_timeline
    from relance.storage.audit_store import AuditQuery

    if (fmt is None) != (out is None):
        fail(_("--format and --out go together: relance timeline --format csv --out timeline.csv"))
    query = AuditQuery(
        object_key=object_key,
        event_types=tuple(event_type or ()),
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
    )
    with transaction(read_only=True) as uow:
        entries = timeline(uow, context(None, reads=True), query, None)
    shown = entries if out or every else entries[-limit:]
    if fmt is not None and out is not None:
        with user_errors():
            written = write_timeline(entries, fmt, out, timezone(), Words(language(), {}))
        console.print(_("{n} timeline lines written to {out}", n=written, out=out))
        return
    if json:
        print_json(shown)
        return
    words = Words(language(), {})
    first = len(entries) - len(shown) + 1
    lines = count_line(len(shown), len(entries), _("lines"), first)
    story = table(_("timeline: {lines}", lines=lines))
    text_column(story, _("when, who"), min_width=16)
    key_column(story, _("objects"), [o for e in shown for o in e.objects[:3]])
    text_column(story, _("what, why"), ratio=1, min_width=20)
    for e in shown:
        more = [_("and {n} more", n=len(e.objects) - 3)] if len(e.objects) > 3 else []
        objects = "\n".join([*e.objects[:3], *more]) if len(e.objects) > 1 else "".join(e.objects)
        what = words.what(e.what_message, e.what_values)
        reason = words.said(e.why_message, e.why_values, e.event_type, e.reason)
        why = "\n".join(t for t in (what, reason) if t)
        story.add_row(f"{local(e.occurred_at)}\n{e.actor}", objects, why)
    show(story, wide)
    if len(shown) < len(entries):
        console.print(_("the first lines: relance timeline --all, or --limit {n}", n=len(entries)))


@timeline_app.command("add")
def timeline_add(
    text: Annotated[str, typer.Argument(help="What happened, in a sentence.")],
    at: Annotated[str | None, typer.Option(help="When it happened (default: now).")] = None,
    link: Annotated[
        str | None, typer.Option(help="The object it concerns, KIND:KEY (asset:MAR-SRV-AD-01).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who records it.")] = None,
) -> None:
    """Add a fact no command recorded (an alert seen, a call received) to the timeline."""
    from relance.app.incident import note_timeline

    with transaction() as uow:
        when = note_timeline(uow, context(actor), text, parse_time(at), link)
    console.print(_("timeline entry added at {when}", when=local(when)))


def audit_command(
    object_key: Annotated[
        str | None, typer.Option("--object", help="Hostname or other key.")
    ] = None,
    event_type: Annotated[list[str] | None, typer.Option("--type", help="Event type.")] = None,
    request: Annotated[str | None, typer.Option(help="Request id of one command.")] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(min=1, help="The newest N events.")] = 100,
    every: All = False,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """Every recorded change: who, when it happened, when it was recorded, before and after."""
    from relance.app.audit import audit_trail
    from relance.storage.audit_store import AuditQuery

    query = AuditQuery(
        object_key=object_key,
        event_types=tuple(event_type or ()),
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
        request_id=request,
    )
    with transaction(read_only=True) as uow:
        total, events = audit_trail(uow, context(None, reads=True), query, None if every else limit)
    if json:
        print_json({"total": total, "events": events})
        return
    words = Words(language(), {})
    first = total - len(events) + 1
    counted = count_line(len(events), total, _("events"), first)
    trail = table(_("audit: {events}", events=counted))
    if wide:
        for column in (
            N_("happened"),
            N_("recorded"),
            N_("who"),
            N_("event"),
            N_("object"),
            N_("before"),
            N_("after"),
        ):
            key_column(trail, _(column), [])
        text_column(trail, _("reason"))
    else:
        text_column(trail, _("happened, who"), min_width=16)
        key_column(trail, _("event, object"), [e.event_type for e in events])
        text_column(trail, _("change, reason"), ratio=1, min_width=20)
    for e in events:
        before = words.code(str((e.before or {}).get("state", e.before or "")))
        after = words.code(str((e.after or {}).get("state", "") or ""))
        if wide:
            trail.add_row(
                local(e.occurred_at),
                local(e.recorded_at),
                e.actor,
                e.event_type,
                e.object_key,
                before,
                after,
                words.reason(e.event_type, e.after, e.reason),
            )
            continue
        change = f"{before} -> {after}" if before or after else ""
        trail.add_row(
            f"{local(e.occurred_at)}\n{e.actor}",
            f"{e.event_type}\n{e.object_key}",
            "\n".join(t for t in (change, words.reason(e.event_type, e.after, e.reason)) if t),
        )
    show(trail, wide)
    if len(events) < total:
        console.print(_("older events: relance audit --all, or --limit {n}", n=total))
