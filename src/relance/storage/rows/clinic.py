"""The appointment book: patients, appointments, triage decisions, notifications."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import relance.storage.rows.network  # noqa: F401 - the tables its foreign keys name
from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class PatientRow(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    mobile: Mapped[str | None] = mapped_column(String(20), nullable=True)  # E.164
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)


class AppointmentRow(Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_starts_at", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    activity: Mapped[str] = mapped_column(String(40))
    pathway: Mapped[str] = mapped_column(String(40))
    practitioner: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    booked: Mapped[bool] = mapped_column(Boolean)  # False once the source cancelled it


class TriageDecisionRow(Base):
    """What was decided for an appointment, by which rule or which physician; one is current."""

    __tablename__ = "triage_decisions"
    __table_args__ = (Index("ix_triage_current", "appointment_id", "current"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    decision: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(String(80))  # rule id, or "physician"
    rules_version: Mapped[str] = mapped_column(String(80))
    decided_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    new_start: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    current: Mapped[bool] = mapped_column(Boolean)


class NotificationRow(Base):
    """The outbox: one SMS per (appointment, decision), written with the decision, sent after."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("decision_id"),
        Index("ix_notifications_status", "status"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # carried in the DLR URL
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("triage_decisions.id"))
    to: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # the dispatcher run that last claimed it ("pid@host"): who was sending a message in doubt
    claimed_by: Mapped[str] = mapped_column(String(200), server_default="")


class SmsDispatcherRow(Base):
    """One row: the dispatcher run sending now, if any (one at a time), and when it was last
    seen. A run renews it with each batch and clears it when it ends."""

    __tablename__ = "sms_dispatcher"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    run: Mapped[str | None] = mapped_column(String(36), nullable=True)  # None: nobody sends
    holder: Mapped[str] = mapped_column(String(200), default="")  # pid@host
    host: Mapped[str] = mapped_column(String(200), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
