"""The network from the IT team's own exports: read, reconciled, shown, then applied whole.

The same files give the same plan; applied, the plan is written in one transaction with one
audit row per machine naming its files, and a second import of the same files writes nothing.
New machines start compromised (on the night of an attack every machine is suspect until it
is rebuilt); a machine the EDR isolated moves to isolated at the time of the EDR's action,
with the actions file's SHA-256 as evidence.
"""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from relance.app import access
from relance.app.activities import record_status_changes
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, IllegalTransition, InvalidInput, Problem, RejectedInput
from relance.domain.inventory import Conflict, PlacedMachine, SeenMachine, place_all, reconcile
from relance.domain.lifecycle import AssetState, check_transition
from relance.domain.network import Asset, Department, Site
from relance.importers import inventory_files, inventory_mapping
from relance.importers.inventory_files import ExportRead, Source
from relance.importers.inventory_mapping import MappingIn
from relance.storage import audit_store, inventory_store, network_store
from relance.storage.audit_store import AuditEvent
from relance.storage.database import UnitOfWork
from relance.storage.inventory_store import StoredMachine

CLOCK_TOLERANCE = timedelta(minutes=5)
EVIDENCE_MAX = 200


@dataclass(frozen=True)
class Isolating:
    hostname: str
    at: datetime
    evidence: str  # "sha256:<hex> <file>"
    asset_id: int | None = None  # None: a machine this import adds


@dataclass
class InventoryPlan:
    files: list[ExportRead]
    machines: int = 0
    added: list[Asset] = field(default_factory=list)
    changed: list[tuple[StoredMachine, Asset]] = field(default_factory=list)
    isolated: list[Isolating] = field(default_factory=list)
    unchanged: int = 0
    not_in_exports: int = 0
    released_in_edr: int = 0  # the EDR released them; the lifecycle moves on by rebuilding
    new_network: str | None = None
    new_sites: list[Site] = field(default_factory=list)
    new_departments: list[Department] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # stop the apply
    to_check: list[Conflict] = field(default_factory=list)  # imported, for a person to look at
    applied: bool = False

    @property
    def changes_nothing(self) -> bool:
        return not (
            self.added or self.changed or self.isolated or self.new_sites or self.new_departments
        )


def starter_mapping(ctx: Context, paths: Sequence[Path], source: Source | None) -> str:
    """A first mapping file written from the exports, for a person to check."""
    access.inventory_import(ctx)
    columns = inventory_files.propose_columns(paths) if source is Source.CSV else None
    read = inventory_files.read_exports(paths, source, columns)
    return inventory_mapping.starter(reconcile(s for f in read for s in f.sightings), columns)


@dataclass(frozen=True)
class ReadInventory:
    """The exports read and placed by the mapping, before any database is opened."""

    files: list[ExportRead]
    model: MappingIn
    mapping: str  # the mapping file's name
    machines: int
    placed: list[PlacedMachine]
    conflicts: list[Conflict]
    to_check: list[Conflict]


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while an import builds its objects.

    100,000 machines are a million objects that all stay alive to the end; the collector,
    triggered by allocations, walked them again and again: a third of the import's CPU time
    (measured: 7 of 20 s). Nothing of an import is a cycle to collect; reference counting
    frees the rest as usual. The collector is back on as the import ends, whatever happens
    (process-wide: a page served meanwhile waits for it too, a few seconds).
    """
    if not gc.isenabled():  # another import of this process paused it: it resumes it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_inventory(
    ctx: Context, *, paths: Sequence[Path], mapping: Path, source: Source | None = None
) -> ReadInventory:
    """Read every export and the mapping whole, reconcile and place the machines."""
    access.inventory_import(ctx)
    with _no_collection():
        model, rules = inventory_mapping.read(mapping)
        columns = model.columns.named() if model.columns else None
        read = inventory_files.read_exports(paths, source, columns)
        seen = reconcile(s for f in read for s in f.sightings)
        placed, conflicts = place_all(seen, rules)
    return ReadInventory(
        files=read,
        model=model,
        mapping=mapping.name,
        machines=len(seen),
        placed=placed,
        conflicts=[c for c in conflicts if c.blocking],
        to_check=[c for c in conflicts if not c.blocking],
    )


def import_inventory(
    uow: UnitOfWork | None, ctx: Context, inventory: ReadInventory, *, dry_run: bool = False
) -> InventoryPlan:
    """What the exports change (`dry_run`: only that; no database: an empty one), or apply it
    all, or nothing if a conflict remains."""
    access.inventory_import(ctx)
    with _no_collection():
        return _import(uow, ctx, inventory, dry_run=dry_run)


def _import(
    uow: UnitOfWork | None, ctx: Context, inventory: ReadInventory, *, dry_run: bool
) -> InventoryPlan:
    plan = InventoryPlan(
        files=inventory.files,
        machines=inventory.machines,
        conflicts=list(inventory.conflicts),
        to_check=list(inventory.to_check),
    )
    _compare(uow, ctx, plan, inventory.placed, inventory.model)
    if dry_run:
        return plan
    if uow is None:
        raise InvalidInput(N_("no database to apply the import to"))
    if plan.conflicts:
        raise RejectedInput(
            [
                Problem(
                    inventory.mapping,
                    None,
                    c.hostname,
                    N_("{conflict}: settle it under machines:"),
                    conflict=c.message,
                )
                for c in plan.conflicts
            ]
        )
    if not plan.changes_nothing:
        _apply(uow, ctx, plan, inventory.model)
        plan.applied = True
    return plan


def _compare(
    uow: UnitOfWork | None,
    ctx: Context,
    plan: InventoryPlan,
    placed: list[PlacedMachine],
    model: MappingIn,
) -> None:
    stored = inventory_store.machines(uow) if uow is not None else {}
    has_network = uow is not None and network_store.network_name(uow) is not None
    if not has_network:
        if model.network is None:
            raise InvalidInput(
                N_("the database holds no network yet: name it in the mapping's network: section")
            )
        plan.new_network = model.network.name
    _new_places(uow, plan, model)
    evidence = {f.source: f"sha256:{f.sha256} {f.source}"[:EVIDENCE_MAX] for f in plan.files}
    now = ctx.clock.now()
    names = {m.hostname for m in placed}
    plan.not_in_exports = len(set(stored) - names)
    for machine in placed:
        asset = Asset(
            machine.hostname, machine.kind, machine.site, machine.department, machine.role
        )
        known = stored.get(machine.hostname)
        if known is None:
            plan.added.append(asset)
        elif (known.kind, known.site, known.department, known.role) != (
            asset.kind,
            asset.site,
            asset.department,
            asset.role,
        ):
            plan.changed.append((known, asset))
        else:
            plan.unchanged += 1
        _isolation(plan, machine.seen, known, evidence, now)


def _isolation(
    plan: InventoryPlan,
    machine: SeenMachine,
    known: StoredMachine | None,
    evidence: dict[str, str],
    now: datetime,
) -> None:
    said = machine.isolation
    if said is None:
        return
    if not said.isolated:
        plan.released_in_edr += 1
        return
    if said.at > now + CLOCK_TOLERANCE:
        message = f"isolated at {said.at.isoformat()}, in the future: check the export's clock"
        plan.conflicts.append(Conflict(machine.hostname, message))
        return
    try:
        check_transition(
            known.state if known else AssetState.COMPROMISED, AssetState.ISOLATED, None
        )
    except IllegalTransition:
        return  # already isolated, or further along the path: the EDR's word is behind
    source = next(s.source for s in machine.sightings if s.isolation == said)
    asset_id = known.id if known else None
    plan.isolated.append(Isolating(machine.hostname, said.at, evidence[source], asset_id))


def _new_places(uow: UnitOfWork | None, plan: InventoryPlan, model: MappingIn) -> None:
    sites = {s.code for s in network_store.sites(uow)} if uow is not None else set()
    departments = (
        {(d.site, d.code) for d in network_store.departments(uow)} if uow is not None else set()
    )
    for s in model.sites:
        if s.code not in sites:
            plan.new_sites.append(Site(s.code, s.name, s.kind, s.public_name, s.short_name))
        for d in s.departments:
            if (s.code, d.code) not in departments:
                plan.new_departments.append(Department(s.code, d.code, d.name))


def _apply(uow: UnitOfWork, ctx: Context, plan: InventoryPlan, model: MappingIn) -> None:
    now = ctx.clock.now()
    files = {f.source: f.sha256 for f in plan.files}
    if plan.new_network is not None and model.network is not None:
        hours = (model.network.workstation_hours, model.network.medical_device_hours)
        digest = sorted(files.values())[0] if files else ""
        inventory_store.create_network(uow, plan.new_network, hours, digest, now)
    inventory_store.add_sites(uow, plan.new_sites)
    inventory_store.add_departments(uow, plan.new_departments)
    # a new machine the EDR isolated is written isolated at once (its two audit rows below say
    # how it came to be): no second pass over the rows just inserted
    isolated = {m.hostname: m.at for m in plan.isolated if m.asset_id is None}
    inventory_store.add_machines(
        uow,
        [
            (replace(a, state=AssetState.ISOLATED), isolated[a.hostname])
            if a.hostname in isolated
            else (a, now)
            for a in plan.added
        ],
    )
    inventory_store.change_machines(uow, [(known.id, asset) for known, asset in plan.changed])
    inventory_store.isolate(
        uow, [(m.asset_id, m.at) for m in plan.isolated if m.asset_id is not None]
    )
    reason = "inventory import: " + ", ".join(sorted(files))
    imported, reclassified = EventType.ASSET_IMPORTED, EventType.ASSET_RECLASSIFIED
    placed = _Placements()
    events = [
        _event(ctx, now=now, kind=imported, before=None, after=placed(a), machine=a, reason=reason)
        for a in plan.added
    ]
    events += [
        _event(
            ctx,
            now=now,
            kind=reclassified,
            before=placed(k),
            after=placed(a),
            machine=a,
            reason=reason,
        )
        for k, a in plan.changed
    ]
    events += _isolated_events(ctx, plan.isolated, now)
    audit_store.record(uow, events)
    summary = {
        "files": files,
        "added": len(plan.added),
        "changed": len(plan.changed),
        "isolated": len(plan.isolated),
        "sites_added": [s.code for s in plan.new_sites],
    }
    audit_store.record(
        uow,
        [
            AuditEvent(
                ctx.request_id,
                ctx.actor,
                now,
                now,
                EventType.INVENTORY_IMPORTED,
                "network",
                plan.new_network or network_store.network_name(uow) or "",
                after=summary,
                reason=reason,
            )
        ],
    )
    record_status_changes(uow, ctx, now)


class _Placements:
    """A machine's placement as its audit rows record it, one dict per distinct placement: the
    rows of 100,000 machines share a few dozen, each converted to JSON once (storage.bulk)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str | None, str], dict[str, str | None]] = {}

    def __call__(self, machine: StoredMachine | Asset) -> dict[str, str | None]:
        key = (machine.kind.value, machine.site, machine.department, machine.role)
        found = self._known.get(key)
        if found is None:
            found = {"kind": key[0], "site": key[1], "department": key[2], "role": key[3]}
            self._known[key] = found
        return found


def _event(
    ctx: Context,
    *,
    now: datetime,
    kind: EventType,
    before: dict[str, str | None] | None,
    after: dict[str, str | None],
    machine: Asset,
    reason: str,
) -> AuditEvent:
    return AuditEvent(
        ctx.request_id,
        ctx.actor,
        now,
        now,
        kind,
        "asset",
        machine.hostname,
        before=before,
        after=after,
        reason=reason,
    )


def _isolated_events(ctx: Context, moves: list[Isolating], now: datetime) -> list[AuditEvent]:
    before, after = {"state": AssetState.COMPROMISED.value}, {"state": AssetState.ISOLATED.value}
    return [
        AuditEvent(
            request_id=ctx.request_id,
            actor=ctx.actor,
            occurred_at=m.at,
            recorded_at=now,
            event_type=EventType.ASSET_TRANSITIONED,
            object_type="asset",
            object_key=m.hostname,
            before=before,
            after=after,
            reason="isolated by the EDR (inventory import)",
            evidence=m.evidence,
        )
        for m in moves
    ]
