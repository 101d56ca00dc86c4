"""The hospital network as the crisis cell sees it: sites, services, machines, teams, activities."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from relance.domain.lifecycle import AssetState

HOSTNAME = re.compile(r"[A-Za-z0-9._-]{1,253}")  # a machine's name, as inventories write it


class SiteKind(StrEnum):
    HOSPITAL = "hospital"
    POLYCLINIC = "polyclinic"
    NURSING_HOME = "nursing_home"
    BLOOD_SAMPLING = "blood_sampling"
    CRECHE = "creche"
    ADMINISTRATION = "administration"


class PublicService(StrEnum):
    """What patients know an activity as: the sections of a public communiqué."""

    EMERGENCIES = "emergencies"
    INPATIENTS = "inpatients"
    CONSULTATIONS = "consultations"
    SURGERY = "surgery"
    IMAGING = "imaging"
    BLOOD_SAMPLING = "blood_sampling"
    COVID = "covid"


class AssetKind(StrEnum):
    SERVER = "server"
    WORKSTATION = "workstation"
    MEDICAL_DEVICE = "medical_device"  # a PC driving a scanner, an OR imaging tower, a lab analyser


class Skill(StrEnum):
    """What a technician team can rebuild: servers, or workstations and device PCs."""

    SERVER = "server"
    WORKSTATION = "workstation"


@dataclass(frozen=True)
class Site:
    code: str
    name: str  # the crisis cell's name for it
    kind: SiteKind
    public_name: str = ""  # as patients know it ("Hôpital Princesse Paola"); else the name
    short_name: str = ""  # where it is, in an SMS or a list ("Marche"); else the name

    @property
    def public(self) -> str:
        return self.public_name or self.name

    @property
    def short(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Organisation:
    """Who patients and the public hear from: its names, its numbers, its SMS sender."""

    name: str  # public name: "Vivalia"
    short_name: str
    patient_line: str  # the number patients call back
    sms_sender: str  # the "from" of patient SMS: 11 letters or digits at most
    switchboard: str = ""
    website: str = ""


@dataclass(frozen=True)
class Department:
    site: str
    code: str
    name: str


@dataclass(frozen=True)
class ItService:
    code: str
    name: str
    rebuild_hours: float  # technician-hours to rebuild one server of this service
    depends_on: tuple[str, ...] = ()
    tier: int | None = None  # the hand-made restoration tier, for the tiers baseline


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    site: str | None  # None: a central team that may work anywhere
    size: int
    skills: frozenset[Skill]


@dataclass(frozen=True)
class MachineNeed:
    """A number of redeployed machines of a kind in a department of the activity's site."""

    kind: AssetKind
    department: str
    count: int


@dataclass(frozen=True)
class ClinicalActivity:
    site: str
    code: str
    name: str
    weight: float  # cost of one hour of unavailability, relative to other activities
    paper_mode: bool  # can run degraded on paper while its systems are down
    paper_capacity: int  # capacity in % while on paper
    services: tuple[str, ...] = ()
    machines: tuple[MachineNeed, ...] = ()
    public_service: PublicService | None = None  # None: not something patients come for


@dataclass(frozen=True)
class Asset:
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    services: tuple[str, ...] = ()
    state: AssetState = AssetState.COMPROMISED


@dataclass(frozen=True)
class Effort:
    """Technician-hours to bring one machine through the path, calibrated per scenario."""

    workstation_hours: float
    medical_device_hours: float
    machine_services: tuple[str, ...] = ()  # must run before a PC can be rebuilt

    def hours(self, kind: "AssetKind") -> float:
        return (
            self.medical_device_hours
            if kind is AssetKind.MEDICAL_DEVICE
            else self.workstation_hours
        )


@dataclass(frozen=True)
class Network:
    name: str
    sites: tuple[Site, ...]
    departments: tuple[Department, ...]
    services: tuple[ItService, ...]
    teams: tuple[Team, ...]
    activities: tuple[ClinicalActivity, ...]
    assets: tuple[Asset, ...]
    effort: Effort
    description: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)
    incident_start: datetime | None = None  # day 0 of the forecasts
    organisation: Organisation | None = None
    # The scenario's own words (activity and site names) in other languages: language -> text
    # as written in the scenario -> its translation.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def generated_role(kind: AssetKind, services: Sequence[str] = ()) -> str:
    """The role a generated machine gets when its scenario names none, stored as data (in
    English): the server of its first service, or its kind. Shown in the reader's words."""
    if kind is AssetKind.SERVER and services:
        return f"{services[0]} server"
    return kind.value.replace("_", " ")


def translated(translations: Mapping[str, Mapping[str, str]], language: str, text: str) -> str:
    """A name of the scenario in `language`, or as written when it has no translation."""
    return translations.get(language, {}).get(text, text)


def dependency_cycle(depends_on: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in the service dependency graph as [a, b, ..., a], or None if it is a DAG.

    Iterative depth-first search (no recursion limit on long chains), visiting in sorted order
    so the same file always reports the same cycle.
    """
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(depends_on, white)
    for root in sorted(depends_on):
        if colour[root] != white:
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(depends_on[root]))]
        colour[root] = grey
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = black
                stack.pop()
                continue
            nxt = todo.pop(0)
            state = colour.get(nxt, black)  # unknown codes are reported elsewhere
            if state == grey:
                path = [n for n, _ in stack]
                return [*path[path.index(nxt) :], nxt]
            if state == white:
                colour[nxt] = grey
                stack.append((nxt, sorted(depends_on[nxt])))
    return None


@dataclass(frozen=True)
class AssetFilter:
    """Which machines a listing or a bulk transition is about; empty fields match everything."""

    sites: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    states: tuple[AssetState, ...] = ()
    kinds: tuple[AssetKind, ...] = ()
    hostnames: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not any(
            (self.sites, self.departments, self.services, self.states, self.kinds, self.hostnames)
        )
