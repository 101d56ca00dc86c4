"""`relance snapshot` as the crisis cell runs it: census, build, verify, list, watch."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from relance.cli.main import app
from tests.snapshots.conftest import Keys, make_keys, malformed_export, sample

ENV = {"RELANCE_TIMEZONE": "Europe/Brussels", "RELANCE_ACTOR": "tester", "COLUMNS": "200"}


def relance(*args: str | Path, code: int = 0) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env=ENV)
    assert result.exit_code == code, (result.output, result.exception)
    return result.output


def test_census_build_verify_list(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    assert "30 séjours hospitaliers" in relance(
        "snapshot", "census", "--out", tmp_path / "fhir", "--patients", 30
    )
    out = relance(
        "snapshot", "build", "--fhir", tmp_path / "fhir", "--out", tmp_path / "out",
        "--recipients", keys.recipients, "--workers", 1, "--json",
    )  # fmt: skip
    built = json.loads(out)
    assert (built["inpatients"], built["issues"]) == (30, 0)
    assert built["as_of"] == "2022-05-13T23:15:00+00:00"
    assert "déchiffrés et conformes" in relance(
        "snapshot", "verify", tmp_path / "out", "--identity", keys.identity
    )
    listed = relance("snapshot", "list", "--out", tmp_path / "out")
    assert built["snapshot"] in listed
    stale = relance("snapshot", "list", "--out", tmp_path / "out", "--max-age", "1h", code=2)
    assert "ALARME DE FRAÎCHEUR" in stale  # data of May 2022


def test_the_sample_needs_the_export_time_and_has_no_inpatient(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    common = ("--fhir", sample(), "--out", tmp_path / "out", "--recipients", keys.recipients)
    assert "--as-of" in relance("snapshot", "build", *common, code=2)
    refused = relance("snapshot", "build", *common, "--as-of", "2022-05-14 01:15", code=2)
    assert (
        "aucun patient hospitalisé dans l'export (7 patients" in refused
    )  # every Synthea stay is over
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_problems_are_listed_without_names(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    export = malformed_export(tmp_path / "fhir")
    out = relance(
        "snapshot", "build", "--fhir", export, "--out", tmp_path / "out",
        "--recipients", keys.recipients, "--problems",
    )  # fmt: skip
    assert "problème(s) dans les données" in out
    assert "MedicationRequest/o-orphan" in out
    assert not [n for n in ("Bonnet", "Lefèvre", "Marchal", "Noël", "Orban") if n in out]


def test_bad_input_exits_2(tmp_path: Path) -> None:
    keys = make_keys(tmp_path / "keys")
    bad = tmp_path / "recipients.txt"
    bad.write_text(f"{keys.public}\nage1nope\n", encoding="utf-8")
    export = malformed_export(tmp_path / "fhir")
    out = relance(
        "snapshot", "build", "--fhir", export, "--out", tmp_path / "o", "--recipients", bad, code=2
    )
    assert "recipients.txt:2: recipient" in out
    missing = relance("snapshot", "verify", tmp_path / "nothing-here", code=2)
    assert "pas de manifeste : ce n'est pas un instantané" in missing
    for every in ("0m", "soon"):
        relance("snapshot", "watch", "--fhir", export, "--out", tmp_path / "o", "--recipients",
                keys.recipients, "--every", every, "--once", code=2)  # fmt: skip


def test_watch_once_builds_then_finds_the_export_unchanged(tmp_path: Path) -> None:
    keys: Keys = make_keys(tmp_path / "keys")
    now = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(timespec="seconds")
    relance("snapshot", "census", "--out", tmp_path / "fhir", "--patients", 20, "--as-of", now)
    watch = (
        "snapshot", "watch", "--fhir", tmp_path / "fhir", "--out", tmp_path / "out",
        "--recipients", keys.recipients, "--workers", 1, "--once",
    )  # fmt: skip
    assert "20 patients hospitalisés dans" in relance(*watch, "--max-age", "1h")
    assert "export inchangé" in relance(*watch, "--max-age", "1h")
    stale = relance(*watch, "--max-age", "1m", code=2)
    assert "ALARME DE FRAÎCHEUR" in stale
