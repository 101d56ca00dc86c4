"""The sheets' words come from the catalogues: every language has its own, and a sheet printed
in Dutch carries none of the French or English sheet's words."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from relance.domain.census import (
    Allergy,
    Census,
    CensusCounts,
    Identity,
    Inpatient,
    MedicationOrder,
    Ward,
)
from relance.domain.treatments import PeriodUnit, TimingRule
from relance.i18n import LANGUAGES
from relance.reports import patient_block, schedule_text, sheet_words, ward_sheets
from relance.reports.printable import printable
from relance.reports.sheet_words import WHEN, SheetWords
from relance.reports.ward_sheets import SheetOptions, cover_sheet, ward_sheet
from tests.snapshots.conftest import ZONE, pdf_text, require

KEYWORDS = {"_": None, "N_": None, "p_": ((1, "c"), 2)}
AS_OF = datetime(2022, 5, 13, 23, 15, tzinfo=UTC)


def test_every_language_names_the_seven_weekdays_and_the_event_codes() -> None:
    english = SheetWords("en")
    for language in LANGUAGES:
        words = SheetWords(language)
        assert len(words.weekday(6)) >= 2
        assert len(set(words._("Mon Tue Wed Thu Fri Sat Sun").split())) == 7
        said = [words.when(code) for code in WHEN]
        assert len(set(said)) == len(WHEN)
        if language != "en":  # translated, not the English message
            assert all(words.when(c) != english.when(c) for c in ("MORN", "HS", "ACV"))
    assert SheetWords("fr").when("QD") == "QD"  # a code we do not know, as it is


def test_decimal_commas_except_in_english() -> None:
    assert SheetWords("fr").number("0.5 mg / 1.25 mL, v1.2") == "0,5 mg / 1,25 mL, v1,2"
    assert SheetWords("en").number("0.5 mg") == "0.5 mg"


def test_a_word_the_pages_mean_otherwise_has_the_sheets_own_translation() -> None:
    french = SheetWords("fr")
    assert french.p_("ward sheets", "Wards") == "Services"
    assert french._("Wards") == "Unités"  # the pages' word
    german = SheetWords("de")
    assert german.p_("call list", "maintained") == "findet statt"
    assert german._("maintained") == "beibehalten"


def test_letters_the_pdf_fonts_lack_lose_only_their_accent() -> None:
    assert printable("Łukasz Șerban Dvořák Œdème µg") == "Lukasz Serban Dvorák Œdème µg"
    assert printable("王") == "?"


def _census() -> Census:
    """A ward whose data holds no word of any language's sheet: names, codes, doses."""
    person = Identity("Patient/p", "IPP-4711", "Zyxw", "Qorv", "1941-03-02", "male", "nl")
    allergy = Allergy("Pnc-Q7", reactions=("Rsh",), criticality="high", unverified=True)
    orders = (
        MedicationOrder("o1", "Xq-12", "0.5 mg", "IV", rule=TimingRule(2, 1, PeriodUnit.DAY)),
        MedicationOrder("o2", "Zb-7", "1 mg", "PO", as_needed=True, max_dose="3 mg"),
        MedicationOrder("o3", "Kv-3", "10 mL", "IV", rate="5 mL/h"),
        MedicationOrder("o4", "Wq-9", "2 mg", "PO"),
    )
    patient = Inpatient(
        person,
        "Encounter/e",
        "W-9",
        bed="7",
        admitted=AS_OF,
        on_leave=True,
        allergies=(allergy,),
        orders=orders,
    )
    ward = Ward("W-9", "Qx", "S-1", "Sx")
    return Census(AS_OF, "--as-of", (ward,), (patient,), (), CensusCounts(inpatients=1))


def _sheet_messages() -> list[tuple[str | None, str]]:
    found = []
    for module in (ward_sheets, patient_block, schedule_text, sheet_words):
        for _line, message, _comments, context in extract_from_file(
            "python", str(module.__file__), keywords=KEYWORDS
        ):
            found.append((context, message))
    return found


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}


def _label_words(language: str) -> set[str]:
    words = SheetWords(language)
    said = [words.p_(c, m) if c else words._(m) for c, m in _sheet_messages()]
    return _words(re.sub(r"\{\w*\}", " ", " ".join(said)))


@pytest.mark.parametrize("other", ["fr", "en", "de"])
def test_a_dutch_sheet_has_no_word_of_another_language_s_sheet(tmp_path: Path, other: str) -> None:
    require("pdftotext")
    census = _census()
    texts = {}
    for language in ("nl", other):
        options = SheetOptions(ZONE, "x-1", AS_OF, language)
        pdf = tmp_path / f"{language}.pdf"
        pdf.write_bytes(ward_sheet(census, census.wards[0], options))
        cover = tmp_path / f"{language}-cover.pdf"
        cover.write_bytes(cover_sheet(census, options))
        texts[language] = pdf_text(pdf) + pdf_text(cover)
    foreign = _label_words(other) - _label_words("nl")
    assert len(foreign) > 40  # the other sheet's own words
    assert _words(texts[other]) & foreign  # they are on its sheet
    assert sorted(_words(texts["nl"]) & foreign) == []
    assert "STAND OP 14/05 01:15" in texts["nl"]
