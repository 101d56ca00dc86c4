"""Exercises and the after-action review: injects, findings, improvement actions."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class ExerciseScriptRow(Base):
    """The injects file an exercise started with, kept whole: the exercise runs on it even if
    the file changes or was the exercise lead's own."""

    __tablename__ = "exercise_script"
    id: Mapped[int] = mapped_column(primary_key=True)  # one row
    file_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    # Each inject's key and due time (ISO, UTC): a command knows whether one has fallen due
    # without parsing the file (NULL: an exercise started before it was kept).
    schedule: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)


class ExerciseInjectRow(Base):
    """An exercise's inject once applied: its key is the primary key, so two processes applying
    the same due inject cannot both record it."""

    __tablename__ = "exercise_injects"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the exercise's time then


class FindingRow(Base):
    """What the crisis cell found, looking back: what went well, what is to improve."""

    __tablename__ = "review_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ImprovementActionRow(Base):
    """What will change, who owns it and by when: tracked after the incident closes."""

    __tablename__ = "improvement_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("review_findings.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[str] = mapped_column(String(10))  # ISO date: a day, in no time zone
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
