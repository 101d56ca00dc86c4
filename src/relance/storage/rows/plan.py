"""Restoration plans: versions, tasks, forecasts, delays, levels, activity status history."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class PlanVersionRow(Base):
    """A restoration plan as solved at one moment; versions are kept to compare them."""

    __tablename__ = "plan_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    hours_per_day: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[int] = mapped_column(Integer)
    lower_bound: Mapped[int] = mapped_column(Integer)
    makespan_hours: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    # The state it was solved from: the newest audit row read, and the changes to the plan's
    # inputs recorded while it was being solved (they are not in it).
    based_on: Mapped[int] = mapped_column(Integer, default=0)
    changes_missed: Mapped[int] = mapped_column(Integer, default=0)
    bound_method: Mapped[str] = mapped_column(String(40), default="")
    teams: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # team code -> size
    # site code -> its part of the objective (the sum over the sites is the objective)
    site_objectives: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class PlanTaskRow(Base):
    __tablename__ = "plan_tasks"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    site: Mapped[str | None] = mapped_column(String(40), nullable=True)
    group: Mapped[str] = mapped_column("group_code", String(80))
    team: Mapped[str] = mapped_column(String(40))
    start_hour: Mapped[int] = mapped_column(Integer)
    end_hour: Mapped[int] = mapped_column(Integer)
    machines: Mapped[int] = mapped_column(Integer)
    hostnames: Mapped[list[str]] = mapped_column(JSON, default=list)
    predecessors: Mapped[list[int]] = mapped_column(JSON, default=list)  # seq of tasks before


class PlanForecastRow(Base):
    __tablename__ = "plan_forecasts"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), primary_key=True)
    site: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity_now: Mapped[int] = mapped_column(Integer)
    partial_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    full_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    waits_for: Mapped[str] = mapped_column(Text, default="")


class DelayRow(Base):
    """A delay reported by the crisis cell: a service or a department's PCs not before a time."""

    __tablename__ = "plan_delays"
    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(80))
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PlanLevelRow(Base):
    """When a plan expects each capacity level of an activity: the status on a future date."""

    __tablename__ = "plan_levels"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), primary_key=True)
    site: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity: Mapped[str] = mapped_column(String(40), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer, primary_key=True)
    reached_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ActivityStatusRow(Base):
    """An activity's functioning from a moment on: the history of what each site could do."""

    __tablename__ = "activity_status_history"
    __table_args__ = (Index("ix_activity_status_site_activity", "site", "activity", "since"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(40))
    activity: Mapped[str] = mapped_column(String(40))
    functioning: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(UtcDateTime)
