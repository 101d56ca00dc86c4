"""Loading a hospital network into an empty database."""

from dataclasses import dataclass
from pathlib import Path

from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import InvalidInput
from relance.domain.network import AssetKind, Network
from relance.importers.scenario import load_scenario
from relance.storage import audit_store, network_store
from relance.storage.audit_store import AuditEvent
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


def load_network(uow: UnitOfWork, ctx: Context, path: Path) -> LoadSummary:
    """Validate the scenario file whole, then write the network and one audit row."""
    existing = network_store.network_name(uow)
    if existing is not None:
        raise InvalidInput(
            f"this database already holds the network {existing!r}; "
            "use a new directory or RELANCE_DATABASE_URL for another one"
        )
    loaded = load_scenario(path)
    now = ctx.clock.now()
    network_store.save_network(uow, loaded.network, loaded.sha256, now)
    summary = summarise(loaded.network)
    audit_store.record(
        uow,
        [
            AuditEvent(
                request_id=ctx.request_id,
                actor=ctx.actor,
                occurred_at=now,
                recorded_at=now,
                event_type=EventType.NETWORK_LOADED,
                object_type="network",
                object_key=loaded.network.name,
                after={"scenario_sha256": loaded.sha256, **summary.__dict__},
                reason=f"scenario {path.name}",
            )
        ],
    )
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
