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
from relance.domain.roles import Permission
from relance.web import duty_banner
from relance.web.auth import Caller
from relance.web.i18n import language, translator

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
    ("/", "Overview", P.VIEW_STATUS),
    ("/assets", "Assets", P.VIEW_STATUS),
    ("/scan", "Scan", P.TRANSITION_ASSETS),
    ("/services", "IT services", P.VIEW_STATUS),
    ("/plan", "Plan", P.VIEW_STATUS),
    ("/timeline", "Timeline", P.VIEW_STATUS),
    ("/audit", "Audit", P.VIEW_AUDIT),
    ("/appointments", "Appointments", P.VIEW_PATIENTS),
    ("/notifications", "Notifications", P.VIEW_STATUS),
    ("/sitreps", "Sitreps", P.VIEW_STATUS),
    ("/snapshots", "Snapshots", P.VIEW_STATUS),
    ("/review", "Review", P.VIEW_REVIEW),
    ("/users", "Accounts", P.MANAGE_USERS),
)


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(os.environ.get("RELANCE_TIMEZONE", "Europe/Brussels"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Brussels")


def local(moment: datetime | None) -> str:
    return moment.astimezone(zone()).strftime("%Y-%m-%d %H:%M") if moment else "-"


def page(
    request: Request, who: Caller | None, name: str, status_code: int = 200, **values: Any
) -> HTMLResponse:
    lang = language(request)
    nav = [
        (path, label)
        for path, label, permission in NAVIGATION
        if who is not None and who.authority.allows(permission)
    ]
    context = {
        "t": translator(lang),
        "lang": lang,
        "who": who,
        "nav": nav,
        "path": request.url.path,
        "local": local,
        "can": (lambda p: who is not None and who.authority.allows(P(p))),
        "replay_at": _replay_time(who),
        "duty_alarms": duty_banner.alarms(request, who),
        "duty_titles": duty_banner.TITLES,
        **values,
    }
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _replay_time(who: Caller | None) -> datetime | None:
    """The incident's time when the database replays one (every page's header shows it)."""
    clock = who.clock if who is not None else None
    return clock.now() if isinstance(clock, DatabaseClock) and clock.replaying() else None
