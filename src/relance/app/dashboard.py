"""Read models of the dashboard pages: each page calls one of these, the API the same ones."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import access, plan, plan_export, snapshots
from relance.app.audit import latest_change
from relance.app.context import Context
from relance.app.sitrep import list_sitreps
from relance.app.status import NetworkStatus, network_status
from relance.domain.delivery import Delivery
from relance.domain.errors import N_, InvalidInput
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.domain.network import ItService
from relance.domain.roles import Permission
from relance.reports.plan_schedule import PlanSchedule, local_forecasts, local_version
from relance.storage import asset_store, incident_store, network_store, outbox_store
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import SitrepVersion
from relance.storage.plan_store import Forecast, PlannedTask, PlanVersion


@dataclass(frozen=True)
class KeyFigures:
    machines: int
    redeployed: int
    services_up: int
    services: int
    activities: dict[Functioning, int]
    phase: str | None
    incident_start: datetime | None


@dataclass(frozen=True)
class Overview:
    status: NetworkStatus
    figures: KeyFigures
    redeployed_at: list[datetime]  # the restoration curve: one moment per machine back
    names: dict[str, dict[str, str]]  # the scenario's names in other languages


_CACHE: dict[tuple[object, int, tuple[str, ...]], Overview] = {}
_CACHED = 16


def overview(uow: UnitOfWork, ctx: Context, asked: Sequence[str] = ()) -> Overview:
    """The overview of the sites asked (all the caller may see if none), computed again only
    when something changed (50 screens poll it)."""
    sites = access.sites(ctx, Permission.VIEW_STATUS, asked)
    # The connection pool stands for the database (a read-only unit binds another engine on the
    # same pool); kept in the key itself, so no other database's pool can reuse its identity.
    key = (uow.session.get_bind().engine.pool, latest_change(uow), tuple(sites))
    found = _CACHE.get(key)
    if found is None:
        found = _overview(uow, sites)
        if len(_CACHE) >= _CACHED:
            _CACHE.clear()
        _CACHE[key] = found
    return found


def _overview(uow: UnitOfWork, sites: Sequence[str]) -> Overview:
    """The site x activity matrix, the key figures and the restoration curve."""
    status = network_status(uow, sites)
    machines = Counter[AssetState]()
    for by_state in status.totals.values():
        machines.update(by_state)
    functioning = Counter(a.status.functioning for s in status.sites for a in s.activities)
    found = incident_store.incident(uow)
    phases = incident_store.phases(uow, found.id) if found else []
    figures = KeyFigures(
        machines=sum(machines.values()),
        redeployed=machines[AssetState.REDEPLOYED],
        services_up=sum(1 for s in status.services if s.up),
        services=len(status.services),
        activities={f: functioning[f] for f in Functioning},
        phase=phases[-1].phase if phases else None,
        incident_start=plan.incident_start(uow),
    )
    curve = asset_store.redeployed_over_time(uow, sites)
    return Overview(status, figures, curve, network_store.translations(uow))


@dataclass(frozen=True)
class ServiceMap:
    services: list[ItService]
    up: set[str]
    servers: dict[str, dict[AssetState, int]]


def service_map(uow: UnitOfWork) -> ServiceMap:
    """IT services with their dependencies and whether each runs now."""
    status = network_status(uow)
    return ServiceMap(
        network_store.services(uow),
        {s.code for s in status.services if s.up},
        {s.code: s.servers for s in status.services},
    )


@dataclass(frozen=True)
class PlanView:
    versions: list[PlanVersion]
    version: PlanVersion | None
    forecasts: list[Forecast]  # times in the crisis cell's zone
    tasks: list[PlannedTask]
    day0: datetime | None
    above_best: float | None
    names: dict[str, dict[str, str]]  # the scenario's names in other languages
    sites: dict[str, str]  # code -> name


def plan_view(uow: UnitOfWork, version: int | None, zone: ZoneInfo) -> PlanView:
    """A plan version (default: the newest) with its forecast and its tasks; none yet is fine."""
    versions = plan.list_plans(uow)
    if not versions:
        if version is not None:
            raise InvalidInput(N_("no plan version {version}"), version=version)
        return PlanView(
            [], None, [], [], plan.incident_start(uow), None, network_store.translations(uow), {}
        )
    chosen, forecasts = plan.show_plan(uow, version)
    _, tasks = plan.plan_tasks(uow, chosen.id)
    return PlanView(
        versions,
        local_version(chosen, zone),
        local_forecasts(forecasts, zone),
        tasks,
        plan.incident_start(uow),
        plan.above_best(chosen),
        network_store.translations(uow),
        {s.code: s.name for s in network_store.sites(uow)},
    )


def plan_schedule(uow: UnitOfWork, version: int, zone: ZoneInfo) -> PlanSchedule:
    """Every task of a plan version, times in `zone` (the API's export)."""
    return plan_export.schedule_of(uow, version, zone)


@dataclass(frozen=True)
class Notifications:
    counts: dict[Delivery, int]
    queued: int
    unknown: int  # may have been sent: a person must settle them


def notifications(uow: UnitOfWork, ctx: Context) -> Notifications:
    """Patient messages per status, about appointments at the caller's sites."""
    found = outbox_store.counts(uow, access.sites(ctx, Permission.VIEW_STATUS))
    counts = {d: found.get(d, 0) for d in Delivery}
    return Notifications(counts, counts[Delivery.QUEUED], counts[Delivery.UNKNOWN])


def sitreps(uow: UnitOfWork) -> list[SitrepVersion]:
    """Every version of every day's report, newest first."""
    return list(reversed(list_sitreps(uow)))


def snapshot_list(directory: Path | None) -> list[snapshots.SnapshotInfo]:
    return snapshots.list_snapshots(directory) if directory is not None else []
