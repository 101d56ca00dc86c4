"""The same exports in any order give the same machines: none lost, none doubled."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.domain.inventory import reconcile
from relance.importers.inventory_files import Source, read_exports

MACHINES = 12


def _files(directory: Path) -> list[Path]:
    """One machine set as five tools see it, each knowing some machines by another key."""
    glpi = ['"Nom";"Entité";"Numéro de série";"Ports réseau - Adresse MAC";']
    glpi += [f'"PC-{n}";"CHR";"SER{n}";"00:00:5e:00:01:{n:02x}";' for n in range(0, MACHINES, 2)]
    ad = ['"DistinguishedName","DNSHostName","Enabled","Name","ObjectGUID"']
    ad += [
        f'"CN=PC-{n},OU=Marche,DC=chr,DC=be","pc-{n}.chr.be","True","PC-{n}","guid-{n}"'
        for n in range(MACHINES)
    ]
    netbox = {
        "count": MACHINES // 2,
        "next": None,
        "previous": None,
        "results": [
            {"name": f"pc-{n}", "serial": f"SER{n}", "site": {"name": "Marche"}}
            for n in range(1, MACHINES, 2)
        ],
    }
    sheet = ["Machine;Serial;MAC"] + [
        f"NEW-NAME-{n};SER{n};00-00-5E-00-01-{n:02X}" for n in range(MACHINES)
    ]
    written = {
        "glpi.csv": "\n".join(glpi) + "\n",
        "ad.csv": "\r\n".join(ad) + "\r\n",
        "netbox.json": json.dumps(netbox),
        "sheet.csv": "\r\n".join(sheet) + "\r\n",
    }
    paths = []
    for name, text in written.items():
        (directory / name).write_text(text, encoding="utf-8")
        paths.append(directory / name)
    return paths


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _files(tmp_path_factory.mktemp("exports"))


COLUMNS = {"hostname": "Machine", "serial": "Serial", "mac": "MAC"}


def _machines(paths: list[Path]) -> list[tuple[str, int]]:
    known = [p for p in paths if p.name != "sheet.csv"]
    sheet = [p for p in paths if p.name == "sheet.csv"]
    read = read_exports(known) + read_exports(sheet, Source.CSV, COLUMNS)
    return [(m.hostname, len(m.sightings)) for m in reconcile(s for r in read for s in r.sightings)]


@settings(max_examples=25, deadline=None)  # each example reads the files again
@given(st.data())
def test_any_order_of_the_files_gives_the_same_machines(
    files: list[Path], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(files))
    machines = _machines(list(order))
    assert machines == _machines(files)
    assert sorted(name for name, _ in machines) == sorted(f"PC-{n}" for n in range(MACHINES))
    assert all(seen == 3 for _, seen in machines)  # the directory, an inventory, the sheet
