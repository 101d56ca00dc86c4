"""The incident clock's row, and the latest moment the audit trail recorded."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from relance.storage.database import UnitOfWork
from relance.storage.tables import AuditRow, IncidentClockRow

ROW = 1


@dataclass(frozen=True)
class ClockRow:
    mode: str
    set_at: datetime | None  # a replay: set by hand; an exercise: its start in incident time
    speed: float | None = None  # an exercise only
    wall_start: datetime | None = None  # an exercise only: the wall clock at its start


def read(uow: UnitOfWork, *, lock: bool = False) -> ClockRow | None:
    """This database's clock; None if it never left the wall clock."""
    query = select(IncidentClockRow).where(IncidentClockRow.id == ROW)
    row = uow.session.scalar(query.with_for_update() if lock else query)
    if row is None:
        return None
    return ClockRow(row.mode, row.set_at, row.speed, row.wall_start)


def write(uow: UnitOfWork, found: ClockRow) -> None:
    row = uow.session.get(IncidentClockRow, ROW)
    if row is None:
        row = IncidentClockRow(id=ROW)
        uow.session.add(row)
    row.mode, row.set_at = found.mode, found.set_at
    row.speed, row.wall_start = found.speed, found.wall_start
    uow.session.flush()


def latest_recorded(uow: UnitOfWork, ignore: Sequence[str]) -> datetime | None:
    """When the newest audit row not of the `ignore` types was recorded."""
    query = select(func.max(AuditRow.recorded_at)).where(AuditRow.event_type.not_in(ignore))
    return uow.session.scalar(query)
