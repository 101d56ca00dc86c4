"""The operator of the command line: who signs in on the laptop, and who a kept sign-in is.

`relance login` proves an account with its password (a session, as the dashboard's, 12 hours)
or with one of its API tokens (until the token expires); the laptop keeps the secret, the
database only its SHA-256. Every later command asks here who the secret speaks for: a disabled
account, an ended session or a revoked token speak for nobody.
"""

from dataclasses import dataclass
from datetime import datetime

from relance.app import users
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.users import Principal, digest, principal_of
from relance.domain.audit_events import EventType
from relance.storage import users_store
from relance.storage.database import UnitOfWork

ADDRESS = "command line"  # where the sign-in came from, as the audit trail and the throttle say
SESSION, TOKEN = "session", "token"


@dataclass(frozen=True)
class SignedIn:
    """What the laptop keeps: the kind of secret, the secret, and when it stops working."""

    principal: Principal
    kind: str
    secret: str
    expires_at: datetime


@dataclass(frozen=True)
class Refusal:
    why: str  # "credentials" or "rate_limited"
    wait_seconds: int


def sign_in(uow: UnitOfWork, ctx: Context, login: str, password: str) -> SignedIn | Refusal:
    """A session for the right password, throttled after failures as on the dashboard."""
    result = users.log_in(uow, ctx, login, password, ADDRESS)
    if result.session is None:
        return Refusal(result.refused, int(result.wait.total_seconds()))
    stored = users_store.session(uow, digest(result.session.token))
    assert stored is not None  # noqa: S101 - written by log_in in this transaction
    return SignedIn(result.session.principal, SESSION, result.session.token, stored.expires_at)


def sign_in_with_token(uow: UnitOfWork, ctx: Context, secret: str) -> SignedIn | None:
    """The account a live API token speaks for, until the token expires; None if it opens
    nothing (unknown, expired, revoked, its account disabled)."""
    stored = users_store.token_by_hash(uow, digest(secret))
    if stored is None or stored.expires_at <= ctx.clock.now():
        return None
    account = users_store.by_id(uow, stored.user_id)
    if account is None or not account.active:
        return None
    after = {"address": ADDRESS, "token": stored.id}
    record_event(uow, ctx, EventType.LOGGED_IN, "user", account.login, after=after)
    return SignedIn(principal_of(account, stored.id), TOKEN, secret, stored.expires_at)


def operator(uow: UnitOfWork, ctx: Context, kind: str, secret: str) -> Principal | None:
    """Who a kept sign-in speaks for now; None once it has ended. A read: it writes nothing."""
    if kind == SESSION:
        found = users.session_principal(uow, ctx, secret)
        return found[0] if found else None
    stored = users_store.token_by_hash(uow, digest(secret))
    if stored is None or stored.expires_at <= ctx.clock.now():
        return None
    account = users_store.by_id(uow, stored.user_id)
    return principal_of(account, stored.id) if account and account.active else None


def sign_out(uow: UnitOfWork, ctx: Context, kind: str, secret: str) -> None:
    """End the session (a token lives on: the laptop only forgets it; revoke it to end it)."""
    if kind == SESSION:
        users_store.drop_session(uow, digest(secret))
    record_event(uow, ctx, EventType.LOGGED_OUT, "user", ctx.actor, after={"address": ADDRESS})
