"""The incident clock: which time a database lives in, for every caller at once.

A live database follows the wall clock. A replay (the demo, an after-action reconstruction)
lives in the incident's time: the later of the time set by hand (`relance clock set|advance`)
and of the latest moment its audit trail recorded, so that a command typed without `--at`
happens when the incident is, not in the year it is typed. The clock never goes back: an
audit trail cannot.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import WALL_CLOCK_EVENTS, EventType
from relance.domain.clock import Clock, ClockMode, FixedClock, RunningClock, SystemClock
from relance.domain.errors import InvalidInput
from relance.domain.roles import Permission
from relance.storage import clock_store
from relance.storage.database import UnitOfWork

OBJECT = "clock"


@dataclass(frozen=True)
class IncidentTime:
    mode: ClockMode
    now: datetime


def reading(uow: UnitOfWork, wall: Clock | None = None) -> IncidentTime:
    """The database's mode and its current time (`wall`: the wall clock, for tests)."""
    found = clock_store.read(uow)
    wall_now = (wall or SystemClock()).now()
    if found is None or found[0] == ClockMode.LIVE:
        return IncidentTime(ClockMode.LIVE, wall_now)
    set_at = found[1]
    latest = clock_store.latest_recorded(uow, WALL_CLOCK_EVENTS)
    moments = [m for m in (set_at, latest) if m is not None]
    return IncidentTime(ClockMode.REPLAY, max(moments) if moments else wall_now)


def clock_of(uow: UnitOfWork, wall: Clock | None = None) -> Clock:
    """The clock every command and page of this database uses (`wall`: for tests)."""
    wall = wall or SystemClock()
    now = reading(uow, wall)
    return wall if now.mode is ClockMode.LIVE else RunningClock(now.now, wall)


class DatabaseClock:
    """A Context's clock read from its database the first time it is asked, then kept: a
    request reads the database's mode and time once."""

    def __init__(self, read: Callable[[], Clock]) -> None:
        self._read = read
        self._clock: Clock | None = None

    def now(self) -> datetime:
        return self._resolved().now()

    def replaying(self) -> bool:
        """Whether the database replays an incident (its pages and headers say so)."""
        return isinstance(self._resolved(), RunningClock)

    def _resolved(self) -> Clock:
        if self._clock is None:
            self._clock = self._read()
        return self._clock


def reader(open_unit: Callable[[], AbstractContextManager[UnitOfWork]]) -> Callable[[], Clock]:
    """How a DatabaseClock reads the clock, through a read-only unit of work of its own."""

    def read() -> Clock:
        with open_unit() as uow:
            return clock_of(uow)

    return read


def show_clock(uow: UnitOfWork, ctx: Context) -> IncidentTime:
    access.authority(ctx, Permission.VIEW_STATUS)
    return reading(uow)


def start_replay(uow: UnitOfWork, ctx: Context, at: datetime, reason: str) -> IncidentTime:
    """Make a new database live in an incident's time from `at` (the demo, in the transaction
    that loads its network). A database that recorded facts after `at` stays live: its trail
    cannot be moved into the past."""
    access.whole_network(ctx, Permission.MANAGE_PLAN)
    if clock_store.read(uow, lock=True) is not None:
        raise InvalidInput("this database already has its clock: see relance clock")
    latest = clock_store.latest_recorded(uow, WALL_CLOCK_EVENTS)
    if latest is not None and latest > at:
        raise InvalidInput(
            "this database is live and has recorded facts: it cannot replay an incident; "
            "build a replay in a new database (relance demo --dir DIR)"
        )
    return _move(uow, ctx, EventType.CLOCK_REPLAY_STARTED, at, reason)


def set_clock(uow: UnitOfWork, ctx: Context, at: datetime, reason: str) -> IncidentTime:
    """Move a replay's clock forward to `at`; never back before what is recorded."""
    before = _replay(uow, ctx)
    if at < before.now:
        shown = before.now.astimezone(at.tzinfo).isoformat(timespec="minutes")
        raise InvalidInput(
            f"the incident clock is at {shown} and facts are "
            f"recorded up to then: it cannot go back to {at.isoformat(timespec='minutes')} "
            "(an audit trail cannot go back in time)"
        )
    return _move(uow, ctx, EventType.CLOCK_SET, at, reason, before=before.now)


def advance_clock(uow: UnitOfWork, ctx: Context, step: timedelta, reason: str) -> IncidentTime:
    if step <= timedelta(0):
        raise InvalidInput("the incident clock only moves forward: give a positive duration")
    before = _replay(uow, ctx)
    return _move(uow, ctx, EventType.CLOCK_ADVANCED, before.now + step, reason, before=before.now)


def go_live(uow: UnitOfWork, ctx: Context, reason: str, wall: Clock | None = None) -> IncidentTime:
    """Switch a replay to the wall clock (a reconstruction that has caught up with today).
    Refused while the replay is ahead of the wall clock: time would run backwards."""
    before = _replay(uow, ctx)
    now = (wall or SystemClock()).now()
    if now < before.now:
        raise InvalidInput(
            f"the incident clock is at {before.now.isoformat(timespec='minutes')}, after the "
            "wall clock: going live would date new facts before recorded ones"
        )
    live = ClockMode.LIVE
    return _move(uow, ctx, EventType.CLOCK_LIVE, now, reason, before=before.now, mode=live)


def _replay(uow: UnitOfWork, ctx: Context) -> IncidentTime:
    access.whole_network(ctx, Permission.MANAGE_PLAN)
    clock_store.read(uow, lock=True)  # two people moving the clock at once: one waits
    now = reading(uow)
    if now.mode is ClockMode.LIVE:
        raise InvalidInput(
            "this database is live: it follows the wall clock, which nobody sets "
            "(record a past fact with --at)"
        )
    return now


def _move(
    uow: UnitOfWork,
    ctx: Context,
    event: EventType,
    at: datetime,
    reason: str,
    *,
    before: datetime | None = None,
    mode: ClockMode = ClockMode.REPLAY,
) -> IncidentTime:
    clock_store.write(uow, mode, at if mode is ClockMode.REPLAY else None)
    moved = Context(ctx.actor, FixedClock(at), ctx.request_id, ctx.authority)
    after = {"mode": mode.value, "at": at.isoformat()}
    if before is not None:
        after["before"] = before.isoformat()
    record_event(uow, moved, event, OBJECT, "incident", after=after, reason=reason)
    return IncidentTime(mode, at)
