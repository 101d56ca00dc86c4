"""Loading a hospital network into an empty database."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from relance.app.activities import record_status_changes
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
from relance.domain.network import AssetKind, Network
from relance.importers.scenario import LoadedScenario, load_scenario
from relance.storage import network_store
from relance.storage.database import UnitOfWork


@dataclass(frozen=True)
class LoadSummary:
    name: str
    sites: int
    services: int
    activities: int
    servers: int
    workstations: int
    medical_devices: int


def check_scenario(path: Path) -> LoadedScenario:
    """Read and validate a scenario file whole, before any database is opened or created."""
    return load_scenario(path)


def load_network(
    uow: UnitOfWork,
    ctx: Context,
    path: Path | LoadedScenario,
    occurred_at: datetime | None = None,
) -> LoadSummary:
    """Write a validated network (or validate the file first) and one audit row.

    `occurred_at` dates the inventory when it describes an earlier moment (a replay).
    """
    existing = network_store.network_name(uow)
    if existing is not None:
        held = N_(
            "this database already holds the network {name}; use another directory "
            "(relance demo --force replaces a demo) or RELANCE_DATABASE_URL"
        )
        raise InvalidInput(held, name=repr(existing))
    loaded = path if isinstance(path, LoadedScenario) else load_scenario(path)
    now = ctx.clock.now()
    network_store.save_network(uow, loaded.network, loaded.sha256, now)
    summary = summarise(loaded.network)
    record_event(
        uow,
        ctx,
        EventType.NETWORK_LOADED,
        "network",
        loaded.network.name,
        after={"scenario_sha256": loaded.sha256, **summary.__dict__},
        reason=f"scenario {loaded.file_name}",
        occurred_at=occurred_at,
    )
    record_status_changes(uow, ctx, occurred_at or now)
    return summary


def summarise(network: Network) -> LoadSummary:
    kinds = [a.kind for a in network.assets]
    return LoadSummary(
        name=network.name,
        sites=len(network.sites),
        services=len(network.services),
        activities=len(network.activities),
        servers=kinds.count(AssetKind.SERVER),
        workstations=kinds.count(AssetKind.WORKSTATION),
        medical_devices=kinds.count(AssetKind.MEDICAL_DEVICE),
    )
