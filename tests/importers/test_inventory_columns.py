"""Any inventory's CSV, read by the columns its mapping names."""

from pathlib import Path

import pytest

from relance.domain.errors import RejectedInput
from relance.domain.inventory import Fact, Tool, reconcile
from relance.importers.inventory_files import Source, read_exports

SHEET = (
    "\ufeffMachine\tSerial\tMACs\tCampus\tIP\r\n"
    'PC-1\tCZC1\t"00:11:22:33:44:55\n00:11:22:33:44:66"\tMarche\t10.20.0.1\r\n'
    "PC 2\tCZC2\t\tArlon\t\r\n"
)
COLUMNS = {"hostname": "machine", "serial": "SERIAL", "mac": "MACs", "site": "Campus", "ip": "IP"}


def test_the_named_columns_are_read_and_a_bad_name_is_named_with_its_line(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text(SHEET, encoding="utf-8")
    with pytest.raises(RejectedInput) as refused:
        read_exports([sheet], Source.CSV, COLUMNS)
    (problem,) = refused.value.problems
    assert (problem.source, problem.line, problem.field) == ("sheet.tsv", 4, "name")
    sheet.write_text(SHEET.replace("PC 2", "PC-2"), encoding="utf-8")
    (read,) = read_exports([sheet], Source.CSV, COLUMNS)
    first, second = read.sightings
    assert (first.tool, first.hostname, first.serial) == (Tool.CSV, "PC-1", "CZC1")
    assert first.macs == ("00:11:22:33:44:55", "00:11:22:33:44:66")
    assert (first.facts[Fact.SITE], first.facts[Fact.IP]) == ("Marche", "10.20.0.1")
    assert second.line == 4  # the quoted newline counted


def test_a_sheet_and_glpi_meet_on_a_mac_address(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text(SHEET.replace("PC 2", "PC-2"), encoding="utf-8")
    glpi = tmp_path / "glpi.csv"
    glpi.write_text('"Nom";"Entité";"Adresse MAC"\n"UNKNOWN-7";"CHR";"00:11:22:33:44:66"\n')
    sightings = [s for r in read_exports([sheet], Source.CSV, COLUMNS) for s in r.sightings]
    sightings += [s for r in read_exports([glpi]) for s in r.sightings]
    machines = reconcile(sightings)
    assert len(machines) == 2
    (met,) = [m for m in machines if len(m.sightings) == 2]
    assert met.names == ["PC-1", "UNKNOWN-7"]
    assert met.hostname == "UNKNOWN-7"  # GLPI's name: an inventory relance knows comes first


def test_no_columns_in_the_mapping_says_how_to_get_them(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text(SHEET, encoding="utf-8")
    with pytest.raises(RejectedInput) as refused:
        read_exports([sheet], Source.CSV)
    assert "relance inventory mapping --source csv" in refused.value.problems[0].message
