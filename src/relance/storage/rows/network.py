"""The network: its sites, departments, IT services, teams, clinical activities and machines."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from relance.storage.rows.base import Base
from relance.storage.types import UtcDateTime


class NetworkRow(Base):
    """The one network this database describes, with the scenario's effort figures."""

    __tablename__ = "network"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    workstation_hours: Mapped[float] = mapped_column(Float)
    medical_device_hours: Mapped[float] = mapped_column(Float)
    machine_services: Mapped[str] = mapped_column(String(400), default="")  # comma-separated
    incident_start: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    scenario_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The organisation's identity (empty for a network loaded before the scenario carried it)
    public_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    short_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    patient_line: Mapped[str] = mapped_column(String(40), default="", server_default="")
    switchboard: Mapped[str] = mapped_column(String(40), default="", server_default="")
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sms_sender: Mapped[str] = mapped_column(String(11), default="", server_default="")
    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, nullable=True)


class SiteRow(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    public_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    short_name: Mapped[str] = mapped_column(String(40), default="", server_default="")


class DepartmentRow(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))


class ServiceRow(Base):
    __tablename__ = "it_services"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    rebuild_hours: Mapped[float] = mapped_column(Float)
    tier: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ServiceDependencyRow(Base):
    __tablename__ = "service_dependencies"
    service_id: Mapped[int] = mapped_column(ForeignKey("it_services.id"), primary_key=True)
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("it_services.id"), primary_key=True)


class TeamRow(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    skills: Mapped[str] = mapped_column(String(100))  # comma-separated Skill values


class ActivityRow(Base):
    __tablename__ = "clinical_activities"
    __table_args__ = (UniqueConstraint("site_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    paper_mode: Mapped[bool] = mapped_column(Boolean)
    paper_capacity: Mapped[int] = mapped_column(Integer)
    public_service: Mapped[str | None] = mapped_column(String(20), nullable=True)


class ActivityServiceNeedRow(Base):
    __tablename__ = "activity_service_needs"
    activity_id: Mapped[int] = mapped_column(ForeignKey("clinical_activities.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("it_services.id"), primary_key=True)


class ActivityMachineNeedRow(Base):
    __tablename__ = "activity_machine_needs"
    activity_id: Mapped[int] = mapped_column(ForeignKey("clinical_activities.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class AssetRow(Base):
    __tablename__ = "assets"
    __table_args__ = (Index("ix_assets_site_state", "site_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hostname: Mapped[str] = mapped_column(String(253), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    role: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(40))
    state_since: Mapped[datetime] = mapped_column(UtcDateTime)


class AssetServiceRow(Base):
    __tablename__ = "asset_services"
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("it_services.id"), primary_key=True, index=True
    )
