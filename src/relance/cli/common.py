"""What every command shares: opening the database, errors with exit code 2, JSON, local time.

Every error a person can act on (bad input, a database that is full, busy, read-only or out
of reach, a file that cannot be written) ends the command with its message and exit code 2,
never with a traceback: `Commands` wraps every command of the `relance` group.

The command modules import the application (and through it SQLAlchemy, OR-Tools, ReportLab...)
inside their commands, not at the top: `relance --help` and each command start with only the
libraries they use (benchmarks/cli_start.py, tests/cli/test_start.py).
"""

import dataclasses
import enum
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from typer.core import TyperGroup

from relance.app.context import Context, default_actor
from relance.domain.errors import RejectedInput, RelanceError
from relance.domain.moments import OutOfRange, checked, checked_day
from relance.domain.roles import CONSOLE
from relance.domain.text import checked_name

if TYPE_CHECKING:
    from relance.domain.clock import Clock
    from relance.storage.database import UnitOfWork

console = Console()
errors = Console(stderr=True)
BAD_INPUT = 2
SHOWN = 50  # problems printed: a long list buries the first mistake, which often explains the rest


def fail(message: str, details: list[str] | None = None) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    for line in details or []:
        errors.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(BAD_INPUT)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a RelanceError into its message on stderr and exit code 2; nothing was written.
    So is a file that cannot be read or written (a full disk, a permission): it names the file."""
    try:
        yield
    except RejectedInput as error:
        shown = [str(p) for p in error.problems]
        more = [f"... and {len(shown) - SHOWN} more"] if len(shown) > SHOWN else []
        fail(f"{len(shown)} problem(s), nothing was changed:", shown[:SHOWN] + more)
    except RelanceError as error:
        fail(str(error))
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        fail(f"cannot read or write{where}: {error.strerror or error}")


class Commands(TyperGroup):
    """The `relance` group: every command runs inside user_errors()."""

    def invoke(self, ctx: Any) -> Any:  # Any: Typer's own copy of Click's Context
        # Output for scripts carries no replay header: a JSON reader may merge the streams.
        _for_scripts.set("--json" in ctx.args)
        try:
            with user_errors():
                return super().invoke(ctx)
        except typer.BadParameter as error:
            # pydantic's prefix, which Typer keeps in front of a wrong choice: not for a nurse
            error.message = error.message.removeprefix("Value error, ")
            raise


_for_scripts: ContextVar[bool] = ContextVar("for_scripts", default=False)


def open_engine(
    directory: Path | None = None, create: bool = False, wait: float | None = None
) -> Any:
    """The engine of this directory's database, migrated; refuse to invent one unless `create`.
    On SQLite a writer waits `wait` seconds at most for another's write lock (None: the
    storage's default)."""
    from relance.storage.database import (
        SQLITE_WAIT,
        database_file,
        database_url,
        describe,
        is_current,
        make_engine,
        migrate,
    )

    url = database_url(directory)
    with user_errors():
        path = database_file(url)
    if path is not None and not create and not path.exists():
        fail(
            f"no relance database here ({path.name} not found in {path.parent}); "
            "run `relance init --scenario FILE` or `relance demo`, "
            "or set RELANCE_DATABASE_URL"
        )
    engine = make_engine(url, SQLITE_WAIT if wait is None else wait)
    try:
        if create or not is_current(engine):
            migrate(engine)  # an older relance wrote it: bring it forward, as Alembic records
    except RelanceError as error:
        engine.dispose()
        fail(str(error))
    except Exception as error:  # noqa: BLE001 - any other driver error means the same to the user
        engine.dispose()
        fail(f"cannot open the database {describe(url)}: {error}")
    return engine


def database_exists() -> bool:
    """Whether this directory (or RELANCE_DATABASE_URL) has a database: a server always has."""
    from relance.storage.database import database_file, database_url

    with user_errors():
        path = database_file(database_url())
    return path is None or path.exists()


@contextmanager
def transaction(directory: Path | None = None, create: bool = False) -> Iterator["UnitOfWork"]:
    from relance.storage.database import unit_of_work

    engine = open_engine(directory, create)
    try:
        with user_errors(), unit_of_work(engine) as uow:
            yield uow
    finally:
        engine.dispose()


def context(actor: str | None, directory: Path | None = None, *, wall: bool = False) -> Context:
    """Who acts (--actor, else RELANCE_ACTOR or the user, a name recorded in every audit row),
    acting as the console: every right, through the same access policy as the pages and the API;
    and when: the clock of the database in `directory` (the wall clock, or a replay's time), or
    the wall clock if `wall` (a restore: this directory's database may be the broken one)."""
    from relance.domain.clock import SystemClock

    with user_errors():
        actor = checked_name(actor or default_actor(), "--actor", required=True)
    return Context(
        actor=actor, clock=SystemClock() if wall else _clock(directory), authority=CONSOLE
    )


def _clock(directory: Path | None) -> "Clock":
    """The clock of this directory's database, read once for the command; a replay says so
    first, on stderr (stdout stays for the output and its JSON). No database yet: the wall
    clock."""
    from functools import partial

    from relance.app.exercise import open_clock
    from relance.domain.clock import ClockMode, RunningClock, SystemClock
    from relance.storage.database import database_file, database_url, unit_of_work

    with user_errors():
        path = database_file(database_url(directory))
    if path is not None and not path.exists():
        return SystemClock()
    engine = open_engine(directory)
    try:
        with user_errors():  # an exercise's injects fallen due are applied first
            read = partial(unit_of_work, engine, read_only=True)
            clock = open_clock(read, partial(unit_of_work, engine))
    finally:
        engine.dispose()
    if isinstance(clock, RunningClock) and not _for_scripts.get():
        if clock.mode is ClockMode.EXERCISE:
            line = f"EXERCICE - exercise time {local(clock.now())} (relance exercise status)"
        else:
            line = f"REPLAY - incident time {local(clock.now())} (relance clock)"
        errors.print(line, style="bold")
    return clock


def timezone() -> ZoneInfo:
    """The crisis cell's local time for display and for times typed without an offset."""
    name = os.environ.get("RELANCE_TIMEZONE", "Europe/Brussels")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"RELANCE_TIMEZONE={name!r} is not a known time zone (for example Europe/Brussels)")


def local(moment: datetime) -> str:
    return moment.astimezone(timezone()).strftime("%Y-%m-%d %H:%M")


def parse_time(text: str | None, option: str = "--at") -> datetime | None:
    """An ISO time; without an offset it is the crisis cell's local time."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a time like 2022-05-14T04:15 or 2022-05-14T04:15+02:00")
    try:
        return checked(moment if moment.tzinfo else moment.replace(tzinfo=timezone()), option)
    except OutOfRange as error:
        fail(str(error))


def parse_day(text: str, option: str = "--date") -> date:
    """An ISO day, such as 2022-05-17."""
    try:
        return checked_day(date.fromisoformat(text), option)
    except ValueError:
        fail(f"{option} {text!r} is not a day like 2022-05-17")
    except OutOfRange as error:
        fail(str(error))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    def keys(value: Any) -> Any:  # JSON object keys must be strings: enums become their value
        if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple: an object
            return keys(value._asdict())
        if isinstance(value, dict):
            return {(k.value if isinstance(k, enum.Enum) else k): keys(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [keys(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return keys(_plain(value))
        return value

    sys.stdout.write(json.dumps(keys(data), default=_plain, ensure_ascii=False, indent=2) + "\n")
