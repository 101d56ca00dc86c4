"""Scenario file -> validated Network: every problem found, located by file, line and key path."""

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from relance.domain.errors import Problem, RejectedInput
from relance.domain.network import (
    Asset,
    AssetKind,
    ClinicalActivity,
    Department,
    Effort,
    ItService,
    MachineNeed,
    Network,
    Site,
    Team,
    dependency_cycle,
)
from relance.importers import assets_csv, generate, located_yaml
from relance.importers.scenario_format import ScenarioIn


@dataclass(frozen=True)
class LoadedScenario:
    network: Network
    sha256: str  # of the scenario file and its assets CSV, recorded with the network


class _Problems:
    """Collects problems of one YAML file, turning key paths into lines."""

    def __init__(self, source: str, lines: dict[located_yaml.Path, int]) -> None:
        self.source, self.lines, self.items = source, lines, list[Problem]()

    def add(self, path: Iterable[str | int], message: str) -> None:
        path = tuple(path)
        line = located_yaml.line_of(self.lines, path)
        self.items.append(Problem(self.source, line, located_yaml.dotted(path), message))


def load_scenario(path: Path) -> LoadedScenario:
    """Read and check a scenario; raise RejectedInput listing every problem, or return it whole."""
    text = _read_text(path)
    try:
        data, lines = located_yaml.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RejectedInput([Problem(path.name, line, "", f"not valid YAML: {error}")]) from None
    problems = _Problems(path.name, lines)
    try:
        model = ScenarioIn.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            problems.add(item["loc"], item["msg"])
        raise RejectedInput(problems.items) from None
    _check_references(model, problems)
    digest = hashlib.sha256(text.encode())
    if model.assets.csv is not None:
        csv_path = path.parent / model.assets.csv
        assets, csv_problems = assets_csv.read(csv_path, model.assets.initial_state)
        digest.update(csv_path.read_bytes() if csv_path.is_file() else b"")
        problems.items += csv_problems
    else:
        assert model.assets.generate is not None  # noqa: S101 - ensured by AssetsIn's validator
        assets = generate.assets(model.assets.generate, model.assets.initial_state)
    if not problems.items:
        _check_assets(model, assets, problems, csv_name=model.assets.csv)
    activities = _activities(model, assets, problems) if not problems.items else []
    if problems.items:
        raise RejectedInput(problems.items)
    network = Network(
        name=model.name,
        description=model.description,
        sites=tuple(Site(s.code, s.name, s.kind) for s in model.sites),
        departments=tuple(
            Department(s.code, d.code, d.name) for s in model.sites for d in s.departments
        ),
        services=tuple(
            ItService(s.code, s.name, s.rebuild_hours, tuple(s.depends_on), s.tier)
            for s in model.services
        ),
        teams=tuple(
            Team(t.code, t.name, t.site, t.size, frozenset(t.skills)) for t in model.teams
        ),
        activities=tuple(activities),
        assets=tuple(assets),
        effort=Effort(model.effort.workstation_hours, model.effort.medical_device_hours),
        notes=dict(model.sources),
    )
    return LoadedScenario(network, digest.hexdigest())


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RejectedInput([Problem(str(path), None, "", "file not found")]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start})"
        raise RejectedInput([Problem(path.name, None, "", message)]) from None
    except OSError as error:
        raise RejectedInput([Problem(str(path), None, "", error.strerror or "unreadable")]) from None


def _duplicates(codes: Iterable[tuple[tuple[str | int, ...], str]], problems: _Problems) -> None:
    seen: set[str] = set()
    for path, code in codes:
        if code in seen:
            problems.add(path, f"duplicate code {code!r}")
        seen.add(code)


def _check_references(model: ScenarioIn, problems: _Problems) -> None:
    sites = {s.code for s in model.sites}
    departments = {(s.code, d.code) for s in model.sites for d in s.departments}
    services = {s.code for s in model.services}
    _duplicates(((("sites", i, "code"), s.code) for i, s in enumerate(model.sites)), problems)
    _duplicates(((("services", i, "code"), s.code) for i, s in enumerate(model.services)), problems)
    _duplicates(((("teams", i, "code"), t.code) for i, t in enumerate(model.teams)), problems)
    for i, site in enumerate(model.sites):
        _duplicates(
            ((("sites", i, "departments", j, "code"), d.code) for j, d in enumerate(site.departments)),
            problems,
        )
    for i, service in enumerate(model.services):
        for j, code in enumerate(service.depends_on):
            if code not in services:
                problems.add(("services", i, "depends_on", j), f"unknown service {code!r}")
    cycle = dependency_cycle({s.code: [d for d in s.depends_on if d in services] for s in model.services})
    if cycle:
        index = next(i for i, s in enumerate(model.services) if s.code == cycle[0])
        problems.add(("services", index, "depends_on"), f"dependency cycle {' -> '.join(cycle)}")
    for i, team in enumerate(model.teams):
        if team.site is not None and team.site not in sites:
            problems.add(("teams", i, "site"), f"unknown site {team.site!r}")
    seen_activities: set[tuple[str, str]] = set()
    for i, activity in enumerate(model.activities):
        for j, site in enumerate(activity.sites):
            if site not in sites:
                problems.add(("activities", i, "sites", j), f"unknown site {site!r}")
            elif (site, activity.code) in seen_activities:
                problems.add(("activities", i, "sites", j), f"{activity.code} at {site} twice")
            seen_activities.add((site, activity.code))
            for k, need in enumerate(activity.needs.machines):
                if site in sites and (site, need.department) not in departments:
                    problems.add(
                        ("activities", i, "needs", "machines", k, "department"),
                        f"site {site} has no department {need.department!r}",
                    )
        for j, code in enumerate(activity.needs.services):
            if code not in services:
                problems.add(("activities", i, "needs", "services", j), f"unknown service {code!r}")
    _check_groups(model, sites, departments, services, problems)


def _check_groups(
    model: ScenarioIn,
    sites: set[str],
    departments: set[tuple[str, str]],
    services: set[str],
    problems: _Problems,
) -> None:
    spec = model.assets.generate
    if spec is None:
        return
    for i, server in enumerate(spec.servers):
        where = ("assets", "generate", "servers", i)
        if server.site not in sites:
            problems.add((*where, "site"), f"unknown site {server.site!r}")
        for j, code in enumerate(server.services):
            if code not in services:
                problems.add((*where, "services", j), f"unknown service {code!r}")
    for i, group in enumerate(spec.machines):
        where = ("assets", "generate", "machines", i)
        if group.site not in sites:
            problems.add((*where, "site"), f"unknown site {group.site!r}")
        elif (group.site, group.department) not in departments:
            problems.add(
                (*where, "department"), f"site {group.site} has no department {group.department!r}"
            )


def _check_assets(
    model: ScenarioIn, assets: list[Asset], problems: _Problems, csv_name: str | None
) -> None:
    """Rows of a CSV file of assets, checked against the sites and services of the scenario."""
    if csv_name is None:
        return
    sites = {s.code for s in model.sites}
    departments = {(s.code, d.code) for s in model.sites for d in s.departments}
    services = {s.code for s in model.services}
    for line, asset in enumerate(assets, start=2):
        if asset.site not in sites:
            problems.items.append(Problem(csv_name, line, "site", f"unknown site {asset.site!r}"))
        elif asset.department and (asset.site, asset.department) not in departments:
            message = f"site {asset.site} has no department {asset.department!r}"
            problems.items.append(Problem(csv_name, line, "department", message))
        unknown = [code for code in asset.services if code not in services]
        if unknown:
            message = f"unknown service {', '.join(unknown)}"
            problems.items.append(Problem(csv_name, line, "services", message))


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
                    problems.add(
                        ("activities", i, "needs", "machines", k),
                        f"{site} needs {count or 'a share of'} {need.kind.value} in "
                        f"{need.department} but has {have}",
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
                )
            )
    return out

