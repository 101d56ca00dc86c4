"""An exercise's injects file, and its injects already applied, by key."""

from datetime import datetime

from sqlalchemy import select

from relance.storage.database import UnitOfWork
from relance.storage.tables import ExerciseInjectRow, ExerciseScriptRow


def applied(uow: UnitOfWork) -> dict[str, datetime]:
    """The key of each inject applied, with the exercise's time it was applied at."""
    rows = uow.session.scalars(select(ExerciseInjectRow))
    return {row.key: row.applied_at for row in rows}


def mark_applied(uow: UnitOfWork, key: str, due_at: datetime, applied_at: datetime) -> None:
    """Record the inject as applied; a second process recording it fails on the primary key
    and its whole transaction (the inject's effects with it) rolls back."""
    uow.session.add(ExerciseInjectRow(key=key, due_at=due_at, applied_at=applied_at))
    uow.session.flush()


def save_script(uow: UnitOfWork, file_name: str, text: str, schedule: dict[str, datetime]) -> None:
    """Keep the injects file whole, with each inject's due time (`schedule`, by key)."""
    due = {key: at.isoformat() for key, at in schedule.items()}
    uow.session.add(ExerciseScriptRow(id=1, file_name=file_name, text=text, schedule=due))
    uow.session.flush()


def injects_due(uow: UnitOfWork, now: datetime) -> bool | None:
    """Whether an inject due at `now` is not applied yet; None if this exercise kept no
    schedule (started before it was kept: only its file says)."""
    schedule = uow.session.scalar(select(ExerciseScriptRow.schedule))
    if schedule is None:
        return None
    due = {key for key, at in schedule.items() if datetime.fromisoformat(at) <= now}
    return bool(due - set(applied(uow)))


def script(uow: UnitOfWork) -> tuple[str, str] | None:
    """(file name, text) of the injects file; None outside an exercise."""
    row = uow.session.get(ExerciseScriptRow, 1)
    return None if row is None else (row.file_name, row.text)
