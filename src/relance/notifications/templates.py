"""Patient SMS in French, Dutch and German, English for anyone else.

One courteous GSM-7 part (160 characters): who sends it, the appointment (day, time, place), what
was decided and why, the number to call back. No medical detail: an SMS can be read by anyone
holding the phone. The texts live in the gettext catalogues (relance/locale), written here in
English; a test builds each of them with the reference scenario's longest names.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from relance.domain.triage import Decision
from relance.i18n import LANGUAGES, N_, Texts

TEMPLATES: dict[Decision, str] = {
    Decision.CANCEL: N_(
        "{sender}: your appointment on {date} at {time} in {site} is cancelled due to the "
        "cyberattack. We will contact you again. We apologise. Tel. {phone}"
    ),
    Decision.MAINTAIN: N_(
        "{sender}: your appointment on {date} at {time} in {site} goes ahead. Please bring your "
        "medical documents and identity card. Thank you. Tel. {phone}"
    ),
    Decision.RESCHEDULE: N_(
        "{sender}: your appointment on {date} in {site} has been moved to {new_date} at "
        "{new_time}. Thank you for your understanding. Tel. {phone}"
    ),
}
SMS_PART = 160  # GSM-7 characters in one part
# GSM 03.38: the basic table, one septet each; the extension table costs two.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class MessageFacts:
    sender: str
    site: str  # the site's short name, in the patient's language
    phone: str  # the patient line
    starts_at: datetime
    new_start: datetime | None = None


@cache
def language_of(code: str) -> str:
    """'nl-BE' -> 'nl'; a language without texts falls back to English."""
    base = code.split("-", maxsplit=1)[0].lower()
    return base if base in LANGUAGES else "en"


@cache
def _texts(language: str) -> Texts:
    return Texts(language)


def render(decision: Decision, language: str, facts: MessageFacts, zone: ZoneInfo) -> str:
    """The SMS text, in GSM-7 characters only (é, è, à, ü are; ê, ô, ç are not), so that it
    goes out as one 160-character part instead of UCS-2."""
    texts = _texts(language_of(language))
    day, time = _day_and_time(texts, facts.starts_at, zone)
    new_day, new_time = _day_and_time(texts, facts.new_start, zone) if facts.new_start else ("", "")
    return texts._(
        TEMPLATES[decision],
        sender=facts.sender,
        site=facts.site,
        date=day,
        time=time,
        phone=facts.phone,
        new_date=new_day,
        new_time=new_time,
    )


@lru_cache(maxsize=4096)  # appointments share their slots: triage writes 100,000 messages
def _day_and_time(texts: Texts, moment: datetime, zone: ZoneInfo) -> tuple[str, str]:
    local = moment.astimezone(zone)
    return texts.day_month(local), texts.time(local)


def gsm7_septets(text: str) -> int | None:
    """How many GSM-7 septets the text takes, or None when it needs UCS-2."""
    if any(c not in GSM7_BASIC and c not in GSM7_EXTENDED for c in text):
        return None
    return len(text) + sum(c in GSM7_EXTENDED for c in text)
