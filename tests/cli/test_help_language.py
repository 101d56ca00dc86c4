"""`--help` in the operator's language: every help text of the `relance` tree in the French
catalogue, its msgid exactly the text Click holds; RELANCE_LANG=en gives the English."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from babel.messages.pofile import read_po
from typer.testing import CliRunner

import relance
from relance.cli.help import FRAME, USAGE
from relance.cli.main import app
from relance.i18n import catalogue_path


def help_texts(command: Any, path: str) -> Iterator[tuple[str, str]]:
    if command.help:
        yield path, command.help
    for param in command.params:
        if param.help:
            yield f"{path} {param.opts[0] if param.opts else param.name}", param.help
    for name, child in getattr(command, "commands", {}).items():
        yield from help_texts(child, f"{path} {name}")


def flat(output: str) -> str:
    """The help's text without its frame and line breaks: a sentence may wrap at 80 columns."""
    return re.sub(r"[\s│]+", " ", output)


def test_every_help_text_is_in_the_french_catalogue() -> None:
    root = typer.main.get_command(app)
    with (Path(relance.__file__).parent / catalogue_path("fr")).open("rb") as po:
        french = {m.id for m in read_po(po) if m.string}
    texts = [("relance", root.help or "")]
    texts += [(f"relance {p.opts[0]}", getattr(p, "help", "") or "") for p in root.params]
    for name, command in getattr(root, "commands", {}).items():
        texts += help_texts(command, f"relance {name}")
    texts += [("--help", "Show this message and exit.")] + [(k, v) for k, v in FRAME.items()]
    texts.append(("usage", USAGE))
    missing = [f"{where}: {text!r}" for where, text in texts if text not in french]
    assert not missing, "help without French:\n" + "\n".join(missing)


@pytest.mark.parametrize(
    "command", [[], ["plan"], ["assets", "transition"], ["exercise", "status"]]
)
def test_help_reads_in_one_language(command: list[str]) -> None:
    runner = CliRunner()
    fr = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80", "RELANCE_LANG": ""})
    en = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80", "RELANCE_LANG": "en"})
    assert fr.exit_code == en.exit_code == 0, fr.output + en.output
    for english in ("Usage: ", "Show this message and exit.", "─ Options ─"):
        assert english in flat(en.output)
    assert "Show this message and exit." not in flat(fr.output)
    assert "Usage : " in fr.output
    assert "Afficher cette aide et s'arrêter." in flat(fr.output)
    assert max(len(line) for line in fr.output.splitlines()) <= 80


def test_help_in_english_after_french_in_one_process() -> None:
    """The English texts are kept beside their translations: a later help starts from them."""
    runner = CliRunner()
    runner.invoke(app, ["plan", "--help"], env={"RELANCE_LANG": "fr"})
    en = runner.invoke(app, ["plan", "--help"], env={"RELANCE_LANG": "en"})
    assert "Restoration plan" in en.output
    assert "Plan de reprise" not in en.output
