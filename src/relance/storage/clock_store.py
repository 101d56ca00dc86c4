"""The incident clock's row, and the latest moment the audit trail recorded."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from relance.storage.database import UnitOfWork
from relance.storage.tables import AuditRow, IncidentClockRow

ROW = 1


def read(uow: UnitOfWork, *, lock: bool = False) -> tuple[str, datetime | None] | None:
    """(mode, time set by hand) of this database; None if it never left the wall clock."""
    query = select(IncidentClockRow).where(IncidentClockRow.id == ROW)
    row = uow.session.scalar(query.with_for_update() if lock else query)
    return None if row is None else (row.mode, row.set_at)


def write(uow: UnitOfWork, mode: str, set_at: datetime | None) -> None:
    row = uow.session.get(IncidentClockRow, ROW)
    if row is None:
        uow.session.add(IncidentClockRow(id=ROW, mode=mode, set_at=set_at))
    else:
        row.mode, row.set_at = mode, set_at
    uow.session.flush()


def latest_recorded(uow: UnitOfWork, ignore: Sequence[str]) -> datetime | None:
    """When the newest audit row not of the `ignore` types was recorded."""
    query = select(func.max(AuditRow.recorded_at)).where(AuditRow.event_type.not_in(ignore))
    return uow.session.scalar(query)
