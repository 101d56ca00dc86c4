"""The communications register, and the public communiqué drafted from an approved sitrep."""

from datetime import date, datetime

from relance.app.context import Context
from relance.app.incident import audit, event_time
from relance.app.sitrep import latest_approved
from relance.domain.audit_events import EventType
from relance.domain.errors import InvalidInput
from relance.domain.functioning import Functioning
from relance.domain.incident import MESSAGE_TRANSITIONS, Audience, MessageState, check_move
from relance.domain.text import checked_name, checked_text
from relance.reports.sitrep_model import SitrepFacts
from relance.storage import incident_store
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import Message

LANGUAGES = ("fr", "nl", "de", "en")


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
    subject = checked_text(subject, "the subject", one_line=True)
    body, recipient = checked_text(body, "the body"), checked_name(recipient, "the recipient")
    if language not in LANGUAGES:
        raise InvalidInput(f"--language {language!r} is not one of: {', '.join(LANGUAGES)}")
    if not subject.strip() or not body.strip():
        raise InvalidInput("a message needs a subject and a body")
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
        raise InvalidInput(f"no message {message_id}")
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
    if message.drafted_by == ctx.actor:
        raise InvalidInput(
            f"message {message_id} was drafted by {ctx.actor}: another person approves it"
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
    when = event_time(ctx, at, "the sending")
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


def draft_communique(uow: UnitOfWork, ctx: Context, day: date) -> Message:
    """A public communiqué in French, from the facts of the day's approved sitrep."""
    report = latest_approved(uow, day)
    facts = SitrepFacts.from_json(report.facts)
    subject = f"Cyberattaque : point de situation du {french_date(day)}"
    return add_message(
        uow,
        ctx,
        audience=Audience.PUBLIC,
        subject=subject,
        body=communique(facts),
        language="fr",
        sitrep_id=report.id,
    )


DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
ESSENTIAL = "grossesse, chimiothérapie, oncologie, diabétologie, plâtres"


def french_date(day: date) -> str:
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def communique(facts: SitrepFacts) -> str:
    """What is open, what is not, what patients should do: the facts only, in French."""
    names = [a.name for a in facts.activities]
    open_lines, closed_lines = [], []
    emergencies_open = False
    for row in facts.matrix:
        running, stopped = [], []
        for name, cell in zip(names, row.cells, strict=True):
            if cell is None:
                continue
            if cell.functioning == Functioning.NOT.value:
                stopped.append(name)
                continue
            degraded = cell.functioning == Functioning.PARTIALLY.value
            running.append(f"{name} (mode dégradé)" if degraded else name)
            emergencies_open |= name.lower().startswith("urgence")
        if running:
            open_lines.append(f"- {row.name} : {', '.join(running)}")
        if stopped:
            closed_lines.append(f"- {row.name} : {', '.join(stopped)}")
    day = date.fromisoformat(facts.day)
    number = f", jour {facts.day_number} de l'incident" if facts.day_number is not None else ""
    text = [
        f"{facts.network} : point de situation du {french_date(day)}{number}.",
        "",
        f"{facts.network} fait face à une cyberattaque. Les équipes travaillent à la remise en "
        "service progressive des systèmes informatiques, avec l'appui des autorités compétentes.",
    ]
    if emergencies_open:
        text += ["", "Les services d'urgences restent accessibles."]
    text += ["", "Ce qui fonctionne :", *(open_lines or ["- aucune activité n'est rétablie"])]
    text += ["", "Ce qui ne fonctionne pas encore :", *(closed_lines or ["- rien"])]
    text += [
        "",
        "Ce que les patients doivent faire :",
        "- Si votre rendez-vous est annulé ou déplacé, vous serez prévenu par SMS ou par "
        "téléphone. Ne vous présentez pas sans confirmation pour une activité à l'arrêt.",
        f"- Les suivis essentiels ({ESSENTIAL}) sont maintenus : présentez-vous.",
        "- Apportez vos documents médicaux, la liste de vos médicaments et votre carte d'identité.",
        "- En cas d'urgence, rendez-vous aux urgences ou appelez le 112.",
    ]
    if facts.clinic is not None:
        delivered = facts.clinic.sms_now.get("delivered", 0)
        text += ["", f"À ce jour, {delivered} patients ont été prévenus par SMS."]
    text += ["", "Un nouveau point de situation sera communiqué demain."]
    return "\n".join(text)
