"""The facts of a daily situation report: plain data, frozen as JSON once the report is approved.

The facts hold values, never sentences: the report is written from them in any language, so an
approved report reads the same in French, Dutch, German and English. Times are ISO strings with
their offset, so the stored facts read back exactly as written.
"""

import dataclasses
import types
from dataclasses import dataclass, field
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")


@dataclass(frozen=True)
class Cell:
    functioning: str  # Functioning value
    capacity: int


@dataclass(frozen=True)
class MatrixRow:
    site: str
    name: str  # the site's short name, as written in the scenario
    kind: str  # SiteKind value
    cells: list[Cell | None]  # one per column of SitrepFacts.activities; None: not at this site


@dataclass(frozen=True)
class Column:
    code: str
    name: str  # as written in the scenario
    public: str | None = None  # PublicService value: what patients come for; None: internal


@dataclass(frozen=True)
class DayPoint:
    """Machines at the end of one day of the incident (the report's own day: as of its data)."""

    day: int  # days since day 0
    date: str  # ISO date
    counts: dict[str, int]  # AssetState value -> machines
    planned: int | None  # machines redeployed by then as the plan expects; None: no plan yet


@dataclass(frozen=True)
class PlanFacts:
    version: int
    method: str
    start_at: str
    last_at: str | None  # when its last task ends


@dataclass(frozen=True)
class ForecastLine:
    """When the plan expects an activity of a site back, and what it waits for."""

    site: str
    activity: str
    capacity_now: int
    partial_at: str | None  # the first capacity gain
    full_at: str | None
    waits_for: list[tuple[str, str]]  # ("service", "RIS"), ("team", "WS-MAR"), ("machines", ...)


@dataclass(frozen=True)
class ClinicFacts:
    decided_today: dict[str, int]  # decision -> appointments triaged during the day
    current: dict[str, int]  # decision -> appointments, the current decision of each
    sms_today: dict[str, int]  # status -> SMS that reached it during the day
    sms_now: dict[str, int]  # status -> SMS, as of the report


@dataclass(frozen=True)
class DecisionLine:
    at: str
    text: str
    decided_by: str
    rationale: str
    priority: str


@dataclass(frozen=True)
class MeasureLine:
    """A standing measure in force at the end of the day, and where."""

    at: str  # when it was decided
    measure: str  # Measure value
    text: str  # the decision as the cell wrote it
    decided_by: str
    activities: list[str]  # activity codes
    sites: list[str]  # site codes where it is in force


@dataclass(frozen=True)
class Change:
    """An activity at a site whose status changed since the end of the day before."""

    site: str
    activity: str
    before: Cell | None
    after: Cell


@dataclass(frozen=True)
class SinceYesterday:
    changes: list[Change]
    redeployed: int  # machines redeployed during the day (net)
    moves: int  # machine moves recorded during the day
    decisions: int
    sms_sent: int  # SMS handed to the gateway during the day


@dataclass(frozen=True)
class DutyLine:
    """A legal duty at the end of the day: its deadline, its status then, the time left."""

    key: str
    title: str  # a standard duty's: a message of the catalogue; an added one's: as typed
    authority: str
    due_at: str | None  # None: the cell was not aware of the attack yet
    status: str  # DutyStatus value at the end of the day
    left_minutes: int | None  # from the end of the day to the deadline; negative: late


@dataclass(frozen=True)
class SitrepFacts:
    network: str  # the scenario's code: for the cell's files, never printed for the public
    organisation: str  # the public name
    day: str  # ISO date in the crisis cell's time zone
    zone: str
    starts_at: str
    ends_at: str
    as_of: str | None  # the newest recorded data on or before the day's end
    day0: str | None  # ISO date of day 0 (the incident's detection)
    day_number: int | None
    incident: str | None
    phase: str | None
    phase_since: str | None
    activities: list[Column]
    matrix: list[MatrixRow]
    machines: dict[str, int]  # AssetState value -> machines at the end of the day
    days: list[DayPoint]
    plan: PlanFacts | None
    forecast: list[ForecastLine]
    clinic: ClinicFacts | None
    since: SinceYesterday
    measures: list[MeasureLine]
    decisions: list[DecisionLine]
    log_entries: int
    objectives_period: int | None
    objectives: list[tuple[str, str]] = field(default_factory=list)  # (objective, owner)
    sites: dict[str, str] = field(default_factory=dict)  # site code -> short name as written
    departments: dict[str, str] = field(default_factory=dict)  # "SITE/DEPT" -> name as written
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # the scenario's translations
    duties: list[DutyLine] = field(default_factory=list)  # none in facts frozen before them

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SitrepFacts":
        facts: SitrepFacts = _build(cls, data)
        return facts


@dataclass(frozen=True)
class Header:
    """Who drafted, approved and published this version of the report (their account names)."""

    version: int
    state: str
    drafted_by: str
    drafted_at: str
    approved_by: str | None
    approved_at: str | None
    published_by: str | None
    published_at: str | None
    note: str
    clock_mode: str = "live"  # of the database that renders it: its documents' mark


def _build(kind: Any, value: Any) -> Any:  # noqa: PLR0911 - one return per kind of type
    """Rebuild a value of type `kind` from what as_json() wrote."""
    if value is None:
        return None
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(kind) if a is not type(None)]
        return _build(inner[0], value)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        return kind(
            **{
                f.name: _build(hints[f.name], value[f.name])
                for f in dataclasses.fields(kind)
                if f.name in value  # a field added later keeps its default in older facts
            }
        )
    if origin is list:
        (item,) = get_args(kind)
        return [_build(item, v) for v in value]
    if origin is tuple:
        return tuple(_build(a, v) for a, v in zip(get_args(kind), value, strict=True))
    if origin is dict:
        _, item = get_args(kind)
        return {k: _build(item, v) for k, v in value.items()}
    return value
