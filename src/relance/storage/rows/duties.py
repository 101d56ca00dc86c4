"""Legal duties (NIS2, GDPR) and extortion claims."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import relance.storage.rows.incident  # noqa: F401 - the tables its foreign keys name
from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class DutyClockRow(Base):
    """When the cell became aware of the incident, as corrected by a person (the legal
    deadlines count from it); without a row, the incident's own records say it."""

    __tablename__ = "duty_clocks"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    aware_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))


class LegalDutyRow(Base):
    """A legal duty of the incident: a standard one once it moved, or one the cell added."""

    __tablename__ = "legal_duties"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    authority: Mapped[str] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(400), default="")
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)  # added ones
    status: Mapped[str] = mapped_column(String(20))
    officer: Mapped[str] = mapped_column(String(200), default="")  # named by the cell
    reference: Mapped[str] = mapped_column(String(200), default="")  # the authority's
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why not applicable
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExtortionClaimRow(Base):
    """A claim of the attack on a leak site: who, where, how much, until when."""

    __tablename__ = "extortion_claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    group_name: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seen_where: Mapped[str] = mapped_column(String(400))
    volume: Mapped[str] = mapped_column(String(100), default="")  # as claimed: "400 GB"
    personal_data: Mapped[bool] = mapped_column(Boolean, default=True)  # claims patients' data
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    extensions: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # earlier deadlines
    status: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[list[str]] = mapped_column(JSON)  # references in the evidence register
    recorded_by: Mapped[str] = mapped_column(String(200))
