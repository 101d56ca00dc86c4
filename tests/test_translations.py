"""The catalogues keep up with the code: every message translated, placeholders intact."""

import io
import re
from importlib.resources import files

import pytest
import typer
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from relance.cli.help import FRAME, USAGE, texts
from relance.cli.main import app
from relance.domain.duties import STANDARD_DUTIES, DutyStatus
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.i18n import LANGUAGES, catalogue_path
from tests.conftest import ROOT

# t(): the templates' gettext; p_(context, message): a message meant in a context
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "t": None, "p_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{(\w*)\}")
SOURCES = [("**.py", "python"), ("web/templates/**.html", "jinja2")]
PUBLIC_SOURCES = ("reports/", "notifications/")  # what patients and the public read: fr, nl, de


def _key(context: str | None, message: str) -> str:
    """A message by its id, a message with a context as gettext keys it: context EOT id."""
    return f"{context}\x04{message}" if context else message


def _code_messages(interface: bool) -> set[str]:
    """The messages of the code: all, or only what patients and the public read."""
    found = set()
    for file, _line, message, _comments, context in extract_from_dir(
        ROOT / "src" / "relance", SOURCES, keywords=KEYWORDS
    ):
        if interface or file.startswith(PUBLIC_SOURCES):
            found.add(_key(context, message if isinstance(message, str) else message[0]))
    found |= {d.title for d in STANDARD_DUTIES}  # the sitrep, the review and the drafts show them
    if interface:  # the labels the domain's enums carry, translated where a page shows them
        found |= {s.label for s in AssetState} | {f.label for f in Functioning}
        found |= {s.label for s in DutyStatus}
    return found


def _help_texts() -> set[str]:
    """The CLI's help texts, translated when shown (relance.cli.help): the extractor does not see
    them, tests/cli/test_help_language.py requires them."""
    root = typer.main.get_command(app)
    for name in list(root.commands):  # every command loaded: help walks only the loaded ones
        root.commands[name]
    found = {str(getattr(owner, name)) for owner, name in texts(root) if getattr(owner, name)}
    return found | set(FRAME.values()) | {USAGE, "Show this message and exit."}


CODE = _code_messages(interface=True)
PUBLIC = _code_messages(interface=False)
HELP = _help_texts()


def _catalogue(language: str) -> dict[str, str]:
    """Each message by its key (a plural's by its singular), with its translation (a plural's
    last form, and none when one of its forms is empty)."""
    source = files("relance").joinpath(catalogue_path(language)).read_bytes()
    found: dict[str, str] = {}
    for m in read_po(io.BytesIO(source)):
        if m.id:
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            found[_key(m.context, str(m.id[0] if isinstance(m.id, tuple) else m.id))] = (
                str(forms[-1]) if all(forms) else ""
            )
    return found


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_of_the_code_is_translated_and_none_is_stale(language: str) -> None:
    assert len(PUBLIC) > 100  # the extraction finds the documents' messages
    assert len(CODE) > len(PUBLIC) + 150  # and the pages'
    assert "Clinical activities by site" in CODE  # a template's
    assert "call list\x04maintained" in PUBLIC  # a message with its context
    catalogue = _catalogue(language)
    needed = CODE if language == "fr" else PUBLIC
    assert sorted(needed - set(catalogue)) == [], (
        "run the update of docs/development/translations.md"
    )
    assert sorted(set(catalogue) - CODE - HELP) == [], "messages no longer in the code"
    assert [m for m, text in catalogue.items() if not text.strip()] == []


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_their_placeholders(language: str) -> None:
    broken = {
        message: text
        for message, text in _catalogue(language).items()
        if sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(text))
    }
    assert broken == {}
