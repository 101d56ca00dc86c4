"""Pages of the network: overview, machines (with the bulk transition), services, plan, history."""

import re
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from relance.app import dashboard, duties
from relance.app.assets import list_assets, show_asset, transition_matching
from relance.app.audit import audit_trail, latest_change, timeline_page
from relance.domain.errors import N_, InvalidInput
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.reports.reasons import activity_reasons
from relance.reports.words import Words
from relance.storage.audit_store import AuditQuery
from relance.storage.database import UnitOfWork
from relance.web import audit_view, charts
from relance.web.api.schemas import Hostname
from relance.web.auth import Auditor, Caller, Technician, Viewer, transaction
from relance.web.language import language, texts
from relance.web.page_cache import rendered_pages
from relance.web.render import local, page, zone

router = APIRouter(default_response_class=HTMLResponse)
PAGE = 50
Word = Annotated[str, Query(max_length=200, pattern=r"^[A-Za-z0-9_ ,.-]*$")]
FormWord = Annotated[str, Form(max_length=4000, pattern=r"^[A-Za-z0-9_ ,.\r\n-]*$")]
Number = Annotated[int, Query(ge=0, le=1_000_000)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.upper() for w in re.split(r"[\s,]+", text) if w)


def _filter(site: str, department: str, service: str, state: str, kind: str, q: str) -> AssetFilter:
    states = tuple(s for s in AssetState if s.value == state)
    kinds = tuple(k for k in AssetKind if k.value == kind)
    return AssetFilter(
        sites=_words(site),
        departments=_words(department),
        services=_words(service),
        states=states,
        kinds=kinds,
        hostnames=_words(q),
    )


@router.get("/")
def overview(request: Request, who: Viewer) -> Response:
    with transaction(request) as uow:
        return rendered_pages(request).serve(
            request, who, latest_change(uow), lambda: _overview(request, who, uow)
        )


def _overview(request: Request, who: Caller, uow: UnitOfWork) -> Response:
    view = dashboard.overview(uow, who.ctx)
    try:
        register = duties.duty_register(uow, who.ctx)
    except InvalidInput:  # no incident declared: no duty yet
        register = None
    columns: dict[str, str] = {}
    for line in view.status.sites:
        for a in line.activities:
            columns.setdefault(a.code, a.name)
    words = texts(request)
    curve = charts.restoration_curve(
        view.redeployed_at,
        view.figures.machines,
        view.figures.incident_start,
        words._("Restoration curve"),
        lambda n: words._("D{n}", n=n),
    )
    return page(
        request,
        who,
        "overview.html",
        view=view,
        columns=columns,
        curve=curve,
        path_states=PATH,
        functioning=list(Functioning),
        register=register,
        # A replay runs with the wall clock from the incident's time: the page's counters add
        # this to the browser's clock (0 when live), which holds however long the page is kept.
        clock_offset_ms=round((who.ctx.clock.now() - datetime.now(UTC)).total_seconds() * 1000),
        names=view.names,
        services={s.code: s.name for s in view.status.services},
        why=activity_reasons,
    )


@router.get("/assets")
def assets(
    request: Request,
    who: Viewer,
    site: Word = "",
    department: Word = "",
    service: Word = "",
    state: Word = "",
    kind: Word = "",
    q: Word = "",
    offset: Number = 0,
    moved: Number | None = None,
) -> Response:
    where = _filter(site, department, service, state, kind, q)
    shown = {"site": site, "department": department, "service": service, "state": state}
    shown |= {"kind": kind, "q": q}

    def render() -> Response:
        total, found = list_assets(uow, who.ctx, where, PAGE, offset)
        return page(
            request,
            who,
            "assets.html",
            total=total,
            assets=found,
            offset=offset,
            size=PAGE,
            filters=shown,
            query=urlencode({k: v for k, v in shown.items() if v}),
            states=list(PATH),
            kinds=list(AssetKind),
            moved=moved,
        )

    with transaction(request) as uow:
        return rendered_pages(request).serve(request, who, latest_change(uow), render)


@router.get("/assets/{hostname}")
def asset(request: Request, who: Viewer, hostname: Hostname) -> Response:
    """One machine: where it is, what it hosts, and every step of its path, with evidence."""
    with transaction(request) as uow:
        detail = show_asset(uow, who.ctx, hostname)
    return page(request, who, "asset.html", detail=detail)


@router.post("/assets/transition")
def transition(
    request: Request,
    who: Technician,
    target: Annotated[str, Form(max_length=40)] = "",
    site: FormWord = "",
    department: FormWord = "",
    service: FormWord = "",
    state: FormWord = "",
    kind: FormWord = "",
    q: FormWord = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    evidence: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    where = _filter(site, department, service, state, kind, q)
    with transaction(request) as uow:
        report = transition_matching(
            uow,
            who.ctx,
            where=where,
            target=_target(target),
            reason=reason,
            evidence=evidence or None,
        )
    shown = {"site": site, "department": department, "service": service, "state": state}
    shown |= {"kind": kind, "q": q}
    query = urlencode({k: v for k, v in shown.items() if v} | {"moved": report.moved})
    return RedirectResponse(f"/assets?{query}", status_code=303)


def _target(text: str) -> AssetState:
    """The state chosen in the form: there is no default, a person picks one."""
    for state in AssetState:
        if state.value == text:
            return state
    raise InvalidInput(N_("choose the new state of the machines"))


@router.get("/services")
def services(request: Request, who: Viewer) -> Response:
    with transaction(request) as uow:
        found = dashboard.service_map(uow)
    words = texts(request)
    graph = charts.dependency_graph(found.services, found.up, words._("Dependencies"))
    return page(request, who, "services.html", found=found, graph=graph)


@router.get("/timeline")
def timeline(request: Request, who: Viewer, offset: Number = 0) -> Response:
    with transaction(request) as uow:
        total, entries = timeline_page(uow, who.ctx, AuditQuery(), 100, offset)
    return page(
        request, who, "timeline.html", total=total, entries=entries, offset=offset, size=100
    )


@router.get("/audit")
def audit(request: Request, who: Auditor, offset: Number = 0, obj: Word = "") -> Response:
    query = AuditQuery(object_key=obj or None)
    with transaction(request) as uow:
        total, events = audit_trail(uow, who.ctx, query, 100, offset)
    return page(
        request,
        who,
        "audit.html",
        total=total,
        events=list(reversed(events)),
        offset=offset,
        size=100,
        obj=obj,
        change=audit_view.changes,
    )


@router.get("/plan")
def plan(
    request: Request, who: Viewer, version: Annotated[int | None, Query(ge=1, le=10**6)] = None
) -> Response:
    with transaction(request) as uow:
        view = dashboard.plan_view(uow, version, zone())
    words = Words(language(request), view.names)
    picture = None
    if view.version:
        v = view.version
        axis = charts.PlanAxis(
            v.start_at, v.hours_per_day, view.day0 or v.start_at, who.ctx.clock.now()
        )
        picture = charts.gantt(view.tasks, view.forecasts, axis, _gantt_words(words))
    return page(request, who, "plan.html", view=view, gantt=picture, names=view.names)


def _gantt_words(words: Words) -> charts.GanttWords:
    return charts.GanttWords(
        label=words._("Tasks by team"),
        day=words.day,
        now=words._("now"),
        services=words._("Services up"),
        site=lambda code: words._("{site}: activities back", site=code),
        reopens=lambda f: words._(
            "{site} {activity}: fully back {when}",
            site=f.site,
            activity=words.name(f.name),
            when=local(f.full_at),
        ),
    )
