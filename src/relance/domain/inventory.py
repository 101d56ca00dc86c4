"""The network as the IT team's tools saw it: sightings of machines, reconciled into machines,
placed by the rules of a mapping.

A sighting is one row of one export (GLPI, NetBox, the directory, an EDR console). The same
machine seen in several files is one machine when they share a name (short name, FQDN and
NetBIOS name alike, case and domain suffix ignored), a serial, a MAC address, a directory
GUID or an EDR device id. What cannot be decided (two sites for one machine, no site at all)
is a conflict: listed, never guessed.
"""

import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from relance.domain.network import AssetKind


class Tool(StrEnum):
    """Where a sighting comes from; the order is the trust given to a machine's name."""

    AD = "ad"
    LDIF = "ldif"
    GLPI = "glpi"
    NETBOX = "netbox"
    CSV = "csv"  # any inventory's CSV, its columns named by the mapping
    DEFENDER = "defender"

    @property
    def is_inventory(self) -> bool:
        return self in {Tool.GLPI, Tool.NETBOX, Tool.CSV}

    @property
    def is_directory(self) -> bool:
        return self in {Tool.AD, Tool.LDIF}


class Fact(StrEnum):
    """What a mapping rule may look at."""

    OU = "ou"  # the directory's OU path (distinguished name without the machine's own CN)
    LOCATION = "location"  # GLPI's location
    ENTITY = "entity"  # GLPI's entity
    IP = "ip"  # an address, matched against a subnet
    HOSTNAME = "hostname"
    OS = "os"  # operating system
    TYPE = "type"  # GLPI's computer type, NetBox's device type
    SITE = "site"  # NetBox's site
    ROLE = "role"  # NetBox's device or virtual machine role
    TENANT = "tenant"  # NetBox's tenant


@dataclass(frozen=True)
class Isolation:
    """An EDR's network isolation of a machine (isolated False: released), done at `at`."""

    isolated: bool
    at: datetime


@dataclass(frozen=True)
class Sighting:
    source: str  # the file
    line: int
    tool: Tool
    name: str = ""  # as the tool writes it: short name, FQDN or NetBIOS name
    serial: str = ""
    macs: tuple[str, ...] = ()
    guid: str = ""  # the directory's objectGUID
    device_id: str = ""  # the EDR's own id of the machine
    facts: Mapping[Fact, str] = field(default_factory=dict)
    isolation: Isolation | None = None
    dated: datetime | None = field(default=None, compare=False)  # its row's newest date
    hostname: str = field(init=False, compare=False)  # short_name(name), computed once

    def __post_init__(self) -> None:
        object.__setattr__(self, "hostname", short_name(self.name))


# Serials an inventory agent reports when the firmware has none: they join unrelated machines.
_NO_SERIAL = {
    "",
    "0",
    "NONE",
    "N/A",
    "NA",
    "DEFAULT STRING",
    "TO BE FILLED BY O.E.M.",
    "SYSTEM SERIAL NUMBER",
    "0123456789",
    "INVALID",
}
_MAC = re.compile(r"[0-9A-F]{12}")
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")


def short_name(name: str) -> str:
    """The machine's name without domain suffix nor the `$` of a computer account, upper-case."""
    return name.strip().split(".", 1)[0].removesuffix("$").upper()


def mac_key(mac: str) -> str | None:
    """A MAC address as 12 hex digits, or None for a missing or null one."""
    digits = _NOT_HEX.sub("", mac).upper()
    if not _MAC.fullmatch(digits) or digits in {"000000000000", "FFFFFFFFFFFF"}:
        return None
    return digits


def _keys(s: Sighting) -> list[str]:
    keys = [f"name:{s.hostname}"] if s.hostname else []
    serial = s.serial.strip().upper()
    if serial not in _NO_SERIAL:
        keys.append(f"serial:{serial}")
    keys += [f"mac:{k}" for k in map(mac_key, s.macs) if k]
    if s.guid.strip():
        keys.append(f"guid:{s.guid.strip().strip('{}').lower()}")
    if s.device_id.strip():
        keys.append(f"edr:{s.device_id.strip().lower()}")
    return keys


@dataclass(frozen=True)
class SeenMachine:
    """One machine, with every sighting of it."""

    hostname: str
    sightings: tuple[Sighting, ...]

    @property
    def names(self) -> list[str]:
        return sorted({s.hostname for s in self.sightings if s.hostname})

    @property
    def isolation(self) -> Isolation | None:
        """The EDR's last word on isolation."""
        known = [s.isolation for s in self.sightings if s.isolation is not None]
        return max(known, key=lambda i: (i.at, i.isolated)) if known else None


def reconcile(sightings: Iterable[Sighting]) -> list[SeenMachine]:
    """The machines behind the sightings, by hostname: each sighting in exactly one machine,
    whatever the order of the files."""
    items = list(sightings)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, sighting in enumerate(items):
        for key in _keys(sighting):
            first = owner.setdefault(key, index)
            if first == index:  # a key not seen before: nothing to join
                continue
            a, b = root(first), root(index)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Sighting]] = {}
    for index, sighting in enumerate(items):
        groups.setdefault(root(index), []).append(sighting)
    machines = [
        SeenMachine(_name(group), tuple(sorted(group, key=_order))) for group in groups.values()
    ]
    return sorted(machines, key=lambda m: m.hostname)


_TRUST = {tool: rank for rank, tool in enumerate(Tool)}


def _order(s: Sighting) -> tuple[int, str, int]:
    return (_TRUST[s.tool], s.source, s.line)


def _name(group: Sequence[Sighting]) -> str:
    """The name the most trusted tool gives it: the directory, then the inventories, the EDR."""
    named = min(((_TRUST[s.tool], s.hostname) for s in group if s.hostname), default=None)
    return named[1] if named else ""


# The mapping's rules


@dataclass(frozen=True)
class Rule:
    """`fact` matching `pattern` (a regular expression searched, case and accents ignored; for
    an IP, a subnet) gives `value`."""

    fact: Fact
    pattern: str
    value: str


@functools.lru_cache(maxsize=1 << 16)  # exports repeat their OU paths and locations
def folded(text: str) -> str:
    """Without accents: rules written "Unite" or "Unité" match both."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _test(rule: Rule) -> Callable[[str], bool]:
    """The rule's pattern compiled once, as a test of one value."""
    if rule.fact is Fact.IP:
        return functools.partial(_in_subnet, ipaddress.ip_network(rule.pattern, strict=False))
    search = re.compile(folded(rule.pattern), re.IGNORECASE).search
    return lambda seen: search(seen if seen.isascii() else folded(seen)) is not None


class _FirstRule:
    """One question's rules (the site, the kind...) compiled for a whole import.

    The first matching rule is remembered for each combination of the facts the rules read (an
    export repeats a few dozen OU paths and locations over 100,000 machines); hostname rules,
    whose value is each machine's own, are tried on each sighting, only before that rule.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.values = [r.value for r in rules]
        named = [(i, _test(r)) for i, r in enumerate(rules) if r.fact is Fact.HOSTNAME]
        self.by_name = named
        self.by_fact = [
            (i, r.fact, _test(r)) for i, r in enumerate(rules) if r.fact is not Fact.HOSTNAME
        ]
        self.facts = tuple(sorted({fact for _, fact, _ in self.by_fact}))
        self.found: dict[tuple[str | None, ...], int] = {}

    def value(self, sighting: Sighting) -> str | None:
        facts = sighting.facts
        key = tuple(map(facts.get, self.facts))
        first = self.found.get(key)
        if first is None:
            first = next(
                (i for i, fact, test in self.by_fact if (seen := facts.get(fact)) and test(seen)),
                len(self.values),
            )
            self.found[key] = first
        if sighting.hostname:
            for i, test in self.by_name:
                if i > first:
                    break
                if test(sighting.hostname):
                    first = i
                    break
        return self.values[first] if first < len(self.values) else None


def _in_subnet(network: ipaddress.IPv4Network | ipaddress.IPv6Network, addresses: str) -> bool:
    for text in re.split(r"[\s,;]+", addresses):
        try:
            if ipaddress.ip_address(text) in network:
                return True
        except ValueError:
            continue
    return False


class Placed(StrEnum):
    """What a mapping decides for a machine."""

    SITE = "site"
    DEPARTMENT = "department"
    KIND = "kind"
    ROLE = "role"


@dataclass(frozen=True)
class Placement:
    """Explicit answers for one machine, when the rules cannot decide."""

    site: str = ""
    department: str = ""
    kind: AssetKind | None = None
    role: str = ""


_NOTHING_ASKED = Placement()


@dataclass(frozen=True)
class InventoryMapping:
    rules: Mapping[Placed, tuple[Rule, ...]]
    departments: frozenset[tuple[str, str]]  # (site, department) declared
    sites: frozenset[str]
    default_kind: AssetKind = AssetKind.WORKSTATION
    machines: Mapping[str, Placement] = field(default_factory=dict)  # by hostname


@dataclass(frozen=True)
class Conflict:
    """Something relance will not decide alone: `blocking` ones stop the apply."""

    hostname: str
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class PlacedMachine:
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    seen: SeenMachine


def place_all(
    machines: Iterable[SeenMachine], mapping: InventoryMapping
) -> tuple[list[PlacedMachine], list[Conflict]]:
    """Each machine placed by the mapping (its rules compiled once for them all), and the
    conflicts of those that cannot be."""
    rules = {what: _FirstRule(mapping.rules.get(what, ())) for what in Placed}
    placed: list[PlacedMachine] = []
    conflicts: list[Conflict] = []
    for machine in machines:
        one, found = _place(machine, mapping, rules)
        conflicts += found
        if one is not None:
            placed.append(one)
    return placed, conflicts


def place(
    machine: SeenMachine, mapping: InventoryMapping
) -> tuple[PlacedMachine | None, list[Conflict]]:
    """The machine's site, department, kind and role by the mapping, or the conflicts."""
    placed, conflicts = place_all([machine], mapping)
    return (placed[0] if placed else None), conflicts


def _place(
    machine: SeenMachine, mapping: InventoryMapping, rules: Mapping[Placed, _FirstRule]
) -> tuple[PlacedMachine | None, list[Conflict]]:
    asked = mapping.machines.get(machine.hostname, _NOTHING_ASKED)
    conflicts: list[Conflict] = []
    found = {what: _answers(machine, r) for what, r in rules.items()}
    if asked.site:
        found[Placed.SITE] = {asked.site: "the mapping's machines"}
    if asked.department:
        found[Placed.DEPARTMENT] = {asked.department: "the mapping's machines"}
    if asked.kind is not None:
        found[Placed.KIND] = {asked.kind.value: "the mapping's machines"}
    if asked.role:
        found[Placed.ROLE] = {asked.role: "the mapping's machines"}
    for what, answers in found.items():
        if len(answers) > 1:
            said = "; ".join(f"{v} ({w})" for v, w in sorted(answers.items()))
            conflicts.append(Conflict(machine.hostname, f"two {what.value}s: {said}"))
    sites = found[Placed.SITE]
    if not sites:
        seen = ", ".join(sorted({s.source for s in machine.sightings}))
        conflicts.append(Conflict(machine.hostname, f"no rule gives its site (seen in {seen})"))
    if conflicts:
        return None, conflicts
    site = next(iter(sites))
    department = next(iter(found[Placed.DEPARTMENT]), None)
    if department is not None and (site, department) not in mapping.departments:
        message = f"department {department} is not declared for site {site} in the mapping"
        return None, [Conflict(machine.hostname, message)]
    kind = AssetKind(next(iter(found[Placed.KIND]), mapping.default_kind.value))
    role = next(iter(found[Placed.ROLE]), "")
    placed = PlacedMachine(machine.hostname, kind, site, department, role, machine)
    return placed, _to_check(placed)


def _answers(machine: SeenMachine, rules: _FirstRule) -> dict[str, str]:
    """Each distinct answer of the first matching rule of each sighting, and who gave it."""
    answers: dict[str, str] = {}
    if not rules.values:
        return answers
    for sighting in machine.sightings:
        value = rules.value(sighting)
        if value is not None and value not in answers:
            answers[value] = f"{sighting.source}:{sighting.line}"
    return answers


def _to_check(machine: PlacedMachine) -> list[Conflict]:
    """Imported, but a person should look: a server only the directory knows, several names."""
    notes: list[Conflict] = []
    if machine.kind is AssetKind.SERVER:
        tools = {s.tool for s in machine.seen.sightings}
        if any(t.is_directory for t in tools) and not any(t.is_inventory for t in tools):
            message = "a server the inventory does not know"
            notes.append(Conflict(machine.hostname, message, blocking=False))
    names = machine.seen.names
    if len(names) > 1:
        message = f"one machine under several names ({', '.join(names)}): named {machine.hostname}"
        notes.append(Conflict(machine.hostname, message, False))
    return notes
