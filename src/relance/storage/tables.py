"""ORM tables of the hospital network and its audit trail."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from relance.storage.types import UtcDateTime


class Base(DeclarativeBase):
    pass


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


class UserRow(Base):
    """A local account of the web dashboard and the API: no directory needed."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(40))
    sites: Mapped[str] = mapped_column(String(400), default="")  # comma-separated; empty: all
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_set_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The interface's language for this account (fr, en); None: not chosen
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)


class WebSessionRow(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiTokenRow(Base):
    """A token for scripts calling the API, kept as its SHA-256; revoking it deletes the row."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class LoginAttemptRow(Base):
    """Failed sign-ins, counted per (login, address) pair to slow a guesser down."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_at", "at"),
        Index("ix_login_failures_pair", "login", "address"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


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


class ExerciseScriptRow(Base):
    """The injects file an exercise started with, kept whole: the exercise runs on it even if
    the file changes or was the exercise lead's own."""

    __tablename__ = "exercise_script"
    id: Mapped[int] = mapped_column(primary_key=True)  # one row
    file_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


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
