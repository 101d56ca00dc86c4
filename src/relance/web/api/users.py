"""Accounts and API tokens through the API: the crisis lead manages, everyone has tokens."""

from fastapi import APIRouter, Request

from relance.app import tokens, users
from relance.domain.roles import Permission
from relance.web.api import schemas as s
from relance.web.auth import Administrator, Anyone, Caller, transaction

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
        accounts = users.list_users(uow, who.ctx)
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
def set_role(request: Request, who: Administrator, login: s.Login, body: s.RoleIn) -> s.UserOut:
    """Change an account's role (and its sites if given); its sessions end."""
    sites = tuple(body.sites) if body.sites is not None else None
    with transaction(request) as uow:
        account = users.change_role(uow, who.ctx, login, body.role, sites)
    return s.UserOut.model_validate(account)


@router.post("/users/{login}/disable", response_model=s.UserOut)
def disable(request: Request, who: Administrator, login: s.Login) -> s.UserOut:
    """No more sign-in for this account; its sessions end, its tokens are revoked."""
    with transaction(request) as uow:
        account = users.disable_user(uow, who.ctx, login)
    return s.UserOut.model_validate(account)


@router.post("/users/{login}/reset-password", response_model=s.NewPasswordOut)
def reset_password(request: Request, who: Administrator, login: s.Login) -> s.NewPasswordOut:
    """A new generated password, in the answer once; its sessions end, its tokens die."""
    with transaction(request) as uow:
        account, password = users.reset_password(uow, who.ctx, login)
    return s.NewPasswordOut(login=account.login, password=password)


@router.get("/tokens", response_model=list[s.TokenInfoOut])
def my_tokens(request: Request, who: Anyone) -> list[s.TokenInfoOut]:
    """The calling account's live tokens (never their secret)."""
    return _tokens(request, who, who.principal.login)


@router.post("/tokens", response_model=s.TokenOut, status_code=201)
def create_token(request: Request, who: Anyone, body: s.TokenIn) -> s.TokenOut:
    """A token for a script of the calling account (Authorization: Bearer TOKEN), shown once.

    Only a signed-in session makes one (a token cannot); it lives `expires` (12h unless said,
    30d at most).
    """
    p = who.principal
    with transaction(request) as uow:
        made = tokens.create_token(uow, who.ctx, p.login, body.name, body.expires, by=p)
    return s.TokenOut(token=made.secret, **s.TokenInfoOut.model_validate(made.token).model_dump())


@router.delete("/tokens/{token_id}", response_model=s.TokenInfoOut)
def revoke_my_token(request: Request, who: Anyone, token_id: s.Id) -> s.TokenInfoOut:
    """Revoke one of the calling account's tokens: it stops working at once."""
    return _revoke(request, who, who.principal.login, token_id)


@router.get("/users/{login}/tokens", response_model=list[s.TokenInfoOut])
def user_tokens(request: Request, who: Administrator, login: s.Login) -> list[s.TokenInfoOut]:
    """An account's live tokens (never their secret)."""
    return _tokens(request, who, login)


@router.delete("/users/{login}/tokens/{token_id}", response_model=s.TokenInfoOut)
def revoke_user_token(
    request: Request, who: Administrator, login: s.Login, token_id: s.Id
) -> s.TokenInfoOut:
    """Revoke one token of an account: it stops working at once."""
    return _revoke(request, who, login, token_id)


def _tokens(request: Request, who: Caller, login: str) -> list[s.TokenInfoOut]:
    with transaction(request) as uow:
        found = tokens.list_tokens(uow, who.ctx, login, by=who.principal)
    return [s.TokenInfoOut.model_validate(t) for t in found]


def _revoke(request: Request, who: Caller, login: str, token_id: int) -> s.TokenInfoOut:
    with transaction(request) as uow:
        dropped = tokens.revoke_token(uow, who.ctx, login, token_id, by=who.principal)
    return s.TokenInfoOut.model_validate(dropped)
