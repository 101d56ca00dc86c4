"""Every text of the sheets exists in the four languages, with the same placeholders."""

import string

import pytest

from relance.reports.sheet_labels import TEXTS, WHEN, Labels, Language, printable


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_text_has_four_translations_with_the_same_placeholders(key: str) -> None:
    fields = [
        {name for _, name, _, _ in string.Formatter().parse(text) if name} for text in TEXTS[key]
    ]
    assert all(text.strip() for text in TEXTS[key])
    assert all(f == fields[0] for f in fields), key


def test_every_language_names_the_seven_weekdays_and_the_event_codes() -> None:
    for language in Language:
        labels = Labels(language)
        assert len(labels("weekdays").split()) == 7
        assert all(labels.when(code) for code in WHEN)


def test_decimal_commas_except_in_english() -> None:
    assert Labels(Language.FR).number("0.5 mg / 1.25 mL, v1.2") == "0,5 mg / 1,25 mL, v1,2"
    assert Labels(Language.EN).number("0.5 mg") == "0.5 mg"


def test_letters_the_pdf_fonts_lack_lose_only_their_accent() -> None:
    assert printable("Łukasz Șerban Dvořák Œdème µg") == "Lukasz Serban Dvorák Œdème µg"
    assert printable("王") == "?"
