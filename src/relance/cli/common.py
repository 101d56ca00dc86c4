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
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from typer.core import TyperGroup

from relance.app.context import Context
from relance.domain.errors import Problem, RejectedInput, RelanceError
from relance.domain.moments import OutOfRange, checked, checked_day
from relance.domain.os_errors import os_reason
from relance.domain.roles import CONSOLE, Forbidden
from relance.domain.text import checked_name

if TYPE_CHECKING:
    from relance.app.access import Refused
    from relance.app.users import Principal
    from relance.domain.clock import Clock
    from relance.i18n import Texts
    from relance.storage.database import UnitOfWork

console = Console()
errors = Console(stderr=True)
_account_language: ContextVar[str | None] = ContextVar("account_language", default=None)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, found by the extractor
    """Mark a text for the catalogue where it is defined; translate it where it is shown."""
    return message


def language() -> str:
    """The signed-in account's language, else RELANCE_LANG, else French."""
    from relance.i18n import INTERFACE

    chosen = (_account_language.get() or os.environ.get("RELANCE_LANG", "")).strip()[:2].lower()
    return chosen if chosen in INTERFACE else INTERFACE[0]


@cache
def _texts(language: str) -> "Texts":
    from relance.i18n import Texts

    return Texts(language)


def _(message: str, **values: object) -> str:
    """The message in the operator's language, its {placeholders} filled from `values`."""
    return _texts(language())._(message, **values)


def said(error: "RelanceError | Problem") -> str:
    """An error in the operator's language, its words (states, roles, permissions) too."""
    return _texts(language()).error(error)


def n_(singular: str, plural: str, count: int, **values: object) -> str:
    """The singular or plural of a message in the operator's language, by `count`."""
    return _texts(language()).n_(singular, plural, count, **values)


BAD_INPUT = 2
SHOWN = 50  # problems printed: a long list buries the first mistake, which often explains the rest


def fail(message: str, details: list[str] | None = None) -> NoReturn:
    label = _("error:")
    errors.print(f"[bold red]{label}[/] {message}", highlight=False, soft_wrap=True)
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
        shown = [said(p) for p in error.problems]
        more = [_("... and {count} more", count=len(shown) - SHOWN)] if len(shown) > SHOWN else []
        problems = n_("problem", "problems", len(shown))
        fail(
            _("{count} {problems}, nothing was changed:", count=len(shown), problems=problems),
            shown[:SHOWN] + more,
        )
    except Forbidden as error:
        refusal = said(error)
        fail(f"{refusal} - {_(NOT_SIGNED_IN)}" if _unsigned.get() else refusal)
    except RelanceError as error:
        fail(said(error))
    except OSError as error:
        what = said(os_reason(error))
        if error.filename:
            fail(_("cannot read or write {file}: {error}", file=error.filename, error=what))
        fail(_("cannot read or write a file: {error}", error=what))


class Commands(TyperGroup):
    """The `relance` group: every command runs inside user_errors()."""

    def invoke(self, ctx: Any) -> Any:  # Any: Typer's own copy of Click's Context
        # Output for scripts carries no replay header: a JSON reader may merge the streams.
        _for_scripts.set("--json" in ctx.args)
        _account_language.set(None)  # whoever this command's operator is: read anew
        _unsigned.set(False)
        try:
            with user_errors():
                return super().invoke(ctx)
        except typer.BadParameter as error:
            # pydantic's prefix, which Typer keeps in front of a wrong choice: not for a nurse
            error.message = error.message.removeprefix("Value error, ")
            raise
        finally:
            close_engines()


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
        fail(_(NO_DATABASE, file=path.name, directory=path.parent))
    engine = make_engine(url, SQLITE_WAIT if wait is None else wait)
    try:
        if create or not is_current(engine):
            migrate(engine)  # an older relance wrote it: bring it forward, as Alembic records
    except RelanceError as error:
        engine.dispose()
        fail(said(error))
    except Exception as error:  # noqa: BLE001 - any other driver error means the same to the user
        engine.dispose()
        fail(_("cannot open the database {url}: {error}", url=describe(url), error=error))
    return engine


NO_DATABASE = N_(
    "no relance database here ({file} not found in {directory}); run `relance init --scenario "
    "FILE` or `relance demo`, or set RELANCE_DATABASE_URL"
)


def database_exists() -> bool:
    """Whether this directory (or RELANCE_DATABASE_URL) has a database: a server always has."""
    from relance.storage.database import database_file, database_url

    with user_errors():
        path = database_file(database_url())
    return path is None or path.exists()


# One engine per database for the whole command: its clock, its operator and its work share
# the connection pool, and the database is opened and checked once (benchmarks/cli_start.py).
_engines: dict[str, Any] = {}


def shared_engine(directory: Path | None = None, create: bool = False) -> Any:
    """This database's engine, opened (and migrated) the first time the command asks."""
    from relance.storage.database import database_url

    url = database_url(directory)
    if url not in _engines:
        _engines[url] = open_engine(directory, create)
    return _engines[url]


def close_engines() -> None:
    """At the end of a command: no file stays open behind it (a test, a restore)."""
    while _engines:
        _engines.popitem()[1].dispose()


@contextmanager
def transaction(
    directory: Path | None = None, create: bool = False, *, read_only: bool = False
) -> Iterator["UnitOfWork"]:
    """One unit of work; a refusal of the access policy is audited before it is shown.
    `read_only`: a command that only reads (status, lists) neither takes nor waits for the
    write lock, so a writer in another terminal never waits for it, nor it for the writer."""
    from relance.app.access import Refused
    from relance.storage.database import unit_of_work

    with user_errors():
        try:
            with unit_of_work(shared_engine(directory, create), read_only=read_only) as uow:
                yield uow
        except Refused as refused:
            _audit_refusal(directory, refused)
            raise


def _audit_refusal(directory: Path | None, refused: "Refused") -> None:
    """The refusal in the audit trail, in a transaction of its own (the command's was rolled
    back), as the pages and the API record theirs: who asked, which command, and why not."""
    from typer._click.globals import get_current_context  # Typer's own copy of Click's

    from relance.app.users import refuse_access
    from relance.storage.database import unit_of_work

    command = get_current_context(silent=True)
    what = command.command_path if command is not None else "relance"
    ctx = Context(refused.actor, refused.clock, refused.request_id)
    with unit_of_work(shared_engine(directory)) as uow:
        refuse_access(uow, ctx, what, refused.refusal)


def context(
    actor: str | None,
    directory: Path | None = None,
    *,
    wall: bool = False,
    reads: bool = False,
) -> Context:
    """Who acts, with what rights, and when.

    Who: the operator signed in on this laptop for this database (`relance login`), with the
    rights of the account's role and sites; else the name of --actor or RELANCE_ACTOR, acting
    as the console (every right); else nobody: a command that changes something is refused,
    one that `reads` runs as the OS user marked "not signed in", with an observer's rights
    (no patient data). All through the same access policy as the pages and the API.
    When: the clock of the database in `directory` (the wall clock, or a replay's time), or
    the wall clock if `wall` (a restore: this directory's database may be the broken one)."""
    from relance.domain.clock import SystemClock
    from relance.domain.roles import UNSIGNED, Authority

    clock, who = (SystemClock(), None) if wall else _clock_and_operator(directory)
    if who is not None:
        if actor and actor.strip() != who.login:
            fail(_(SIGNED_IN_AS, login=who.login))
        return Context(actor=who.login, clock=clock, authority=Authority(who.role, who.sites))
    named = actor or os.environ.get("RELANCE_ACTOR")
    if named:
        with user_errors():
            named = checked_name(named, "--actor", required=True)
        return Context(actor=named, clock=clock, authority=CONSOLE)
    if not reads:
        fail(_(NOT_SIGNED_IN))
    _unsigned.set(True)
    unsigned = _("{user} (not signed in)", user=_os_user())
    return Context(actor=unsigned, clock=clock, authority=UNSIGNED)


SIGNED_IN_AS = N_("you are signed in as {login}: drop --actor, or sign out first (relance logout)")
NOT_SIGNED_IN = N_(
    "nobody is signed in, and a change needs a name in the audit trail: sign in with "
    "`relance login`, or name yourself with --actor NAME or RELANCE_ACTOR=NAME"
)
_unsigned: ContextVar[bool] = ContextVar("unsigned", default=False)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # a container's user without a name
        return "?"


def database_key(directory: Path | None = None) -> str:
    """How the laptop's kept sign-ins name this database: its URL without a password."""
    from relance.storage.database import database_url, describe

    return describe(database_url(directory))


def _clock_and_operator(directory: Path | None) -> tuple["Clock", "Principal | None"]:
    """The clock of this directory's database (an exercise's injects fallen due applied
    first) and the operator signed in for it, read once for the command; a replay says so
    first, on stderr (stdout stays for the output and its JSON). No database yet: the wall
    clock, and nobody."""
    from functools import partial

    from relance.app.incident_clock import open_incident_clock
    from relance.cli.sessions import kept_for
    from relance.domain.clock import ClockMode, RunningClock, SystemClock
    from relance.storage.database import database_file, database_url, unit_of_work

    with user_errors():
        path = database_file(database_url(directory))
    if path is not None and not path.exists():
        return SystemClock(), None
    engine, kept = shared_engine(directory), kept_for(database_key(directory))
    with user_errors():
        read = partial(unit_of_work, engine, read_only=True)
        with read() as uow:
            opened = open_incident_clock(uow)
            clock = opened.clock
            who = _operator(uow, clock, kept.kind, kept.secret) if kept else None
        if opened.injects_due:
            # applied first; only then are the exercise's modules imported
            from relance.app.exercise import apply_due

            with unit_of_work(engine) as uow:
                apply_due(uow)
    if kept and who is None:
        errors.print(_(ENDED, login=kept.login), style="bold", highlight=False)
    if who is not None and who.language:
        _account_language.set(who.language)
    if isinstance(clock, RunningClock) and not _for_scripts.get():
        if clock.mode is ClockMode.EXERCISE:
            line = _(
                "EXERCISE - exercise time {time} (relance exercise status)", time=local(clock.now())
            )
        else:
            line = _("REPLAY - incident time {time} (relance clock)", time=local(clock.now()))
        errors.print(line, style="bold", highlight=False)
    return clock, who


ENDED = N_(
    "the sign-in of {login} has ended (expired, signed out, or the account disabled): relance login"
)


def _operator(uow: "UnitOfWork", clock: "Clock", kind: str, secret: str) -> "Principal | None":
    from relance.app.operator import operator

    return operator(uow, Context(actor="relance", clock=clock), kind, secret)


def timezone() -> ZoneInfo:
    """The crisis cell's local time for display and for times typed without an offset."""
    name = os.environ.get("RELANCE_TIMEZONE", "Europe/Brussels")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(
            _(
                "RELANCE_TIMEZONE={name} is not a known time zone (for example Europe/Brussels)",
                name=repr(name),
            )
        )


def local(moment: datetime) -> str:
    return moment.astimezone(timezone()).strftime("%Y-%m-%d %H:%M")


def parse_time(text: str | None, option: str = "--at") -> datetime | None:
    """An ISO time; without an offset it is the crisis cell's local time."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(_(NOT_A_TIME, option=option, text=repr(text)))
    try:
        return checked(moment if moment.tzinfo else moment.replace(tzinfo=timezone()), option)
    except OutOfRange as error:
        fail(said(error))


NOT_A_TIME = N_("{option} {text} is not a time like 2022-05-14T04:15 or 2022-05-14T04:15+02:00")


def parse_day(text: str, option: str = "--date") -> date:
    """An ISO day, such as 2022-05-17."""
    try:
        return checked_day(date.fromisoformat(text), option)
    except ValueError:
        fail(_("{option} {text} is not a day like 2022-05-17", option=option, text=repr(text)))
    except OutOfRange as error:
        fail(said(error))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, RelanceError):  # a note or a reason: its English sentence, for scripts
        return str(value)
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
