"""The history of each activity's status at each site."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select

from relance.storage.database import UnitOfWork
from relance.storage.tables import ActivityStatusRow


@dataclass(frozen=True)
class StatusSince:
    site: str
    activity: str
    functioning: str
    capacity: int
    reason: str
    since: datetime


def add(uow: UnitOfWork, rows: Sequence[StatusSince]) -> None:
    uow.session.execute(insert(ActivityStatusRow), [r.__dict__ for r in rows])


def latest(uow: UnitOfWork) -> dict[tuple[str, str], StatusSince]:
    newest = (
        select(func.max(ActivityStatusRow.id))
        .group_by(ActivityStatusRow.site, ActivityStatusRow.activity)
        .scalar_subquery()
    )
    rows = uow.session.execute(select(ActivityStatusRow).where(ActivityStatusRow.id.in_(newest)))
    return {(r.site, r.activity): _status(r) for r in rows.scalars()}


def history(uow: UnitOfWork, site: str, activity: str) -> list[StatusSince]:
    query = (
        select(ActivityStatusRow)
        .where(ActivityStatusRow.site == site, ActivityStatusRow.activity == activity)
        .order_by(ActivityStatusRow.id)
    )
    return [_status(r) for r in uow.session.execute(query).scalars()]


def _status(r: ActivityStatusRow) -> StatusSince:
    return StatusSince(r.site, r.activity, r.functioning, r.capacity, r.reason, r.since)
