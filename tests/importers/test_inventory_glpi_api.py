"""GLPI's REST API answer for computers, as `apirest.php/Computer/` writes it."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from relance.domain.errors import RejectedInput
from relance.domain.inventory import Fact, Tool, reconcile
from relance.importers.inventory_files import ExportRead, read_exports


def _computer(number: int, name: str, **fields: object) -> dict[str, object]:
    computer: dict[str, object] = {
        "id": number,
        "entities_id": "Entité racine > CHR",
        "name": name,
        "serial": f"CZC{number}",
        "otherserial": None,
        "contact": "",
        "users_id_tech": "&nbsp;",
        "comment": "",
        "date_mod": "2022-05-10 09:33:41",
        "autoupdatesystems_id": "GLPI Native Inventory",
        "locations_id": "Marche &gt; Urgences",
        "computermodels_id": "OptiPlex 7090",
        "computertypes_id": "Poste",
        "is_template": 0,
        "manufacturers_id": "Dell Inc.",
        "is_deleted": 0,
        "is_dynamic": 1,
        "states_id": "&nbsp;",
        "uuid": "4C4C4544-0032-3010-8033-B4C04F4B3232",
        "links": [{"rel": "Entity", "href": "http://glpi.chr.example/apirest.php/Entity/0"}],
    }
    return computer | fields


def _read(tmp_path: Path, answer: object) -> list[ExportRead]:
    path = tmp_path / "glpi-computers.json"
    path.write_text(json.dumps(answer, indent=3), encoding="utf-8")
    return read_exports([path])


def test_the_computers_with_expanded_dropdowns(tmp_path: Path) -> None:
    answer = [
        _computer(34, "PC-URG-01"),
        _computer(35, "pc-bin", is_deleted=1),  # in GLPI's trash
        _computer(36, "", is_template=1, template_name="Poste standard"),
        _computer(37, "SRV-PACS-01", locations_id=" ", operatingsystems_id="Windows Server"),
    ]
    (read,) = _read(tmp_path, answer)
    assert read.kind == "GLPI API computers"
    first, second = read.sightings
    assert (first.tool, first.hostname, first.serial, first.line) == (
        Tool.GLPI,
        "PC-URG-01",
        "CZC34",
        1,
    )
    assert first.facts[Fact.LOCATION] == "Marche > Urgences"  # "&gt;" as older GLPI writes it
    assert first.facts[Fact.ENTITY] == "Entité racine > CHR"
    assert first.facts[Fact.TYPE] == "Poste"
    assert first.dated == datetime(2022, 5, 10, 9, 33, 41)  # noqa: DTZ001 - GLPI's server time
    assert Fact.LOCATION not in second.facts  # an empty dropdown
    assert second.facts[Fact.OS] == "Windows Server"


def test_dropdowns_as_numbers_are_refused_saying_how_to_ask(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput) as refused:
        _read(tmp_path, [_computer(34, "PC-1", entities_id=0, locations_id=3)])
    (problem,) = refused.value.problems
    assert problem.field == "entities_id"
    assert "expand_dropdowns=true" in problem.message


def test_a_computer_without_a_name_is_named_by_its_place(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput) as refused:
        _read(tmp_path, [_computer(34, "PC-1"), _computer(35, "PC 2")])
    (problem,) = refused.value.problems
    assert (problem.source, problem.field) == ("glpi-computers.json", "[2].name")


def test_the_default_page_of_fifty_gets_a_note(tmp_path: Path) -> None:
    (read,) = _read(tmp_path, [_computer(n, f"PC-{n}") for n in range(50)])
    assert any("range=0-99999" in str(note) for note in read.notes)


def test_the_api_and_the_csv_export_of_one_glpi_are_one_machine_each(tmp_path: Path) -> None:
    csv = tmp_path / "glpi.csv"
    csv.write_text('"Nom";"Entité";"Numéro de série"\n"PC-URG-01";"CHR";"CZC34"\n')
    api = tmp_path / "glpi.json"
    api.write_text(json.dumps([_computer(34, "pc-urg-01")]))
    (machine,) = reconcile(s for r in read_exports([csv, api]) for s in r.sightings)
    assert len(machine.sightings) == 2


def test_a_modification_date_that_is_no_date_is_named(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput) as refused:
        _read(tmp_path, [_computer(34, "PC-1", date_mod="10/05/2022")])
    assert refused.value.problems[0].field == "[1].date_mod"
