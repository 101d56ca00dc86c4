"""The incident: phases, periods, objectives, log, evidence, sitreps, messages."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import relance.storage.rows.network  # noqa: F401 - the tables its foreign keys name
from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class IncidentRow(Base):
    """The incident the crisis cell manages: when it was detected, confirmed, declared."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    declared_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IncidentPhaseRow(Base):
    """A phase the incident entered, who declared it and on which criteria."""

    __tablename__ = "incident_phases"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    declared_by: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[str] = mapped_column(Text)


class OperationalPeriodRow(Base):
    """A stretch of the response (usually a day) with its objectives."""

    __tablename__ = "operational_periods"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_by: Mapped[str] = mapped_column(String(200))


class ObjectiveRow(Base):
    __tablename__ = "period_objectives"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("operational_periods.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    set_by: Mapped[str] = mapped_column(String(200))


class LogEntryRow(Base):
    """One entry of the crisis cell's log (HICS 214); its edits are in the audit trail."""

    __tablename__ = "log_entries"
    __table_args__ = (Index("ix_log_entries_occurred", "occurred_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    rationale: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[str]] = mapped_column(JSON)  # "asset:MAR-SRV-AD-01", "site:MAR"
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A decision's standing measure on its linked activities (Measure value), in force until a
    # later measure on the same activities replaces it.
    measure: Mapped[str | None] = mapped_column(String(30), nullable=True)


class EvidenceRow(Base):
    """A forensic image or artefact kept for the investigation, and who holds it now."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), nullable=True)
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acquired_by: Mapped[str] = mapped_column(String(200))
    holder: Mapped[str] = mapped_column(String(200))


class CustodyTransferRow(Base):
    __tablename__ = "custody_transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    from_holder: Mapped[str] = mapped_column(String(200))
    to_holder: Mapped[str] = mapped_column(String(200))
    transferred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200))


class SitrepRow(Base):
    """A daily situation report; its facts are frozen as JSON once approved."""

    __tablename__ = "sitreps"
    __table_args__ = (UniqueConstraint("day", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[str] = mapped_column(String(10))  # ISO date in the crisis cell's time zone
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SitrepDocumentRow(Base):
    """A published sitrep as it went out, one file per language and format, kept byte for byte."""

    __tablename__ = "sitrep_documents"
    __table_args__ = (UniqueConstraint("sitrep_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sitrep_id: Mapped[int] = mapped_column(ForeignKey("sitreps.id"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))  # sitrep-2022-05-17-v1-fr.pdf
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MessageRow(Base):
    """A message of the communications register: to staff, authorities, press or public."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    sitrep_id: Mapped[int | None] = mapped_column(ForeignKey("sitreps.id"), nullable=True)
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
