"""The audit trail, and the incident clock that reads it."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class AuditRow(Base):
    """One row per change of state: who, when it happened, when it was recorded, what, why."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_object", "object_type", "object_key"),
        Index("ix_audit_occurred", "occurred_at"),
        Index("ix_audit_recorded", "recorded_at"),  # the incident clock: the latest recorded
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(36), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    event_type: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_key: Mapped[str] = mapped_column(String(253))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str | None] = mapped_column(String(200), nullable=True)


class IncidentClockRow(Base):
    """The time this database lives in (none: the wall clock, a live database)."""

    __tablename__ = "incident_clock"
    id: Mapped[int] = mapped_column(primary_key=True)  # one row
    mode: Mapped[str] = mapped_column(String(10))
    # The time set by hand in a replay; the incident's time is the later of it and of the
    # latest moment recorded.
    set_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # An exercise: its time is set_at + speed x (wall clock - wall_start).
    speed: Mapped[float | None] = mapped_column(Float, nullable=True)
    wall_start: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
