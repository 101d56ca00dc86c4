"""`relance duties` and `relance claims`: what the hospital owes the authorities, by when; what
the attackers claim."""

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from relance.cli.common import (
    BAD_INPUT,
    N_,
    _,
    console,
    context,
    errors,
    fail,
    local,
    n_,
    parse_time,
    print_json,
    transaction,
)
from relance.cli.tables import Wide, key_column, show, table, text_column
from relance.cli.wording import label, show_list
from relance.domain.duties import ClaimStatus, DutyStatus, Urgency
from relance.domain.errors import InvalidInput
from relance.domain.incident import parse_choice
from relance.i18n import DEFAULT, parse_language
from relance.reports.codes import AWARENESS_SOURCES, DUTY_STATUSES

if TYPE_CHECKING:
    from relance.app.duties import Awareness, Duty, Register

app = typer.Typer(help="Legal duties: NIS2 and GDPR deadlines, drafts, approvals, submissions.")
claims_app = typer.Typer(help="Extortion claims register: group, leak site, volume, deadline.")
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Key = Annotated[str, typer.Argument(help="The duty, as nis2_early_warning (see `relance duties`).")]
COLOURS = {Urgency.OVERDUE: "bold red", Urgency.ALARM: "bold yellow", Urgency.DONE: "green"}
# A claim's status in the crisis cell's words ("live" alone reads as "real time" in French).
CLAIM_STATES = {
    ClaimStatus.LIVE: N_("on the leak site"),
    ClaimStatus.EXPIRED: N_("deadline passed"),
    ClaimStatus.REMOVED: N_("taken down"),
}


def left(delta: timedelta | None) -> str:
    """Time left as hours and minutes ("-3 h 05" when overdue), days beyond two days."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    if minutes >= 48 * 60:
        days, hours = minutes // (24 * 60), minutes % (24 * 60) // 60
        return sign + _("{days} d {hours} h", days=days, hours=hours)
    return f"{sign}{minutes // 60} h {minutes % 60:02d}"


def title(duty: "Duty") -> str:
    """A standard duty's title in the operator's words; an added one as the cell typed it."""
    return _(duty.title) if duty.standard else duty.title


def status(duty: "Duty") -> str:
    return label(DUTY_STATUSES, duty.status)


@app.callback(invoke_without_command=True)
def duties(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 2 if a deadline is less than 6 hours away.")
    ] = False,
    json: Json = False,
    wide: Wide = False,
) -> None:
    """The legal duties: deadline, time left, status; the alarm 6 hours before a deadline."""
    if ctx.invoked_subcommand is not None:
        return
    from relance.app import duties as service

    with transaction() as uow:
        register = service.duty_register(uow, context(None, reads=True))
    if json:
        print_json(_plain(register))
    else:
        _show(register, wide)
    if check and register.alarms:
        for duty in register.alarms:
            due = local(duty.due_at) if duty.due_at else ""
            said = _(
                "alarm: {duty} due {due} ({left})", duty=title(duty), due=due, left=left(duty.left)
            )
            errors.print(said, highlight=False)
        raise typer.Exit(BAD_INPUT)


def _plain(register: "Register") -> dict[str, object]:
    """The register for scripts: time left in whole minutes (negative when overdue)."""
    duties = [
        dataclasses.asdict(d)
        | {"left": None if d.left is None else int(d.left.total_seconds() // 60)}
        for d in register.duties
    ]
    return {
        "now": register.now,
        "awareness": register.awareness,
        "duties": duties,
        "alarms": [d.key for d in register.alarms],
        "claims": register.claims,
    }


def _said(aware: "Awareness") -> str:
    """Where the moment comes from, in the operator's words."""
    return _(AWARENESS_SOURCES[aware.source], who=escape(aware.set_by), reason=escape(aware.reason))


def _show(register: "Register", wide: bool) -> None:
    aware = register.awareness
    if aware is None:
        console.print(_("the cell is not aware of an attack yet: no deadline runs"))
    else:
        console.print(
            _("aware since [bold]{at}[/]: {source}", at=local(aware.at), source=_said(aware)),
            highlight=False,
        )
    shown = table(_("legal duties at {at}", at=local(register.now)))
    key_column(shown, _("duty"), [d.key for d in register.duties])
    text_column(shown, _("what, authority"), ratio=2)
    text_column(shown, _("due, left"), min_width=10)
    text_column(shown, _("status"), ratio=1)
    for d in register.duties:
        colour = COLOURS.get(d.urgency, "")
        due = local(d.due_at) if d.due_at else ""
        if d.due_at and d.provisional:
            due += " " + _("(provisional)")
        if d.due_at and not d.status.done:
            due += f"\n{left(d.left)}"
        note = (
            _("{reference} at {at}", reference=d.reference, at=local(d.submitted_at))
            if d.submitted_at
            else d.reason
        )
        if d.officer:
            note += " " + _("(officer: {name})", name=d.officer)
        shown_status = f"[{colour}]{status(d)}[/]" if colour else status(d)
        shown_status += f"\n{note}" if note else ""
        what = title(d)
        what = what if d.authority in what else f"{what}\n{d.authority}"  # once
        shown.add_row(d.key, what, due, shown_status)
    show(shown, wide)
    live = [c for c in register.claims if c.status == ClaimStatus.LIVE.value and c.personal_data]
    if live:
        console.print(
            n_(
                "{n} extortion claim on patient data is on the leak site: weigh it in the GDPR "
                "assessment (`relance claims`)",
                "{n} extortion claims on patient data are on the leak site: weigh them in the "
                "GDPR assessment (`relance claims`)",
                len(live),
            ),
            highlight=False,
        )


def _move(
    key: str,
    target: DutyStatus,
    actor: str | None,
    *,
    reference: str = "",
    at: datetime | None = None,
    reason: str = "",
) -> None:
    from relance.app import duties as service

    with transaction() as uow:
        duty = service.move_duty(
            uow, context(actor), key, target, reference=reference, at=at, reason=reason
        )
    console.print(f"{title(duty)}: {status(duty)}", highlight=False)


@app.command()
def aware(
    at: Annotated[str, typer.Option(help="When the cell became aware of the incident.")],
    reason: Annotated[str, typer.Option(help="Why the moment is corrected (audited).")],
    actor: Actor = None,
) -> None:
    """Correct when the cell became aware of the incident: every deadline moves with it."""
    from relance.app import duties as service

    moment = parse_time(at)
    assert moment is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        found = service.set_awareness(uow, context(actor), moment, reason)
    console.print(
        _("aware since {at}: the deadlines count from then", at=local(found.at)), highlight=False
    )


@app.command()
def add(
    key: Annotated[str, typer.Argument(help="A short key, as police_complaint.")],
    title: Annotated[str, typer.Option(help="What is owed, in French.")],
    authority: Annotated[str, typer.Option(help="To whom: CCB, APD/GBA, police, patients...")],
    due: Annotated[str, typer.Option(help="The deadline.")],
    basis: Annotated[str, typer.Option(help="The text or the request that sets it.")] = "",
    actor: Actor = None,
) -> None:
    """Add a duty: an intermediate report the CCB asks for, a complaint, telling the patients."""
    from relance.app import duties as service

    deadline = parse_time(due, "--due")
    assert deadline is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        duty = service.add_duty(
            uow,
            context(actor),
            key=key,
            title=title,
            authority=authority,
            due=deadline,
            basis=basis,
        )
    console.print(
        _("duty {key} added, due {due}", key=duty.key, due=local(deadline)), highlight=False
    )


@app.command()
def officer(
    key: Key,
    to: Annotated[str, typer.Option("--to", help="The person (account) who drafts and submits.")],
    actor: Actor = None,
) -> None:
    """Name who drafts and submits a duty (the data-protection officer for the GDPR one)."""
    from relance.app import duties as service

    with transaction() as uow:
        duty = service.name_officer(uow, context(actor), key, to)
    console.print(
        _("{duty}: drafted and submitted by {name}", duty=title(duty), name=duty.officer),
        highlight=False,
    )


@app.command()
def draft(
    key: Key,
    lang: Annotated[str, typer.Option("--lang", help="fr, nl, de or en.")] = DEFAULT,
    out: Annotated[
        Path | None, typer.Option(help="Write it to FILE.txt or FILE.pdf (default: print it).")
    ] = None,
    take_back: Annotated[
        bool, typer.Option("--take-back", help="Take an approval back before submission.")
    ] = False,
    actor: Actor = None,
) -> None:
    """Write the draft for the authority from the cell's records (NIS2 early warning,
    notification, final report; GDPR notification); a duty to do becomes drafted."""
    from relance.app import duty_drafts as service
    from relance.reports import duty_draft_document as render

    try:
        language = parse_language(lang)
    except InvalidInput as error:
        fail(str(error))
    if out is not None and out.suffix.lower() not in (".txt", ".pdf"):
        fail(_("{file}: the draft is written as .txt (to paste) or .pdf", file=out))
    if out is not None and not out.parent.is_dir():
        fail(_("{folder} is not a directory", folder=out.parent))
    with transaction() as uow:
        done = service.draft_duty(uow, context(actor), key, language, take_back=take_back)
        doc = done.document
        if doc is not None and out is not None:  # written before the status is committed
            pdf = out.suffix.lower() == ".pdf"
            out.write_bytes(render.pdf(doc) if pdf else render.text(doc).encode("utf-8"))
    said = f"{title(done.duty)}: {status(done.duty)}"
    if doc is not None and out is None:
        print(render.text(doc), end="")  # the draft alone on stdout, to paste or redirect
        errors.print(said, highlight=False)
        return
    written = "; " + _("draft written to {file}", file=out) if doc is not None else ""
    console.print(f"{said}{written}", highlight=False)


@app.command()
def approve(key: Key, actor: Actor = None) -> None:
    """Approve a drafted duty; whoever drafted it does not approve it."""
    _move(key, DutyStatus.APPROVED, actor)


@app.command()
def submit(
    key: Key,
    reference: Annotated[str, typer.Option(help="The reference the authority gave.")],
    at: Annotated[str | None, typer.Option(help="When it was submitted (default: now).")] = None,
    actor: Actor = None,
) -> None:
    """Record an approved duty as submitted, with the authority's reference and time."""
    _move(key, DutyStatus.SUBMITTED, actor, reference=reference, at=parse_time(at))


@app.command("not-applicable")
def not_applicable(
    key: Key,
    reason: Annotated[str, typer.Option(help="Why the duty does not apply (audited).")],
    actor: Actor = None,
) -> None:
    """Mark a duty not applicable, saying why (no personal data concerned, for instance)."""
    _move(key, DutyStatus.NOT_APPLICABLE, actor, reason=reason)


@app.command()
def reopen(
    key: Key,
    reason: Annotated[str, typer.Option(help="Why it applies after all (audited).")],
    actor: Actor = None,
) -> None:
    """Put a duty marked not applicable back to do."""
    _move(key, DutyStatus.TO_DO, actor, reason=reason)


# Claims


@claims_app.callback(invoke_without_command=True)
def claims(ctx: typer.Context, json: Json = False) -> None:
    """The claims: group, where seen, volume, deadline and its extensions, status, evidence."""
    if ctx.invoked_subcommand is not None:
        return
    from relance.app import claims as service

    with transaction() as uow:
        found = service.list_claims(uow, context(None, reads=True))
    if json:
        print_json(found)
        return
    shown = table(n_("{n} extortion claim", "{n} extortion claims", len(found)))
    key_column(shown, _("claim"), [c.reference for c in found])
    text_column(shown, _("group, where, volume"), ratio=2)
    text_column(shown, _("seen, deadline"), min_width=16)
    text_column(shown, _("status, evidence"), ratio=1)
    for c in found:
        deadline = local(c.deadline_at) if c.deadline_at else ""
        if c.extensions:
            extended = len(c.extensions)
            deadline += " (" + n_("{n} extension", "{n} extensions", extended) + ")"
        shown.add_row(
            c.reference,
            f"{c.group_name}\n{c.seen_where}\n{c.volume}",
            f"{local(c.seen_at)}\n{deadline}",
            f"{label(CLAIM_STATES, c.status)}\n{', '.join(c.evidence)}",
        )
    show_list(shown, len(found), wide=False)


@claims_app.command("add")
def claims_add(
    group: Annotated[str, typer.Option(help="The group that claims the attack.")],
    seen: Annotated[str, typer.Option(help="When the claim was seen.")],
    where: Annotated[str, typer.Option(help="Where: the leak site, a channel.")],
    volume: Annotated[str, typer.Option(help="What it claims to hold, as 400 GB.")] = "",
    deadline: Annotated[str | None, typer.Option(help="The group's deadline.")] = None,
    screenshot: Annotated[
        list[str] | None, typer.Option(help="SHA-256 of a screenshot (repeatable).")
    ] = None,
    no_personal_data: Annotated[
        bool, typer.Option("--no-personal-data", help="The claim is not about personal data.")
    ] = False,
    actor: Actor = None,
) -> None:
    """Record a claim; each screenshot's SHA-256 enters the evidence register."""
    from relance.app import claims as service

    seen_at = parse_time(seen, "--seen")
    assert seen_at is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        claim = service.record_claim(
            uow,
            context(actor),
            group=group,
            seen_at=seen_at,
            where=where,
            volume=volume,
            deadline=parse_time(deadline, "--deadline"),
            personal_data=not no_personal_data,
            screenshots=screenshot or (),
        )
    said = (
        _(
            "claim {reference} recorded; evidence {evidence}",
            reference=claim.reference,
            evidence=", ".join(claim.evidence),
        )
        if claim.evidence
        else _("claim {reference} recorded", reference=claim.reference)
    )
    console.print(said, highlight=False)


@claims_app.command("extend")
def claims_extend(
    reference: Annotated[str, typer.Argument(help="The claim, as CL-0001.")],
    deadline: Annotated[str, typer.Option(help="The new deadline.")],
    at: Annotated[str | None, typer.Option(help="When it was seen (default: now).")] = None,
    actor: Actor = None,
) -> None:
    """The group extended its deadline."""
    from relance.app import claims as service

    moment = parse_time(deadline, "--deadline")
    assert moment is not None  # noqa: S101 - the option is required
    with transaction() as uow:
        claim = service.extend_claim(uow, context(actor), reference, moment, parse_time(at))
    console.print(
        _("claim {reference}: deadline {at}", reference=claim.reference, at=local(moment)),
        highlight=False,
    )


@claims_app.command("status")
def claims_status(
    reference: Annotated[str, typer.Argument(help="The claim, as CL-0001.")],
    to: Annotated[str, typer.Argument(help="live, expired or removed.")],
    at: Annotated[str | None, typer.Option(help="When it was seen (default: now).")] = None,
    reason: Annotated[str, typer.Option(help="What was seen.")] = "",
    actor: Actor = None,
) -> None:
    """The claim's deadline passed, or it was taken off the leak site."""
    from relance.app import claims as service

    try:
        status = parse_choice(ClaimStatus, to, "status")
    except InvalidInput as error:
        fail(str(error))
    with transaction() as uow:
        claim = service.set_claim_status(
            uow, context(actor), reference, status, at=parse_time(at), reason=reason
        )
    console.print(
        _(
            "claim {reference}: {status}",
            reference=claim.reference,
            status=label(CLAIM_STATES, claim.status),
        ),
        highlight=False,
    )
