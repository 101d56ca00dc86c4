"""The communications register, and the public communiqué drafted from an approved sitrep."""

import re
from datetime import date, datetime

from relance.app.approval import check_four_eyes
from relance.app.context import Context
from relance.app.incident import audit, event_time
from relance.app.organisation import identity
from relance.app.sitrep import latest_approved
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, Faults, InvalidInput, RelanceError
from relance.domain.incident import MESSAGE_TRANSITIONS, Audience, MessageState, check_move
from relance.domain.network import AssetFilter
from relance.domain.text import checked_name, checked_text
from relance.i18n import DEFAULT, LANGUAGES
from relance.reports.communique import communique
from relance.reports.sitrep_model import SitrepFacts
from relance.reports.words import Words
from relance.storage import asset_store, incident_store, network_store
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import Message

OUTSIDE = (Audience.PUBLIC, Audience.PRESS)  # audiences the checklist protects


def add_message(
    uow: UnitOfWork,
    ctx: Context,
    *,
    audience: Audience,
    subject: str,
    body: str,
    recipient: str = "",
    language: str = "fr",
    sitrep_id: int | None = None,
) -> Message:
    """A draft message; it goes out only once approved."""
    subject = checked_text(subject, N_("the subject"), one_line=True)
    body, recipient = (
        checked_text(body, N_("the body")),
        checked_name(recipient, N_("the recipient")),
    )
    if language not in LANGUAGES:
        not_one = N_("--language {language} is not one of: {languages}")
        raise InvalidInput(not_one, language=repr(language), languages=", ".join(LANGUAGES))
    if not subject.strip() or not body.strip():
        raise InvalidInput(N_("a message needs a subject and a body"))
    now = ctx.clock.now()
    values = {
        "audience": audience.value,
        "recipient": recipient.strip(),
        "language": language,
        "subject": subject.strip(),
        "body": body.strip(),
        "state": MessageState.DRAFT.value,
        "sitrep_id": sitrep_id,
        "drafted_by": ctx.actor,
        "drafted_at": now,
    }
    message_id = incident_store.add_message(uow, values)
    audit(
        uow,
        ctx,
        EventType.MESSAGE_DRAFTED,
        ("message", str(message_id)),
        now,
        after={"state": "draft", "audience": audience.value, "subject": values["subject"]},
    )
    return incident_store.messages(uow, message_id)[0]


def _load(uow: UnitOfWork, message_id: int) -> Message:
    found = incident_store.messages(uow, message_id, for_update=True)
    if not found:
        raise InvalidInput(N_("no message {id}"), id=message_id)
    return found[0]


def approve_message(uow: UnitOfWork, ctx: Context, message_id: int) -> Message:
    """The approver is recorded; a message cannot be approved by the person who drafted it."""
    message = _load(uow, message_id)
    check_move(
        MESSAGE_TRANSITIONS,
        f"message {message_id}",
        MessageState(message.state),
        MessageState.APPROVED,
    )
    check_four_eyes(
        uow, ctx, message.drafted_by, f"message {message_id}", ("message", str(message_id))
    )
    if message.audience in OUTSIDE and (
        problems := checklist(uow, message.subject + "\n" + message.body)
    ):
        names = N_(
            "message {id} cannot go to the {audience}: it names {problems} (the checklist of "
            "docs/crisis-cell.md); draft it again without them"
        )
        raise InvalidInput(
            names, id=message_id, audience=message.audience, problems=Faults(problems)
        )
    now = ctx.clock.now()
    values = {"state": MessageState.APPROVED.value, "approved_by": ctx.actor, "approved_at": now}
    incident_store.update_message(uow, message_id, values)
    audit(
        uow,
        ctx,
        EventType.MESSAGE_APPROVED,
        ("message", str(message_id)),
        now,
        before={"state": message.state},
        after={"state": MessageState.APPROVED.value},
    )
    return incident_store.messages(uow, message_id)[0]


def mark_sent(
    uow: UnitOfWork, ctx: Context, message_id: int, at: datetime | None = None
) -> Message:
    message = _load(uow, message_id)
    check_move(
        MESSAGE_TRANSITIONS, f"message {message_id}", MessageState(message.state), MessageState.SENT
    )
    when = event_time(ctx, at, N_("the sending"))
    incident_store.update_message(
        uow, message_id, {"state": MessageState.SENT.value, "sent_at": when}
    )
    audit(
        uow,
        ctx,
        EventType.MESSAGE_SENT,
        ("message", str(message_id)),
        when,
        before={"state": message.state},
        after={"state": MessageState.SENT.value},
        reason=message.recipient or message.audience,
    )
    return incident_store.messages(uow, message_id)[0]


def list_messages(uow: UnitOfWork) -> list[Message]:
    return incident_store.messages(uow)


def draft_communique(uow: UnitOfWork, ctx: Context, day: date, language: str = DEFAULT) -> Message:
    """The public communiqué of `day` in `language`, from the facts of its approved sitrep."""
    report = latest_approved(uow, day)
    facts = SitrepFacts.from_json(report.facts)
    made = communique(facts, identity(uow).organisation, Words(language, facts.names))
    return add_message(
        uow,
        ctx,
        audience=Audience.PUBLIC,
        subject=made.subject,
        body=made.body,
        language=made.language,
        sitrep_id=report.id,
    )


# What never goes out to the press or the public (docs/crisis-cell.md, the communications
# officer's checklist): checked when such a message is approved.
ATTACKER_WORDS = (
    "lockbit",
    "ransom",
    "rançon",
    "losgeld",
    "lösegeld",
    "hacker",
    "pirate",
    "revendi",  # revendication, revendique
    "claim",
    "leak",
    "fuite",
    "darknet",
    "dark web",
)
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]")
PHONE = re.compile(r"\+?\d[\d ./-]{6,}\d")


def checklist(uow: UnitOfWork, text: str) -> list[RelanceError]:
    """What in `text` must not reach the public: machines, codes, the attacker and any ransom,
    phone numbers other than the organisation's (a patient's?)."""
    problems = []
    tokens = set(TOKEN.findall(text))
    upper = {t.upper() for t in tokens}
    hosts = sorted(upper & {m.hostname for m in asset_store.states(uow, AssetFilter())})
    if hosts:
        problems.append(RelanceError(N_("machine names: {names}"), names=", ".join(hosts)))
    codes = {s.code for s in network_store.sites(uow)} | {network_store.network_name(uow) or ""}
    if found := sorted(tokens & codes):
        problems.append(RelanceError(N_("internal codes: {codes}"), codes=", ".join(found)))
    lowered = text.casefold()
    if said := [word for word in ATTACKER_WORDS if word in lowered]:
        attacker = N_("the attacker, a claim or a ransom: {words}")
        problems.append(RelanceError(attacker, words=", ".join(said)))
    org = network_store.organisation(uow)
    ours = {_digits(n) for n in (org.patient_line, org.switchboard) if n} if org else set()
    if numbers := [n for n in PHONE.findall(text) if _digits(n) not in ours]:
        phones = N_("phone numbers that are not the organisation's: {numbers}")
        problems.append(RelanceError(phones, numbers=", ".join(numbers)))
    return problems


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())
