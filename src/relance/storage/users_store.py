"""Accounts, web sessions, API tokens and failed sign-ins."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

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


def drop_sessions_of(uow: UnitOfWork, user_id: int) -> None:
    uow.session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))


def add_token(
    uow: UnitOfWork,
    *,
    token_hash: str,
    user_id: int,
    name: str,
    at: datetime,
    expires: datetime | None,
) -> int:
    row = ApiTokenRow(
        token_hash=token_hash,
        user_id=user_id,
        name=name,
        created_at=at,
        expires_at=expires,
        revoked=False,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


def token_owner(uow: UnitOfWork, token_hash: str, now: datetime) -> int | None:
    row = uow.session.scalars(
        select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash, ~ApiTokenRow.revoked)
    ).first()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row.user_id


def revoke_tokens_of(uow: UnitOfWork, user_id: int) -> None:
    uow.session.execute(
        update(ApiTokenRow).where(ApiTokenRow.user_id == user_id).values(revoked=True)
    )


def add_failure(uow: UnitOfWork, login: str, address: str, at: datetime) -> None:
    uow.session.add(LoginAttemptRow(login=login, address=address, at=at))


def failures_since(uow: UnitOfWork, since: datetime, login: str, address: str) -> tuple[int, int]:
    """(failures for this login, failures from this address) since that time."""
    recent = select(func.count()).select_from(LoginAttemptRow).where(LoginAttemptRow.at >= since)
    by_login = uow.session.scalar(recent.where(LoginAttemptRow.login == login)) or 0
    by_address = uow.session.scalar(recent.where(LoginAttemptRow.address == address)) or 0
    return by_login, by_address


def clear_failures(uow: UnitOfWork, login: str) -> None:
    uow.session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.login == login))
