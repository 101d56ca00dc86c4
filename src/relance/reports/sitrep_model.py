"""The facts of a daily situation report: plain data, frozen as JSON once the report is approved.

Times are ISO strings with their offset, so the stored facts read back exactly as written.
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
    name: str
    cells: list[Cell | None]  # one per column of SitrepFacts.activities; None: not at this site


@dataclass(frozen=True)
class Column:
    code: str
    name: str


@dataclass(frozen=True)
class CurvePoint:
    at: str
    counts: dict[str, int]  # AssetState value -> machines


@dataclass(frozen=True)
class PlanFacts:
    version: int
    method: str
    start_at: str
    planned: list[tuple[str, int]]  # (time, machines redeployed by then) as the plan expects
    last_at: str | None  # when its last task ends


@dataclass(frozen=True)
class ForecastLine:
    site: str
    name: str
    capacity_now: int
    partial_at: str | None
    full_at: str | None
    waits_for: str


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
class SitrepFacts:
    network: str
    day: str  # ISO date in the crisis cell's time zone
    zone: str
    starts_at: str
    ends_at: str
    built_at: str
    day_number: int | None  # days since the incident's detection (day 0)
    incident: str | None
    phase: str | None
    phase_since: str | None
    summary: list[str]
    activities: list[Column]
    matrix: list[MatrixRow]
    machines: dict[str, int]  # AssetState value -> machines at the end of the day
    curve: list[CurvePoint]
    plan: PlanFacts | None
    forecast: list[ForecastLine]
    clinic: ClinicFacts | None
    decisions: list[DecisionLine]
    log_entries: int
    objectives_period: int | None
    objectives: list[tuple[str, str]] = field(default_factory=list)  # (objective, owner)

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SitrepFacts":
        facts: SitrepFacts = _build(cls, data)
        return facts


@dataclass(frozen=True)
class Header:
    """Who drafted, approved and published this version of the report."""

    version: int
    state: str
    drafted_by: str
    drafted_at: str
    approved_by: str | None
    approved_at: str | None
    published_by: str | None
    published_at: str | None
    note: str


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
            **{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(kind)}
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


def short(iso: str | None) -> str:
    """'17/05 14:00' for a stored time; '-' for none."""
    if not iso:
        return "-"
    return f"{iso[8:10]}/{iso[5:7]} {iso[11:16]}"
