"""The patients', accounts' and inventory commands speak the operator's language: French by
default, on 80 columns, with no English header left; RELANCE_LANG=en gives English."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.importers import inventory_samples
from tests.cli.test_cli import SMALL

WIDTH = 80


def _run(url: str, args: list[str], language: str | None = None) -> str:
    env = {"RELANCE_DATABASE_URL": url, "RELANCE_ACTOR": "tester", "COLUMNS": str(WIDTH)}
    if language:
        env["RELANCE_LANG"] = language
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def _header(table: str) -> str:
    """A table's header: the line above its rule."""
    lines = table.splitlines()
    return next(lines[i - 1] for i, line in enumerate(lines) if line.startswith("──"))


def _same_in_both(url: str, args: list[str], english_words: set[str]) -> None:
    """French by default, English with RELANCE_LANG=en; each within 80 columns, and none of
    the English header's words (bar the shared ones) in the French."""
    french, english = _run(url, args), _run(url, args, "en")
    for shown in (french, english):
        assert max(len(line) for line in shown.splitlines()) <= WIDTH, (args, shown)
    header_fr, header_en = _header(french), _header(english)
    assert english_words <= set(header_en.split()), (args, header_en)
    assert header_fr != header_en
    assert not english_words & set(header_fr.split()), (args, header_fr)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_patients_lists_and_accounts_in_french_on_80_columns(
    database_url: str, tmp_path: Path
) -> None:
    book = str(tmp_path / "book.csv")
    _run(database_url, ["init", "--scenario", str(SMALL)])
    _run(
        database_url,
        ["appointments", "generate", "--week", "2022-05-16", "--out", book, "--scale", "0.05"],
    )
    _run(database_url, ["appointments", "import", book])
    triaged = _run(database_url, ["appointments", "triage"])
    assert "rendez-vous" in triaged
    assert "cancel" not in triaged  # the decisions in the cell's words: "annulé : 12"
    made = _run(database_url, ["users", "add", "nurse", "--role", "clinician"])
    assert "Clinicien" in made
    _run(database_url, ["users", "token", "nurse", "--name", "wallboard"])

    _same_in_both(database_url, ["notify", "status"], {"status"})
    _same_in_both(database_url, ["notify", "call-list"], {"when", "phone", "decision"})
    _same_in_both(database_url, ["users", "list"], {"login", "name", "role"})
    _same_in_both(database_url, ["users", "tokens", "nurse"], {"name", "expires"})

    status = _run(database_url, ["notify", "status"])
    assert "en attente d'envoi" in status  # the SMS states the pages and the sitrep show
    assert "queued" not in status
    listed = _run(database_url, ["users", "list"])
    assert "Clinicien" in listed
    assert "clinician" not in listed
    assert "waiting to be sent" in _run(database_url, ["notify", "status"], "en")
    # the small network's rules leave nothing to review: the count line alone, no empty table
    assert _run(database_url, ["appointments", "review"]) == "0 rendez-vous à revoir\n"
    assert _run(database_url, ["appointments", "review"], "en") == "0 appointments to review\n"


def test_the_inventory_look_in_french_on_80_columns(tmp_path: Path) -> None:
    files = [str(p) for p in inventory_samples.write(tmp_path, inventory_samples.hospital(90))]
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    args = ["inventory", "import", *files, "--mapping", str(tmp_path / "mapping.yaml")]
    _same_in_both(url, [*args, "--dry-run"], {"file", "newest"})
    french = _run(url, [*args, "--dry-run"])
    assert "Postes de travail" in french  # the kinds of machine as the pages name them
    assert "workstation" not in french
    assert not (tmp_path / "relance.db").exists()
    wide = _run(url, [*args, "--dry-run", "--wide"])
    assert "sha256" in wide  # the whole hash, on demand
