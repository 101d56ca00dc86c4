"""`relance review`: the after-action review, its findings and its improvement plan."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from relance.cli.common import (
    _,
    console,
    context,
    fail,
    parse_day,
    print_json,
    timezone,
    transaction,
)
from relance.cli.tables import key_column, show, table, text_column
from relance.cli.wording import label
from relance.domain.errors import InvalidInput
from relance.domain.incident import parse_choice
from relance.domain.review import ActionStatus, FindingKind
from relance.i18n import DEFAULT, parse_language
from relance.reports.codes import ACTION_STATUSES, FINDING_KINDS

app = typer.Typer(help="After-action review: the PDF, the cell's findings, its improvement plan.")
finding_app = typer.Typer(help="What went well, what did not: the crisis cell's findings.")
action_app = typer.Typer(help="The improvement plan: action, owner, due date, status.")
app.add_typer(finding_app, name="finding")
app.add_typer(action_app, name="action")
Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
def build(
    out: Annotated[Path, typer.Option(help="The PDF to write.")],
    lang: Annotated[str, typer.Option("--lang", help="fr, nl, de or en.")] = DEFAULT,
    actor: Actor = None,
) -> None:
    """Write the review as a PDF, from the crisis cell's records as of now."""
    from relance.app import review

    try:
        language = parse_language(lang)
    except InvalidInput as error:
        fail(str(error))
    if not out.parent.is_dir():
        fail(_("{directory} is not a directory", directory=out.parent))
    with transaction() as uow:
        pdf = review.build_review(uow, context(actor), timezone(), language)
    out.write_bytes(pdf)
    console.print(
        _("after-action review ({language}) written to {out}", language=language, out=out)
    )


@finding_app.command("add")
def finding_add(
    kind: Annotated[str, typer.Argument(help="went_well or to_improve.")],
    text: Annotated[str, typer.Argument(help="The finding, in the cell's words.")],
    actor: Actor = None,
) -> None:
    """Record a finding of the crisis cell."""
    from relance.app import review

    with transaction() as uow:
        ctx = context(actor)
        found = review.add_finding(uow, ctx, parse_choice(FindingKind, kind, "KIND"), text)
    console.print(
        _("finding #{id} ({kind}) recorded", id=found.id, kind=label(FINDING_KINDS, found.kind))
    )


@finding_app.command("list")
def finding_list(json: Json = False) -> None:
    """Every finding, in the order recorded."""
    from relance.app import review

    with transaction() as uow:
        found = review.list_findings(uow, context(None, reads=True))
    if json:
        print_json(found)
        return
    findings = table(_("findings: {n}", n=len(found)))
    key_column(findings, _("no."), [str(f.id) for f in found], justify="right")
    text_column(findings, _("kind"), min_width=12)
    text_column(findings, _("finding"), ratio=2)
    text_column(findings, _("recorded by"), ratio=1)
    for f in found:
        findings.add_row(
            str(f.id), label(FINDING_KINDS, f.kind), escape(f.text), escape(f.recorded_by)
        )
    show(findings)


@action_app.command("add")
def action_add(
    text: Annotated[str, typer.Argument(help="What will change.")],
    owner: Annotated[str, typer.Option(help="Who sees it through.")],
    due: Annotated[str, typer.Option(help="The due date, as 2022-09-30.")],
    finding: Annotated[int | None, typer.Option(help="The finding it answers (its no.).")] = None,
    actor: Actor = None,
) -> None:
    """Add an improvement action, planned."""
    from relance.app import review

    due_on = parse_day(due, "--due")
    with transaction() as uow:
        a = review.add_action(
            uow, context(actor), text=text, owner=owner, due_on=due_on, finding=finding
        )
    console.print(
        _("action #{id} planned, {owner}, due {due}", id=a.id, owner=a.owner, due=a.due_on)
    )


@action_app.command("update")
def action_update(
    number: Annotated[int, typer.Argument(help="The action's no.")],
    status: Annotated[
        str | None, typer.Option(help="planned, in_progress, done or dropped.")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="A new owner.")] = None,
    due: Annotated[str | None, typer.Option(help="A new due date, as 2022-09-30.")] = None,
    note: Annotated[str | None, typer.Option(help="Where it stands, in a few words.")] = None,
    actor: Actor = None,
) -> None:
    """Move an action along, or change its owner, due date or note."""
    from relance.app import review

    try:
        change = review.ActionChange(
            status=parse_choice(ActionStatus, status, "--status") if status else None,
            owner=owner,
            due_on=parse_day(due, "--due") if due else None,
            note=note,
        )
    except InvalidInput as error:
        fail(str(error))
    with transaction() as uow:
        a = review.update_action(uow, context(actor), number, change)
    console.print(
        _(
            "action #{id}: {status}, {owner}, due {due}",
            id=a.id,
            status=label(ACTION_STATUSES, a.status),
            owner=a.owner,
            due=a.due_on,
        )
    )


@action_app.command("list")
def action_list(json: Json = False) -> None:
    """The improvement plan; an open action past its due date is late."""
    from relance.app import review

    with transaction() as uow:
        found = review.list_actions(uow, context(None, reads=True), timezone())
    if json:
        print_json(found)
        return
    plan = table(_("improvement plan: {n} actions", n=len(found)))
    key_column(plan, _("no."), [str(a.id) for a in found], justify="right")
    text_column(plan, _("action, finding"), ratio=2)
    text_column(plan, _("owner"), ratio=1)
    key_column(plan, _("due"), [a.due_on for a in found])
    text_column(plan, _("status"), min_width=10)
    late = _("(late)")
    for a in found:
        finding = f"#{a.finding_id}" if a.finding_id else "-"
        status = label(ACTION_STATUSES, a.status) + (f" [bold red]{late}[/]" if a.late else "")
        plan.add_row(str(a.id), f"{escape(a.text)}\n{finding}", escape(a.owner), a.due_on, status)
    show(plan)
