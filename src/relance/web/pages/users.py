"""The accounts page: the crisis lead adds, disables, resets, changes roles, revokes tokens."""

import re
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from relance.app import tokens, users
from relance.domain.roles import Role
from relance.web.auth import Administrator, Caller, transaction
from relance.web.render import page

router = APIRouter(default_response_class=HTMLResponse)
Text = Annotated[str, Form(max_length=200)]
TokenId = Annotated[int, Path(ge=1, le=2_147_483_647)]  # fits a database integer


def _sites(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s,]+", text) if w)


@router.get("/users")
def accounts(request: Request, who: Administrator) -> Response:
    with transaction(request) as uow:
        found = users.list_users(uow, who.ctx)
        live = tokens.tokens_by_login(uow, who.ctx, by=who.principal)
    return page(
        request,
        who,
        "users.html",
        accounts=found,
        tokens=live,
        least=Role.OBSERVER,
    )


@router.post("/users")
def add(
    request: Request,
    who: Administrator,
    login: Text,
    role: Annotated[Role, Form()] = Role.OBSERVER,  # least privilege unless said
    name: Text = "",
    sites: Text = "",
) -> Response:
    with transaction(request) as uow:
        account, password = users.add_user(
            uow, who.ctx, login, role, name=name, sites=_sites(sites)
        )
    return _shown(request, who, account.login, password)


@router.post("/users/{login}/reset-password")
def reset(request: Request, who: Administrator, login: str) -> Response:
    with transaction(request) as uow:
        account, password = users.reset_password(uow, who.ctx, login)
    return _shown(request, who, account.login, password)


@router.post("/users/{login}/disable")
def disable(request: Request, who: Administrator, login: str) -> Response:
    with transaction(request) as uow:
        users.disable_user(uow, who.ctx, login)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{login}/role")
def set_role(
    request: Request,
    who: Administrator,
    login: str,
    role: Annotated[Role, Form()],
    sites: Text = "",
) -> Response:
    with transaction(request) as uow:
        users.change_role(uow, who.ctx, login, role, _sites(sites))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{login}/tokens/{token_id}/revoke")
def revoke_token(request: Request, who: Administrator, login: str, token_id: TokenId) -> Response:
    with transaction(request) as uow:
        tokens.revoke_token(uow, who.ctx, login, token_id, by=who.principal)
    return RedirectResponse("/users", status_code=303)


def _shown(request: Request, who: Caller, login: str, password: str) -> Response:
    """The new password, once, on a page of its own (not in a URL, not in a log)."""
    return page(request, who, "password.html", login=login, password=password)
