"""A plan's schedule as plain data, every time in the crisis cell's zone: the one source of the
JSON export, the CSV export, the API and the Gantt chart's table."""

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from relance.storage.plan_store import Forecast, PlannedTask, PlanVersion

# Stored kinds as the export names them.
KINDS = {"server": "server", "machines": "pc_batch", "service": "service_up", "delay": "delay"}
CSV_COLUMNS = (
    "id",
    "kind",
    "name",
    "site",
    "team",
    "restores",
    "start",
    "end",
    "machines",
    "predecessors",
)


@dataclass(frozen=True)
class TaskLine:
    id: int  # its position in the plan; predecessors name these
    kind: str  # server | pc_batch | service_up | delay
    name: str
    site: str | None
    team: str | None  # None for what nobody works on (a service coming up, a wait)
    restores: str  # the service, or SITE/DEPARTMENT for PCs
    start: datetime
    end: datetime
    machines: tuple[str, ...]  # hostnames
    predecessors: tuple[int, ...]


@dataclass(frozen=True)
class PlanSchedule:
    version: PlanVersion
    time_zone: str
    teams: dict[str, int]  # team code -> technicians, as planned
    tasks: list[TaskLine]
    forecasts: list[Forecast]


def at(version: PlanVersion, hour: float, zone: ZoneInfo) -> datetime:
    """A working hour of the plan as a date in the zone (technicians work hours_per_day)."""
    return (version.start_at + timedelta(hours=hour * 24 / version.hours_per_day)).astimezone(zone)


def plan_schedule(
    version: PlanVersion,
    tasks: list[PlannedTask],
    forecasts: list[Forecast],
    zone: ZoneInfo,
) -> PlanSchedule:
    lines = [
        TaskLine(
            id=i,
            kind=KINDS.get(t.kind, t.kind),
            name=t.name,
            site=t.site,
            team=t.team or None,
            restores=t.group,
            start=at(version, t.start_hour, zone),
            end=at(version, t.end_hour, zone),
            machines=t.hostnames,
            predecessors=t.predecessors,
        )
        for i, t in enumerate(tasks)
    ]
    return PlanSchedule(
        local_version(version, zone),
        zone.key,
        version.teams,
        lines,
        local_forecasts(forecasts, zone),
    )


def local_version(version: PlanVersion, zone: ZoneInfo) -> PlanVersion:
    return replace(
        version,
        created_at=version.created_at.astimezone(zone),
        start_at=version.start_at.astimezone(zone),
    )


def local_forecasts(forecasts: list[Forecast], zone: ZoneInfo) -> list[Forecast]:
    return [
        replace(
            f,
            partial_at=f.partial_at.astimezone(zone) if f.partial_at else None,
            full_at=f.full_at.astimezone(zone) if f.full_at else None,
        )
        for f in forecasts
    ]


def _cell(text: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: a delay's reason is typed
    by a person, so such a cell is quoted as text (OWASP's advice for CSV exports)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(schedule: PlanSchedule) -> str:
    """One row per task; hostnames and predecessors separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in schedule.tasks:
        writer.writerow(
            (
                t.id,
                t.kind,
                _cell(t.name),
                _cell(t.site or ""),
                _cell(t.team or ""),
                _cell(t.restores),
                t.start.isoformat(),
                t.end.isoformat(),
                _cell(" ".join(t.machines)),
                " ".join(str(p) for p in t.predecessors),
            )
        )
    return out.getvalue()
