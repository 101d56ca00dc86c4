"""Plan versions, their tasks and forecasts, and the delays the crisis cell reports."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select

from relance.storage.database import UnitOfWork
from relance.storage.tables import DelayRow, PlanForecastRow, PlanTaskRow, PlanVersionRow

CHUNK = 5_000


@dataclass(frozen=True)
class PlanVersion:
    id: int
    created_at: datetime
    actor: str
    reason: str
    start_at: datetime
    hours_per_day: int
    method: str
    status: str
    objective: int
    lower_bound: int
    makespan_hours: int
    seconds: float
    based_on: int = 0  # the newest audit row when the state was read
    changes_missed: int = 0  # changes to the plan's inputs recorded while it was solved
    bound_method: str = ""  # what proved the lower bound
    teams: dict[str, int] = field(default_factory=dict)  # team code -> technicians, as planned
    site_objectives: dict[str, int] = field(default_factory=dict)  # the objective per site


@dataclass(frozen=True)
class PlannedTask:
    name: str
    kind: str  # server | machines (a batch of PCs) | service (up) | delay
    site: str | None
    group: str
    team: str
    start_hour: int
    end_hour: int
    machines: int
    hostnames: tuple[str, ...] = ()
    predecessors: tuple[int, ...] = ()  # positions of the tasks it waits for, in the plan


@dataclass(frozen=True)
class Forecast:
    site: str
    activity: str
    name: str
    capacity_now: int
    partial_at: datetime | None
    full_at: datetime | None
    waits_for: str


@dataclass(frozen=True)
class ReportedDelay:
    target: str
    not_before: datetime
    reason: str
    actor: str
    recorded_at: datetime


_VERSION_FIELDS = tuple(PlanVersion.__dataclass_fields__)


def save_plan(
    uow: UnitOfWork,
    version: PlanVersion,
    tasks: Sequence[PlannedTask],
    forecasts: Sequence[Forecast],
) -> int:
    """Store a new version (its id is assigned here) and return the id."""
    row = PlanVersionRow(**{f: getattr(version, f) for f in _VERSION_FIELDS if f != "id"})
    uow.session.add(row)
    uow.session.flush()
    task_rows = [
        {
            "plan_id": row.id,
            "seq": i,
            **t.__dict__,
            "hostnames": list(t.hostnames),
            "predecessors": list(t.predecessors),
        }
        for i, t in enumerate(tasks)
    ]
    for start in range(0, len(task_rows), CHUNK):
        uow.session.execute(insert(PlanTaskRow), task_rows[start : start + CHUNK])
    if forecasts:
        uow.session.execute(
            insert(PlanForecastRow), [{"plan_id": row.id, **f.__dict__} for f in forecasts]
        )
    return row.id


def versions(uow: UnitOfWork) -> list[PlanVersion]:
    rows = uow.session.execute(select(PlanVersionRow).order_by(PlanVersionRow.id)).scalars()
    return [PlanVersion(**{f: getattr(r, f) for f in _VERSION_FIELDS}) for r in rows]


def tasks(uow: UnitOfWork, plan_id: int) -> list[PlannedTask]:
    query = select(PlanTaskRow).where(PlanTaskRow.plan_id == plan_id).order_by(PlanTaskRow.seq)
    fields = tuple(PlannedTask.__dataclass_fields__)
    return [
        PlannedTask(
            **{f: getattr(r, f) for f in fields}
            | {"hostnames": tuple(r.hostnames), "predecessors": tuple(r.predecessors)}
        )
        for r in uow.session.execute(query).scalars()
    ]


def forecasts(uow: UnitOfWork, plan_id: int) -> list[Forecast]:
    query = select(PlanForecastRow).where(PlanForecastRow.plan_id == plan_id)
    fields = tuple(Forecast.__dataclass_fields__)
    return [
        Forecast(**{f: getattr(r, f) for f in fields}) for r in uow.session.execute(query).scalars()
    ]


def add_delay(uow: UnitOfWork, delay: ReportedDelay) -> None:
    uow.session.add(DelayRow(**delay.__dict__))


def delays(uow: UnitOfWork) -> list[ReportedDelay]:
    rows = uow.session.execute(select(DelayRow).order_by(DelayRow.id)).scalars()
    return [ReportedDelay(r.target, r.not_before, r.reason, r.actor, r.recorded_at) for r in rows]
