"""Patient SMS: one GSM-7 part in every language with the reference scenario's longest names,
and the words a patient reads right."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from relance.domain.network import translated
from relance.domain.triage import Decision
from relance.i18n import LANGUAGES
from relance.importers.scenario import load_scenario
from relance.notifications.templates import (
    SMS_PART,
    TEMPLATES,
    MessageFacts,
    gsm7_septets,
    language_of,
    render,
)
from tests.conftest import SCENARIO

ZONE = ZoneInfo("Europe/Brussels")
NETWORK = load_scenario(SCENARIO).network
ORG = NETWORK.organisation
assert ORG is not None
# Two-digit days and months and a late hour: the longest dates and times a text can show.
LATE = datetime(2022, 12, 28, 23, 45, tzinfo=ZONE)
LATER = datetime(2022, 12, 29, 22, 15, tzinfo=ZONE)


def _longest_site(language: str) -> str:
    names = [translated(NETWORK.translations, language, s.short) for s in NETWORK.sites]
    return max(names, key=len)


def _sms(decision: Decision, language: str, site: str = "") -> str:
    facts = MessageFacts(
        ORG.sms_sender, site or _longest_site(language), ORG.patient_line, LATE, LATER
    )
    return render(decision, language, facts, ZONE)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("decision", list(TEMPLATES))
def test_every_sms_is_one_gsm7_part_with_the_longest_names(
    decision: Decision, language: str
) -> None:
    text = _sms(decision, language)
    septets = gsm7_septets(text)
    assert septets is not None, f"not GSM-7: {text!r}"
    assert septets <= SMS_PART, f"{septets} septets: {text}"
    assert text.startswith(f"{ORG.sms_sender}: ")
    assert _longest_site(language) in text
    assert text.endswith(ORG.patient_line)  # the number to call back


def test_the_site_is_its_public_short_name_in_the_patients_language() -> None:
    assert " à Arlon " in _sms(Decision.CANCEL, "fr", "Arlon")
    arlon_nl = translated(NETWORK.translations, "nl", "Arlon")
    assert arlon_nl == "Aarlen"
    assert " in Aarlen " in _sms(Decision.CANCEL, "nl", arlon_nl)
    assert "(POL)" not in _sms(Decision.CANCEL, "fr")


def test_the_texts_read_right_in_each_language() -> None:
    nl = _sms(Decision.CANCEL, "nl")
    assert "uw afspraak op 28/12 om 23:45" in nl
    assert "geannuleerd wegens de cyberaanval" in nl
    assert "Wij nemen opnieuw contact met u op." in nl
    de = _sms(Decision.CANCEL, "de")
    assert "am 28.12. um 23:45 Uhr" in de
    assert "wurde wegen des Cyberangriffs abgesagt" in de
    assert "Wir melden uns bei Ihnen." in de
    assert "is cancelled due to the cyberattack" in _sms(Decision.CANCEL, "en")
    fr = _sms(Decision.RESCHEDULE, "fr")
    assert "du 28/12 à Arlon" in _sms(Decision.RESCHEDULE, "fr", "Arlon")
    assert "au 29/12 à 22:15" in fr
    assert "Merci de votre compréhension." in fr


def test_a_language_without_texts_gets_english() -> None:
    assert (language_of("nl-BE"), language_of("pt"), language_of("DE")) == ("nl", "en", "de")


def test_gsm7_counts_the_extension_table_twice_and_refuses_other_characters() -> None:
    assert gsm7_septets("é à ü") == 5
    assert gsm7_septets("10 €") == 5
    assert gsm7_septets("rendez-vous à l'hôpital") is None  # ô is not GSM-7
