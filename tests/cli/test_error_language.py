"""The IT team's errors and the importers' problems in the reader's language (issue 12).

Each refusal names the file, the line and the field, says what to do in French by default
and in English with RELANCE_LANG=en, exits with 2 and writes nothing; the JSON a script
reads keeps the English message."""

import errno
import json
import os
import tarfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from relance.cli.main import app
from relance.domain.errors import RejectedInput
from relance.domain.os_errors import os_reason
from relance.domain.treatments import InvalidTiming, PeriodUnit, TimingRule
from relance.i18n import Texts
from relance.importers import inventory_samples, located_yaml

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


def test_broken_yaml_is_said_in_french_at_the_line_its_bracket_opens(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("format: relance-scenario/1\nsites: [\n  {code: A\n", encoding="utf-8")
    french = _run(tmp_path, "init", "--scenario", scenario)
    assert "scenario.yaml:3: syntaxe YAML invalide, colonne 3 : un dictionnaire entre { }" in french
    for english in ("YAML syntax", "not closed", "expected", "flow mapping", "while parsing"):
        assert english not in french
    english = _run(tmp_path, "init", "--scenario", scenario, lang="en")
    assert "scenario.yaml:3: invalid YAML syntax, column 3: a map in { } is not closed" in english
    assert not (tmp_path / "relance.db").exists()


# Text a hand typing YAML may produce: indents, tabs, quotes, brackets, colons, anchors, tags.
YAMLISH = st.text(alphabet=" \t\n:-[]{}'\",&*!#|>?%@abc1", max_size=40)
PARSER_WORDS = ("while ", "expected", "found", "could not", "mapping", "scalar", "token")


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_any_yaml_is_read_or_refused_with_a_french_reason(text: str) -> None:
    """Whatever is typed, a refusal says where and why in French, none of PyYAML's English."""
    try:
        located_yaml.load(text, "scenario.yaml")
    except RejectedInput as error:
        (problem,) = error.problems
        said = Texts("fr").error(problem)
        assert said.startswith("scenario.yaml")
        assert not any(word in said for word in PARSER_WORDS), (text, said)


@pytest.mark.parametrize(
    ("number", "french"),
    [
        (errno.ENOENT, "fichier ou dossier introuvable"),
        (errno.EACCES, "permission refusée : demandez les droits"),
        (errno.ENOSPC, "le disque est plein : libérez de la place"),
        (errno.EROFS, "disque en lecture seule"),
        (errno.EISDIR, "un dossier, là où un fichier est attendu"),
    ],
)
def test_the_systems_file_errors_are_said_in_french(number: int, french: str) -> None:
    error = OSError(number, os.strerror(number), "rapport.pdf")
    reason = os_reason(error)
    assert french in Texts("fr").error(reason)
    assert os.strerror(number) not in Texts("fr").error(reason)
    assert Texts("en").error(reason) == str(reason)


def test_a_system_error_the_table_does_not_know_keeps_its_own_words() -> None:
    reason = os_reason(OSError(errno.EBUSY, os.strerror(errno.EBUSY)))
    assert Texts("fr").error(reason) == os.strerror(errno.EBUSY)


def test_a_snapshot_folder_that_is_not_one_is_refused_in_french(tmp_path: Path) -> None:
    folder = tmp_path / "snapshot"
    folder.mkdir()
    missing = _run(tmp_path, "snapshot", "verify", folder)
    assert "manifest.json: pas de manifeste : ce n'est pas un instantané" in missing
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    damaged = _run(tmp_path, "snapshot", "verify", folder)
    assert "manifeste endommagé (pas du JSON) : refaites l'instantané" in damaged
    (folder / "manifest.json").write_text('{"format": "other/1"}', encoding="utf-8")
    other = _run(tmp_path, "snapshot", "verify", folder)
    assert "format: pas un manifeste relance-snapshot/1" in other
    for said in (missing, damaged, other):
        assert "manifest:" not in said
        assert "not a" not in said
    assert "not a relance-snapshot/1 manifest" in _run(
        tmp_path, "snapshot", "verify", folder, lang="en"
    )


def test_a_technicians_report_without_reasons_is_refused_in_french(tmp_path: Path) -> None:
    _run(tmp_path, "init", "--scenario", SMALL, code=0)
    report = tmp_path / "states.csv"
    report.write_text(
        "hostname,state,reason\nA-SRV-AD-01,isolated,\nA-SRV-NET-01,isolated,cut\n"
        "A-SRV-NET-01,isolated,cut\n",
        encoding="utf-8",
    )
    french = _run(tmp_path, "assets", "import-states", report)
    assert "states.csv:2: reason: A-SRV-AD-01: dites pourquoi (--reason) : chaque changement" in (
        french
    )
    assert "states.csv:4: hostname: A-SRV-NET-01 figure déjà ligne 3" in french
    for english in ("say why", "already on line", "audit trail"):
        assert english not in french
    english = _run(tmp_path, "assets", "import-states", report, lang="en")
    assert "A-SRV-AD-01: say why (--reason): every move is kept in the audit trail" in english


RULES = st.fixed_dictionaries(
    {},
    optional={
        "frequency": st.integers(-2, 200),
        "period": st.floats(-1, 10) | st.just(float("nan")),
        "period_unit": st.sampled_from(PeriodUnit),
        "when": st.lists(st.sampled_from(["MORN", "HS", "LATE", "C"]), max_size=2).map(tuple),
        "times_of_day": st.lists(st.times(), max_size=2).map(tuple),
        "offset_minutes": st.integers(-30, 30),
        "days_of_week": st.lists(st.integers(-1, 8), max_size=2).map(tuple),
        "count": st.integers(-1, 3),
    },
)
TIMING_WORDS = ("must be", "without", "give ", "unknown", "times per", "doses a day", "both")


@settings(max_examples=300, deadline=None)
@given(RULES)
def test_a_timing_rule_that_cannot_be_used_says_why_in_french(fields: dict[str, object]) -> None:
    """What the ward sheet prints beside an order it cannot schedule: the sheet's language."""
    fault = _timing_fault(fields)
    if fault is not None:
        french = Texts("fr").error(fault)
        assert french != str(fault)
        assert not any(word in french for word in TIMING_WORDS), (fields, french)


def _timing_fault(fields: dict[str, object]) -> InvalidTiming | None:
    try:
        TimingRule(**fields)  # type: ignore[arg-type]  # Hypothesis draws each field's type
    except InvalidTiming as error:
        return error
    return None


def test_an_unknown_timing_code_is_said_in_french() -> None:
    with pytest.raises(InvalidTiming) as refused:
        TimingRule.from_code("FORTNIGHTLY")
    french = Texts("fr").error(refused.value)
    assert french.startswith("code de rythme inconnu 'FORTNIGHTLY' (connus : QD, BID, ")


def test_what_an_export_is_and_its_notes_are_said_in_french(tmp_path: Path) -> None:
    files = inventory_samples.write(tmp_path, inventory_samples.hospital(6))
    (tmp_path / "mapping.yaml").write_text(inventory_samples.mapping(), encoding="utf-8")
    ad = next(f for f in files if f.name.startswith("ad-"))
    text = ad.read_bytes().decode("utf-8-sig")  # as Windows PowerShell 5.1 writes it: ASCII
    ad.write_bytes(text.encode("ascii", errors="replace"))
    args = ("inventory", "import", *files, "--mapping", tmp_path / "mapping.yaml", "--dry-run")
    french = _run(tmp_path, *args, code=0)
    assert "ordinateurs GLPI, UTF-8 avec BOM" in french
    assert "ordinateurs Active Directory (Export-Csv), ASCII" in french
    assert "'?' dans ses noms : Windows PowerShell 5.1 a écrit les lettres accentuées en '?'" in (
        french
    )
    for english in ("GLPI computers", "with BOM", "accented letters", "Defender device"):
        assert english not in french
    plan = json.loads(_run(tmp_path, *args, "--json", code=0))  # scripts read the English
    assert {f["kind"] for f in plan["files"]} >= {"GLPI computers", "Defender machine actions"}
    assert any("accented letters" in note for f in plan["files"] for note in f["notes"])
