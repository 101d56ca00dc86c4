"""The IT team's errors and the importers' problems in the reader's language (issue 12).

Each refusal names the file, the line and the field, says what to do in French by default
and in English with RELANCE_LANG=en, exits with 2 and writes nothing; the JSON a script
reads keeps the English message."""

import json
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.importers import inventory_samples

SMALL = Path(__file__).parent.parent / "data/small.yaml"


def _run(directory: Path, *args: str | Path, lang: str = "", code: int = 2) -> str:
    result = CliRunner().invoke(
        app,
        [str(a) for a in args],
        env={
            "RELANCE_DATABASE_URL": f"sqlite:///{directory / 'relance.db'}",
            "RELANCE_ACTOR": "it-lead",
            "RELANCE_LANG": lang,
            "COLUMNS": "200",
        },
    )
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return " ".join(result.output.split())  # a long problem may wrap: compare its words


def _glpi(directory: Path) -> Path:
    """The sample GLPI export with a date no calendar has and a machine name with a space."""
    files = inventory_samples.write(directory, inventory_samples.hospital(6))
    glpi = next(f for f in files if f.name.startswith("glpi"))
    lines = glpi.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace('"2022-05-', '"2022-13-', 1)  # line 3: month 13
    lines[3] = lines[3].replace('"PC-', '"PC ', 1)  # line 4: a space in the name
    glpi.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "mapping.yaml").write_text(inventory_samples.mapping(), encoding="utf-8")
    return glpi


def test_an_export_with_a_bad_date_and_a_bad_name_is_refused_in_french(tmp_path: Path) -> None:
    glpi = _glpi(tmp_path)
    args = ("inventory", "import", glpi, "--mapping", tmp_path / "mapping.yaml")
    french = _run(tmp_path, *args)
    assert "2 problèmes, rien n'a été modifié" in french
    assert "n'est pas une date au format de ce fichier" in french
    assert "glpi-ordinateurs.csv:3: dernière modification: '2022-13-" in french
    assert "glpi-ordinateurs.csv:4: name: 'PC " in french
    assert "un nom de machine ne contient que des lettres, chiffres" in french
    for english in ("is not a date", "machine name holds", "problems", "nothing was changed"):
        assert english not in french
    assert not (tmp_path / "relance.db").exists()
    english = _run(tmp_path, *args, lang="en")
    assert "glpi-ordinateurs.csv:3: dernière modification: '2022-13-" in english
    assert "is not a date as this file writes them" in english
    assert "a machine name holds letters, digits, '.', '-' and '_' only" in english
    assert not (tmp_path / "relance.db").exists()


def test_a_mapping_with_an_unknown_site_and_kind_is_refused_in_french(tmp_path: Path) -> None:
    glpi = _glpi(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    good = mapping.read_text(encoding="utf-8")
    mapping.write_text(good + "machines:\n  PC-LIB-000001: {kind: broken}\n", encoding="utf-8")
    args = ("inventory", "import", glpi, "--mapping", mapping, "--dry-run")
    kind = _run(tmp_path, *args)
    assert "machines.PC-LIB-000001.kind: doit être l'une de ces valeurs : 'server'" in kind
    assert "Input should be" not in kind
    assert " or " not in kind
    text = good.replace("value: MARCHE}", "value: MARCH}", 1)
    mapping.write_text(text + "machines:\n  PC-MAR-000000: {site: NOWHERE}\n", encoding="utf-8")
    french = _run(tmp_path, *args)
    assert "2 problèmes, rien n'a été modifié" in french
    assert "site.0.value: 'MARCH' ne fait pas partie de ARLON, LIBRAMONT, MARCHE" in french
    assert "machines.PC-MAR-000000.site: le site NOWHERE n'est pas déclaré dans sites" in french
    for english in ("is not one of", "is not declared", "problems"):
        assert english not in french
    english = _run(tmp_path, *args, lang="en")
    assert "site.0.value: 'MARCH' is not one of ARLON, LIBRAMONT, MARCHE" in english
    assert "machines.PC-MAR-000000.site: site NOWHERE is not declared in sites" in english
    assert not (tmp_path / "relance.db").exists()


def test_the_json_of_a_dry_run_keeps_english_for_scripts(tmp_path: Path) -> None:
    """A problem that refuses the whole import is on stderr, in the reader's words; the
    machine-readable problems of Problem.as_dict stay English (tests/importers)."""
    glpi = _glpi(tmp_path)
    args = ("inventory", "import", glpi, "--mapping", tmp_path / "mapping.yaml", "--json")
    shown = _run(tmp_path, *args)
    assert "n'est pas une date au format de ce fichier" in shown
    with pytest.raises(json.JSONDecodeError):
        json.loads(shown)  # a refusal prints no half JSON


def _scenario(directory: Path) -> Path:
    """The small scenario, its machines from a CSV with an unknown site and a bad state."""
    assets = directory / "assets.csv"
    assets.write_text(
        "hostname,kind,site,department,role,services,state\n"
        "A-SRV-NET-01,server,A,,network,NET,\n"
        "A-PC-01,workstation,Z,,desk,,\n"
        "A-PC-02,workstation,A,,desk,,wrecked\n",
        encoding="utf-8",
    )
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("assets:\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in " "), len(lines))
    csv = ["assets:\n", "  csv: assets.csv\n", "  initial_state: compromised\n"]
    scenario = directory / "scenario.yaml"
    scenario.write_text("".join(lines[:start] + csv + lines[end:]), encoding="utf-8")
    return scenario


def test_a_scenario_whose_machines_are_wrong_is_refused_in_french(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    french = _run(tmp_path, "init", "--scenario", scenario)
    assert "assets.csv:3: site: site inconnu 'Z'" in french
    assert "assets.csv:4: state: état inconnu 'wrecked' (au choix : " in french
    assert "unknown" not in french
    english = _run(tmp_path, "init", "--scenario", scenario, lang="en")
    assert "assets.csv:3: site: unknown site 'Z'" in english
    assert "assets.csv:4: state: unknown lifecycle state 'wrecked' (one of: " in english
    assert not (tmp_path / "relance.db").exists()


def test_a_fhir_book_with_a_resource_without_id_is_refused_in_french(tmp_path: Path) -> None:
    _run(tmp_path, "init", "--scenario", SMALL, code=0)
    book = tmp_path / "book.ndjson"
    book.write_text('{"resourceType": "Patient", "name": [{"text": "X"}]}\n', encoding="utf-8")
    french = _run(tmp_path, "appointments", "import", book)
    assert "book.ndjson:1: Patient id: pas d'id : chaque ressource d'un agenda en demande un" in (
        french
    )
    english = _run(tmp_path, "appointments", "import", book, lang="en")
    assert "book.ndjson:1: Patient id: no id: every resource of a book needs one" in english


def test_a_damaged_backup_is_refused_in_french(tmp_path: Path) -> None:
    _run(tmp_path, "init", "--scenario", SMALL, code=0)
    made = json.loads(_run(tmp_path, "backup", "--out", tmp_path, "--json", code=0))
    backup = Path(made["file"])
    with tarfile.open(backup) as archive:
        payload = next(m for m in archive.getmembers() if m.name != "manifest.json")
    data = bytearray(backup.read_bytes())
    data[payload.offset_data + payload.size // 2] ^= 0x01
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    into = tmp_path / "restored"
    french = _run(tmp_path, "restore", damaged, "--into", into)
    assert f"{damaged}: {payload.name}: diffère du SHA-256 du manifeste : endommagé ou modifié" in (
        french
    )
    assert "differs" not in french
    english = _run(tmp_path, "restore", damaged, "--into", into, lang="en")
    assert "differs from the SHA-256 of the manifest: damaged or altered" in english
    assert not into.exists() or not any(into.iterdir())
    again = _run(tmp_path, "backup", "--out", backup)
    assert "existe déjà : une sauvegarde ne remplace jamais un fichier" in again


def test_an_encrypted_backup_without_its_key_is_refused_in_french(tmp_path: Path) -> None:
    pytest.importorskip("pyrage")
    from pyrage import x25519  # noqa: PLC0415 - only this test makes keys

    key = x25519.Identity.generate()
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(f"{key.to_public()}\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(f"{x25519.Identity.generate()}\n", encoding="utf-8")
    _run(tmp_path, "init", "--scenario", SMALL, code=0)
    made = _run(tmp_path, "backup", "--out", tmp_path, "--recipients", recipients, "--json", code=0)
    backup = Path(json.loads(made)["file"])
    into = tmp_path / "restored"
    french = _run(tmp_path, "restore", backup, "--into", into)
    assert f"{backup.name} est chiffré : donnez la clé privée d'un de ses destinataires" in french
    wrong = _run(tmp_path, "restore", backup, "--into", into, "--identity", other)
    assert "indéchiffrable avec cette clé" in wrong
    assert not into.exists() or not any(into.iterdir())


def test_a_kit_without_its_source_tree_is_refused_in_french(tmp_path: Path) -> None:
    args = ("kit", "build", "--out", tmp_path / "kit", "--source", tmp_path)
    french = _run(tmp_path, *args)
    assert f"{tmp_path} n'est pas l'arborescence source de relance" in french
    assert "indiquez-la avec --source" in french
    english = _run(tmp_path, *args, lang="en")
    assert f"{tmp_path} is not relance's source tree" in english
    assert not (tmp_path / "kit").exists()
