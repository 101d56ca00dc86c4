"""The after-action review's records: the cell's findings and its improvement actions."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from relance.storage.database import UnitOfWork
from relance.storage.tables import FindingRow, ImprovementActionRow


@dataclass(frozen=True)
class Finding:
    id: int
    kind: str
    text: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Action:
    id: int
    finding_id: int | None
    text: str
    owner: str
    due_on: str
    status: str
    note: str
    recorded_by: str
    recorded_at: datetime
    updated_at: datetime


def add_finding(uow: UnitOfWork, values: dict[str, Any]) -> int:
    query = insert(FindingRow).values(**values).returning(FindingRow.id)
    return int(uow.session.execute(query).scalar_one())


def findings(uow: UnitOfWork) -> list[Finding]:
    rows = uow.session.execute(select(FindingRow).order_by(FindingRow.id)).scalars()
    return [Finding(r.id, r.kind, r.text, r.recorded_by, r.recorded_at) for r in rows]


def add_action(uow: UnitOfWork, values: dict[str, Any]) -> int:
    query = insert(ImprovementActionRow).values(**values).returning(ImprovementActionRow.id)
    return int(uow.session.execute(query).scalar_one())


def actions(
    uow: UnitOfWork, action_id: int | None = None, for_update: bool = False
) -> list[Action]:
    query = select(ImprovementActionRow).order_by(ImprovementActionRow.id)
    if action_id is not None:
        query = query.where(ImprovementActionRow.id == action_id)
    if for_update:
        query = query.with_for_update()
    return [
        Action(
            r.id,
            r.finding_id,
            r.text,
            r.owner,
            r.due_on,
            r.status,
            r.note,
            r.recorded_by,
            r.recorded_at,
            r.updated_at,
        )
        for r in uow.session.execute(query).scalars()
    ]


def update_action(uow: UnitOfWork, action_id: int, values: dict[str, Any]) -> None:
    table = ImprovementActionRow
    uow.session.execute(update(table).where(table.id == action_id).values(**values))
