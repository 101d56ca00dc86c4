"""Scenario files: the reference loads; every mistake is located by file, line and key path."""

from pathlib import Path

import pytest
import yaml

from relance.app.network import summarise
from relance.domain.errors import RejectedInput
from relance.domain.network import AssetKind
from relance.importers.scenario import load_scenario
from tests.conftest import SCENARIO

SMALL = Path(__file__).parent.parent / "data/small.yaml"


def test_the_reference_scenario_has_the_vivalia_counts() -> None:
    summary = summarise(load_scenario(SCENARIO).network)
    assert (summary.servers, summary.workstations) == (200, 1500)
    hospitals = {s.code for s in load_scenario(SCENARIO).network.sites if s.kind == "hospital"}
    assert hospitals == {"ARL", "MAR", "LIB", "BAS", "VIR"}


def test_the_same_seed_gives_the_same_network() -> None:
    first, second = load_scenario(SCENARIO), load_scenario(SCENARIO)
    assert first.network.assets == second.network.assets
    assert first.sha256 == second.sha256


def test_shares_become_counts_per_site() -> None:
    network = load_scenario(SMALL).network
    radiology = next(a for a in network.activities if a.code == "radiology")
    assert radiology.machines[0].kind is AssetKind.MEDICAL_DEVICE
    assert radiology.machines[0].count == 2
    care = next(a for a in network.activities if a.code == "care")
    assert care.machines[0].count == 3


def _variant(tmp_path: Path, change: str, old: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "scenario.yaml"
    path.write_text(text.replace(old, change, 1), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(RejectedInput) as caught:
        load_scenario(path)
    return [str(p) for p in caught.value.problems]


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_missing_key_names_its_path_and_line(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "  - code: A\n    kind: hospital",
        "  - code: A\n    name: Hospital A\n    kind: hospital",
    )
    assert _problems(path) == [
        f"scenario.yaml:{_line(path, '- code: A')}: sites[0].name: Field required"
    ]


def test_a_cycle_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, "depends_on: [DPI]}", "depends_on: [NET]}")
    (problem,) = _problems(path)
    assert "dependency cycle AD -> DPI -> AD" in problem
    assert problem.startswith(f"scenario.yaml:{_line(path, 'code: AD')}: services[1].depends_on")


def test_an_unknown_site_is_named(tmp_path: Path) -> None:
    path = _variant(tmp_path, "sites: [Z]", "sites: [B]")
    (problem,) = _problems(path)
    assert (
        problem
        == f"scenario.yaml:{_line(path, 'sites: [Z]')}: activities[2].sites[0]: unknown site 'Z'"
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _variant(tmp_path, "services: [PAX]", "services: [PACS]")
    path.write_text(
        path.read_text().replace(
            "site: A, department: URG, count: 4", "site: A, department: ICU, count: 4"
        )
    )
    problems = _problems(path)
    assert any("unknown service 'PAX'" in p for p in problems)
    assert any("site A has no department 'ICU'" in p for p in problems)


def test_a_share_of_nothing_is_refused(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "{kind: workstation, department: RAD, share: 1.0}",
        "{kind: medical_device, department: RAD, share: 1.0}",
    )
    (problem,) = _problems(path)
    assert "A needs a share of workstation in RAD but has 0" in problem


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("format: relance-scenario/1\nsites: [\n  {code: A\n")
    (problem,) = _problems(path)
    assert problem.startswith("scenario.yaml:3:")  # where the map opens, not where the file ends
    assert "invalid YAML syntax, column 3: a map in { } is not closed" in problem


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "nowhere.yaml")
    assert problem.endswith("nowhere.yaml: file not found")


def test_assets_from_a_csv(tmp_path: Path) -> None:
    data = yaml.safe_load(SMALL.read_text())
    data["assets"] = {"csv": "assets.csv"}
    data["activities"] = []
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "assets.csv").write_text(
        "hostname;kind;site;department;role;services\n"
        "a-srv-ad-1;server;A;;domain controller;AD|NET\n"
        "\n"
        "A-URG-PC1;workstation;A;URG;nurse station;\n"
    )
    network = load_scenario(tmp_path / "scenario.yaml").network
    assert [a.hostname for a in network.assets] == ["A-SRV-AD-1", "A-URG-PC1"]
    assert network.assets[0].services == ("AD", "NET")


def test_bad_csv_rows_are_all_reported_with_their_line(tmp_path: Path) -> None:
    data = yaml.safe_load(SMALL.read_text())
    data["assets"] = {"csv": "assets.csv"}
    data["activities"] = []
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "assets.csv").write_text(
        "hostname,kind,site,department,services\n"
        "H1,server,A,,AD\n"
        "H2,laptop,A,URG,\n"
        "h1,workstation,A,URG,\n"
        "H3,workstation,Q,URG,\n"
        "H4,workstation,A,URG,AD,NET\n"
    )
    problems = _problems(tmp_path / "scenario.yaml")
    assert problems == [
        "assets.csv:3: kind: unknown kind 'laptop' (one of: server, workstation, medical_device)",
        "assets.csv:4: hostname: H1 already on line 2",
        "assets.csv:5: site: unknown site 'Q'",
        "assets.csv:6: 6 values for 5 columns (separator ',')",
    ]


def test_only_servers_host_services(tmp_path: Path) -> None:
    data = yaml.safe_load(SMALL.read_text())
    data["assets"] = {"csv": "assets.csv"}
    data["activities"] = []
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "assets.csv").write_text(
        "hostname,kind,site,department,services\nPC1,workstation,A,URG,AD\n"
    )
    assert _problems(tmp_path / "scenario.yaml") == [
        "assets.csv:2: services: only servers host services; PC1 is a workstation"
    ]


def test_the_organisation_is_required_and_its_sender_fits_a_phone(tmp_path: Path) -> None:
    block = (
        "organisation:\n  name: Small hospitals\n  short_name: Small\n"
        "  patient_line: 081 00 00 00\n  sms_sender: Small\n"
    )
    assert _problems(_variant(tmp_path, "", block)) == [
        "scenario.yaml:2: organisation: Field required"  # at the top level, line 2
    ]
    long = _variant(tmp_path, "sms_sender: Small hospitals", "sms_sender: Small")
    (problem,) = _problems(long)
    assert "organisation.sms_sender" in problem
    assert problem.startswith(f"scenario.yaml:{_line(long, 'sms_sender')}")


def test_a_translation_of_a_word_the_file_does_not_have_is_a_typo(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    text = SMALL.read_text(encoding="utf-8")
    path.write_text(text + "translations:\n  nl: {Emergency: Spoed, Emergncy: Spoed}\n", "utf-8")
    (problem,) = _problems(path)
    assert "translations.nl.Emergncy: 'Emergncy' is not a name in this file" in problem
    network = load_scenario(_variant(tmp_path, "", "")).network
    assert network.organisation is not None
    assert network.organisation.patient_line == "081 00 00 00"


def test_the_reference_scenario_names_vivalia_and_its_sites() -> None:
    network = load_scenario(SCENARIO).network
    assert network.organisation is not None
    assert (network.organisation.name, network.organisation.sms_sender) == ("Vivalia", "Vivalia")
    shorts = {s.code: s.short for s in network.sites}
    assert shorts["POL"] == "Vielsalm"
    assert "Maison de repos et de soins 1" not in {s.name for s in network.sites}
    labs = sorted(a.site for a in network.activities if a.code == "labs")
    assert labs == ["ARL", "LIB", "MAR"]  # three lab sites, as in the record
    assert network.translations["nl"]["Arlon"] == "Aarlen"
