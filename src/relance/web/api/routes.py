"""REST API of the crisis cell: the same app services as the command line, as JSON."""

import os
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from relance.app import dashboard, duty_drafts
from relance.app.appointments import decide_appointment
from relance.app.assets import list_assets, show_asset, transition_matching
from relance.app.audit import audit_trail, latest_change, timeline_page
from relance.app.patient_reads import read_review_queue
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.storage.audit_store import AuditQuery
from relance.web.api import schemas as s
from relance.web.auth import (
    Anyone,
    Auditor,
    Decider,
    PatientReader,
    Technician,
    Viewer,
    transaction,
)
from relance.web.render import zone

router = APIRouter(tags=["crisis cell"])
Codes = Annotated[list[s.Code] | None, Query(max_length=50)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/changes", response_model=s.ChangesOut)
def changes(request: Request, who: Anyone) -> s.ChangesOut:
    """A number that grows with every change: poll it, fetch again when it moves."""
    with transaction(request) as uow:
        return s.ChangesOut(latest=latest_change(uow))


@router.get("/status", response_model=s.StatusOut)
def status(request: Request, who: Viewer, site: Codes = None) -> s.StatusOut:
    """Key figures, machines by state, and each site's clinical activities (HICS words)."""
    with transaction(request) as uow:
        view = dashboard.overview(uow, who.ctx, tuple(site or ()))
    return s.StatusOut(
        network=view.status.network,
        figures=s.FiguresOut.model_validate(view.figures),
        totals=view.status.totals,
        sites=[
            s.SiteOut(
                code=line.code,
                name=line.name,
                kind=line.kind,
                machines=line.machines,
                activities=[
                    s.ActivityOut(
                        code=a.code,
                        name=a.name,
                        functioning=a.status.functioning,
                        capacity=a.status.capacity,
                        reason=a.status.reason,
                    )
                    for a in line.activities
                ],
            )
            for line in view.status.sites
        ],
    )


@router.get("/services", response_model=list[s.ServiceOut])
def services(request: Request, who: Viewer) -> list[s.ServiceOut]:
    """IT services, what each depends on, whether it runs, its servers by state."""
    with transaction(request) as uow:
        found = dashboard.service_map(uow)
    return [
        s.ServiceOut(
            code=x.code,
            name=x.name,
            up=x.code in found.up,
            depends_on=list(x.depends_on),
            servers=found.servers.get(x.code, {}),
        )
        for x in found.services
    ]


def asset_filter(
    site: Codes = None,
    department: Codes = None,
    service: Codes = None,
    state: Annotated[list[AssetState] | None, Query()] = None,
    kind: Annotated[list[AssetKind] | None, Query()] = None,
    hostname: Annotated[list[s.Hostname] | None, Query(max_length=500)] = None,
) -> AssetFilter:
    return AssetFilter(
        sites=tuple(x.upper() for x in site or ()),
        departments=tuple(d.upper() for d in department or ()),
        services=tuple(x.upper() for x in service or ()),
        states=tuple(state or ()),
        kinds=tuple(kind or ()),
        hostnames=tuple(h.upper() for h in hostname or ()),
    )


@router.get("/assets", response_model=s.AssetPage)
def assets(
    request: Request,
    who: Viewer,
    site: Codes = None,
    department: Codes = None,
    service: Codes = None,
    state: Annotated[list[AssetState] | None, Query()] = None,
    kind: Annotated[list[AssetKind] | None, Query()] = None,
    hostname: Annotated[list[s.Hostname] | None, Query(max_length=500)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> s.AssetPage:
    """Machines matching every filter given (each repeatable), a page at a time."""
    where = asset_filter(site, department, service, state, kind, hostname)
    with transaction(request) as uow:
        total, page = list_assets(uow, who.ctx, where, limit, offset)
    items = [s.AssetOut.model_validate(a) for a in page]
    return s.AssetPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/assets/{hostname}", response_model=s.AssetDetailOut)
def asset(request: Request, who: Viewer, hostname: s.Hostname) -> s.AssetDetailOut:
    """One machine and every recorded change of it (404 for another site's, as for none)."""
    with transaction(request) as uow:
        detail = show_asset(uow, who.ctx, hostname)
    return s.AssetDetailOut.model_validate(detail)


@router.post("/assets/transitions", response_model=s.TransitionOut)
def transition(request: Request, who: Technician, body: s.TransitionIn) -> s.TransitionOut:
    """Move every matching machine to `target`: all of them, or none if one move is illegal."""
    where = AssetFilter(
        sites=tuple(x.upper() for x in body.sites),
        departments=tuple(d.upper() for d in body.departments),
        services=tuple(x.upper() for x in body.services),
        states=tuple(body.states),
        kinds=tuple(body.kinds),
        hostnames=tuple(h.upper() for h in body.hostnames),
    )
    with transaction(request) as uow:
        report = transition_matching(
            uow,
            who.ctx,
            where=where,
            target=body.target,
            reason=body.reason,
            evidence=body.evidence or None,
            everything=body.everything,
        )
    return s.TransitionOut.model_validate(report)


@router.get("/timeline", response_model=s.TimelinePage)
def timeline_list(
    request: Request,
    who: Viewer,
    object_key: Annotated[s.Hostname | None, Query(alias="object")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> s.TimelinePage:
    """The incident's story, newest lines first; a bulk change is one line."""
    with transaction(request) as uow:
        total, entries = timeline_page(
            uow, who.ctx, AuditQuery(object_key=object_key), limit, offset
        )
    items = [s.TimelineEntryOut.model_validate(e) for e in entries]
    return s.TimelinePage(total=total, limit=limit, offset=offset, items=items)


@router.get("/audit", response_model=s.AuditPage)
def audit_list(
    request: Request,
    who: Auditor,
    object_key: Annotated[s.Hostname | None, Query(alias="object")] = None,
    event_type: Annotated[list[s.Hostname] | None, Query(alias="type", max_length=20)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> s.AuditPage:
    """Every recorded change, newest first: who, when, what, before and after."""
    query = AuditQuery(object_key=object_key, event_types=tuple(event_type or ()))
    with transaction(request) as uow:
        total, events = audit_trail(uow, who.ctx, query, limit, offset)
    items = [s.AuditEventOut.model_validate(e) for e in reversed(events)]
    return s.AuditPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/plan", response_model=s.PlanOut)
def plan(
    request: Request, who: Viewer, version: Annotated[int | None, Query(ge=1, le=10**6)] = None
) -> s.PlanOut:
    """A plan version (default: the newest) with its reopening forecast."""
    with transaction(request) as uow:
        view = dashboard.plan_view(uow, version, zone())
    chosen = s.PlanVersionOut.model_validate(view.version) if view.version else None
    forecasts = [s.ForecastOut.model_validate(f) for f in view.forecasts]
    return s.PlanOut(version=chosen, above_best=view.above_best, forecasts=forecasts)


@router.get("/plan/{version}/tasks", response_model=s.PlanTasksOut)
def plan_tasks(
    request: Request, who: Viewer, version: Annotated[int, Path(ge=1, le=10**6)]
) -> s.PlanTasksOut:
    """Every task of a plan version: kind, site, team, machines, start and end with the offset
    of the crisis cell's time zone, and the tasks it waits for."""
    with transaction(request) as uow:
        found = dashboard.plan_schedule(uow, version, zone())
    return s.PlanTasksOut(
        version=s.PlanVersionOut.model_validate(found.version),
        time_zone=found.time_zone,
        teams=found.teams,
        tasks=[s.PlanTaskOut.model_validate(t) for t in found.tasks],
    )


@router.get("/appointments/review", response_model=list[s.ReviewItemOut])
def review(request: Request, who: PatientReader) -> list[s.ReviewItemOut]:
    """Appointments waiting for a physician, with the patient: each read is audited."""
    with transaction(request, writes=True) as uow:
        queue = read_review_queue(uow, who.ctx, "api")
    return [
        s.ReviewItemOut(
            appointment=e.external_id,
            starts_at=e.starts_at,
            site=e.site,
            activity=e.activity,
            pathway=e.pathway,
            patient=e.patient.name,
            contact=e.patient.mobile or e.patient.phone,
        )
        for e in queue
    ]


@router.post("/appointments/{appointment}/decision", response_model=s.DecisionOut)
def decide(
    request: Request, who: Decider, appointment: s.Hostname, body: s.DecisionIn
) -> s.DecisionOut:
    """A physician's decision on one appointment; an SMS is queued if it tells the patient."""
    with transaction(request) as uow:
        made = decide_appointment(
            uow,
            who.ctx,
            appointment,
            body.decision,
            body.reason,
            sender=os.environ.get("RELANCE_SMS_SENDER"),
            zone=zone(),
            new_start=body.new_start,
        )
    return s.DecisionOut(appointment=appointment, decision=made)


@router.get("/notifications", response_model=s.NotificationsOut)
def notifications(request: Request, who: Viewer) -> s.NotificationsOut:
    """Patient messages by delivery status (counts only: no patient data)."""
    with transaction(request) as uow:
        found = dashboard.notifications(uow, who.ctx)
    return s.NotificationsOut(
        counts={k.value: v for k, v in found.counts.items()}, queued=found.queued
    )


@router.get("/duties/{key}/draft", response_model=s.DraftOut)
def duty_draft(
    request: Request,
    who: Viewer,
    key: Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,39}$")],
    lang: Annotated[str, Query(pattern=r"^(fr|nl|de|en)$")] = "fr",
) -> s.DraftOut:
    """A legal duty's draft for its authority, field by field, from the cell's records (read
    only: `relance duties draft` records the drafting)."""
    with transaction(request, writes=False) as uow:
        facts, doc = duty_drafts.draft_in(uow, who.ctx, key, lang)
    fields = [
        s.DraftFieldOut(
            label=a.label,
            lines=a.lines,
            recorded=a.recorded,
            sources=[[f"{x.table}.{x.column}[{x.row}]" for x in row] for row in f.rows],
        )
        for f, a in zip(facts.fields, doc.answers, strict=True)
    ]
    return s.DraftOut(
        key=facts.key, language=lang, title=doc.title, subtitle=doc.subtitle, fields=fields
    )


@router.get("/sitreps", response_model=list[s.SitrepOut])
def sitreps(request: Request, who: Viewer) -> list[s.SitrepOut]:
    """Every version of every day's situation report, newest first."""
    with transaction(request) as uow:
        found = dashboard.sitreps(uow)
    return [s.SitrepOut.model_validate(v) for v in found]
