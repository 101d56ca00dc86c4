"""`relance incident`, `relance log`, `relance evidence`: the crisis cell's own records."""

from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from relance.cli.common import (
    _,
    console,
    context,
    fail,
    local,
    parse_time,
    print_json,
    transaction,
)
from relance.cli.tables import key_column, table, text_column
from relance.cli.tables import show as show_table
from relance.cli.wording import label, words
from relance.domain.errors import InvalidInput
from relance.domain.incident import LogKind, Measure, Phase, Priority, criteria_said, parse_choice
from relance.reports.codes import LOG_KINDS, PHASES, PRIORITIES

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
    console.print(
        _(
            "incident {name} declared, detected {detected}",
            name=found.name,
            detected=local(found.detected_at),
        )
    )


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
    console.print(
        _(
            "incident in the {phase} phase from {since}: {criteria}",
            phase=label(PHASES, entry.phase),
            since=local(entry.entered_at),
            criteria=criteria_said(entry.criteria, _),
        )
    )


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
        _(
            "period {number}: {start} to {end}, {n} objectives",
            number=made.number,
            start=local(made.starts_at),
            end=local(made.ends_at),
            n=len(made.objectives),
        )
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
    console.print(_("period {number}: {n} objectives", number=made.number, n=len(made.objectives)))


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
    detected = _("detected {at}", at=local(i.detected_at))
    if i.confirmed_at:
        detected = _("{detected}, confirmed {at}", detected=detected, at=local(i.confirmed_at))
    phase_now = f"[bold]{label(PHASES, view.phase)}[/]"
    console.print(
        _(
            "[bold]{name}[/]: {detected}; phase {phase}",
            name=i.name,
            detected=detected,
            phase=phase_now,
        )
    )
    phases = table(_("phases"))
    text_column(phases, _("phase"), min_width=10)
    text_column(phases, _("from, declared by"), min_width=16)
    text_column(phases, _("entry criteria"), ratio=1)
    for p in view.phases:
        said = criteria_said(p.criteria, _)
        phases.add_row(label(PHASES, p.phase), f"{local(p.entered_at)}\n{p.declared_by}", said)
    show_table(phases)
    for period_ in view.periods:
        console.print(
            _(
                "period {number}: {start} to {end}",
                number=period_.number,
                start=local(period_.starts_at),
                end=local(period_.ends_at),
            )
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
    console.print(
        _(
            "log entry {id} ({kind}) at {at}",
            id=entry.id,
            kind=label(LOG_KINDS, entry.kind),
            at=local(entry.occurred_at),
        )
    )


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
    log = table(_("log: {n} entries", n=len(entries)))
    ids = [f"{e.id}" + (f" v{e.version}" if e.version > 1 else "") for e in entries]
    key_column(log, _("no."), ids, justify="right")
    text_column(log, _("when, who"), min_width=16)
    text_column(log, _("kind, priority"), min_width=10)
    text_column(log, _("entry, decided by, why, links"), ratio=1)
    said = words()
    for number, e in zip(ids, entries, strict=True):
        lines = [e.text]
        if e.measure:
            lines.append(_("measure: {measure}", measure=said.measure(e.measure)))
        if e.decided_by or e.rationale:
            lines.append(f"{e.decided_by}: {e.rationale}" if e.decided_by else e.rationale)
        if e.links:
            lines.append(", ".join(e.links))
        log.add_row(
            number,
            f"{local(e.occurred_at)}\n{e.author}",
            f"{label(LOG_KINDS, e.kind)}\n{label(PRIORITIES, e.priority)}",
            "\n".join(lines),
        )
    show_table(log)


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
    console.print(_("log entry {id} is now version {version}", id=entry.id, version=entry.version))


@log_app.command("show")
def log_show(
    entry_id: Annotated[int, typer.Argument(help="The entry's number.")], json: Json = False
) -> None:
    """One entry and its edit history."""
    from relance.app import incident as service

    with transaction() as uow:
        history = service.log_history(uow, entry_id)
    if not history:
        fail(_("no log entry {id}", id=entry_id))
    if json:
        print_json(history)
        return
    for e in history:
        what = _("written") if e.event_type == "log.added" else _("edited ({why})", why=e.reason)
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
    console.print(
        _(
            "{reference} registered ({kind}), held by {holder}",
            reference=item.reference,
            kind=item.kind,
            holder=item.holder,
        )
    )


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
    console.print(
        _("{reference} now held by {holder}", reference=item.reference, holder=item.holder)
    )


@evidence_app.command("list")
def evidence_list(json: Json = False) -> None:
    """Every item with its hash, its machine and its chain of custody."""
    from relance.app import incident as service

    with transaction() as uow:
        items = service.list_evidence(uow)
    if json:
        print_json(items)
        return
    register = table(_("evidence: {n} items", n=len(items)))
    key_column(register, _("ref."), [e.reference for e in items])
    text_column(register, _("kind, machine"), min_width=12)
    text_column(register, _("acquired, by"), min_width=16)
    text_column(register, _("custody"), ratio=1)
    for e in items:
        first = e.transfers[0].from_holder if e.transfers else e.holder  # who held it first
        chain = " -> ".join(
            [first, *[f"{t.to_holder} ({local(t.transferred_at)})" for t in e.transfers]]
        )
        register.add_row(
            e.reference,
            f"{e.kind}\n{e.asset or '-'}",
            f"{local(e.acquired_at)}\n{e.acquired_by}",
            chain,
        )
    show_table(register)
    # Each whole hash on a line of its own: it is checked character by character, never cut.
    for e in items:
        console.print(f"{e.reference}  SHA-256 {e.sha256}", highlight=False, soft_wrap=True)
