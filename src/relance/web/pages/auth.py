"""Signing in and out, and the language of the pages."""

import math
import os
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from relance.app import users
from relance.app.context import Context
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.web.auth import SESSION_COOKIE, Anyone, address, database_clock, transaction
from relance.web.language import LANG_COOKIE, LANGUAGES
from relance.web.palette import ink
from relance.web.render import page

router = APIRouter()
LOGIN_CSRF = "relance_login_csrf"
Field = Annotated[str, Form(max_length=500)]


def _secure(request: Request) -> bool:
    """Secure cookies over HTTPS, or always when RELANCE_SECURE_COOKIES is set (behind a proxy)."""
    return request.url.scheme == "https" or bool(os.environ.get("RELANCE_SECURE_COOKIES"))


def _local(target: str) -> str:
    """Only a path of this site: never an address elsewhere (open redirect)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


def _wait(seconds: str) -> str:
    """'5 s' or '3 min' (the same in French): how long before the next attempt."""
    if not seconds.isdecimal() or len(seconds) > 6:
        return ""
    n = int(seconds)
    return "" if n <= 0 else f"{n} s" if n < 120 else f"{math.ceil(n / 60)} min"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", error: str = "", wait: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    response = page(
        request, None, "login.html", next=_local(next), error=error, wait=_wait(wait), csrf=token
    )
    response.set_cookie(
        LOGIN_CSRF, token, httponly=True, samesite="strict", secure=_secure(request), max_age=3600
    )
    return response


@router.post("/login")
def login(
    request: Request,
    login: Field,
    password: Field,
    csrf: Field = "",
    next: Field = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        return RedirectResponse("/login?error=expired", status_code=303)
    with transaction(request) as uow:
        ctx = Context(actor=login[:80], clock=database_clock(request))
        result = users.log_in(uow, ctx, login, password, address(request))
    if result.session is None:
        wait = f"&wait={math.ceil(result.wait.total_seconds())}" if result.wait else ""
        return RedirectResponse(f"/login?error={result.refused}{wait}", status_code=303)
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.session.token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=int(users.SESSION_LIFETIME.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout(request: Request, who: Anyone) -> Response:
    with transaction(request) as uow:
        users.log_out(uow, who.ctx, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def set_language(request: Request, code: str, next: str = "/") -> Response:
    response = RedirectResponse(_local(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 86400)
    return response


@router.get("/colours.css")
def colours() -> Response:
    """The colours of states and HICS words, from the enums that carry them (one source)."""
    colours = [(f"s-{s.value}", s.colour) for s in AssetState]
    colours += [(f"f-{f.value}", f.colour) for f in Functioning]
    rules = [f".{name}{{background:{colour};color:{ink(colour)}}}" for name, colour in colours]
    return Response(
        "\n".join(rules) + "\n", media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )
