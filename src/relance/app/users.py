"""Local accounts: add, disable, reset, change role; sign-in with a rate limit; sessions, tokens.

Passwords are hashed with argon2; a session cookie and an API token are random strings of
which the database keeps only the SHA-256, so a stolen database opens no session.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import InvalidInput
from relance.domain.roles import Role
from relance.domain.text import checked_name, checked_text
from relance.storage import network_store, users_store
from relance.storage.database import UnitOfWork
from relance.storage.users_store import Account

SESSION_LIFETIME = timedelta(hours=12)  # one crisis-cell shift
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD = 12
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("relance: no such account, same work")


@dataclass(frozen=True)
class Principal:
    """The person behind a request: what the pages and the API authorise."""

    id: int
    login: str
    name: str
    role: Role
    sites: tuple[str, ...]


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf: str
    principal: Principal


@dataclass(frozen=True)
class SignIn:
    session: NewSession | None
    refused: str = ""  # "credentials" or "rate_limited"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.login, account.name, Role(account.role), account.sites)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")


def _check_sites(uow: UnitOfWork, sites: tuple[str, ...]) -> tuple[str, ...]:
    known = {s.code for s in network_store.sites(uow)}
    wanted = tuple(sorted({s.strip().upper() for s in sites if s.strip()}))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise InvalidInput(f"unknown site {', '.join(unknown)} (sites: {', '.join(sorted(known))})")
    return wanted


def _account(uow: UnitOfWork, login: str) -> Account:
    account = users_store.by_login(uow, login.strip().lower(), for_update=True)
    if account is None:
        raise InvalidInput(f"no account {login!r} (relance users list)")
    return account


def add_user(
    uow: UnitOfWork,
    ctx: Context,
    login: str,
    role: Role,
    *,
    name: str = "",
    sites: tuple[str, ...] = (),
    password: str | None = None,
) -> tuple[Account, str]:
    """A new active account; returns it with its password (generated unless given)."""
    name = checked_name(name, "the name")
    login = login.strip().lower()
    if not LOGIN.fullmatch(login):
        raise InvalidInput(f"login {login!r}: 2 to 80 of a-z, 0-9, '.', '_', '-'")
    if users_store.by_login(uow, login) is not None:
        raise InvalidInput(f"the account {login} already exists")
    password = password or generate_password()
    _check_password(password)
    scoped = _check_sites(uow, sites)
    now = ctx.clock.now()
    account = users_store.add(
        uow,
        login=login,
        name=name,
        role=role.value,
        sites=scoped,
        password_hash=_hasher.hash(password),
        at=now,
    )
    after = {"role": role.value, "sites": list(scoped), "name": name}
    record_event(uow, ctx, EventType.USER_ADDED, "user", login, after=after)
    return account, password


def list_users(uow: UnitOfWork) -> list[Account]:
    return users_store.all_accounts(uow)


def disable_user(uow: UnitOfWork, ctx: Context, login: str, reason: str = "") -> Account:
    """No more sign-in; its sessions end and its tokens are revoked at once."""
    reason = checked_text(reason, "the reason (--reason)")
    account = _account(uow, login)
    if not account.active:
        raise InvalidInput(f"the account {account.login} is already disabled")
    users_store.change(uow, account.id, active=False)
    users_store.drop_sessions_of(uow, account.id)
    users_store.revoke_tokens_of(uow, account.id)
    record_event(
        uow,
        ctx,
        EventType.USER_DISABLED,
        "user",
        account.login,
        after={"active": False},
        reason=reason,
    )
    return _reload(uow, account)


def reset_password(
    uow: UnitOfWork, ctx: Context, login: str, password: str | None = None
) -> tuple[Account, str]:
    """A new password (generated unless given); open sessions end."""
    account = _account(uow, login)
    password = password or generate_password()
    _check_password(password)
    users_store.change(
        uow, account.id, password_hash=_hasher.hash(password), password_set_at=ctx.clock.now()
    )
    users_store.drop_sessions_of(uow, account.id)
    users_store.clear_failures(uow, account.login)
    record_event(uow, ctx, EventType.PASSWORD_RESET, "user", account.login)
    return account, password


def change_role(
    uow: UnitOfWork,
    ctx: Context,
    login: str,
    role: Role,
    sites: tuple[str, ...] | None = None,
) -> Account:
    """A new role (and, if given, new sites); open sessions end so the change applies now."""
    account = _account(uow, login)
    scoped = account.sites if sites is None else _check_sites(uow, sites)
    users_store.change(uow, account.id, role=role.value, sites=scoped)
    users_store.drop_sessions_of(uow, account.id)
    record_event(
        uow,
        ctx,
        EventType.ROLE_CHANGED,
        "user",
        account.login,
        after={"role": role.value, "sites": list(scoped)},
        reason=f"was {account.role}",
    )
    return _reload(uow, account)


def _reload(uow: UnitOfWork, account: Account) -> Account:
    changed = users_store.by_id(uow, account.id)
    assert changed is not None  # noqa: S101 - locked by _account in this transaction
    return changed


def log_in(uow: UnitOfWork, ctx: Context, login: str, password: str, address: str) -> SignIn:
    """A session for the right password, unless too many recent failures (login or address)."""
    login = login.strip().lower()[:80]
    now = ctx.clock.now()
    by_login, by_address = users_store.failures_since(uow, now - RATE_WINDOW, login, address)
    if by_login >= MAX_FAILURES_PER_LOGIN or by_address >= MAX_FAILURES_PER_ADDRESS:
        record_event(
            uow,
            ctx,
            EventType.LOGIN_FAILED,
            "user",
            login,
            after={"address": address},
            reason="rate limited",
        )
        return SignIn(None, "rate_limited")
    stored = users_store.password_hash(uow, login)
    account = users_store.by_login(uow, login)
    if not _verified(stored or _DUMMY, password) or account is None or not account.active:
        users_store.add_failure(uow, login, address, now)
        record_event(
            uow,
            ctx,
            EventType.LOGIN_FAILED,
            "user",
            login,
            after={"address": address},
            reason="wrong login or password",
        )
        return SignIn(None, "credentials")
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    users_store.add_session(
        uow,
        token_hash=_digest(token),
        user_id=account.id,
        csrf=csrf,
        at=now,
        expires=now + SESSION_LIFETIME,
    )
    users_store.clear_failures(uow, login)
    record_event(uow, ctx, EventType.LOGGED_IN, "user", login, after={"address": address})
    return SignIn(NewSession(token, csrf, _principal(account)))


def _verified(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def session_principal(uow: UnitOfWork, ctx: Context, token: str) -> tuple[Principal, str] | None:
    """(who, the session's CSRF token) for a live session cookie; None if unknown or expired."""
    stored = users_store.session(uow, _digest(token))
    if stored is None or stored.expires_at <= ctx.clock.now():
        return None
    account = users_store.by_id(uow, stored.user_id)
    if account is None or not account.active:
        return None
    return _principal(account), stored.csrf


def log_out(uow: UnitOfWork, ctx: Context, token: str) -> None:
    users_store.drop_session(uow, _digest(token))
    record_event(uow, ctx, EventType.LOGGED_OUT, "user", ctx.actor)


def create_token(
    uow: UnitOfWork, ctx: Context, login: str, name: str, days: int | None = None
) -> str:
    """A new API token for the account, shown once; None days: it lasts until disabled."""
    name = checked_name(name, "the token's name")
    account = _account(uow, login)
    if not account.active:
        raise InvalidInput(f"the account {account.login} is disabled")
    if not name.strip():
        raise InvalidInput("name the token after the script that uses it")
    token = "rl_" + secrets.token_urlsafe(32)
    now = ctx.clock.now()
    expires = now + timedelta(days=days) if days else None
    users_store.add_token(
        uow,
        token_hash=_digest(token),
        user_id=account.id,
        name=name.strip()[:100],
        at=now,
        expires=expires,
    )
    after = {"name": name.strip()[:100], "expires_at": expires.isoformat() if expires else None}
    record_event(uow, ctx, EventType.TOKEN_CREATED, "user", account.login, after=after)
    return token


def token_principal(uow: UnitOfWork, ctx: Context, token: str) -> Principal | None:
    user_id = users_store.token_owner(uow, _digest(token), ctx.clock.now())
    account = users_store.by_id(uow, user_id) if user_id is not None else None
    return _principal(account) if account is not None and account.active else None


def refuse_access(uow: UnitOfWork, ctx: Context, what: str, why: str) -> None:
    """The audit row of a refused request (a role without the permission, a site outside)."""
    record_event(uow, ctx, EventType.ACCESS_REFUSED, "request", what[:253], reason=why)
