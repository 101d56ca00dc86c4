"""`relance comms`: the communications register and the public communiqué."""

from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import (
    N_,
    _,
    console,
    context,
    fail,
    local,
    parse_day,
    parse_time,
    print_json,
    transaction,
)
from relance.cli.tables import key_column, show, table, text_column
from relance.cli.wording import code, label
from relance.domain.errors import InvalidInput
from relance.domain.incident import Audience, parse_choice
from relance.i18n import DEFAULT, parse_language
from relance.reports.codes import AUDIENCES

app = typer.Typer(help="Communications: staff, authorities, press and public, with approval.")
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
def add(
    audience: Annotated[str, typer.Option(help="staff, cert, dpa, police, press or public.")],
    subject: Annotated[str, typer.Option(help="The subject.")],
    body: Annotated[str, typer.Option(help="The text.")],
    recipient: Annotated[str, typer.Option(help="Who exactly (CERT.be, APD/GBA...).")] = "",
    language: Annotated[str, typer.Option(help="fr, nl, de or en.")] = "fr",
    actor: Actor = None,
) -> None:
    """Draft a message; it is sent only after someone else approves it."""
    from relance.app import comms as service

    try:
        chosen = parse_choice(Audience, audience, "--audience")
    except InvalidInput as error:
        fail(str(error))
    with transaction() as uow:
        m = service.add_message(
            uow,
            context(actor),
            audience=chosen,
            subject=subject,
            body=body,
            recipient=recipient,
            language=language,
        )
    console.print(
        _("message {id} drafted for {audience}", id=m.id, audience=label(AUDIENCES, m.audience))
    )


@app.command()
def approve(
    message_id: Annotated[int, typer.Argument(help="The message's number.")], actor: Actor = None
) -> None:
    """Approve a draft (not your own)."""
    from relance.app import comms as service

    with transaction() as uow:
        m = service.approve_message(uow, context(actor), message_id)
    console.print(_("message {id} approved by {who}", id=m.id, who=m.approved_by))


@app.command()
def sent(
    message_id: Annotated[int, typer.Argument(help="The message's number.")],
    at: Annotated[str | None, typer.Option(help="When it was sent (default: now).")] = None,
    actor: Actor = None,
) -> None:
    """Record that an approved message went out."""
    from relance.app import comms as service

    with transaction() as uow:
        m = service.mark_sent(uow, context(actor), message_id, parse_time(at))
    console.print(_("message {id} sent", id=m.id))


@app.command("list")
def list_(json: Json = False) -> None:
    """The register: every message with its audience, state and approver."""
    from relance.app import comms as service

    with transaction() as uow:
        messages = service.list_messages(uow)
    if json:
        print_json(messages)
        return
    register = table(_("communications: {n} messages", n=len(messages)))
    key_column(register, _("no."), [str(m.id) for m in messages], justify="right")
    text_column(register, _("audience, subject"), ratio=1)
    text_column(register, _("state"), min_width=8)
    for header in (N_("drafted"), N_("approved"), N_("sent")):
        text_column(register, _(header), min_width=16)
    for m in messages:
        register.add_row(
            str(m.id),
            f"{label(AUDIENCES, m.audience)} {m.recipient}".strip() + f"\n{m.subject}",
            code(m.state),
            f"{local(m.drafted_at)}\n{m.drafted_by}",
            f"{local(m.approved_at)}\n{m.approved_by}" if m.approved_at else "-",
            local(m.sent_at) if m.sent_at else "-",
        )
    show(register)


@app.command()
def communique(
    day: Annotated[str, typer.Option("--date", help="The day of the approved sitrep.")],
    lang: Annotated[str, typer.Option("--lang", help="fr, nl, de or en.")] = DEFAULT,
    out: Annotated[Path | None, typer.Option(help="Also write the text to this file.")] = None,
    actor: Actor = None,
) -> None:
    """Draft the public communiqué from the day's approved sitrep, in French or --lang."""
    from relance.app import comms as service

    chosen = parse_day(day)
    try:
        language = parse_language(lang)
    except InvalidInput as error:
        fail(str(error))
    if out is not None and not out.parent.is_dir():
        fail(_("{directory} is not a directory", directory=out.parent))
    with transaction() as uow:
        m = service.draft_communique(uow, context(actor), chosen, language)
    if out is not None:
        out.write_text(f"{m.subject}\n\n{m.body}\n", encoding="utf-8")
    console.print(f"[bold]{m.subject}[/]\n\n{m.body}\n", highlight=False)
    console.print(
        _("message {id} drafted: `relance comms approve {id}` before it goes out", id=m.id)
    )
