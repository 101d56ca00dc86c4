"""Writing what an inventory import found: the network if none, sites, departments, machines.

Bulk statements throughout: 100,000 machines are a few statements, not 100,000 round trips.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import aliased

from relance.domain.lifecycle import AssetState
from relance.domain.network import Asset, AssetKind, Department, Site
from relance.storage import bulk
from relance.storage.database import UnitOfWork
from relance.storage.tables import AssetRow, DepartmentRow, NetworkRow, SiteRow

CHUNK = 10_000


@dataclass(frozen=True)
class StoredMachine:
    id: int
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    state: AssetState


def machines(uow: UnitOfWork) -> dict[str, StoredMachine]:
    """Every machine by hostname, with what an import may change."""
    department = aliased(DepartmentRow)
    query = (
        select(
            AssetRow.id,
            AssetRow.hostname,
            AssetRow.kind,
            SiteRow.code,
            department.code,
            AssetRow.role,
            AssetRow.state,
        )
        .join(SiteRow, AssetRow.site_id == SiteRow.id)
        .outerjoin(department, AssetRow.department_id == department.id)
        .with_for_update(of=AssetRow)  # PostgreSQL locks the rows; SQLite ignores it
    )
    return {
        h: StoredMachine(i, h, AssetKind(k), s, d, r, AssetState(st))
        for i, h, k, s, d, r, st in uow.session.execute(query).all()
    }


def create_network(
    uow: UnitOfWork, name: str, hours: tuple[float, float], sha256: str, at: datetime
) -> None:
    """The network's own row, for a database an inventory import starts."""
    uow.session.add(
        NetworkRow(
            name=name,
            description="",
            workstation_hours=hours[0],
            medical_device_hours=hours[1],
            machine_services="",
            incident_start=None,
            scenario_sha256=sha256,
            loaded_at=at,
            translations={},
        )
    )


def site_ids(uow: UnitOfWork) -> dict[str, int]:
    return dict(uow.session.execute(select(SiteRow.code, SiteRow.id)).all())


def department_ids(uow: UnitOfWork) -> dict[tuple[str, str], int]:
    query = select(SiteRow.code, DepartmentRow.code, DepartmentRow.id).join(
        SiteRow, DepartmentRow.site_id == SiteRow.id
    )
    return {(s, d): i for s, d, i in uow.session.execute(query).all()}


def add_sites(uow: UnitOfWork, sites: Sequence[Site]) -> None:
    if sites:
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind.value,
                "public_name": s.public_name,
                "short_name": s.short_name,
            }
            for s in sites
        ]
        uow.session.execute(insert(SiteRow), rows)


def add_departments(uow: UnitOfWork, departments: Sequence[Department]) -> None:
    ids = site_ids(uow)
    if departments:
        rows = [{"site_id": ids[d.site], "code": d.code, "name": d.name} for d in departments]
        uow.session.execute(insert(DepartmentRow), rows)


MACHINE_COLUMNS = ("hostname", "kind", "site_id", "department_id", "role", "state", "state_since")


def add_machines(uow: UnitOfWork, machines: Sequence[tuple[Asset, datetime]]) -> None:
    """New machines, each in its state since the time given."""
    sites, departments = site_ids(uow), department_ids(uow)
    rows = [
        (
            a.hostname,
            a.kind.value,
            sites[a.site],
            departments[(a.site, a.department)] if a.department else None,
            a.role,
            a.state.value,
            since,
        )
        for a, since in machines
    ]
    bulk.insert_tuples(uow, AssetRow, MACHINE_COLUMNS, rows)


def change_machines(uow: UnitOfWork, changes: Sequence[tuple[int, Asset]]) -> None:
    """New kind, site, department and role of machines already known (their state stays)."""
    sites, departments = site_ids(uow), department_ids(uow)
    rows = [
        {
            "row_id": asset_id,
            "kind": a.kind.value,
            "site_id": sites[a.site],
            "department_id": departments[(a.site, a.department)] if a.department else None,
            "role": a.role,
        }
        for asset_id, a in changes
    ]
    statement = (
        update(AssetRow)
        .where(AssetRow.id == bindparam("row_id"))
        .values(
            kind=bindparam("kind"),
            site_id=bindparam("site_id"),
            department_id=bindparam("department_id"),
            role=bindparam("role"),
        )
        .execution_options(synchronize_session=False)
    )
    connection = uow.session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.execute(statement, rows[start : start + CHUNK])


def isolate(uow: UnitOfWork, moves: Sequence[tuple[int, datetime]]) -> None:
    """Machines isolated, each at its own time (the EDR's): one executemany, not one each."""
    statement = (
        update(AssetRow)
        .where(AssetRow.id == bindparam("row_id"))
        .values(state=AssetState.ISOLATED.value, state_since=bindparam("at"))
        .execution_options(synchronize_session=False)
    )
    rows = [{"row_id": asset_id, "at": at} for asset_id, at in moves]
    connection = uow.session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.execute(statement, rows[start : start + CHUNK])
