"""The state of the network now: machines per lifecycle state, services, clinical activities."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from relance.app import access
from relance.app.context import Context
from relance.domain.errors import N_, InvalidInput
from relance.domain.functioning import ActivityStatus, activity_status, services_up
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetKind
from relance.domain.roles import Permission
from relance.storage import asset_store, network_store
from relance.storage.database import UnitOfWork


@dataclass(frozen=True)
class ActivityLine:
    code: str
    name: str
    status: ActivityStatus


@dataclass(frozen=True)
class ServiceLine:
    code: str
    name: str
    up: bool
    servers: dict[AssetState, int]


@dataclass
class SiteLine:
    code: str
    name: str
    kind: str
    machines: dict[AssetKind, dict[AssetState, int]] = field(default_factory=dict)
    activities: list[ActivityLine] = field(default_factory=list)


@dataclass(frozen=True)
class NetworkStatus:
    network: str
    totals: dict[AssetKind, dict[AssetState, int]]
    services: list[ServiceLine]
    sites: list[SiteLine]
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # the scenario's translations


def network_status(uow: UnitOfWork, only: Sequence[str] = ()) -> NetworkStatus:
    """Everything `relance status` shows, from a few grouped queries; `only` these sites."""
    name = network_store.network_name(uow) or ""
    sites = {s.code: SiteLine(s.code, s.name, s.kind.value) for s in network_store.sites(uow)}
    unknown = sorted(set(only) - set(sites))
    if unknown:
        no_site = N_("unknown site {site} (sites: {known})")
        raise InvalidInput(no_site, site=", ".join(unknown), known=", ".join(sites))
    totals: dict[AssetKind, dict[AssetState, int]] = defaultdict(lambda: dict.fromkeys(PATH, 0))
    for site, kind, state, n in asset_store.state_counts(uow):
        if only and site not in only:
            continue
        sites[site].machines.setdefault(kind, dict.fromkeys(PATH, 0))[state] = n
        totals[kind][state] += n
    servers = asset_store.server_states_by_service(uow)
    services = network_store.services(uow)
    up = services_up(services, servers)
    redeployed = asset_store.redeployed_by_department(uow)
    for activity in network_store.activities(uow):
        mine = {(k, d): n for (s, k, d), n in redeployed.items() if s == activity.site}
        sites[activity.site].activities.append(
            ActivityLine(activity.code, activity.name, activity_status(activity, up, mine))
        )
    return NetworkStatus(
        network=name,
        totals={k: totals[k] for k in AssetKind if k in totals},
        services=[
            ServiceLine(s.code, s.name, s.code in up, servers.get(s.code, {})) for s in services
        ],
        sites=[line for code, line in sites.items() if not only or code in only],
        names=network_store.translations(uow),
    )


def status_for(uow: UnitOfWork, ctx: Context, asked: Sequence[str] = ()) -> NetworkStatus:
    """`relance status` for the caller: the sites asked, within its own (all if none)."""
    return network_status(uow, access.sites(ctx, Permission.VIEW_STATUS, asked))
