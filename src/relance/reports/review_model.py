"""The facts of the after-action review: plain data read from the cell's records, no sentences.

Times are ISO strings with the crisis cell's offset, as in the sitrep's facts.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KeyTime:
    key: str  # first_signs, alert, confirmation, containment, first_service
    at: str | None  # None: not recorded
    what: str  # the record behind it: an entry's text, a service's code


@dataclass(frozen=True)
class ActivityBack:
    """An activity of a site that went below full capacity, and when it was fully back."""

    site: str
    activity: str
    down_at: str
    back_at: str | None  # None: not fully back at the review


@dataclass(frozen=True)
class PlanCurve:
    """One plan version: the machines it expected redeployed over time, against what was."""

    version: int
    method: str
    start_at: str
    last_at: str | None  # when its last task was to end
    expected: list[tuple[str, int]]  # (time, machines redeployed by then as planned)
    reached_at: str | None  # when as many machines were really redeployed; None: not yet


@dataclass(frozen=True)
class DecisionOutcome:
    at: str
    text: str
    decided_by: str
    measure: str | None  # the standing measure it set (Measure value)
    ended_at: str | None  # when a later decision replaced or lifted it everywhere
    ended_by: str | None  # that decision's measure (Measure value)


@dataclass(frozen=True)
class DutyLine:
    key: str
    title: str  # a message of the catalogue, or an added duty's title as typed
    due_at: str
    submitted_at: str | None
    status: str


@dataclass(frozen=True)
class FindingLine:
    id: int
    kind: str  # FindingKind value
    text: str
    recorded_by: str


@dataclass(frozen=True)
class ActionLine:
    id: int
    finding_id: int | None
    text: str
    owner: str
    due_on: str
    status: str  # ActionStatus value
    late: bool  # past its due date at the review and neither done nor dropped


@dataclass(frozen=True)
class ReviewFacts:
    organisation: str
    incident: str | None
    zone: str
    now: str  # the incident clock's time when the review was built
    day0: str | None
    key_times: list[KeyTime]
    activities_back: list[ActivityBack]
    plans: list[PlanCurve]
    redeployed: list[tuple[str, int]]  # (time, machines redeployed): what was reported
    machines: int  # machines in the inventory
    decisions: list[DecisionOutcome]
    sms_handed: int  # SMS handed to the gateway, as the audit trail records
    sms_now: dict[str, int]  # Delivery value -> SMS, at the review
    duties: list[DutyLine]
    findings: list[FindingLine]
    actions: list[ActionLine]
    activities: dict[str, str] = field(default_factory=dict)  # code -> name as written
    sites: dict[str, str] = field(default_factory=dict)  # code -> short name as written
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # the scenario's translations
