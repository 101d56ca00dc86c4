"""Machines: one query definition per listing, bulk lookups and bulk state changes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import aliased

from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    AssetRow,
    AssetServiceRow,
    AuditRow,
    DepartmentRow,
    ServiceRow,
    SiteRow,
)

LOOKUP_CHUNK = 5_000  # under the bound-parameter limits of SQLite and PostgreSQL


@dataclass(frozen=True)
class AssetRecord:
    id: int
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    state: AssetState
    state_since: datetime
    services: tuple[str, ...] = ()


@dataclass(frozen=True)
class MachineState:
    """What a bulk transition needs of a machine, without loading the whole row."""

    id: int
    hostname: str
    state: AssetState


def _listing(where: AssetFilter) -> Select[AssetRow, str, str]:  # department may be NULL
    """The one query behind every listing of machines (CLI, JSON, bulk transitions)."""
    department = aliased(DepartmentRow)
    query = (
        select(AssetRow, SiteRow.code, department.code)
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .outerjoin(department, AssetRow.department_id == department.id)
    )
    filtered: Select[AssetRow, str, str] = _filtered(query, where, department)
    return filtered


def _filtered(query: Any, where: AssetFilter, department: Any) -> Any:
    """The filters of an AssetFilter, on a query that joins sites and `department`."""
    if where.sites:
        query = query.where(SiteRow.code.in_(where.sites))
    if where.departments:
        query = query.where(department.code.in_(where.departments))
    if where.states:
        query = query.where(AssetRow.state.in_([s.value for s in where.states]))
    if where.kinds:
        query = query.where(AssetRow.kind.in_([k.value for k in where.kinds]))
    if where.hostnames:
        query = query.where(AssetRow.hostname.in_([h.upper() for h in where.hostnames]))
    if where.services:
        hosting = (
            select(AssetServiceRow.asset_id)
            .join(ServiceRow, AssetServiceRow.service_id == ServiceRow.id)
            .where(ServiceRow.code.in_(where.services))
        )
        query = query.where(AssetRow.id.in_(hosting))
    return query


def find(
    uow: UnitOfWork,
    where: AssetFilter,
    limit: int | None = None,
    offset: int = 0,
    for_update: bool = False,
) -> list[AssetRecord]:
    query = _listing(where).order_by(AssetRow.hostname).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    if for_update:
        query = query.with_for_update(of=AssetRow)  # PostgreSQL locks the rows; SQLite ignores it
    return [_record(row, site, dept) for row, site, dept in uow.session.execute(query)]


def count(uow: UnitOfWork, where: AssetFilter) -> int:
    query = select(func.count()).select_from(_listing(where).subquery())
    return uow.session.scalar(query) or 0


def states(uow: UnitOfWork, where: AssetFilter, for_update: bool = False) -> list[MachineState]:
    """Id, hostname and state of the machines matching: light enough for 100,000 of them."""
    department = aliased(DepartmentRow)
    query = (
        select(AssetRow.id, AssetRow.hostname, AssetRow.state)
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .outerjoin(department, AssetRow.department_id == department.id)
    )
    query = _filtered(query, where, department).order_by(AssetRow.hostname)
    if for_update:
        query = query.with_for_update(of=AssetRow)  # PostgreSQL locks the rows; SQLite ignores it
    return [MachineState(i, h, AssetState(s)) for i, h, s in uow.session.execute(query).all()]


def by_hostnames(
    uow: UnitOfWork,
    hostnames: Iterable[str],
    for_update: bool = False,
    sites: tuple[str, ...] = (),
) -> dict[str, MachineState]:
    """The machines named (at these sites, if given), by upper-case hostname; others left out."""
    names = sorted({h.upper() for h in hostnames})
    out: dict[str, MachineState] = {}
    for start in range(0, len(names), LOOKUP_CHUNK):
        chunk = AssetFilter(sites=sites, hostnames=tuple(names[start : start + LOOKUP_CHUNK]))
        out.update((r.hostname, r) for r in states(uow, chunk, for_update))
    return out


def services_by_asset(uow: UnitOfWork, asset_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The services hosted by each of these machines (servers; PCs host none)."""
    out: dict[int, list[str]] = {}
    for start in range(0, len(asset_ids), LOOKUP_CHUNK):
        query = (
            select(AssetServiceRow.asset_id, ServiceRow.code)
            .join(ServiceRow, AssetServiceRow.service_id == ServiceRow.id)
            .where(AssetServiceRow.asset_id.in_(asset_ids[start : start + LOOKUP_CHUNK]))
            .order_by(ServiceRow.code)
        )
        for asset_id, code in uow.session.execute(query).all():
            out.setdefault(asset_id, []).append(code)
    return {k: tuple(v) for k, v in out.items()}


def set_states(uow: UnitOfWork, changes: Sequence[tuple[int, AssetState]], at: datetime) -> None:
    """Write new states: one UPDATE ... WHERE id IN (...) per target state and chunk."""
    by_state: dict[AssetState, list[int]] = {}
    for asset_id, state in changes:
        by_state.setdefault(state, []).append(asset_id)
    for state, ids in by_state.items():
        for start in range(0, len(ids), LOOKUP_CHUNK):
            statement = (
                update(AssetRow)
                .where(AssetRow.id.in_(ids[start : start + LOOKUP_CHUNK]))
                .values(state=state.value, state_since=at)
                .execution_options(synchronize_session=False)
            )
            uow.session.execute(statement)


def state_counts(uow: UnitOfWork) -> list[tuple[str, AssetKind, AssetState, int]]:
    """(site, kind, state, machines) for every combination present."""
    query = (
        select(SiteRow.code, AssetRow.kind, AssetRow.state, func.count())
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .group_by(SiteRow.code, AssetRow.kind, AssetRow.state)
    )
    return [
        (site, AssetKind(kind), AssetState(state), n)
        for site, kind, state, n in uow.session.execute(query).all()
    ]


def server_states_by_service(uow: UnitOfWork) -> dict[str, dict[AssetState, int]]:
    query = (
        select(ServiceRow.code, AssetRow.state, func.count())
        .join(AssetServiceRow, AssetServiceRow.service_id == ServiceRow.id)
        .join(AssetRow, AssetRow.id == AssetServiceRow.asset_id)
        .group_by(ServiceRow.code, AssetRow.state)
    )
    out: dict[str, dict[AssetState, int]] = {}
    for code, state, n in uow.session.execute(query):
        out.setdefault(code, {})[AssetState(state)] = n
    return out


def redeployed_by_department(uow: UnitOfWork) -> dict[tuple[str, AssetKind, str], int]:
    """Redeployed machines per (site, kind, department)."""
    query = (
        select(SiteRow.code, AssetRow.kind, DepartmentRow.code, func.count())
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .join(DepartmentRow, AssetRow.department_id == DepartmentRow.id)
        .where(AssetRow.state == AssetState.REDEPLOYED.value)
        .group_by(SiteRow.code, AssetRow.kind, DepartmentRow.code)
    )
    return {
        (site, AssetKind(kind), dept): n for site, kind, dept, n in uow.session.execute(query).all()
    }


def _record(row: AssetRow, site: str, department: str | None) -> AssetRecord:
    return AssetRecord(
        id=row.id,
        hostname=row.hostname,
        kind=AssetKind(row.kind),
        site=site,
        department=department,
        role=row.role,
        state=AssetState(row.state),
        state_since=row.state_since,
    )


def servers(uow: UnitOfWork) -> list[tuple[str, str, tuple[str, ...], AssetState]]:
    """(hostname, site, hosted services, state) of every server."""
    hosted: dict[int, list[str]] = {}
    query = select(AssetServiceRow.asset_id, ServiceRow.code).join(
        ServiceRow, AssetServiceRow.service_id == ServiceRow.id
    )
    for asset_id, code in uow.session.execute(query).all():
        hosted.setdefault(asset_id, []).append(code)
    rows = uow.session.execute(
        select(AssetRow.id, AssetRow.hostname, SiteRow.code, AssetRow.state)
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .where(AssetRow.kind == AssetKind.SERVER.value)
        .order_by(AssetRow.hostname)
    ).all()
    return [(h, site, tuple(sorted(hosted.get(i, []))), AssetState(s)) for i, h, site, s in rows]


def machine_states(uow: UnitOfWork) -> dict[tuple[str, AssetKind, str], dict[AssetState, int]]:
    """PCs (workstations and device PCs) per (site, kind, department) and state."""
    query = (
        select(SiteRow.code, AssetRow.kind, DepartmentRow.code, AssetRow.state, func.count())
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .join(DepartmentRow, AssetRow.department_id == DepartmentRow.id)
        .where(AssetRow.kind != AssetKind.SERVER.value)
        .group_by(SiteRow.code, AssetRow.kind, DepartmentRow.code, AssetRow.state)
    )
    out: dict[tuple[str, AssetKind, str], dict[AssetState, int]] = {}
    for site, kind, dept, state, n in uow.session.execute(query).all():
        out.setdefault((site, AssetKind(kind), dept), {})[AssetState(state)] = n
    return out


def pcs(uow: UnitOfWork) -> dict[tuple[str, AssetKind, str], list[tuple[str, AssetState]]]:
    """(hostname, state) of every PC per (site, kind, department), by hostname."""
    query = (
        select(SiteRow.code, AssetRow.kind, DepartmentRow.code, AssetRow.hostname, AssetRow.state)
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .join(DepartmentRow, AssetRow.department_id == DepartmentRow.id)
        .where(AssetRow.kind != AssetKind.SERVER.value)
        .order_by(AssetRow.hostname)
    )
    out: dict[tuple[str, AssetKind, str], list[tuple[str, AssetState]]] = {}
    for site, kind, dept, hostname, state in uow.session.execute(query).all():
        out.setdefault((site, AssetKind(kind), dept), []).append((hostname, AssetState(state)))
    return out


def redeployed_over_time(uow: UnitOfWork, sites: Sequence[str] = ()) -> list[datetime]:
    """When each machine was redeployed, from the audit trail (plan-versus-actual curves); of
    the machines of `sites` only, if given."""
    query = select(AuditRow.occurred_at).where(
        AuditRow.event_type == "asset.transitioned",
        AuditRow.after["state"].as_string() == AssetState.REDEPLOYED.value,
    )
    if sites:
        query = (
            query.join(AssetRow, AssetRow.hostname == AuditRow.object_key)
            .join(SiteRow, AssetRow.site_id == SiteRow.id)
            .where(SiteRow.code.in_(sites))
        )
    return list(uow.session.execute(query.order_by(AuditRow.occurred_at)).scalars())
