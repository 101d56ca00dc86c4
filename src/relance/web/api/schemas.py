"""What the API reads and writes: Pydantic models at the edge, built from the app's dataclasses."""

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.domain.network import HOSTNAME, AssetKind
from relance.domain.roles import Role
from relance.domain.text import PRINTABLE
from relance.domain.tokens import DEFAULT_LIFETIME
from relance.domain.triage import Decision

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
Hostname = Annotated[str, Field(pattern=f"^{HOSTNAME.pattern}$")]
Text = Annotated[str, Field(max_length=500, pattern=PRINTABLE)]
Reason = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00]*\S[^\x00]*$")]
Limit = Annotated[int, Field(ge=1, le=500)]
Offset = Annotated[int, Field(ge=0, le=1_000_000)]
Login = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,79}$")]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]  # fits a database integer


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ActivityOut(Out):
    code: str
    name: str
    functioning: Functioning
    capacity: int
    reason: str


class SiteOut(Out):
    code: str
    name: str
    kind: str
    machines: dict[AssetKind, dict[AssetState, int]]
    activities: list[ActivityOut]


class ServiceOut(Out):
    code: str
    name: str
    up: bool
    depends_on: list[str]
    servers: dict[AssetState, int]


class FiguresOut(Out):
    machines: int
    redeployed: int
    services_up: int
    services: int
    activities: dict[Functioning, int]
    phase: str | None
    incident_start: datetime | None


class StatusOut(Out):
    network: str
    figures: FiguresOut
    totals: dict[AssetKind, dict[AssetState, int]]
    sites: list[SiteOut]


class AssetOut(Out):
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    state: AssetState
    state_since: datetime
    services: list[str]


class AuditEventOut(Out):
    id: int | None
    request_id: str
    actor: str
    occurred_at: datetime
    recorded_at: datetime
    event_type: str
    object_type: str
    object_key: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    reason: str
    evidence: str | None


class AssetDetailOut(Out):
    asset: AssetOut
    history: list[AuditEventOut]


class AssetPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AssetOut]


class TransitionIn(BaseModel):
    """Which machines (at least one filter, or everything=true), where they go, and why."""

    target: AssetState
    sites: list[Code] = Field(default_factory=list, max_length=50)
    departments: list[Code] = Field(default_factory=list, max_length=50)
    services: list[Code] = Field(default_factory=list, max_length=50)
    states: list[AssetState] = Field(default_factory=list)
    kinds: list[AssetKind] = Field(default_factory=list)
    hostnames: list[Hostname] = Field(default_factory=list, max_length=5000)
    reason: Reason
    evidence: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] | None = None
    everything: bool = False


class TransitionOut(Out):
    moved: int
    by_target: dict[str, int]
    request_id: str


class TimelineEntryOut(Out):
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    event_type: str
    what: str
    reason: str
    objects: list[str]


class TimelinePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[TimelineEntryOut]


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEventOut]


class ForecastOut(Out):
    site: str
    activity: str
    name: str
    capacity_now: int
    partial_at: datetime | None
    full_at: datetime | None
    waits_for: str


class PlanVersionOut(Out):
    id: int
    created_at: datetime
    actor: str
    reason: str
    start_at: datetime
    method: str
    status: str
    objective: int
    site_objectives: dict[str, int]  # the objective per site; sums to it
    lower_bound: int
    bound_method: str
    makespan_hours: int
    changes_missed: int


class PlanOut(BaseModel):
    version: PlanVersionOut | None
    above_best: float | None
    forecasts: list[ForecastOut]


class PlanTaskOut(Out):
    id: int
    kind: str
    name: str
    site: str | None
    team: str | None
    restores: str
    start: datetime
    end: datetime
    machines: list[str]
    predecessors: list[int]


class PlanTasksOut(BaseModel):
    version: PlanVersionOut
    time_zone: str
    teams: dict[str, int]
    tasks: list[PlanTaskOut]


class ReviewItemOut(BaseModel):
    appointment: str
    starts_at: datetime
    site: str
    activity: str
    pathway: str
    patient: str
    contact: str | None


class DecisionIn(BaseModel):
    decision: Decision
    reason: Reason
    new_start: AwareDatetime | None = None  # with its offset: 2022-05-20T09:30:00+02:00


class DecisionOut(BaseModel):
    appointment: str
    decision: Decision


class NotificationsOut(BaseModel):
    counts: dict[str, int]
    queued: int


class SitrepOut(Out):
    day: str
    version: int
    state: str
    note: str
    drafted_by: str
    drafted_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    published_by: str | None
    published_at: datetime | None


class ChangesOut(BaseModel):
    latest: int


class UserOut(Out):
    login: str
    name: str
    role: Role
    sites: list[str]
    active: bool
    created_at: datetime


class UserIn(BaseModel):
    login: Login
    role: Role = Role.OBSERVER  # least privilege unless said
    name: Text = ""
    sites: list[Code] = Field(default_factory=list, max_length=50)


class NewPasswordOut(BaseModel):
    login: str
    password: str


class RoleIn(BaseModel):
    role: Role
    sites: list[Code] | None = Field(default=None, max_length=50)


class TokenIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$")]
    expires: Annotated[
        str, Field(pattern=r"^[0-9]{1,6}[hd]$", description="hours or days, 1h to 30d: 12h, 7d")
    ] = DEFAULT_LIFETIME


class TokenInfoOut(Out):
    """A token as listed: never its secret."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class TokenOut(TokenInfoOut):
    token: str  # shown once


class MeOut(BaseModel):
    login: str
    name: str
    role: Role
    sites: list[str]
    permissions: list[str]


class DraftFieldOut(Out):
    label: str  # in the language asked
    lines: list[str]  # the answer, one line per record; or that relance has no record of it
    recorded: bool
    sources: list[list[str]]  # per line, each fact's "table.column[row]"


class DraftOut(Out):
    key: str
    language: str
    title: str
    subtitle: str
    fields: list[DraftFieldOut]
