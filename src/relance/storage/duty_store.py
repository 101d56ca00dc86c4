"""The legal duties register, the awareness clock and the extortion claims register."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, insert, select, update

from relance.storage.database import UnitOfWork
from relance.storage.tables import DutyClockRow, ExtortionClaimRow, LegalDutyRow

R = TypeVar("R")


@dataclass(frozen=True)
class AwareClock:
    aware_at: datetime
    reason: str
    set_by: str


@dataclass(frozen=True)
class DutyRecord:
    key: str
    title: str
    authority: str
    basis: str
    due_at: datetime | None
    status: str
    officer: str
    reference: str
    submitted_at: datetime | None
    reason: str
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class Claim:
    reference: str
    group_name: str
    seen_at: datetime
    seen_where: str
    volume: str
    personal_data: bool
    deadline_at: datetime | None
    extensions: list[dict[str, str]]
    status: str
    evidence: list[str]
    recorded_by: str


def _as(kind: type[R], row: object) -> R:
    names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]  # dataclasses
    return kind(**{n: getattr(row, n) for n in names})


def clock(uow: UnitOfWork, incident_id: int) -> AwareClock | None:
    query = select(DutyClockRow).where(DutyClockRow.incident_id == incident_id)
    row = uow.session.execute(query).scalar_one_or_none()
    return _as(AwareClock, row) if row is not None else None


def set_clock(uow: UnitOfWork, incident_id: int, value: AwareClock) -> None:
    values = dataclasses.asdict(value)
    if clock(uow, incident_id) is None:
        uow.session.execute(insert(DutyClockRow).values(incident_id=incident_id, **values))
        return
    where = DutyClockRow.incident_id == incident_id
    uow.session.execute(update(DutyClockRow).where(where).values(**values))


def duties(uow: UnitOfWork, incident_id: int, for_update: bool = False) -> list[DutyRecord]:
    query = (
        select(LegalDutyRow)
        .where(LegalDutyRow.incident_id == incident_id)
        .order_by(LegalDutyRow.id)
    )
    if for_update:
        query = query.with_for_update()  # PostgreSQL locks the rows; SQLite ignores it
    return [_as(DutyRecord, r) for r in uow.session.execute(query).scalars()]


def save_duty(uow: UnitOfWork, incident_id: int, record: DutyRecord) -> None:
    """Write a duty's row: insert it the first time, update it after."""
    values: dict[str, Any] = dataclasses.asdict(record)
    where = (LegalDutyRow.incident_id == incident_id) & (LegalDutyRow.key == record.key)
    found = uow.session.execute(select(LegalDutyRow.id).where(where)).scalar_one_or_none()
    if found is None:
        uow.session.execute(insert(LegalDutyRow).values(incident_id=incident_id, **values))
    else:
        uow.session.execute(update(LegalDutyRow).where(where).values(**values))


def claims(uow: UnitOfWork, reference: str | None = None, for_update: bool = False) -> list[Claim]:
    query = select(ExtortionClaimRow).order_by(ExtortionClaimRow.id)
    if reference is not None:
        query = query.where(func.upper(ExtortionClaimRow.reference) == reference.upper())
    if for_update:
        query = query.with_for_update()
    return [_as(Claim, r) for r in uow.session.execute(query).scalars()]


def next_claim_number(uow: UnitOfWork) -> int:
    return int(uow.session.execute(select(func.count(ExtortionClaimRow.id))).scalar_one()) + 1


def add_claim(uow: UnitOfWork, incident_id: int, claim: Claim) -> None:
    values = dataclasses.asdict(claim)
    uow.session.execute(insert(ExtortionClaimRow).values(incident_id=incident_id, **values))


def update_claim(uow: UnitOfWork, reference: str, values: dict[str, Any]) -> None:
    where = func.upper(ExtortionClaimRow.reference) == reference.upper()
    uow.session.execute(update(ExtortionClaimRow).where(where).values(**values))
