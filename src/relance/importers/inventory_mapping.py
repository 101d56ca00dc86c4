"""The mapping file: which site, department, kind and role each machine of the exports has.

Rules are read in order, the first that matches a sighting answers for it; the sites and
departments they name are declared in the same file. `starter()` writes a first mapping from
the exports themselves, for a person to check.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationError, model_validator

from relance.domain.errors import N_, Problem, RejectedInput
from relance.domain.inventory import (
    Fact,
    InventoryMapping,
    Placed,
    Placement,
    Rule,
    SeenMachine,
    folded,
)
from relance.domain.network import AssetKind
from relance.importers import located_yaml, reading, validation
from relance.importers.scenario_format import Code, Hours, SiteIn, Strict

Pattern = Annotated[str, Field(min_length=1, max_length=400)]


class RuleIn(Strict):
    """One fact and what it gives: `{ou: "OU=Marche", value: MARCHE}`."""

    ou: Pattern | None = None
    location: Pattern | None = None
    entity: Pattern | None = None
    ip: Pattern | None = Field(None, description="a subnet, such as 10.20.0.0/16")
    hostname: Pattern | None = None
    os: Pattern | None = None
    type: Pattern | None = None
    site: Pattern | None = None
    role: Pattern | None = None
    tenant: Pattern | None = None
    value: str = Field(min_length=1)

    @model_validator(mode="after")
    def one_fact(self) -> "RuleIn":
        given = [f for f in Fact if getattr(self, f.value) is not None]
        if len(given) != 1:
            raise ValueError(N_("one of name, ou, ip, tenant per rule, and its value"))
        pattern = getattr(self, given[0].value)
        if given[0] is Fact.IP:
            _subnet(pattern)
        else:
            try:
                re.compile(pattern)
            except re.error:
                raise ValueError(N_("not a regular expression")) from None
        return self

    def rule(self) -> Rule:
        fact = next(f for f in Fact if getattr(self, f.value) is not None)
        return Rule(fact, getattr(self, fact.value), self.value)


def _subnet(text: str) -> None:
    import ipaddress  # noqa: PLC0415 - only a subnet rule needs it

    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(N_("not a subnet such as 10.20.0.0/16")) from None


class MachineIn(Strict):
    site: Code | None = None
    department: Code | None = None
    kind: AssetKind | None = None
    role: str = ""


class NetworkIn(Strict):
    """The network to create when the database holds none yet."""

    name: str = Field(min_length=1)
    workstation_hours: Hours = Field(description="technician-hours to rebuild one PC")
    medical_device_hours: Hours = Field(description="technician-hours for a medical-device PC")


Title = Annotated[str, Field(min_length=1, max_length=200)]


class ColumnsIn(Strict):
    """For `--source csv`: the title of the column that says each thing (case ignored)."""

    hostname: Title
    serial: Title | None = None
    mac: Title | None = None
    ip: Title | None = None
    os: Title | None = None
    site: Title | None = None
    location: Title | None = None
    entity: Title | None = None
    ou: Title | None = None
    type: Title | None = None
    role: Title | None = None
    tenant: Title | None = None

    def named(self) -> dict[str, str]:
        """What each column says -> its title, for the columns named."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class MappingIn(Strict):
    network: NetworkIn | None = None
    columns: ColumnsIn | None = None
    sites: list[SiteIn] = Field(min_length=1)
    default_kind: AssetKind = AssetKind.WORKSTATION
    site: list[RuleIn] = Field(default_factory=list)
    department: list[RuleIn] = Field(default_factory=list)
    kind: list[RuleIn] = Field(default_factory=list)
    role: list[RuleIn] = Field(default_factory=list)
    machines: dict[str, MachineIn] = Field(default_factory=dict)


def read(path: Path) -> tuple[MappingIn, InventoryMapping]:
    """The mapping as written and as the reconciler uses it, or RejectedInput."""
    text = reading.read_text(path, reading.YAML_MAX)
    data, lines = located_yaml.load(text, path.name)
    try:
        model = MappingIn.model_validate(data)
    except ValidationError as error:
        problems = [
            _problem(path.name, lines, e["loc"], *validation.said(e)) for e in error.errors()
        ]
        raise RejectedInput(problems) from None
    problems = _references(model, path.name, lines)
    if problems:
        raise RejectedInput(problems)
    return model, _mapping(model)


def _problem(
    source: str,
    lines: dict[located_yaml.Path, int],
    loc: Any,
    message: str,
    values: dict[str, Any] | None = None,
) -> Problem:
    path = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    return Problem(source, lines.get(path), ".".join(map(str, loc)), message, **(values or {}))


def _references(
    model: MappingIn, source: str, lines: dict[located_yaml.Path, int]
) -> list[Problem]:
    sites = {s.code for s in model.sites}
    departments = {d.code for s in model.sites for d in s.departments}
    kinds = set(AssetKind)
    problems: list[Problem] = []
    for what, known in (("site", sites), ("department", departments), ("kind", kinds)):
        for index, rule in enumerate(getattr(model, what)):
            if rule.value not in known:
                said = {"value": repr(rule.value), "known": ", ".join(sorted(known))}
                message = (
                    N_("{value} is not one of {known}")
                    if known
                    else N_("{value}: the mapping declares none")
                )
                problems.append(_problem(source, lines, (what, index, "value"), message, said))
    for name, machine in model.machines.items():
        if machine.site is not None and machine.site not in sites:
            message, said = N_("site {site} is not declared in sites"), {"site": machine.site}
            problems.append(_problem(source, lines, ("machines", name, "site"), message, said))
    return problems


def _mapping(model: MappingIn) -> InventoryMapping:
    return InventoryMapping(
        rules={what: tuple(r.rule() for r in getattr(model, what.value)) for what in Placed},
        departments=frozenset((s.code, d.code) for s in model.sites for d in s.departments),
        sites=frozenset(s.code for s in model.sites),
        default_kind=model.default_kind,
        machines={
            name.upper(): Placement(m.site or "", m.department or "", m.kind, m.role)
            for name, m in model.machines.items()
        },
    )


# The starter mapping


def starter(machines: list[SeenMachine], columns: Mapping[str, str] | None = None) -> str:
    """A first mapping from what the exports say: a site per NetBox site, GLPI location or
    top OU, to check."""
    sites: dict[str, str] = {}
    rules: list[dict[str, str]] = []
    for fact, top, pattern in _STARTER:
        values = sorted({s.facts[fact] for m in machines for s in m.sightings if fact in s.facts})
        for value in sorted({top(v) for v in values} - {""}):
            code = _code(value)
            sites.setdefault(code, value)
            rules.append({fact.value: pattern.format(re.escape(value)), "value": code})
    document: dict[str, object] = {
        "network": {"name": "", "workstation_hours": 2, "medical_device_hours": 4},
        **({"columns": dict(columns)} if columns else {}),
        "sites": [{"code": c, "name": n, "kind": "hospital"} for c, n in sorted(sites.items())],
        "default_kind": AssetKind.WORKSTATION.value,
        "site": rules,
        "kind": [{"os": "server", "value": AssetKind.SERVER.value}],
        "machines": {},
    }
    head = (
        "# Starter mapping written by `relance inventory mapping`: check every site (its name,\n"
        "# kind and code), name the network, add departments and rules, then import.\n"
    )
    return head + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _whole(value: str) -> str:
    return value.strip()


def _top_location(location: str) -> str:
    return location.split(">", 1)[0].strip()


def _top_ou(ou: str) -> str:
    """The outermost OU of a path such as OU=Urgences,OU=Marche,DC=chr,DC=be."""
    parts = [p.strip() for p in ou.split(",") if p.strip().upper().startswith("OU=")]
    return parts[-1] if parts else ""


# Where a starter finds the sites: NetBox's site, GLPI's location (its first part), the top OU.
_STARTER = (
    (Fact.SITE, _whole, "^{}$"),
    (Fact.LOCATION, _top_location, "^{}"),
    (Fact.OU, _top_ou, "{}(,|$)"),
)


def _code(value: str) -> str:
    plain = re.sub(r"[^A-Za-z0-9]+", "_", folded(value.removeprefix("OU="))).strip("_")
    return (plain or "SITE")[:40].upper()
