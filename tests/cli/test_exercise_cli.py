"""`relance exercise`: a new database only, a malformed injects file refused, never live."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from tests.cli.test_cli import SMALL

INJECTS = """\
format: relance-injects/1
scenario: small
start: 2022-05-13T23:00:00+02:00
injects:
  - {key: one, at: 2022-05-14T01:30:00+02:00, kind: alert, source: test, text: Premier}
  - key: two
    at: 2022-05-14T03:29:00+02:00
    kind: rumour
    source: test
    text: Deuxième
    machines:
      - {sites: [A], to: redeployed}
"""
ENV = {"RELANCE_DATABASE_URL": "", "RELANCE_ACTOR": "lead", "COLUMNS": "200"}


def _relance(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


def _own_exercise(tmp_path: Path, injects: str) -> Path:
    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(SMALL, folder / "scenario.yaml")
    (folder / "injects.yaml").write_text(injects, encoding="utf-8")
    return folder


def test_a_malformed_injects_file_names_file_line_and_field_and_writes_nothing(
    tmp_path: Path,
) -> None:
    folder = _own_exercise(tmp_path, INJECTS)
    target = tmp_path / "exercise"
    out = _relance("exercise", "start", str(folder), "--dir", str(target), code=2)
    assert "injects.yaml:8: injects[1].kind: doit être l'une de ces valeurs : 'alert'" in out
    (folder / "injects.yaml").write_text(INJECTS.replace("rumour", "alert"), encoding="utf-8")
    out = _relance("exercise", "start", str(folder), "--dir", str(target), code=2)
    assert "injects.yaml:12: injects[1].machines[0].to: une machine ne peut pas passer de" in out
    assert "Traceback" not in out
    assert not target.exists()


def test_an_exercise_needs_a_new_database_and_never_goes_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = INJECTS.replace("rumour", "alert").replace("{sites: [A], to: redeployed}", "")
    valid = valid.replace("    machines:\n      - \n", "")
    folder = _own_exercise(tmp_path, valid)
    target = tmp_path / "exercise"
    out = _relance("exercise", "start", str(folder), "--speed", "60", "--dir", str(target))
    assert "EXERCICE small" in out
    again = _relance("exercise", "start", str(folder), "--dir", str(target), code=2)
    assert "existe déjà" in again
    monkeypatch.chdir(target)
    refused = _relance("clock", "live", "--reason", "fin de l'exercice", code=2)
    assert "ne passe jamais en direct" in refused
    status = _relance("exercise", "status")
    assert "EXERCICE - heure de l'exercice" in status
    assert "à venir" in status
    assert "alerte" in status


def test_the_status_reads_in_one_language_on_80_columns(tmp_path: Path) -> None:
    valid = INJECTS.replace("rumour", "alert").replace("{sites: [A], to: redeployed}", "")
    folder = _own_exercise(tmp_path, valid.replace("    machines:\n      - \n", ""))
    target = tmp_path / "exercise"
    _relance("exercise", "start", str(folder), "--dir", str(target))
    runner = CliRunner()
    env = {**ENV, "COLUMNS": "80", "RELANCE_LANG": ""}
    fr = runner.invoke(app, ["exercise", "status", "--dir", str(target)], env=env).output
    env["RELANCE_LANG"] = "en"
    en = runner.invoke(app, ["exercise", "status", "--dir", str(target)], env=env).output
    assert max(len(line) for line in fr.splitlines()) <= 80
    header = {
        lang: next(line for line in out.splitlines() if line.split()[-1:] == ["inject"])
        for lang, out in (("fr", fr), ("en", en))
    }
    for french in ("heure", "état", "à venir", "alerte", "fois l'horloge murale"):
        assert french in fr, french
    for english in ("time", "kind", "state", "to come", "exercise time", "times the wall"):
        assert english not in fr, english
        assert english in en, english
    assert header["fr"] != header["en"]
