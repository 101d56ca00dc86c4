"""API tokens for scripts: made for a chosen time, listed without their secret, revoked one by one.

A token lives 12 hours unless its maker says otherwise, 30 days at most; it dies with a password
reset or a disabled account. The database keeps only its SHA-256, as for a session. Who may
see or change an account's tokens: the console, the account itself, or an account manager; and
only someone who proved a password (not another token) makes one, so a stolen token cannot
outlive its expiry by minting its successor.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from relance.app import access
from relance.app.access import Refused
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.incident_clock import people_time
from relance.app.users import Principal, account_named, digest, principal_of
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
from relance.domain.roles import Permission, allows
from relance.domain.text import checked_name
from relance.domain.tokens import DEFAULT_LIFETIME, token_lifetime
from relance.storage import users_store
from relance.storage.database import UnitOfWork
from relance.storage.users_store import Account, StoredToken

LAST_USED_STEP = timedelta(minutes=5)  # a use is written at most this often: reads stay reads


@dataclass(frozen=True)
class NewToken:
    secret: str  # shown once, to the one who made it
    token: StoredToken


@dataclass(frozen=True)
class TokenUse:
    principal: Principal
    record: bool  # the last recorded use is older than LAST_USED_STEP: record this one


def _may_manage(ctx: Context, by: Principal | None, account: Account) -> None:
    """The console (None), the account itself, or an account manager."""
    if by is None or by.login == account.login or allows(by.role, Permission.MANAGE_USERS):
        return
    theirs = N_("only {login} or the crisis lead may see or change its tokens")
    raise Refused(ctx, theirs, login=account.login)


def create_token(
    uow: UnitOfWork,
    ctx: Context,
    login: str,
    name: str,
    lifetime: str = DEFAULT_LIFETIME,
    *,
    by: Principal | None,
) -> NewToken:
    """A new token for the account, living `lifetime` ("12h", "7d"); `by` None: the console."""
    if by is not None and by.token is not None:
        raise Refused(ctx, N_("a token cannot make tokens: sign in with the account's password"))
    account = account_named(uow, login)
    _may_manage(ctx, by, account)
    if not account.active:
        raise InvalidInput(N_("the account {login} is disabled"), login=account.login)
    name = checked_name(name, N_("the token's name"))
    if not name:
        raise InvalidInput(N_("name the token after the script that uses it"))
    now = people_time(ctx)
    expires = now + token_lifetime(lifetime)
    users_store.drop_tokens_of(uow, account.id, expired_at=now)  # dead rows of this account
    secret = "rl_" + secrets.token_urlsafe(32)
    stored = users_store.add_token(
        uow, token_hash=digest(secret), user_id=account.id, name=name, at=now, expires=expires
    )
    after = {"token": stored.id, "name": name, "expires_at": expires.isoformat()}
    record_event(uow, ctx, EventType.TOKEN_CREATED, "user", account.login, after=after)
    return NewToken(secret, stored)


def list_tokens(
    uow: UnitOfWork, ctx: Context, login: str, *, by: Principal | None
) -> list[StoredToken]:
    """The account's tokens that still open the API, oldest first."""
    account = account_named(uow, login, lock=False)
    _may_manage(ctx, by, account)
    return users_store.tokens(uow, account.id, people_time(ctx))


def tokens_by_login(
    uow: UnitOfWork, ctx: Context, *, by: Principal | None
) -> dict[str, list[StoredToken]]:
    """Every account's live tokens, for the accounts page: an account manager's view."""
    if by is not None:
        access.authority(ctx, Permission.MANAGE_USERS)
    logins = {a.id: a.login for a in users_store.all_accounts(uow)}
    found: dict[str, list[StoredToken]] = {}
    for token in users_store.tokens(uow, None, people_time(ctx)):
        found.setdefault(logins[token.user_id], []).append(token)
    return found


def revoke_token(
    uow: UnitOfWork,
    ctx: Context,
    login: str,
    token_id: int,
    *,
    by: Principal | None,
    reason: str = "",
) -> StoredToken:
    """The token stops opening the API at once."""
    account = account_named(uow, login)
    _may_manage(ctx, by, account)
    dropped = users_store.drop_token(uow, account.id, token_id)
    if dropped is None:
        no_token = N_("{login} has no token {id} (relance users tokens {login})")
        raise InvalidInput(no_token, login=account.login, id=token_id)
    after = {"token": dropped.id, "name": dropped.name}
    record_event(
        uow, ctx, EventType.TOKEN_REVOKED, "user", account.login, after=after, reason=reason
    )
    return dropped


def token_user(uow: UnitOfWork, ctx: Context, secret: str) -> TokenUse | None:
    """Who a live token speaks for; None if unknown, expired, revoked or its account disabled."""
    stored = users_store.token_by_hash(uow, digest(secret))
    now = people_time(ctx)
    if stored is None or stored.expires_at <= now:
        return None
    account = users_store.by_id(uow, stored.user_id)
    if account is None or not account.active:
        return None
    last = stored.last_used_at
    return TokenUse(principal_of(account, stored.id), last is None or last <= now - LAST_USED_STEP)


def record_use(uow: UnitOfWork, ctx: Context, token_id: int) -> None:
    """Write when the token was last used (what the lists show), in a unit that may write."""
    users_store.mark_token_used(uow, token_id, people_time(ctx))
