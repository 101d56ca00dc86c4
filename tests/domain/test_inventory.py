"""Reconciliation and placement: one machine per machine, whatever the files and their order."""

import random
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.inventory import (
    Fact,
    InventoryMapping,
    Isolation,
    Placed,
    Rule,
    Sighting,
    Tool,
    place,
    reconcile,
)
from relance.domain.network import AssetKind

MAPPING = InventoryMapping(
    rules={
        Placed.SITE: (
            Rule(Fact.LOCATION, "^Marche", "MARCHE"),
            Rule(Fact.OU, "OU=Arlon,DC=", "ARLON"),
            Rule(Fact.IP, "10.20.0.0/16", "MARCHE"),
        ),
        Placed.DEPARTMENT: (Rule(Fact.OU, "^OU=Unite de soins,", "SI"),),
        Placed.KIND: (Rule(Fact.OS, "server", "server"),),
    },
    departments=frozenset({("MARCHE", "SI"), ("ARLON", "SI")}),
    sites=frozenset({"MARCHE", "ARLON"}),
)


def _variants(n: int) -> list[str]:
    """The names tools give machine n: short, FQDN, NetBIOS account, any case."""
    return [f"PC-{n}", f"pc-{n}.chr.be", f"PC-{n}$", f"Pc-{n}"]


@st.composite
def exports(draw: st.DrawFn) -> tuple[int, list[Sighting]]:
    """Sightings of up to 30 machines in up to five files: the first sighting of a machine
    carries every identifier, the others only one of them (a name variant, the serial, the MAC
    address or the directory GUID)."""
    machines = draw(st.integers(1, 30))
    sightings: list[Sighting] = []
    for n in range(machines):
        files = sorted(draw(st.sets(st.sampled_from(list(Tool)), min_size=1)))
        keys = {
            "name": draw(st.sampled_from(_variants(n))),
            "serial": f"SER{n}",
            "macs": (f"00:00:5e:00:{n // 256:02x}:{n % 256:02x}",),
            "guid": f"guid-{n}",
        }
        for index, tool in enumerate(files):
            if index:
                by = draw(st.sampled_from(sorted(keys)))
                carried = {by: keys[by] if by != "name" else draw(st.sampled_from(_variants(n)))}
            else:
                carried = keys
            sightings.append(Sighting(f"{tool.value}.csv", n + 2, tool, **carried))  # type: ignore[arg-type]
    return machines, sightings


@given(exports(), st.randoms())
def test_no_machine_lost_or_doubled_whatever_the_order(
    found: tuple[int, list[Sighting]], rng: random.Random
) -> None:
    machines, sightings = found
    shuffled = list(sightings)
    rng.shuffle(shuffled)
    result = reconcile(shuffled)
    assert sorted(m.hostname for m in result) == sorted(f"PC-{n}" for n in range(machines))
    assert sorted(map(id, (s for m in result for s in m.sightings))) == sorted(map(id, sightings))
    assert result == reconcile(sightings)


def test_placeholder_serials_and_null_macs_join_nothing() -> None:
    a = Sighting("glpi.csv", 2, Tool.GLPI, "PC-1", serial="To be filled by O.E.M.")
    b = Sighting("glpi.csv", 3, Tool.GLPI, "PC-2", serial="To be filled by O.E.M.")
    c = Sighting("glpi.csv", 4, Tool.GLPI, "PC-3", macs=("00:00:00:00:00:00",))
    d = Sighting("glpi.csv", 5, Tool.GLPI, "PC-4", macs=("00-00-00-00-00-00",))
    assert len(reconcile([a, b, c, d])) == 4


def test_the_directory_names_a_machine_the_inventory_knows_by_serial() -> None:
    glpi = Sighting("glpi.csv", 2, Tool.GLPI, "OLDNAME", serial="CZC1")
    ad = Sighting("ad.csv", 3, Tool.AD, "newname.chr.be", serial="CZC1")
    (machine,) = reconcile([glpi, ad])
    assert machine.hostname == "NEWNAME"
    placed, notes = place(machine, MAPPING)
    assert placed is None  # and no site: a conflict
    assert any("no rule gives its site" in c.message and c.blocking for c in notes)


def test_two_sites_for_one_machine_is_a_conflict_never_a_guess() -> None:
    glpi = Sighting("glpi.csv", 2, Tool.GLPI, "PC-1", facts={Fact.LOCATION: "Marche > Bloc"})
    ad = Sighting("ad.csv", 5, Tool.AD, "PC-1", facts={Fact.OU: "OU=Arlon,DC=chr,DC=be"})
    placed, conflicts = place(reconcile([glpi, ad])[0], MAPPING)
    assert placed is None
    assert [c.message for c in conflicts] == ["two sites: ARLON (ad.csv:5); MARCHE (glpi.csv:2)"]


def test_rules_ignore_accents_and_find_subnets() -> None:
    ad = Sighting(
        "ad.csv",
        2,
        Tool.AD,
        "SRV-1",
        facts={Fact.OU: "OU=Unité de soins,OU=Arlon,DC=chr,DC=be", Fact.OS: "Windows Server"},
    )
    placed, notes = place(reconcile([ad])[0], MAPPING)
    assert placed is not None
    assert (placed.site, placed.department, placed.kind) == ("ARLON", "SI", AssetKind.SERVER)
    assert [n.message for n in notes] == ["a server the inventory does not know"]
    glpi = Sighting("glpi.csv", 2, Tool.GLPI, "PC-9", facts={Fact.IP: "192.168.1.4 10.20.3.4"})
    placed, notes = place(reconcile([glpi])[0], MAPPING)
    assert placed is not None
    assert placed.site == "MARCHE"
    assert not notes


def test_the_edr_last_word_on_isolation_wins() -> None:
    early, late = datetime(2022, 5, 14, 4, tzinfo=UTC), datetime(2022, 5, 15, 4, tzinfo=UTC)
    isolate = Sighting("a.json", 1, Tool.DEFENDER, "PC-1", isolation=Isolation(True, early))
    release = Sighting("a.json", 2, Tool.DEFENDER, "PC-1", isolation=Isolation(False, late))
    assert reconcile([release, isolate])[0].isolation == Isolation(False, late)
