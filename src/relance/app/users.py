"""Local accounts: add, disable, reset, change role; sign-in slowed after failures; sessions.

Passwords are hashed with argon2; a session cookie (and an API token, see app.tokens) is a
random string of which the database keeps only the SHA-256, so a stolen database opens nothing.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.incident_clock import people_time
from relance.domain.audit_events import REFUSAL, EventType
from relance.domain.errors import N_, InvalidInput, RelanceError
from relance.domain.roles import Permission, Role
from relance.domain.text import checked_name, checked_text
from relance.domain.throttle import REMEMBERED, next_attempt, wait_after
from relance.i18n import INTERFACE, parse_language
from relance.storage import network_store, users_store
from relance.storage.database import UnitOfWork
from relance.storage.users_store import Account

SESSION_LIFETIME = timedelta(hours=12)  # one crisis-cell shift
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
    token: int | None = None  # the API token the request came with; None: a signed-in session
    language: str | None = None  # the account's language of the interface; None: not chosen


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf: str
    principal: Principal


@dataclass(frozen=True)
class SignIn:
    session: NewSession | None
    refused: str = ""  # "credentials" or "rate_limited"
    wait: timedelta = timedelta(0)  # before this login may be tried again from this address


def digest(secret: str) -> str:
    """What the database keeps of a session cookie or an API token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def principal_of(account: Account, token: int | None = None) -> Principal:
    role = Role(account.role)
    return Principal(
        account.id, account.login, account.name, role, account.sites, token, account.language
    )


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(N_("a password needs at least {count} characters"), count=MIN_PASSWORD)


def _check_sites(uow: UnitOfWork, sites: tuple[str, ...]) -> tuple[str, ...]:
    known = {s.code for s in network_store.sites(uow)}
    wanted = tuple(sorted({s.strip().upper() for s in sites if s.strip()}))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        no_site = N_("unknown site {site} (sites: {known})")
        raise InvalidInput(no_site, site=", ".join(unknown), known=", ".join(sorted(known)))
    return wanted


def account_named(uow: UnitOfWork, login: str, *, lock: bool = True) -> Account:
    """The account (its row locked until the transaction ends); a clear error if there is none."""
    account = users_store.by_login(uow, login.strip().lower(), for_update=lock)
    if account is None:
        raise InvalidInput(N_("no account {login} (relance users list)"), login=repr(login))
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
    access.whole_network(ctx, Permission.MANAGE_USERS)
    name = checked_name(name, N_("the name"))
    login = login.strip().lower()
    if not LOGIN.fullmatch(login):
        bad_login = N_("login {login}: 2 to 80 of a-z, 0-9, '.', '_', '-'")
        raise InvalidInput(bad_login, login=repr(login))
    if users_store.by_login(uow, login) is not None:
        raise InvalidInput(N_("the account {login} already exists"), login=login)
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


def list_users(uow: UnitOfWork, ctx: Context) -> list[Account]:
    """Every account: for those who manage them (an account's sites and sign-in state)."""
    access.whole_network(ctx, Permission.MANAGE_USERS)
    return users_store.all_accounts(uow)


def disable_user(uow: UnitOfWork, ctx: Context, login: str, reason: str = "") -> Account:
    """No more sign-in; its sessions end and its tokens are revoked at once."""
    access.whole_network(ctx, Permission.MANAGE_USERS)
    reason = checked_text(reason, N_("the reason (--reason)"))
    leads = _crisis_leads(uow)
    account = account_named(uow, login)
    if not account.active:
        raise InvalidInput(N_("the account {login} is already disabled"), login=account.login)
    _keep_a_crisis_lead(account, leads)
    users_store.change(uow, account.id, active=False)
    after = {"active": False, **_signed_out(uow, account)}
    record_event(
        uow, ctx, EventType.USER_DISABLED, "user", account.login, after=after, reason=reason
    )
    return _reload(uow, account)


def reset_password(
    uow: UnitOfWork, ctx: Context, login: str, password: str | None = None
) -> tuple[Account, str]:
    """A new password (generated unless given); sessions end, tokens die, waits are lifted."""
    access.whole_network(ctx, Permission.MANAGE_USERS)
    account = account_named(uow, login)
    password = password or generate_password()
    _check_password(password)
    users_store.change(
        uow, account.id, password_hash=_hasher.hash(password), password_set_at=ctx.clock.now()
    )
    after = _signed_out(uow, account)
    users_store.clear_failures(uow, account.login)
    record_event(uow, ctx, EventType.PASSWORD_RESET, "user", account.login, after=after)
    return account, password


def change_role(
    uow: UnitOfWork,
    ctx: Context,
    login: str,
    role: Role,
    sites: tuple[str, ...] | None = None,
) -> Account:
    """A new role (and, if given, new sites); open sessions end so the change applies now."""
    access.whole_network(ctx, Permission.MANAGE_USERS)
    leads = _crisis_leads(uow)
    account = account_named(uow, login)
    scoped = account.sites if sites is None else _check_sites(uow, sites)
    if role is not Role.CRISIS_LEAD:
        _keep_a_crisis_lead(account, leads)
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


def set_language(uow: UnitOfWork, ctx: Context, login: str, language: str | None) -> Account:
    """The account's language of the interface (fr, en), or None to let the browser or
    RELANCE_LANG decide; it applies from the account's next page or command."""
    account = account_named(uow, login)
    if account.login != ctx.actor:
        access.whole_network(ctx, Permission.MANAGE_USERS)
    chosen = None if language is None else parse_language(language, N_("the language"))
    if chosen not in (None, *INTERFACE):
        speaks = N_("the interface speaks {languages}, not {chosen}")
        raise InvalidInput(speaks, languages=", ".join(INTERFACE), chosen=chosen)
    users_store.change(uow, account.id, language=chosen)
    was = f"was {account.language or 'not chosen'}"
    after = {"language": chosen}
    record_event(
        uow, ctx, EventType.LANGUAGE_CHANGED, "user", account.login, after=after, reason=was
    )
    return _reload(uow, account)


def _signed_out(uow: UnitOfWork, account: Account) -> dict[str, int]:
    """End the account's sessions and revoke its API tokens; how many of each, for the audit."""
    sessions = users_store.drop_sessions_of(uow, account.id)
    tokens = users_store.drop_tokens_of(uow, account.id)
    return {"sessions_ended": sessions, "tokens_revoked": tokens}


def _crisis_leads(uow: UnitOfWork) -> list[int]:
    """The active crisis leads, locked in id order before any other account row.

    Two leads removing each other at the same moment then queue (no deadlock), and the second
    sees the first one's change: they cannot both pass _keep_a_crisis_lead.
    """
    return users_store.active_with_role(uow, Role.CRISIS_LEAD.value)


def _keep_a_crisis_lead(account: Account, leads: list[int]) -> None:
    """Refuse to disable or demote the last active crisis lead: nobody could manage accounts."""
    if leads == [account.id]:
        last = N_(
            "{login} is the last active crisis lead: make another account crisis lead first "
            "(relance users add LOGIN --role crisis_lead, or relance users set-role)"
        )
        raise InvalidInput(last, login=account.login)


def _reload(uow: UnitOfWork, account: Account) -> Account:
    changed = users_store.by_id(uow, account.id)
    assert changed is not None  # noqa: S101 - locked by account_named in this transaction
    return changed


def log_in(uow: UnitOfWork, ctx: Context, login: str, password: str, address: str) -> SignIn:
    """A session for the right password, unless this login failed too often from this address.

    The account's row is locked first, so concurrent guesses are counted one after the other;
    an attempt made during the wait is not checked at all, so it tells a guesser nothing.
    """
    login = login.strip().lower()[:80]
    now = people_time(ctx)
    account = users_store.by_login(uow, login, for_update=True)
    failures, last = users_store.failures(uow, login, address, now - REMEMBERED)
    ready = next_attempt(failures, last)
    if ready is not None and ready > now:
        _failed(uow, ctx, login, address, "rate limited")
        return SignIn(None, "rate_limited", ready - now)
    stored = users_store.password_hash(uow, login)
    if not _verified(stored or _DUMMY, password) or account is None or not account.active:
        users_store.forget_failures(uow, now - REMEMBERED)
        users_store.add_failure(uow, login, address, now)
        _failed(uow, ctx, login, address, "wrong login or password")
        return SignIn(None, "credentials", wait_after(failures + 1))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    users_store.add_session(
        uow,
        token_hash=digest(token),
        user_id=account.id,
        csrf=csrf,
        at=now,
        expires=now + SESSION_LIFETIME,
    )
    users_store.clear_failures(uow, login, address)  # this pair only: a guesser elsewhere waits on
    record_event(uow, ctx, EventType.LOGGED_IN, "user", login, after={"address": address})
    return SignIn(NewSession(token, csrf, principal_of(account)))


def _failed(uow: UnitOfWork, ctx: Context, login: str, address: str, why: str) -> None:
    after = {"address": address}
    record_event(uow, ctx, EventType.LOGIN_FAILED, "user", login, after=after, reason=why)


def _verified(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def session_principal(uow: UnitOfWork, ctx: Context, token: str) -> tuple[Principal, str] | None:
    """(who, the session's CSRF token) for a live session cookie; None if unknown or expired."""
    stored = users_store.session(uow, digest(token))
    if stored is None or stored.expires_at <= people_time(ctx):
        return None
    account = users_store.by_id(uow, stored.user_id)
    if account is None or not account.active:
        return None
    return principal_of(account), stored.csrf


def log_out(uow: UnitOfWork, ctx: Context, token: str) -> None:
    users_store.drop_session(uow, digest(token))
    record_event(uow, ctx, EventType.LOGGED_OUT, "user", ctx.actor)


def refuse_access(uow: UnitOfWork, ctx: Context, what: str, why: RelanceError) -> None:
    """The audit row of a refused request (a role without the permission, a site outside):
    the English sentence as its reason, and the message with its values, for other readers."""
    after = {REFUSAL: why.as_record()}
    record_event(
        uow, ctx, EventType.ACCESS_REFUSED, "request", what[:253], after=after, reason=str(why)
    )
