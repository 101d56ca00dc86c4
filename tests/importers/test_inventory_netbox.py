"""NetBox's devices and virtual machines, as its list export and its REST API write them."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from relance.domain.errors import RejectedInput
from relance.domain.inventory import Fact, Tool, place, reconcile
from relance.importers.inventory_files import ExportRead, Source, read_exports
from relance.importers.inventory_mapping import read as read_mapping
from relance.importers.inventory_mapping import starter

# The device list's "Export > Current view" with NetBox's default columns (django-tables2's CSV:
# the columns' titles, values as shown, CRLF).
DEVICES_VIEW = (
    "Name,Status,Tenant,Site,Location,Rack,Role,Manufacturer,Type,IP Address\r\n"
    "PC-URG-01,Active,CHR,Marche,Urgences,,Poste de travail,Dell,OptiPlex 7090,10.20.1.5/24\r\n"
    "srv-pacs-01,Active,CHR,Libramont,Salle serveurs,R1,PACS,HPE,ProLiant DL380,10.30.0.10/16\r\n"
)
# The virtual machine list's "Export > All data": every column of the table.
VMS_ALL = (
    "ID,Name,Status,Site,Cluster,Role,Tenant,Platform,vCPUs,Memory (MB),Disk (GB),"
    "IP Address,IPv4 Address,IPv6 Address,Description,Comments,Tags\r\n"
    '7,vm-dpi-01,Active,Arlon,"Cluster ""A""",Serveur applicatif,CHR,Windows Server 2019,4,'
    '16384,200,10.40.0.7/24,10.40.0.7/24,,"DPI, production","line one\nline two",\r\n'
)


def _device(number: int, name: str | None, site: str = "Marche") -> dict[str, object]:
    return {
        "id": number,
        "url": f"https://netbox.chr.example/api/dcim/devices/{number}/",
        "display": name or f"Device {number}",
        "name": name,
        "device_type": {"id": 1, "display": "OptiPlex 7090", "model": "OptiPlex 7090"},
        "role": {"id": 2, "display": "Poste de travail", "name": "Poste de travail"},
        "tenant": None,
        "platform": {"id": 3, "display": "Windows 11", "name": "Windows 11"},
        "serial": f"CZC{number:04}",
        "site": {"id": 4, "display": site, "name": site, "slug": site.lower()},
        "location": None,
        "status": {"value": "active", "label": "Active"},
        "primary_ip": {"id": 9, "family": 4, "address": f"10.20.0.{number}/24"},
        "last_updated": "2022-05-13T17:02:11.123456Z",
    }


def _page(devices: list[dict[str, object]], count: int, offset: int) -> bytes:
    base = "https://netbox.chr.example/api/dcim/devices/?limit=2"
    later = offset + len(devices)
    answer = {
        "count": count,
        "next": f"{base}&offset={later}" if later < count else None,
        "previous": f"{base}&offset={offset - 2}" if offset else None,
        "results": devices,
    }
    return json.dumps(answer, indent=4).encode()


def _read(
    tmp_path: Path, files: dict[str, bytes], source: Source | None = None
) -> list[ExportRead]:
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    return read_exports(paths, source)


def test_the_device_list_export_of_the_current_view(tmp_path: Path) -> None:
    (read,) = _read(tmp_path, {"netbox_devices.csv": DEVICES_VIEW.encode()})
    assert read.kind == "NetBox devices or virtual machines"
    first, second = read.sightings
    assert (first.tool, first.hostname, first.line) == (Tool.NETBOX, "PC-URG-01", 2)
    assert first.facts[Fact.SITE] == "Marche"
    assert first.facts[Fact.LOCATION] == "Urgences"
    assert first.facts[Fact.TENANT] == "CHR"
    assert first.facts[Fact.ROLE] == "Poste de travail"
    assert first.facts[Fact.TYPE] == "OptiPlex 7090"
    assert first.facts[Fact.IP] == "10.20.1.5"  # without its prefix length
    assert second.facts[Fact.ROLE] == "PACS"


def test_the_virtual_machine_export_of_all_data(tmp_path: Path) -> None:
    data = VMS_ALL.encode("utf-8-sig")
    (read,) = _read(tmp_path, {"netbox_virtual_machines.csv": data})
    (vm,) = read.sightings
    assert (vm.hostname, vm.facts[Fact.SITE], vm.facts[Fact.OS]) == (
        "VM-DPI-01",
        "Arlon",
        "Windows Server 2019",
    )
    assert vm.facts[Fact.IP] == "10.40.0.7"


def test_every_page_of_the_api_is_one_listing(tmp_path: Path) -> None:
    pages = {
        "devices-1.json": _page([_device(1, "pc-1"), _device(2, "pc-2")], 3, 0),
        "devices-2.json": _page([_device(3, "pc-3", "Arlon")], 3, 2),
    }
    read = _read(tmp_path, pages)
    sightings = [s for r in read for s in r.sightings]
    assert [s.hostname for s in sightings] == ["PC-1", "PC-2", "PC-3"]
    third = sightings[2]
    assert (third.serial, third.facts[Fact.SITE], third.facts[Fact.IP]) == (
        "CZC0003",
        "Arlon",
        "10.20.0.3",
    )
    assert third.facts[Fact.ROLE] == "Poste de travail"
    assert third.facts[Fact.OS] == "Windows 11"
    assert read[0].newest == datetime(2022, 5, 13, 17, 2, 11)  # noqa: DTZ001 - as written


def test_a_missing_page_refuses_the_listing(tmp_path: Path) -> None:
    pages = {"devices-1.json": _page([_device(1, "pc-1"), _device(2, "pc-2")], 3, 0)}
    with pytest.raises(RejectedInput) as refused:
        _read(tmp_path, pages)
    (problem,) = refused.value.problems
    assert (problem.source, problem.field) == ("devices-1.json", "next")
    assert "2 of the 3 objects of /api/dcim/devices/" in problem.message


def test_netbox_before_3_6_names_the_role_device_role(tmp_path: Path) -> None:
    device = _device(1, "pc-1")
    device["device_role"] = device.pop("role")
    (read,) = _read(tmp_path, {"devices.json": _page([device], 1, 0)})
    assert read.sightings[0].facts[Fact.ROLE] == "Poste de travail"


def test_an_unnamed_device_is_refused_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(RejectedInput) as refused:
        _read(tmp_path, {"devices.json": _page([_device(1, "pc-1"), _device(2, None)], 2, 0)})
    (problem,) = refused.value.problems
    assert (problem.source, problem.field) == ("devices.json", "results[2].name")


def test_a_netbox_export_without_its_telling_columns_is_read_when_named(tmp_path: Path) -> None:
    data = b"Name,Site,Serial number\r\nPC-1,Marche,CZC1\r\n"
    with pytest.raises(RejectedInput):
        _read(tmp_path, {"devices.csv": data})
    (read,) = _read(tmp_path, {"devices.csv": data}, Source.NETBOX)
    assert read.sightings[0].serial == "CZC1"


def test_the_starter_mapping_has_a_site_per_netbox_site(tmp_path: Path) -> None:
    (read,) = _read(tmp_path, {"netbox_devices.csv": DEVICES_VIEW.encode()})
    text = starter(reconcile(read.sightings))
    assert "site: ^Marche$" in text
    assert "site: ^Libramont$" in text


def test_netbox_and_glpi_sightings_of_one_machine_are_one_machine(tmp_path: Path) -> None:
    glpi = '"Nom";"Entité";"Numéro de série";"Lieu"\n"PC-1";"CHR";"CZC0001";"Marche"\n'
    read = _read(
        tmp_path,
        {"glpi.csv": glpi.encode(), "devices.json": _page([_device(1, "pc-1.chr.example")], 1, 0)},
    )
    (machine,) = reconcile(s for r in read for s in r.sightings)
    assert {s.tool for s in machine.sightings} == {Tool.GLPI, Tool.NETBOX}


def test_a_rule_on_the_netbox_site_places_the_machine(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "sites:\n"
        "  - {code: MARCHE, name: Hôpital de Marche, kind: hospital}\n"
        "site:\n"
        '  - {site: "^Marche$", value: MARCHE}\n'
        "role:\n"
        '  - {role: "^PACS$", value: PACS}\n',
        encoding="utf-8",
    )
    _, rules = read_mapping(mapping)
    (read,) = _read(tmp_path, {"netbox_devices.csv": DEVICES_VIEW.encode()})
    marche, libramont = reconcile(read.sightings)  # by name: PC-URG-01, SRV-PACS-01
    placed, conflicts = place(marche, rules)
    assert placed is not None
    assert (placed.site, conflicts) == ("MARCHE", [])
    assert place(libramont, rules)[0] is None  # no rule for Libramont: a conflict, not a guess
