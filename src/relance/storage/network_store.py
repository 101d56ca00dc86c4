"""Writing a validated network into the database and reading its model back."""

from datetime import datetime

from sqlalchemy import func, insert, select

from relance.domain.network import (
    AssetKind,
    ClinicalActivity,
    Department,
    Effort,
    ItService,
    MachineNeed,
    Network,
    Organisation,
    PublicService,
    Site,
    SiteKind,
    Skill,
    Team,
)
from relance.storage.database import UnitOfWork
from relance.storage.tables import (
    ActivityMachineNeedRow,
    ActivityRow,
    ActivityServiceNeedRow,
    AssetRow,
    AssetServiceRow,
    DepartmentRow,
    NetworkRow,
    ServiceDependencyRow,
    ServiceRow,
    SiteRow,
    TeamRow,
)

CHUNK = 10_000


def network_name(uow: UnitOfWork) -> str | None:
    return uow.session.scalar(select(NetworkRow.name).limit(1))


def save_network(uow: UnitOfWork, network: Network, sha256: str, loaded_at: datetime) -> None:
    """Insert every row of the network; bulk inserts, so 100,000 machines take seconds."""
    s = uow.session
    org = network.organisation
    s.add(
        NetworkRow(
            name=network.name,
            description=network.description,
            workstation_hours=network.effort.workstation_hours,
            medical_device_hours=network.effort.medical_device_hours,
            machine_services=",".join(network.effort.machine_services),
            incident_start=network.incident_start,
            scenario_sha256=sha256,
            loaded_at=loaded_at,
            public_name=org.name if org else "",
            short_name=org.short_name if org else "",
            patient_line=org.patient_line if org else "",
            switchboard=org.switchboard if org else "",
            website=org.website if org else "",
            sms_sender=org.sms_sender if org else "",
            translations={k: dict(v) for k, v in network.translations.items()},
        )
    )
    site_ids = _insert_ids(
        uow,
        SiteRow,
        [
            {
                "code": x.code,
                "name": x.name,
                "kind": x.kind.value,
                "public_name": x.public_name,
                "short_name": x.short_name,
            }
            for x in network.sites
        ],
    )
    department_ids: dict[tuple[str, str], int] = {}
    for d in network.departments:
        row = DepartmentRow(site_id=site_ids[d.site], code=d.code, name=d.name)
        s.add(row)
        s.flush()
        department_ids[(d.site, d.code)] = row.id
    service_ids = _insert_ids(
        uow,
        ServiceRow,
        [
            {"code": x.code, "name": x.name, "rebuild_hours": x.rebuild_hours, "tier": x.tier}
            for x in network.services
        ],
    )
    _bulk(
        uow,
        ServiceDependencyRow,
        [
            {"service_id": service_ids[x.code], "depends_on_id": service_ids[d]}
            for x in network.services
            for d in x.depends_on
        ],
    )
    s.add_all(
        TeamRow(
            code=t.code,
            name=t.name,
            site_id=site_ids[t.site] if t.site else None,
            size=t.size,
            skills=",".join(sorted(t.skills)),
        )
        for t in network.teams
    )
    _save_activities(uow, network, site_ids, service_ids, department_ids)
    _save_assets(
        uow,
        network=network,
        loaded_at=loaded_at,
        site_ids=site_ids,
        service_ids=service_ids,
        department_ids=department_ids,
    )


def _insert_ids(
    uow: UnitOfWork, table: type[SiteRow] | type[ServiceRow], rows: list[dict[str, object]]
) -> dict[str, int]:
    """Insert rows with a unique `code` and return their ids by code."""
    _bulk(uow, table, rows)
    return dict(uow.session.execute(select(table.code, table.id)).all())


def _bulk(uow: UnitOfWork, table: type[object], rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), CHUNK):
        uow.session.execute(insert(table), rows[start : start + CHUNK])


def _save_activities(
    uow: UnitOfWork,
    network: Network,
    site_ids: dict[str, int],
    service_ids: dict[str, int],
    department_ids: dict[tuple[str, str], int],
) -> None:
    for a in network.activities:
        row = ActivityRow(
            site_id=site_ids[a.site],
            code=a.code,
            name=a.name,
            weight=a.weight,
            paper_mode=a.paper_mode,
            paper_capacity=a.paper_capacity,
            public_service=a.public_service.value if a.public_service else None,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.session.add_all(
            ActivityServiceNeedRow(activity_id=row.id, service_id=service_ids[c])
            for c in a.services
        )
        uow.session.add_all(
            ActivityMachineNeedRow(
                activity_id=row.id,
                kind=n.kind.value,
                department_id=department_ids[(a.site, n.department)],
                count=n.count,
            )
            for n in a.machines
        )


def _save_assets(
    uow: UnitOfWork,
    *,
    network: Network,
    loaded_at: datetime,
    site_ids: dict[str, int],
    service_ids: dict[str, int],
    department_ids: dict[tuple[str, str], int],
) -> None:
    _bulk(
        uow,
        AssetRow,
        [
            {
                "hostname": a.hostname,
                "kind": a.kind.value,
                "site_id": site_ids[a.site],
                "department_id": department_ids[(a.site, a.department)] if a.department else None,
                "role": a.role,
                "state": a.state.value,
                "state_since": loaded_at,
            }
            for a in network.assets
        ],
    )
    hosting = [a for a in network.assets if a.services]
    if not hosting:
        return
    asset_ids = dict(
        uow.session.execute(
            select(AssetRow.hostname, AssetRow.id).where(AssetRow.kind == AssetKind.SERVER.value)
        ).all()
    )
    _bulk(
        uow,
        AssetServiceRow,
        [
            {"asset_id": asset_ids[a.hostname], "service_id": service_ids[code]}
            for a in hosting
            for code in a.services
        ],
    )


def sites(uow: UnitOfWork) -> list[Site]:
    rows = uow.session.execute(select(SiteRow).order_by(SiteRow.id)).scalars()
    return [Site(r.code, r.name, SiteKind(r.kind), r.public_name, r.short_name) for r in rows]


def department_names(uow: UnitOfWork) -> dict[tuple[str, str], str]:
    """(site code, department code) -> the department's name."""
    rows = uow.session.execute(
        select(SiteRow.code, DepartmentRow.code, DepartmentRow.name).join(
            SiteRow, DepartmentRow.site_id == SiteRow.id
        )
    ).all()
    return {(site, code): name for site, code, name in rows}


def organisation(uow: UnitOfWork) -> Organisation | None:
    """Who patients hear from; None for a network loaded before scenarios carried it."""
    row = uow.session.execute(select(NetworkRow).limit(1)).scalar_one_or_none()
    if row is None or not row.public_name:
        return None
    return Organisation(
        row.public_name,
        row.short_name,
        row.patient_line,
        row.sms_sender,
        row.switchboard,
        row.website,
    )


def translations(uow: UnitOfWork) -> dict[str, dict[str, str]]:
    """The scenario's names in other languages: language -> name -> translation."""
    found = uow.session.scalar(select(NetworkRow.translations).limit(1))
    return dict(found or {})


def departments(uow: UnitOfWork) -> list[Department]:
    query = (
        select(SiteRow.code, DepartmentRow.code, DepartmentRow.name)
        .join(SiteRow, DepartmentRow.site_id == SiteRow.id)
        .order_by(SiteRow.id, DepartmentRow.id)
    )
    return [Department(*row) for row in uow.session.execute(query).all()]


def services(uow: UnitOfWork) -> list[ItService]:
    s = uow.session
    codes = dict(s.execute(select(ServiceRow.id, ServiceRow.code)).all())
    deps: dict[int, list[str]] = {}
    for service_id, depends_on_id in s.execute(
        select(ServiceDependencyRow.service_id, ServiceDependencyRow.depends_on_id)
    ):
        deps.setdefault(service_id, []).append(codes[depends_on_id])
    rows = s.execute(select(ServiceRow).order_by(ServiceRow.id)).scalars()
    return [
        ItService(r.code, r.name, r.rebuild_hours, tuple(sorted(deps.get(r.id, []))), r.tier)
        for r in rows
    ]


def activities(uow: UnitOfWork) -> list[ClinicalActivity]:
    s = uow.session
    site_codes = dict(s.execute(select(SiteRow.id, SiteRow.code)).all())
    service_codes = dict(s.execute(select(ServiceRow.id, ServiceRow.code)).all())
    department_codes = dict(s.execute(select(DepartmentRow.id, DepartmentRow.code)).all())
    needs_services: dict[int, list[str]] = {}
    for activity_id, service_id in s.execute(
        select(ActivityServiceNeedRow.activity_id, ActivityServiceNeedRow.service_id)
    ):
        needs_services.setdefault(activity_id, []).append(service_codes[service_id])
    needs_machines: dict[int, list[MachineNeed]] = {}
    for need in s.execute(select(ActivityMachineNeedRow)).scalars():
        needs_machines.setdefault(need.activity_id, []).append(
            MachineNeed(AssetKind(need.kind), department_codes[need.department_id], need.count)
        )
    return [
        ClinicalActivity(
            site=site_codes[r.site_id],
            code=r.code,
            name=r.name,
            weight=r.weight,
            paper_mode=r.paper_mode,
            paper_capacity=r.paper_capacity,
            services=tuple(sorted(needs_services.get(r.id, []))),
            machines=tuple(needs_machines.get(r.id, [])),
            public_service=PublicService(r.public_service) if r.public_service else None,
        )
        for r in s.execute(select(ActivityRow).order_by(ActivityRow.id)).scalars()
    ]


def asset_count(uow: UnitOfWork) -> int:
    return uow.session.scalar(select(func.count()).select_from(AssetRow)) or 0


def effort(uow: UnitOfWork) -> tuple[Effort, datetime | None]:
    """The scenario's effort figures and the incident's start (day 0 of forecasts)."""
    row = uow.session.execute(select(NetworkRow).limit(1)).scalar_one()
    services = tuple(c for c in row.machine_services.split(",") if c)
    return Effort(row.workstation_hours, row.medical_device_hours, services), row.incident_start


def teams(uow: UnitOfWork) -> list[Team]:
    site_codes = dict(uow.session.execute(select(SiteRow.id, SiteRow.code)).all())
    return [
        Team(
            r.code,
            r.name,
            site_codes[r.site_id] if r.site_id is not None else None,
            r.size,
            frozenset(Skill(s) for s in r.skills.split(",") if s),
        )
        for r in uow.session.execute(select(TeamRow).order_by(TeamRow.id)).scalars()
    ]
