"""`relance incident`, `relance log`, `relance evidence`: the crisis cell's own records."""

from enum import StrEnum
from typing import Annotated, TypeVar

import typer
from rich.table import Table

from relance.cli.common import console, context, fail, local, parse_time, print_json, transaction
from relance.domain.errors import InvalidInput
from relance.domain.incident import LogKind, Measure, Phase, Priority, parse_choice

C = TypeVar("C", bound=StrEnum)
app = typer.Typer(help="The incident: declaration, phases, operational periods and objectives.")
log_app = typer.Typer(help="The crisis cell's log (HICS 214): decisions, actions, requests.")
evidence_app = typer.Typer(help="Evidence register: forensic images, hashes, chain of custody.")

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
At = Annotated[str | None, typer.Option(help="When it happened (default: now).")]


@app.command()
def declare(
    name: Annotated[str, typer.Option(help="The incident's name.")],
    detected: Annotated[str, typer.Option(help="When it was detected (the first alert).")],
    confirmed: Annotated[str | None, typer.Option(help="When the attack was confirmed.")] = None,
    summary: Annotated[str, typer.Option(help="What is known, in a sentence.")] = "",
    actor: Actor = None,
) -> None:
    """Declare the incident; it enters the detection phase at its detection time."""
    from relance.app import incident as service

    detected_at = parse_time(detected, "--detected")
    assert detected_at is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        found = service.declare_incident(
            uow,
            context(actor),
            name=name,
            detected_at=detected_at,
            confirmed_at=parse_time(confirmed, "--confirmed"),
            summary=summary,
        )
    console.print(f"incident {found.name} declared, detected {local(found.detected_at)}")


@app.command()
def phase(
    to: Annotated[str, typer.Argument(help="detection, containment, eradication, recovery...")],
    at: At = None,
    criteria: Annotated[
        str, typer.Option(help="The entry criteria met (default: the phase's own).")
    ] = "",
    actor: Actor = None,
) -> None:
    """Move the incident to its next phase, saying which entry criteria are met."""
    from relance.app import incident as service

    with transaction() as uow:
        entry = service.enter_phase(
            uow, context(actor), _choice(Phase, to, "phase"), parse_time(at), criteria
        )
    console.print(f"incident in {entry.phase} from {local(entry.entered_at)}: {entry.criteria}")


@app.command()
def period(
    start: Annotated[str, typer.Option(help="When the period starts.")],
    end: Annotated[str | None, typer.Option(help="When it ends (default: a day later).")] = None,
    objective: Annotated[
        list[str] | None, typer.Option(help="An objective of the period (repeatable).")
    ] = None,
    actor: Actor = None,
) -> None:
    """Open the next operational period (usually a day) with its objectives."""
    from relance.app import incident as service

    starts = parse_time(start, "--start")
    assert starts is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        made = service.open_period(
            uow, context(actor), starts, parse_time(end, "--end"), objective or ()
        )
    console.print(
        f"period {made.number}: {local(made.starts_at)} to {local(made.ends_at)}, "
        f"{len(made.objectives)} objectives"
    )


@app.command()
def objective(
    text: Annotated[str, typer.Argument(help="The objective.")],
    period_number: Annotated[int, typer.Option("--period", help="The period's number.")],
    owner: Annotated[str, typer.Option(help="Who is responsible.")] = "",
    actor: Actor = None,
) -> None:
    """Add an objective to an operational period."""
    from relance.app import incident as service

    with transaction() as uow:
        made = service.set_objective(uow, context(actor), period_number, text, owner)
    console.print(f"period {made.number}: {len(made.objectives)} objectives")


@app.command()
def show(json: Json = False) -> None:
    """The incident: times, phases with who declared them and why, periods and objectives."""
    from relance.app import incident as service

    with transaction() as uow:
        view = service.show_incident(uow)
    if json:
        print_json(view)
        return
    i = view.incident
    confirmed = f", confirmed {local(i.confirmed_at)}" if i.confirmed_at else ""
    console.print(
        f"[bold]{i.name}[/]: detected {local(i.detected_at)}{confirmed}; "
        f"phase [bold]{view.phase.label}[/]"
    )
    table = Table(title="phases")
    for column in ("phase", "from", "declared by", "entry criteria"):
        table.add_column(column)
    for p in view.phases:
        table.add_row(Phase(p.phase).label, local(p.entered_at), p.declared_by, p.criteria)
    console.print(table)
    for period_ in view.periods:
        console.print(
            f"period {period_.number}: {local(period_.starts_at)} to {local(period_.ends_at)}"
        )
        for text, owner in period_.objectives:
            console.print(f"  - {text}" + (f" ({owner})" if owner else ""))


def _choice(kind: type[C], text: str, option: str) -> C:
    try:
        return parse_choice(kind, text, option)
    except InvalidInput as error:
        fail(str(error))


# The log


@log_app.command("add")
def log_add(
    text: Annotated[str, typer.Argument(help="The entry.")],
    kind: Annotated[
        str, typer.Option("--kind", help="decision, situation, action, request, communication.")
    ] = LogKind.SITUATION.value,
    priority: Annotated[str, typer.Option(help="routine, important, urgent.")] = "routine",
    decided_by: Annotated[
        str | None, typer.Option(help="Who decided (needed for a decision).")
    ] = None,
    why: Annotated[str, typer.Option(help="Why (needed for a decision).")] = "",
    link: Annotated[
        list[str] | None, typer.Option(help="A linked object, KIND:KEY (repeatable).")
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            help="A decision's standing measure on its linked activities: maintained, "
            "cancelled, cancelled_by_sms, case_by_case, stopped, lifted."
        ),
    ] = None,
    at: At = None,
    actor: Actor = None,
) -> None:
    """Write an entry in the log; a decision carries who decided and why, and may set a
    measure in force on activities until another decision replaces it."""
    from relance.app import incident as service

    with transaction() as uow:
        entry = service.add_log_entry(
            uow,
            context(actor),
            kind=_choice(LogKind, kind, "--kind"),
            text=text,
            priority=_choice(Priority, priority, "--priority"),
            at=parse_time(at),
            decided_by=decided_by,
            rationale=why,
            links=link or (),
            measure=_choice(Measure, measure, "--measure") if measure else None,
        )
    console.print(f"log entry {entry.id} ({entry.kind}) at {local(entry.occurred_at)}")


@log_app.command("list")
def log_list(
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(help="From this time.")] = None,
    until: Annotated[str | None, typer.Option(help="Before this time.")] = None,
    json: Json = False,
) -> None:
    """The log in the order things happened."""
    from relance.app import incident as service

    kinds = [_choice(LogKind, k, "--kind") for k in kind or ()]
    with transaction() as uow:
        entries = service.list_log(
            uow, kinds, parse_time(since, "--since"), parse_time(until, "--until")
        )
    if json:
        print_json(entries)
        return
    table = Table(title=f"log: {len(entries)} entries")
    for column in (
        "id",
        "when",
        "kind",
        "priority",
        "author",
        "entry",
        "decided by / why",
        "links",
    ):
        table.add_column(column)
    for e in entries:
        why = f"{e.decided_by}: {e.rationale}" if e.decided_by else e.rationale
        table.add_row(
            f"{e.id}" + (f" (v{e.version})" if e.version > 1 else ""),
            local(e.occurred_at),
            e.kind,
            e.priority,
            e.author,
            e.text + (f" [measure: {e.measure}]" if e.measure else ""),
            why,
            ", ".join(e.links),
        )
    console.print(table)


@log_app.command("edit")
def log_edit(
    entry_id: Annotated[int, typer.Argument(help="The entry's number.")],
    reason: Annotated[str, typer.Option(help="Why it is changed (kept in the history).")],
    text: Annotated[str | None, typer.Option(help="New text.")] = None,
    priority: Annotated[str | None, typer.Option(help="New priority.")] = None,
    decided_by: Annotated[str | None, typer.Option(help="Who decided.")] = None,
    why: Annotated[str | None, typer.Option(help="New rationale.")] = None,
    actor: Actor = None,
) -> None:
    """Correct an entry; the previous values stay in its history (`relance log show`)."""
    from relance.app import incident as service

    changes = {
        k: v
        for k, v in {
            "text": text,
            "priority": _choice(Priority, priority, "--priority").value if priority else None,
            "decided_by": decided_by,
            "rationale": why,
        }.items()
        if v is not None
    }
    with transaction() as uow:
        entry = service.edit_log_entry(uow, context(actor), entry_id, changes, reason)
    console.print(f"log entry {entry.id} is now version {entry.version}")


@log_app.command("show")
def log_show(
    entry_id: Annotated[int, typer.Argument(help="The entry's number.")], json: Json = False
) -> None:
    """One entry and its edit history."""
    from relance.app import incident as service

    with transaction() as uow:
        history = service.log_history(uow, entry_id)
    if not history:
        fail(f"no log entry {entry_id}")
    if json:
        print_json(history)
        return
    for e in history:
        what = "written" if e.event_type == "log.added" else f"edited ({e.reason})"
        console.print(f"{local(e.recorded_at)} {e.actor} {what}: {e.before or ''} -> {e.after}")


# Evidence


@evidence_app.command("add")
def evidence_add(
    sha256: Annotated[str, typer.Option(help="SHA-256 of the image or artefact.")],
    description: Annotated[str, typer.Option(help="What it is.")],
    kind: Annotated[str, typer.Option(help="disk image, memory dump, log export...")] = (
        "disk image"
    ),
    asset: Annotated[
        str | None, typer.Option(help="Hostname of the machine it comes from.")
    ] = None,
    holder: Annotated[str | None, typer.Option(help="Who holds it (default: you).")] = None,
    at: At = None,
    actor: Actor = None,
) -> None:
    """Register a forensic image or artefact with its SHA-256."""
    from relance.app import incident as service

    with transaction() as uow:
        item = service.register_evidence(
            uow,
            context(actor),
            sha256=sha256,
            description=description,
            kind=kind,
            asset=asset,
            at=parse_time(at),
            holder=holder,
        )
    console.print(f"{item.reference} registered ({item.kind}), held by {item.holder}")


@evidence_app.command("transfer")
def evidence_transfer(
    reference: Annotated[str, typer.Argument(help="The item (EV-0001).")],
    to: Annotated[str, typer.Option(help="Who receives it.")],
    reason: Annotated[str, typer.Option(help="Why it changes hands.")] = "",
    at: At = None,
    actor: Actor = None,
) -> None:
    """Hand an item to someone else: one link of the chain of custody."""
    from relance.app import incident as service

    with transaction() as uow:
        item = service.transfer_evidence(
            uow, context(actor), reference, to=to, at=parse_time(at), reason=reason
        )
    console.print(f"{item.reference} now held by {item.holder}")


@evidence_app.command("list")
def evidence_list(json: Json = False) -> None:
    """Every item with its hash, its machine and its chain of custody."""
    from relance.app import incident as service

    with transaction() as uow:
        items = service.list_evidence(uow)
    if json:
        print_json(items)
        return
    table = Table(title=f"evidence: {len(items)} items")
    for column in ("ref", "kind", "machine", "SHA-256", "acquired (by)", "custody"):
        table.add_column(column)
    for e in items:
        first = e.transfers[0].from_holder if e.transfers else e.holder  # who held it first
        chain = " -> ".join(
            [first, *[f"{t.to_holder} ({local(t.transferred_at)})" for t in e.transfers]]
        )
        table.add_row(
            e.reference,
            e.kind,
            e.asset or "-",
            e.sha256[:16] + "...",
            f"{local(e.acquired_at)} ({e.acquired_by})",
            chain,
        )
    console.print(table)
