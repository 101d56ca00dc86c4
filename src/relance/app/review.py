"""The after-action review: the cell's findings, its improvement plan, and the review document.

Findings (what went well, what is to improve) and improvement actions (action, owner, due date,
status) are the cell's own records, audited like every change; an action is tracked after the
incident closes until it is done or dropped. The review document is written from the records
each time it is built, in the reader's language.
"""

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import access
from relance.app import duties as duties_register
from relance.app.context import Context
from relance.app.incident import audit
from relance.app.incident_clock import reading
from relance.app.review_facts import DutiesProvider, actions, build_facts
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
from relance.domain.incident import check_move
from relance.domain.moments import checked_day
from relance.domain.review import ACTION_TRANSITIONS, ActionStatus, FindingKind
from relance.domain.text import checked_name, checked_text
from relance.reports import review_charts, sitrep_pdf
from relance.reports.review_document import document
from relance.reports.review_model import ActionLine, ReviewFacts
from relance.reports.words import Words
from relance.storage import review_store
from relance.storage.database import UnitOfWork
from relance.storage.review_store import Action, Finding


@dataclass(frozen=True)
class ActionChange:
    """What an update sets; None: left as it is."""

    status: ActionStatus | None = None
    owner: str | None = None
    due_on: date | None = None
    note: str | None = None


def add_finding(uow: UnitOfWork, ctx: Context, kind: FindingKind, text: str) -> Finding:
    access.review_recorder(ctx)
    text = checked_text(text, N_("the finding"), required=True)
    now = ctx.clock.now()
    values = {"kind": kind.value, "text": text, "recorded_by": ctx.actor, "recorded_at": now}
    new_id = review_store.add_finding(uow, values)
    shown = {"kind": kind.value, "text": text}
    audit(uow, ctx, EventType.FINDING_ADDED, ("finding", str(new_id)), now, after=shown)
    return next(f for f in review_store.findings(uow) if f.id == new_id)


def list_findings(uow: UnitOfWork, ctx: Context) -> list[Finding]:
    access.review_reader(ctx)
    return review_store.findings(uow)


def add_action(
    uow: UnitOfWork,
    ctx: Context,
    *,
    text: str,
    owner: str,
    due_on: date,
    finding: int | None = None,
) -> Action:
    """A new improvement action, planned."""
    access.review_recorder(ctx)
    if finding is not None and finding not in {f.id for f in review_store.findings(uow)}:
        raise InvalidInput(N_("no finding {id}: see `relance review finding list`"), id=finding)
    now = ctx.clock.now()
    values = {
        "finding_id": finding,
        "text": checked_text(text, N_("the action"), required=True),
        "owner": checked_name(owner, N_("the owner"), required=True),
        "due_on": checked_day(due_on, N_("the due date")).isoformat(),
        "status": ActionStatus.PLANNED.value,
        "note": "",
        "recorded_by": ctx.actor,
        "recorded_at": now,
        "updated_at": now,
    }
    new_id = review_store.add_action(uow, values)
    shown = {k: values[k] for k in ("finding_id", "text", "owner", "due_on", "status")}
    audit(uow, ctx, EventType.ACTION_ADDED, ("action", str(new_id)), now, after=shown)
    return review_store.actions(uow, new_id)[0]


def update_action(uow: UnitOfWork, ctx: Context, action_id: int, change: ActionChange) -> Action:
    """Move an action along (planned, in progress, done or dropped), or change its owner, due
    date or note; a done or dropped action is closed."""
    access.review_recorder(ctx)
    found = review_store.actions(uow, action_id, for_update=True)
    if not found:
        no_action = N_("no improvement action {id}: see `relance review action list`")
        raise InvalidInput(no_action, id=action_id)
    was = found[0]
    values: dict[str, object] = {}
    if change.status is not None and change.status.value != was.status:
        what = f"action {action_id}"
        check_move(ACTION_TRANSITIONS, what, ActionStatus(was.status), change.status)
        values["status"] = change.status.value
    elif ActionStatus(was.status) not in {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}:
        closed = N_("action {id} is {status}: it is closed")
        raise InvalidInput(closed, id=action_id, status=was.status)
    if change.owner is not None:
        values["owner"] = checked_name(change.owner, N_("the owner"), required=True)
    if change.due_on is not None:
        values["due_on"] = checked_day(change.due_on, N_("the due date")).isoformat()
    if change.note is not None:
        values["note"] = checked_text(change.note, N_("the note"))
    values = {k: v for k, v in values.items() if v != getattr(was, k)}
    if not values:
        raise InvalidInput(N_("nothing to change in action {id}"), id=action_id)
    now = ctx.clock.now()
    review_store.update_action(uow, action_id, values | {"updated_at": now})
    before = {k: getattr(was, k) for k in values}
    audit(
        uow,
        ctx,
        EventType.ACTION_UPDATED,
        ("action", str(action_id)),
        now,
        before=before,
        after=values,
    )
    return review_store.actions(uow, action_id)[0]


def list_actions(uow: UnitOfWork, ctx: Context, zone: ZoneInfo) -> list[ActionLine]:
    """The improvement plan, each action late if past its due date and still open."""
    access.review_reader(ctx)
    return actions(uow, ctx.clock.now().astimezone(zone).date())


def review_facts(
    uow: UnitOfWork, ctx: Context, zone: ZoneInfo, duties: DutiesProvider | None = None
) -> ReviewFacts:
    """What the review says, read now from the records (the page shows it); the duties from
    the register unless another provider is given."""
    access.review_reader(ctx)
    register = duties or (lambda reader: duties_register.outcomes(uow, reader))
    return build_facts(uow, ctx, zone, register)


def build_review(
    uow: UnitOfWork,
    ctx: Context,
    zone: ZoneInfo,
    language: str,
    duties: DutiesProvider | None = None,
) -> bytes:
    """The review as a PDF in `language`."""
    facts = review_facts(uow, ctx, zone, duties)
    words = Words(language, facts.names)
    doc = document(facts, words, reading(uow).mode.value)
    with tempfile.TemporaryDirectory() as folder:
        pictures = review_charts.draw(facts, words, Path(folder))
        pdf = Path(folder) / "review.pdf"
        sitrep_pdf.write(doc, pictures, pdf)
        return pdf.read_bytes()
