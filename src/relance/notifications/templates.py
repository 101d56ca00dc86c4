"""Patient SMS in French, Dutch and German, English for anyone else.

Short, with the reference a patient quotes when phoning back, and no medical detail: an SMS
can be read by anyone holding the phone.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from relance.domain.triage import Decision

TEMPLATES: dict[str, dict[Decision, str]] = {
    "fr": {
        Decision.CANCEL: "{sender}: votre rendez-vous du {date} à {time} ({site}) est annulé "
        "suite à la cyberattaque. Nous vous recontacterons. Urgence: 112. Réf {ref}",
        Decision.MAINTAIN: "{sender}: votre rendez-vous du {date} à {time} ({site}) est maintenu. "
        "Apportez vos documents papier et votre carte d'identité. Réf {ref}",
        Decision.RESCHEDULE: "{sender}: votre rendez-vous du {date} ({site}) est déplacé au "
        "{new_date} à {new_time}. Réf {ref}",
    },
    "nl": {
        Decision.CANCEL: "{sender}: uw afspraak van {date} om {time} ({site}) is geannuleerd door "
        "de cyberaanval. Wij nemen opnieuw contact op. Spoed: 112. Ref {ref}",
        Decision.MAINTAIN: "{sender}: uw afspraak van {date} om {time} ({site}) gaat door. "
        "Breng uw papieren documenten en identiteitskaart mee. Ref {ref}",
        Decision.RESCHEDULE: "{sender}: uw afspraak van {date} ({site}) is verplaatst naar "
        "{new_date} om {new_time}. Ref {ref}",
    },
    "de": {
        Decision.CANCEL: "{sender}: Ihr Termin am {date} um {time} ({site}) ist wegen des "
        "Cyberangriffs abgesagt. Wir melden uns. Notfall: 112. Ref {ref}",
        Decision.MAINTAIN: "{sender}: Ihr Termin am {date} um {time} ({site}) findet statt. "
        "Bringen Sie Ihre Papierunterlagen und Ihren Ausweis mit. Ref {ref}",
        Decision.RESCHEDULE: "{sender}: Ihr Termin am {date} ({site}) ist auf den {new_date} um "
        "{new_time} verlegt. Ref {ref}",
    },
    "en": {
        Decision.CANCEL: "{sender}: your appointment on {date} at {time} ({site}) is cancelled "
        "after the cyberattack. We will contact you again. Emergency: 112. Ref {ref}",
        Decision.MAINTAIN: "{sender}: your appointment on {date} at {time} ({site}) goes ahead. "
        "Bring your paper documents and your identity card. Ref {ref}",
        Decision.RESCHEDULE: "{sender}: your appointment on {date} ({site}) is moved to "
        "{new_date} at {new_time}. Ref {ref}",
    },
}
LANGUAGES = tuple(TEMPLATES)


@dataclass(frozen=True)
class MessageFacts:
    sender: str
    site: str
    starts_at: datetime
    reference: str
    new_start: datetime | None = None


@cache
def language_of(code: str) -> str:
    """'nl-BE' -> 'nl'; any language without templates falls back to English."""
    base = code.split("-", maxsplit=1)[0].lower()
    return base if base in TEMPLATES else "en"


def render(decision: Decision, language: str, facts: MessageFacts, zone: ZoneInfo) -> str:
    """The SMS text. Only GSM-7 characters (é, è, à, ü... are; ê, ô are not) so that a message
    fits in one or two parts instead of going out as UCS-2."""
    day, time = _day_and_time(facts.starts_at, zone)
    new_day, new_time = _day_and_time(facts.new_start, zone) if facts.new_start else ("", "")
    return TEMPLATES[language_of(language)][decision].format(
        sender=facts.sender,
        site=facts.site,
        date=day,
        time=time,
        ref=facts.reference,
        new_date=new_day,
        new_time=new_time,
    )


@lru_cache(maxsize=4096)  # appointments share their slots: triage writes 100,000 messages
def _day_and_time(moment: datetime, zone: ZoneInfo) -> tuple[str, str]:
    local = moment.astimezone(zone)
    return f"{local:%d/%m}", f"{local:%H:%M}"
