"""Scenario file -> validated Network: every problem found, located by file, line and key path."""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from relance.domain.errors import N_, Problem, RejectedInput
from relance.domain.network import (
    Asset,
    AssetKind,
    ClinicalActivity,
    Department,
    Effort,
    ItService,
    MachineNeed,
    Network,
    Organisation,
    Site,
    Team,
    dependency_cycle,
)
from relance.importers import assets_csv, generate, located_yaml, reading, validation
from relance.importers.scenario_format import ScenarioIn


@dataclass(frozen=True)
class LoadedScenario:
    network: Network
    sha256: str  # of the scenario file and its assets CSV, recorded with the network
    file_name: str


class _Problems:
    """Collects problems of one YAML file, turning key paths into lines."""

    def __init__(self, source: str, lines: dict[located_yaml.Path, int]) -> None:
        self.source, self.lines, self.items = source, lines, list[Problem]()

    def add(self, path: Iterable[str | int], message: str, **values: object) -> None:
        """`message`: a msgid, its {placeholders} filled from `values`."""
        path = tuple(path)
        line = located_yaml.line_of(self.lines, path)
        self.items.append(Problem(self.source, line, located_yaml.dotted(path), message, **values))


def load_scenario(path: Path) -> LoadedScenario:
    """Read and check a scenario; raise RejectedInput listing every problem, or return it whole."""
    text = reading.read_text(path, reading.YAML_MAX)
    data, lines = located_yaml.load(text, path.name)
    problems = _Problems(path.name, lines)
    try:
        model = ScenarioIn.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            message, values = validation.said(item)
            problems.add(item["loc"], message, **values)
        raise RejectedInput(problems.items) from None
    known = _Known.of(model)
    _check_references(model, known, problems)
    digest = hashlib.sha256(text.encode())
    if model.assets.csv is not None:
        csv_path = path.parent / model.assets.csv
        csv_bytes = reading.read_bytes(csv_path, reading.TABLE_MAX)
        digest.update(csv_bytes)
        csv_text = reading.decode(csv_bytes, csv_path.name)
        rows, csv_problems = assets_csv.parse(csv_path.name, csv_text, model.assets.initial_state)
        csv_problems += _check_assets(rows, known, csv_path.name)
        problems.items += sorted(csv_problems, key=lambda p: p.line or 0)
        assets = [asset for _, asset in rows]
    else:
        assert model.assets.generate is not None  # noqa: S101 - ensured by AssetsIn's validator
        assets = generate.assets(model.assets.generate, model.assets.initial_state)
    activities = _activities(model, assets, problems) if not problems.items else []
    if problems.items:
        raise RejectedInput(problems.items)
    network = Network(
        name=model.name,
        description=model.description,
        sites=tuple(Site(s.code, s.name, s.kind, s.public_name, s.short_name) for s in model.sites),
        departments=tuple(
            Department(s.code, d.code, d.name) for s in model.sites for d in s.departments
        ),
        services=tuple(
            ItService(s.code, s.name, s.rebuild_hours, tuple(s.depends_on), s.tier)
            for s in model.services
        ),
        teams=tuple(Team(t.code, t.name, t.site, t.size, frozenset(t.skills)) for t in model.teams),
        activities=tuple(activities),
        assets=tuple(assets),
        effort=Effort(
            model.effort.workstation_hours,
            model.effort.medical_device_hours,
            tuple(model.effort.machine_services),
        ),
        incident_start=model.incident_start,
        notes=dict(model.sources),
        organisation=_organisation(model),
        translations={k: dict(v) for k, v in model.translations.items()},
    )
    return LoadedScenario(network, digest.hexdigest(), path.name)


def _organisation(model: ScenarioIn) -> Organisation:
    o = model.organisation
    return Organisation(
        o.name, o.short_name, o.patient_line, o.sms_sender, o.switchboard or "", o.website
    )


def _duplicates(codes: Iterable[tuple[tuple[str | int, ...], str]], problems: _Problems) -> None:
    seen: set[str] = set()
    for path, code in codes:
        if code in seen:
            problems.add(path, N_("duplicate code {code}"), code=repr(code))
        seen.add(code)


@dataclass(frozen=True)
class _Known:
    """The codes a scenario defines, which everything else may refer to."""

    sites: set[str]
    departments: set[tuple[str, str]]
    services: set[str]

    @classmethod
    def of(cls, model: ScenarioIn) -> "_Known":
        return cls(
            {s.code for s in model.sites},
            {(s.code, d.code) for s in model.sites for d in s.departments},
            {s.code for s in model.services},
        )

    def check_site(self, site: str, problems: _Problems, path: tuple[str | int, ...]) -> bool:
        if site not in self.sites:
            problems.add(path, N_("unknown site {site}"), site=repr(site))
            return False
        return True

    def check_services(
        self, codes: list[str], problems: _Problems, path: tuple[str | int, ...]
    ) -> None:
        for j, code in enumerate(codes):
            if code not in self.services:
                problems.add((*path, j), N_("unknown service {service}"), service=repr(code))


def _check_references(model: ScenarioIn, known: _Known, problems: _Problems) -> None:
    _duplicates(((("sites", i, "code"), s.code) for i, s in enumerate(model.sites)), problems)
    _duplicates(((("services", i, "code"), s.code) for i, s in enumerate(model.services)), problems)
    _duplicates(((("teams", i, "code"), t.code) for i, t in enumerate(model.teams)), problems)
    for i, site in enumerate(model.sites):
        codes = (
            (("sites", i, "departments", j, "code"), d.code) for j, d in enumerate(site.departments)
        )
        _duplicates(codes, problems)
    for i, service in enumerate(model.services):
        known.check_services(service.depends_on, problems, ("services", i, "depends_on"))
    cycle = dependency_cycle(
        {s.code: [d for d in s.depends_on if d in known.services] for s in model.services}
    )
    if cycle:
        index = next(i for i, s in enumerate(model.services) if s.code == cycle[0])
        where, cycle_ = ("services", index, "depends_on"), " -> ".join(cycle)
        problems.add(where, N_("dependency cycle {cycle}"), cycle=cycle_)
    known.check_services(model.effort.machine_services, problems, ("effort", "machine_services"))
    for i, team in enumerate(model.teams):
        if team.site is not None:
            known.check_site(team.site, problems, ("teams", i, "site"))
    _check_activities(model, known, problems)
    _check_groups(model, known, problems)
    _check_translations(model, problems)


def _check_translations(model: ScenarioIn, problems: _Problems) -> None:
    """A translated word must be one of the file's names: anything else is a typo."""
    words = {a.name for a in model.activities}
    words |= {n for s in model.sites for n in (s.name, s.public_name, s.short_name) if n}
    words |= {d.name for s in model.sites for d in s.departments}
    words |= {s.name for s in model.services} | {t.name for t in model.teams}
    words |= {model.organisation.name, model.organisation.short_name}
    for language, table in model.translations.items():
        for word in table:
            if word not in words:
                problems.add(
                    ("translations", language, word),
                    N_(
                        "{word} is not a name in this file (activity, site, department, "
                        "service, team or organisation)"
                    ),
                    word=repr(word),
                )


def _check_activities(model: ScenarioIn, known: _Known, problems: _Problems) -> None:
    seen: set[tuple[str, str]] = set()
    for i, activity in enumerate(model.activities):
        known.check_services(
            activity.needs.services, problems, ("activities", i, "needs", "services")
        )
        for j, site in enumerate(activity.sites):
            if not known.check_site(site, problems, ("activities", i, "sites", j)):
                continue
            if (site, activity.code) in seen:
                twice = N_("{activity} at {site} twice")
                problems.add(
                    ("activities", i, "sites", j), twice, activity=activity.code, site=site
                )
            seen.add((site, activity.code))
            for k, need in enumerate(activity.needs.machines):
                if (site, need.department) not in known.departments:
                    problems.add(
                        ("activities", i, "needs", "machines", k, "department"),
                        N_("site {site} has no department {department}"),
                        site=site,
                        department=repr(need.department),
                    )


def _check_groups(model: ScenarioIn, known: _Known, problems: _Problems) -> None:
    spec = model.assets.generate
    if spec is None:
        return
    for i, server in enumerate(spec.servers):
        where = ("assets", "generate", "servers", i)
        known.check_site(server.site, problems, (*where, "site"))
        known.check_services(server.services, problems, (*where, "services"))
    for i, group in enumerate(spec.machines):
        where = ("assets", "generate", "machines", i)
        if (
            known.check_site(group.site, problems, (*where, "site"))
            and (
                group.site,
                group.department,
            )
            not in known.departments
        ):
            problems.add(
                (*where, "department"),
                N_("site {site} has no department {department}"),
                site=group.site,
                department=repr(group.department),
            )


def _check_assets(rows: list[tuple[int, Asset]], known: _Known, csv_name: str) -> list[Problem]:
    """Rows of a CSV file of assets, checked against the sites and services of the scenario."""
    problems = []
    for line, asset in rows:
        if asset.site not in known.sites:
            unknown_site = N_("unknown site {site}")
            problems.append(Problem(csv_name, line, "site", unknown_site, site=repr(asset.site)))
        elif asset.department and (asset.site, asset.department) not in known.departments:
            message = N_("site {site} has no department {department}")
            said = {"site": asset.site, "department": repr(asset.department)}
            problems.append(Problem(csv_name, line, "department", message, **said))
        if asset.services and asset.kind is not AssetKind.SERVER:
            message = N_("only servers host services; {host} is a {kind}")
            said = {"host": asset.hostname, "kind": asset.kind.value}
            problems.append(Problem(csv_name, line, "services", message, **said))
        unknown = [code for code in asset.services if code not in known.services]
        if unknown:
            message = N_("unknown service {service}")
            problems.append(
                Problem(csv_name, line, "services", message, service=", ".join(unknown))
            )
    return problems


def _activities(
    model: ScenarioIn, assets: list[Asset], problems: _Problems
) -> list[ClinicalActivity]:
    """One activity per site, with shares of a department's machines turned into counts."""
    machines: Counter[tuple[str, AssetKind, str]] = Counter(
        (a.site, a.kind, a.department) for a in assets if a.department
    )
    out: list[ClinicalActivity] = []
    for i, activity in enumerate(model.activities):
        for site in activity.sites:
            needs = []
            for k, need in enumerate(activity.needs.machines):
                have = machines[(site, need.kind, need.department)]
                count = need.count if need.count is not None else round((need.share or 0) * have)
                if count < 1 or count > have:
                    message = (
                        N_("{site} needs {count} {kind} in {department} but has {have}")
                        if count
                        else N_("{site} needs a share of {kind} in {department} but has {have}")
                    )
                    problems.add(
                        ("activities", i, "needs", "machines", k),
                        message,
                        site=site,
                        count=count,
                        kind=need.kind.value,
                        department=need.department,
                        have=have,
                    )
                needs.append(MachineNeed(need.kind, need.department, max(count, 1)))
            out.append(
                ClinicalActivity(
                    site=site,
                    code=activity.code,
                    name=activity.name,
                    weight=activity.weight,
                    paper_mode=activity.paper_mode,
                    paper_capacity=activity.paper_capacity,
                    services=tuple(activity.needs.services),
                    machines=tuple(needs),
                    public_service=activity.public,
                )
            )
    return out
