"""`relance assets`: list, show and move machines along their lifecycle."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    local,
    n_,
    parse_time,
    print_json,
    transaction,
)
from relance.cli.tables import All, Wide, count_line, key_column, table, text_column
from relance.cli.tables import show as show_table
from relance.cli.wording import SHORT_KIND, label, machine_role
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.reports.codes import ASSET_KIND, ASSET_KINDS, STATE_TITLES

if TYPE_CHECKING:
    from relance.app.assets import TransitionReport


app = typer.Typer(help="Machines: list, show, and move them from compromised to redeployed.")

Site = Annotated[list[str] | None, typer.Option("--site", help="Site code (repeatable).")]
Dept = Annotated[list[str] | None, typer.Option("--department", help="Department code.")]
Service = Annotated[list[str] | None, typer.Option("--service", help="IT service hosted.")]
State = Annotated[list[AssetState] | None, typer.Option("--state", help="Lifecycle state.")]
Kind = Annotated[list[AssetKind] | None, typer.Option("--kind", help="Machine kind.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Actor = Annotated[str | None, typer.Option(help="Who did it (default: RELANCE_ACTOR or you).")]
At = Annotated[
    str | None, typer.Option("--at", help="When it was done, if not now (local time or ISO).")
]


def _filter(
    site: list[str] | None,
    department: list[str] | None,
    service_: list[str] | None,
    state: list[AssetState] | None,
    kind: list[AssetKind] | None,
    hostnames: list[str] | None = None,
) -> AssetFilter:
    return AssetFilter(
        sites=tuple(site or ()),
        departments=tuple(department or ()),
        services=tuple(service_ or ()),
        states=tuple(state or ()),
        kinds=tuple(kind or ()),
        hostnames=tuple(hostnames or ()),
    )


@app.command("list")
def list_(
    site: Site = None,
    department: Dept = None,
    service_: Service = None,
    state: State = None,
    kind: Kind = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip the first N rows.")] = 0,
    every: All = False,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """List machines matching the filters."""
    from relance.app import assets as service

    where = _filter(site, department, service_, state, kind)
    with transaction(read_only=True) as uow:
        total, rows = service.list_assets(
            uow, context(None, reads=True), where, None if every else limit, 0 if every else offset
        )
    if json:
        print_json({"total": total, "offset": offset, "assets": rows})
        return
    first = 1 if every else offset + 1
    machines = table(count_line(len(rows), total, n_("machine", "machines", total), first))
    key_column(machines, _("hostname"), [a.hostname for a in rows])
    key_column(machines, _("kind"), [_(SHORT_KIND[a.kind]) for a in rows])
    key_column(machines, _("site"), [a.site for a in rows])
    text_column(machines, _("department, role"), ratio=1)
    text_column(machines, _("state"), min_width=10)
    text_column(machines, _("since"), min_width=10)
    for a in rows:
        machines.add_row(
            a.hostname,
            _(SHORT_KIND[a.kind]),
            a.site,
            "\n".join(t for t in (a.department, machine_role(a.kind, a.role, a.services)) if t),
            f"[{a.state.colour}]{_(a.state.label)}[/]",
            local(a.state_since),
        )
    show_table(machines, wide)
    console.print(
        ", ".join(f"{_(SHORT_KIND[k])} {_(ASSET_KINDS[k])}" for k in AssetKind), style="dim"
    )
    if len(rows) < total and offset + len(rows) < total:
        console.print(_("next: --offset {offset}, or --all", offset=offset + len(rows)))


@app.command()
def show(hostname: str, json: Json = False) -> None:
    """One machine, the services it hosts and its whole history."""
    from relance.app import assets as service

    with transaction(read_only=True) as uow:
        detail = service.show_asset(uow, context(None, reads=True), hostname)
    if json:
        print_json(detail)
        return
    a = detail.asset
    where = " ".join(t for t in (a.site, a.department) if t)
    console.print(
        f"[bold]{a.hostname}[/] "
        + _(ASSET_KIND[a.kind])
        + f" - {where} - {machine_role(a.kind, a.role, a.services)}"
    )
    state = f"[{a.state.colour}]{_(a.state.label)}[/]"
    console.print(_("state: {state} since {time}", state=state, time=local(a.state_since)))
    if a.services:
        console.print(_("hosts: {services}", services=", ".join(a.services)))
    history = table(_("history"))
    key_column(history, _("when"), [local(e.occurred_at) for e in detail.history])
    text_column(history, _("who"), min_width=10)
    text_column(history, _("what"), min_width=12)
    text_column(history, _("reason"), ratio=2)
    text_column(history, _("evidence"), ratio=1)
    for e in detail.history:
        before, after = (e.before or {}).get("state", ""), (e.after or {}).get("state", "")
        table_row = (local(e.occurred_at), e.actor, f"{_label(before)} -> {_label(after)}")
        history.add_row(*table_row, e.reason, e.evidence or "")
    show_table(history)


def _label(state: object) -> str:
    """A state of the history in the operator's words; an unknown code as it is."""
    return label(STATE_TITLES, state) if isinstance(state, str) else str(state or "")


def _report(report: "TransitionReport", json: bool) -> None:
    if json:
        print_json(report)
        return
    moves = ", ".join(
        _("{count} to {state}", count=n, state=label(STATE_TITLES, state))
        for state, n in sorted(report.by_target.items())
    )
    moved = n_("{n} machine moved", "{n} machines moved", report.moved)
    request = _("request {id}", id=report.request_id)
    console.print(f"[green]{moved}[/]: {moves} ({request})")


@app.command()
def transition(
    to: Annotated[AssetState, typer.Option("--to", help="The new lifecycle state.")],
    reason: Annotated[str, typer.Option(help="Why, for the audit trail (required).")],
    hostnames: Annotated[list[str] | None, typer.Argument(help="Machines to move.")] = None,
    site: Site = None,
    department: Dept = None,
    service_: Service = None,
    state: State = None,
    kind: Kind = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Every machine, when no filter is given.")
    ] = False,
    evidence: Annotated[
        str | None, typer.Option(help="Evidence reference (SHA-256 for imaged).")
    ] = None,
    at: At = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Move machines (named, or all matching the filters) to a new state: all of them or none."""
    from relance.app import assets as service

    where = _filter(site, department, service_, state, kind, hostnames)
    occurred_at = parse_time(at)
    with transaction() as uow:
        report = service.transition_matching(
            uow,
            context(actor),
            where=where,
            target=to,
            reason=reason,
            evidence=evidence,
            occurred_at=occurred_at,
            everything=all_,
        )
    _report(report, json)


@app.command("import-states")
def import_states(
    file: Annotated[
        Path, typer.Argument(help="CSV: hostname[,state,evidence,reason], or a scanner's list.")
    ],
    to: Annotated[
        AssetState | None, typer.Option("--to", help="State for rows without one.")
    ] = None,
    reason: Annotated[
        str, typer.Option(help="Why, for rows without a reason (every move needs one).")
    ] = "",
    at: At = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Apply a technician's report of machines moved: the whole file or nothing."""
    from relance.app import assets as service

    occurred_at = parse_time(at)
    with transaction() as uow:
        report = service.import_states(
            uow,
            context(actor),
            path=file,
            default_target=to,
            reason=reason,
            occurred_at=occurred_at,
        )
    _report(report, json)


@app.command()
def labels(
    out: Annotated[Path, typer.Option("--out", help="The PDF to write, e.g. labels.pdf.")],
    hostnames: Annotated[list[str] | None, typer.Argument(help="Only these machines.")] = None,
    site: Site = None,
    department: Dept = None,
    service_: Service = None,
    state: State = None,
    kind: Kind = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Print QR labels (hostname, site, department) on A4 sheets of 3 x 8 labels of 70 x 37 mm."""
    from relance.app import labels as labels_service

    where = _filter(site, department, service_, state, kind, hostnames)
    with transaction() as uow:
        written = labels_service.write_labels(
            uow, context(None, reads=True), where, out, replace=force
        )
    console.print(
        n_(
            "{labels} labels on {sheets} A4 sheet written to {out}",
            "{labels} labels on {sheets} A4 sheets written to {out}",
            written.sheets,
            labels=written.labels,
            sheets=written.sheets,
            out=out,
        )
    )
