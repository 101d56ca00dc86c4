"""Accounts, web sessions, API tokens and failed sign-ins."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Result, delete, func, select, update

from relance.storage.database import UnitOfWork
from relance.storage.tables import ApiTokenRow, LoginAttemptRow, UserRow, WebSessionRow


@dataclass(frozen=True)
class Account:
    id: int
    login: str
    name: str
    role: str
    sites: tuple[str, ...]
    active: bool
    created_at: datetime
    password_set_at: datetime
    language: str | None = None  # of the interface; None: not chosen


@dataclass(frozen=True)
class StoredToken:
    """An API token as listed: never its secret, which the database does not hold."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class StoredSession:
    user_id: int
    csrf: str
    expires_at: datetime


def _account(row: UserRow) -> Account:
    sites = tuple(s for s in row.sites.split(",") if s)
    return Account(
        row.id,
        row.login,
        row.name,
        row.role,
        sites,
        row.active,
        row.created_at,
        row.password_set_at,
        row.language,
    )


def add(
    uow: UnitOfWork,
    *,
    login: str,
    name: str,
    role: str,
    sites: tuple[str, ...],
    password_hash: str,
    at: datetime,
) -> Account:
    row = UserRow(
        login=login,
        name=name,
        role=role,
        sites=",".join(sites),
        password_hash=password_hash,
        active=True,
        created_at=at,
        password_set_at=at,
    )
    uow.session.add(row)
    uow.session.flush()
    return _account(row)


def _row(uow: UnitOfWork, login: str, for_update: bool = False) -> UserRow | None:
    query = select(UserRow).where(UserRow.login == login)
    if for_update:
        query = query.with_for_update()
    return uow.session.scalars(query).first()


def by_login(uow: UnitOfWork, login: str, for_update: bool = False) -> Account | None:
    row = _row(uow, login, for_update)
    return _account(row) if row else None


def by_id(uow: UnitOfWork, user_id: int) -> Account | None:
    row = uow.session.get(UserRow, user_id)
    return _account(row) if row else None


def password_hash(uow: UnitOfWork, login: str) -> str | None:
    row = _row(uow, login)
    return row.password_hash if row else None


def all_accounts(uow: UnitOfWork) -> list[Account]:
    return [_account(r) for r in uow.session.scalars(select(UserRow).order_by(UserRow.login))]


def count(uow: UnitOfWork) -> int:
    return uow.session.scalar(select(func.count()).select_from(UserRow)) or 0


def change(uow: UnitOfWork, user_id: int, **values: object) -> None:
    if "sites" in values and isinstance(values["sites"], tuple):
        values["sites"] = ",".join(values["sites"])
    uow.session.execute(update(UserRow).where(UserRow.id == user_id).values(**values))


def add_session(
    uow: UnitOfWork, *, token_hash: str, user_id: int, csrf: str, at: datetime, expires: datetime
) -> None:
    uow.session.add(
        WebSessionRow(
            token_hash=token_hash, user_id=user_id, csrf=csrf, created_at=at, expires_at=expires
        )
    )


def session(uow: UnitOfWork, token_hash: str) -> StoredSession | None:
    row = uow.session.get(WebSessionRow, token_hash)
    return StoredSession(row.user_id, row.csrf, row.expires_at) if row else None


def drop_session(uow: UnitOfWork, token_hash: str) -> None:
    uow.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))


def drop_sessions_of(uow: UnitOfWork, user_id: int) -> int:
    return _deleted(
        uow.session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
    )


def add_token(
    uow: UnitOfWork,
    *,
    token_hash: str,
    user_id: int,
    name: str,
    at: datetime,
    expires: datetime,
) -> StoredToken:
    row = ApiTokenRow(
        token_hash=token_hash, user_id=user_id, name=name, created_at=at, expires_at=expires
    )
    uow.session.add(row)
    uow.session.flush()
    return _token(row)


def _token(row: ApiTokenRow) -> StoredToken:
    return StoredToken(
        row.id, row.user_id, row.name, row.created_at, row.expires_at, row.last_used_at
    )


def token_by_hash(uow: UnitOfWork, token_hash: str) -> StoredToken | None:
    row = uow.session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
    found = row.first()
    return _token(found) if found else None


def tokens(uow: UnitOfWork, user_id: int | None, live_at: datetime) -> list[StoredToken]:
    """The tokens of an account (None: of every account) that have not expired, oldest first."""
    query = select(ApiTokenRow).where(ApiTokenRow.expires_at > live_at)
    if user_id is not None:
        query = query.where(ApiTokenRow.user_id == user_id)
    rows = uow.session.scalars(query.order_by(ApiTokenRow.created_at, ApiTokenRow.id))
    return [_token(r) for r in rows]


def mark_token_used(uow: UnitOfWork, token_id: int, at: datetime) -> None:
    uow.session.execute(
        update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at)
    )


def drop_token(uow: UnitOfWork, user_id: int, token_id: int) -> StoredToken | None:
    """Delete one token of this account; None if the account has no such token."""
    row = uow.session.get(ApiTokenRow, token_id, with_for_update=True)
    if row is None or row.user_id != user_id:
        return None
    dropped = _token(row)
    uow.session.delete(row)
    return dropped


def drop_tokens_of(uow: UnitOfWork, user_id: int, expired_at: datetime | None = None) -> int:
    """Delete the account's tokens (only those expired at `expired_at` if given); how many."""
    query = delete(ApiTokenRow).where(ApiTokenRow.user_id == user_id)
    if expired_at is not None:
        query = query.where(ApiTokenRow.expires_at <= expired_at)
    return _deleted(uow.session.execute(query))


def _deleted(result: Result[Any]) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def add_failure(uow: UnitOfWork, login: str, address: str, at: datetime) -> None:
    uow.session.add(LoginAttemptRow(login=login, address=address, at=at))


def failures(
    uow: UnitOfWork, login: str, address: str, since: datetime
) -> tuple[int, datetime | None]:
    """(how many, the last) failed sign-ins of this login from this address since that time."""
    count, last = uow.session.execute(
        select(func.count(), func.max(LoginAttemptRow.at)).where(
            LoginAttemptRow.login == login,
            LoginAttemptRow.address == address,
            LoginAttemptRow.at >= since,
        )
    ).one()
    return int(count), last


def forget_failures(uow: UnitOfWork, before: datetime) -> None:
    uow.session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))


def clear_failures(uow: UnitOfWork, login: str, address: str | None = None) -> None:
    """Forget the login's failures: from that address only, or from everywhere."""
    query = delete(LoginAttemptRow).where(LoginAttemptRow.login == login)
    if address is not None:
        query = query.where(LoginAttemptRow.address == address)
    uow.session.execute(query)


def active_with_role(uow: UnitOfWork, role: str) -> list[int]:
    """The ids of the active accounts of a role, locked (in id order) until the transaction ends."""
    query = select(UserRow.id).where(UserRow.role == role, UserRow.active)
    query = query.order_by(UserRow.id).with_for_update()
    return list(uow.session.scalars(query))
