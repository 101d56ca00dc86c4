"""Each export as its tool writes it, awkward ones included, read into sightings."""

import base64
import json
import uuid
from pathlib import Path

import pytest

from relance.domain.errors import RejectedInput
from relance.domain.inventory import Fact, Tool
from relance.importers.inventory_files import ExportRead, Source, read_exports

GLPI10_FR = (
    '\ufeff"Nom";"Entité";"Numéro de série";"Lieu";"Type";"Ports réseau - Adresse MAC";\n'
    '"PC-001";"CHR > Marche";"CZC1";"Marche > Urgences";'
    + "\"Poste ''urgence''\";"
    + '"00:11:22:33:44:55\n00:11:22:33:44:66";\n'
    '"pc-002";"CHR > Arlon";"";"Arlon > Bloc";"Poste";"";\n'
)
GLPI11_EN = (
    '"Name","Entity","Serial number","Location","Operating System - Name"\r\n'
    '"SRV-01","CHR","X1","Marche > Salle serveurs","Windows Server ""2019"""\r\n'
)
AD_HEADER = (
    '"DistinguishedName","DNSHostName","Enabled","Name","ObjectClass","ObjectGUID",'
    '"SamAccountName","SID","UserPrincipalName"'
)
AD_ROWS = (
    '"CN=PC-001,OU=Unité de soins,OU=Marche,DC=chr,DC=be","pc-001.chr.be","True","PC-001",'
    '"computer","8f0a3c2e-1b1d-4c55-9d0e-5a1e2b3c4d5e","PC-001$","S-1-5-21-1-2-3-1001",""',
    '"CN=OLD-01,OU=Marche,DC=chr,DC=be","","False","OLD-01","computer",'
    '"1f0a3c2e-1b1d-4c55-9d0e-5a1e2b3c4d5e","OLD-01$","S-1-5-21-1-2-3-1002",""',
)
TYPE_LINE = "#TYPE Microsoft.ActiveDirectory.Management.ADComputer"


def _read(tmp_path: Path, name: str, data: bytes, source: Source | None = None) -> ExportRead:
    path = tmp_path / name
    path.write_bytes(data)
    return read_exports([path], source)[0]


def test_glpi_10_in_french_with_its_trailing_separator(tmp_path: Path) -> None:
    read = _read(tmp_path, "glpi.csv", GLPI10_FR.encode())
    assert read.kind == "GLPI computers"
    assert read.encoding == "UTF-8 with BOM"
    first, second = read.sightings
    assert (first.tool, first.name, first.serial, first.line) == (Tool.GLPI, "PC-001", "CZC1", 2)
    assert first.macs == ("00:11:22:33:44:55", "00:11:22:33:44:66")  # a quoted newline
    assert first.facts[Fact.LOCATION] == "Marche > Urgences"
    assert first.facts[Fact.TYPE] == "Poste ''urgence''"  # GLPI 10's quote, kept as written
    assert (second.line, second.hostname) == (4, "PC-002")


def test_glpi_11_in_english_with_crlf(tmp_path: Path) -> None:
    (one,) = _read(tmp_path, "glpi11.csv", GLPI11_EN.encode()).sightings
    assert one.facts[Fact.OS] == 'Windows Server "2019"'
    assert one.facts[Fact.LOCATION] == "Marche > Salle serveurs"


def _ad(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


def test_windows_powershell_5_utf16_with_its_type_line(tmp_path: Path) -> None:
    data = _ad(TYPE_LINE, AD_HEADER, *AD_ROWS).encode("utf-16")  # -Encoding Unicode: BOM, LE
    read = _read(tmp_path, "ad.csv", data)
    assert read.encoding == "UTF-16"
    (one,) = read.sightings  # the disabled account is left out
    assert (one.tool, one.hostname, one.line) == (Tool.AD, "PC-001", 3)
    assert one.facts[Fact.OU] == "OU=Unité de soins,OU=Marche,DC=chr,DC=be"
    assert one.guid == "8f0a3c2e-1b1d-4c55-9d0e-5a1e2b3c4d5e"


def test_windows_powershell_5_default_ascii_is_read_and_its_question_marks_noted(
    tmp_path: Path,
) -> None:
    data = _ad(TYPE_LINE, AD_HEADER, *AD_ROWS).encode("ascii", errors="replace")
    read = _read(tmp_path, "ad.csv", data)
    assert read.encoding == "ASCII"
    assert read.sightings[0].facts[Fact.OU].startswith("OU=Unit? de soins")
    assert any("-Encoding UTF8" in str(note) for note in read.notes)


@pytest.mark.parametrize(
    ("encoding", "said"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1252", "Windows-1252")],
)
def test_powershell_7_and_the_other_encodings(tmp_path: Path, encoding: str, said: str) -> None:
    text = _ad(AD_HEADER, *AD_ROWS)  # PowerShell 7: no #TYPE line
    read = _read(tmp_path, "ad.csv", text.encode(encoding), Source.AD)
    assert read.encoding == said
    assert read.sightings[0].facts[Fact.OU].startswith("OU=Unité de soins")
    assert read.sightings[0].line == 2


def test_defender_devices_with_empty_columns_and_an_isolated_tag_isolate_nothing(
    tmp_path: Path,
) -> None:
    text = (
        "Device Id,Device Name,Domain,OS Platform,Onboarding Status,Tags\r\n"
        "abc123,pc-001.chr.be,chr.be,,,isolated\r\n"
        "def456,pc-002.chr.be,,,,\r\n"
    )
    read = _read(tmp_path, "devices.csv", text.encode())
    assert read.kind == "Defender device inventory"
    assert [s.hostname for s in read.sightings] == ["PC-001", "PC-002"]
    assert all(s.isolation is None for s in read.sightings)
    assert read.sightings[0].device_id == "abc123"


def _action(kind: str, status: str, at: str, machine: str = "abc123") -> dict[str, str]:
    return {
        "id": "1",
        "type": kind,
        "status": status,
        "machineId": machine,
        "computerDnsName": "pc-001.chr.be",
        "creationDateTimeUtc": at,
        "lastUpdateDateTimeUtc": at,
    }


def test_only_succeeded_isolations_and_releases_count(tmp_path: Path) -> None:
    actions = [
        _action("Isolate", "Succeeded", "2022-05-14T04:15:09.1234567Z"),
        _action("Isolate", "Failed", "2022-05-14T05:00:00Z"),
        _action("RunAntiVirusScan", "Succeeded", "2022-05-14T05:00:00Z"),
        _action("Unisolate", "Pending", "2022-05-14T06:00:00Z"),
    ]
    data = json.dumps({"@odata.context": "x", "value": actions}).encode()
    read = _read(tmp_path, "actions.json", data)
    assert read.kind == "Defender machine actions"
    (one,) = read.sightings
    assert one.isolation is not None
    assert one.isolation.isolated
    assert one.isolation.at.isoformat() == "2022-05-14T04:15:09.123456+00:00"


def test_every_problem_of_every_file_is_named_and_nothing_is_kept(tmp_path: Path) -> None:
    bad_glpi = tmp_path / "glpi.csv"
    bad_glpi.write_text('"Nom";"Entité";\n"";"CHR";\n"PC 9";"CHR";\n', encoding="utf-8")
    unknown = tmp_path / "other.csv"
    unknown.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RejectedInput) as caught:
        read_exports([bad_glpi, unknown])
    said = [str(p) for p in caught.value.problems]
    assert said[0] == "glpi.csv:2: name: no machine name: name it in the tool, or drop the row"
    assert said[1].startswith("glpi.csv:3: name: 'PC 9'")
    assert said[2].startswith("other.csv:1: header: not an export relance knows")


def test_an_unclosed_quote_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "glpi.csv"
    path.write_text('"Nom";"Entité";\n"PC-1";"CHR;\n', encoding="utf-8")
    with pytest.raises(RejectedInput, match=r"glpi.csv:2: a quote"):
        read_exports([path])


def test_an_export_with_only_its_type_line_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "ad.csv"
    path.write_text(TYPE_LINE + "\r\n", encoding="ascii")
    with pytest.raises(RejectedInput, match=r"ad\.csv:1: the file is empty"):
        read_exports([path])


GUID = uuid.UUID("8f0a3c2e-1b1d-4c55-9d0e-5a1e2b3c4d5e")
OU_B64 = base64.b64encode("CN=PC-001,OU=Unité de soins,OU=Marche,DC=chr,DC=be".encode()).decode()
LDIF_PAGE = (
    "# extended LDIF\n#\n# LDAPv3\n# base <DC=chr,DC=be> with scope subtree\n#\n\n"
    f"# PC-001, Unité de soins, Marche, chr.be\ndn:: {OU_B64[:40]}\n {OU_B64[40:]}\n"
    "cn: PC-001\ndNSHostName: pc-001.chr.\n be\n"
    f"objectGUID:: {base64.b64encode(GUID.bytes_le).decode()}\n"
    "operatingSystem: Windows 10 Pro\nuserAccountControl: 4096\n\n"
    "dn: CN=OLD-1,OU=Marche,DC=chr,DC=be\ncn: OLD-1\nuserAccountControl: 4098\n\n"
)


def test_ldif_with_folded_lines_base64_values_and_two_pages(tmp_path: Path) -> None:
    second = "dn: CN=PC-002,OU=Arlon,DC=chr,DC=be\ncn: PC-002\nsAMAccountName: PC-002$\n\n"
    done = "# search result\nsearch: 2\nresult: 0 Success\n\n"
    text = LDIF_PAGE + done + second + done + "# numEntries: 3\n"
    read = _read(tmp_path, "computers.ldif", text.encode())
    assert read.kind == "directory computers (LDIF)"
    first, last = read.sightings  # the disabled account (4098) is left out
    assert (first.tool, first.hostname, first.guid) == (Tool.LDIF, "PC-001", str(GUID))
    assert first.facts[Fact.OU] == "OU=Unité de soins,OU=Marche,DC=chr,DC=be"
    assert last.hostname == "PC-002"


def test_ldif_cut_at_the_size_limit_is_refused_as_incomplete(tmp_path: Path) -> None:
    text = LDIF_PAGE + "# search result\nsearch: 2\nresult: 4 Size limit exceeded\n"
    path = tmp_path / "computers.ldif"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RejectedInput, match=r"computers\.ldif:\d+: result: the search stopped"):
        read_exports([path])
