"""Accounts and API tokens through the API: the crisis lead manages, everyone makes tokens."""

from fastapi import APIRouter, Request

from relance.app import users
from relance.domain.roles import Permission
from relance.web.api import schemas as s
from relance.web.auth import Administrator, Anyone, transaction

router = APIRouter(tags=["accounts"])


@router.get("/me", response_model=s.MeOut)
def me(who: Anyone) -> s.MeOut:
    """The calling account and what it may do (its role, within its sites)."""
    p = who.principal
    allowed = sorted(x.value for x in Permission if who.authority.allows(x))
    return s.MeOut(
        login=p.login, name=p.name, role=p.role, sites=list(p.sites), permissions=allowed
    )


@router.get("/users", response_model=list[s.UserOut])
def list_users(request: Request, who: Administrator) -> list[s.UserOut]:
    """Every account."""
    with transaction(request) as uow:
        accounts = users.list_users(uow)
    return [s.UserOut.model_validate(a) for a in accounts]


@router.post("/users", response_model=s.NewPasswordOut, status_code=201)
def add_user(request: Request, who: Administrator, body: s.UserIn) -> s.NewPasswordOut:
    """A new account; its generated password is in the answer, once."""
    with transaction(request) as uow:
        account, password = users.add_user(
            uow, who.ctx, body.login, body.role, name=body.name, sites=tuple(body.sites)
        )
    return s.NewPasswordOut(login=account.login, password=password)


@router.put("/users/{login}/role", response_model=s.UserOut)
def set_role(request: Request, who: Administrator, login: s.Code, body: s.RoleIn) -> s.UserOut:
    """Change an account's role (and its sites if given); its sessions end."""
    sites = tuple(body.sites) if body.sites is not None else None
    with transaction(request) as uow:
        account = users.change_role(uow, who.ctx, login, body.role, sites)
    return s.UserOut.model_validate(account)


@router.post("/users/{login}/disable", response_model=s.UserOut)
def disable(request: Request, who: Administrator, login: s.Code) -> s.UserOut:
    """No more sign-in for this account; its sessions end, its tokens are revoked."""
    with transaction(request) as uow:
        account = users.disable_user(uow, who.ctx, login)
    return s.UserOut.model_validate(account)


@router.post("/users/{login}/reset-password", response_model=s.NewPasswordOut)
def reset_password(request: Request, who: Administrator, login: s.Code) -> s.NewPasswordOut:
    """A new generated password, in the answer once; the account's sessions end."""
    with transaction(request) as uow:
        account, password = users.reset_password(uow, who.ctx, login)
    return s.NewPasswordOut(login=account.login, password=password)


@router.post("/tokens", response_model=s.TokenOut, status_code=201)
def create_token(request: Request, who: Anyone, body: s.TokenIn) -> s.TokenOut:
    """A token for a script of the calling account (Authorization: Bearer TOKEN), shown once."""
    with transaction(request) as uow:
        token = users.create_token(uow, who.ctx, who.principal.login, body.name, body.days)
    return s.TokenOut(token=token)
