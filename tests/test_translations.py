"""The catalogues keep up with the code: every message translated, placeholders intact."""

import io
import re
from importlib.resources import files

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from relance.i18n import LANGUAGES, catalogue_path
from tests.conftest import ROOT

KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _code_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "src" / "relance", keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


CODE = _code_messages()


def _catalogue(language: str) -> dict[str, str]:
    source = files("relance").joinpath(catalogue_path(language)).read_bytes()
    return {str(m.id): str(m.string) for m in read_po(io.BytesIO(source)) if m.id}


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_of_the_code_is_translated_and_none_is_stale(language: str) -> None:
    assert len(CODE) > 100  # the extraction finds the documents' messages
    catalogue = _catalogue(language)
    assert sorted(CODE - set(catalogue)) == [], "run the update of docs/development/translations.md"
    assert sorted(set(catalogue) - CODE) == [], "messages no longer in the code"
    assert [m for m, text in catalogue.items() if not text.strip()] == []


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_their_placeholders(language: str) -> None:
    broken = {
        message: text
        for message, text in _catalogue(language).items()
        if sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(text))
    }
    assert broken == {}
