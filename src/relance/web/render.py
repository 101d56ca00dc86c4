"""Pages rendered with Jinja2 from the package's templates, in the reader's language and zone."""

import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from relance.app.incident_clock import DatabaseClock
from relance.domain.clock import ClockMode
from relance.domain.roles import Permission
from relance.i18n import N_, Texts
from relance.reports.codes import ASSET_KINDS, ROLES
from relance.reports.words import Words
from relance.web import duty_banner
from relance.web.auth import Caller, database_clock
from relance.web.language import language

templates = Jinja2Templates(
    env=Environment(
        loader=PackageLoader("relance.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
)

P = Permission
NAVIGATION: tuple[tuple[str, str, Permission], ...] = (
    ("/", N_("Overview"), P.VIEW_STATUS),
    ("/assets", N_("Assets"), P.VIEW_STATUS),
    ("/scan", N_("Scan"), P.TRANSITION_ASSETS),
    ("/services", N_("IT services"), P.VIEW_STATUS),
    ("/plan", N_("Plan"), P.VIEW_STATUS),
    ("/timeline", N_("Timeline"), P.VIEW_STATUS),
    ("/audit", N_("Audit"), P.VIEW_AUDIT),
    ("/appointments", N_("Appointments"), P.VIEW_PATIENTS),
    ("/notifications", N_("Notifications"), P.VIEW_STATUS),
    ("/sitreps", N_("Sitreps"), P.VIEW_STATUS),
    ("/snapshots", N_("Snapshots"), P.VIEW_STATUS),
    ("/review", N_("Review"), P.VIEW_REVIEW),
    ("/users", N_("Accounts"), P.MANAGE_USERS),
)


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(os.environ.get("RELANCE_TIMEZONE", "Europe/Brussels"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Brussels")


def local(moment: datetime | None) -> str:
    return moment.astimezone(zone()).strftime("%Y-%m-%d %H:%M") if moment else "-"


def page(
    request: Request,
    who: Caller | None,
    name: str,
    status_code: int = 200,
    names: dict[str, dict[str, str]] | None = None,
    **values: Any,
) -> HTMLResponse:
    """The template in the reader's language; `names` translate the scenario's own names."""
    lang = language(request)
    nav = [
        (path, label)
        for path, label, permission in NAVIGATION
        if who is not None and who.authority.allows(permission)
    ]
    context = {
        "t": Texts(lang)._,
        "w": Words(lang, names or {}),
        "kinds": ASSET_KINDS,
        "roles": ROLES,
        "lang": lang,
        "who": who,
        "nav": nav,
        "path": request.url.path,
        "local": local,
        "can": (lambda p: who is not None and who.authority.allows(P(p))),
        "clock_mark": _clock_mark(request, who),
        "duty_alarms": duty_banner.alarms(request, who),
        **values,
    }
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _clock_mark(request: Request, who: Caller | None) -> tuple[str, datetime] | None:
    """A replay's or an exercise's mode and time (every page's header shows them, the sign-in
    page too); None for a live database."""
    clock = who.clock if who is not None else database_clock(request)
    if not isinstance(clock, DatabaseClock) or clock.mode() is ClockMode.LIVE:
        return None
    return clock.mode().value, clock.now()
