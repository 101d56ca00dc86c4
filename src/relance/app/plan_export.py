"""A plan's schedule out of relance: every task as JSON or CSV, the Gantt chart, the curve.

Files are written only where the user said, never over an existing file unless asked
(`force`), and whole or not at all (written beside, then renamed into place).
"""

import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.plan import machines_back, plan_version
from relance.domain.errors import N_, InvalidInput
from relance.reports import plan_pictures
from relance.reports.plan_schedule import PlanSchedule, csv_text, plan_schedule
from relance.storage import plan_store
from relance.storage.database import UnitOfWork
from relance.storage.plan_store import PlanVersion

PICTURES = (".png", ".svg", ".html")


def schedule_of(uow: UnitOfWork, version: int | None, zone: ZoneInfo) -> PlanSchedule:
    """A version (default: the newest) with every task and forecast, times in `zone`."""
    chosen = plan_version(uow, version)
    return plan_schedule(
        chosen, plan_store.tasks(uow, chosen.id), plan_store.forecasts(uow, chosen.id), zone
    )


def export_tasks(
    uow: UnitOfWork, out: Path, version: int | None, zone: ZoneInfo, force: bool = False
) -> PlanSchedule:
    """Every task of a plan as CSV, one row each."""
    _check_target(out, (".csv",), force)
    schedule = schedule_of(uow, version, zone)
    _write(out, csv_text(schedule).encode("utf-8"))
    return schedule


def draw_gantt(
    uow: UnitOfWork, out: Path, version: int | None, zone: ZoneInfo, force: bool = False
) -> PlanVersion:
    _check_target(out, PICTURES, force)
    schedule = schedule_of(uow, version, zone)
    _write(out, plan_pictures.gantt(schedule, out.suffix.lower()))
    return schedule.version


def draw_curve(
    uow: UnitOfWork, out: Path, version: int | None, zone: ZoneInfo, force: bool = False
) -> PlanVersion:
    """Machines redeployed: as reported, and as planned from the plan's start."""
    _check_target(out, PICTURES, force)
    chosen = plan_version(uow, version)
    tasks = plan_store.tasks(uow, chosen.id)
    actual = [t for t in machines_back(uow) if t <= chosen.start_at]
    picture = plan_pictures.curve(chosen, tasks, actual, zone=zone, suffix=out.suffix.lower())
    _write(out, picture)
    return chosen


def _check_target(out: Path, suffixes: tuple[str, ...], force: bool) -> None:
    if out.suffix.lower() not in suffixes:
        why = N_("{file}: give a file ending in {suffixes}")
        raise InvalidInput(why, file=out.name, suffixes=", ".join(suffixes))
    if not out.parent.is_dir():
        raise InvalidInput(N_("{directory} is not a directory"), directory=str(out.parent))
    if out.exists() and not force:
        why = N_("{file} already exists: choose another name, or --force to replace it")
        raise InvalidInput(why, file=str(out))
    if out.exists() and not out.is_file():
        raise InvalidInput(N_("{file} is not a file"), file=str(out))


def _write(out: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex}.part")
    try:
        with temporary.open("xb") as file:  # x: never an existing file, even ours
            file.write(data)
        temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
