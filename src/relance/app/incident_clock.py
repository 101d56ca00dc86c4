"""The incident clock: which time a database lives in, for every caller at once.

A live database follows the wall clock. A replay (the demo, an after-action reconstruction)
lives in the incident's time: the later of the time set by hand (`relance clock set|advance`)
and of the latest moment its audit trail recorded, so that a command typed without `--at`
happens when the incident is, not in the year it is typed. The clock never goes back: an
audit trail cannot. An exercise runs from the record's night at its speed: start + speed x
(wall clock - wall clock at the start); it is one from its creation and never goes live, and
no other database becomes one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import WALL_CLOCK_EVENTS, EventType
from relance.domain.clock import (
    SPEED_MAX,
    Clock,
    ClockMode,
    FixedClock,
    RunningClock,
    SystemClock,
)
from relance.domain.errors import N_, InvalidInput
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
    wall = wall or SystemClock()
    found = clock_store.read(uow)
    if found is None or found.mode == ClockMode.LIVE:
        return IncidentTime(ClockMode.LIVE, wall.now())
    if found.mode == ClockMode.EXERCISE:
        return IncidentTime(ClockMode.EXERCISE, _exercise(found, wall).now())
    latest = clock_store.latest_recorded(uow, WALL_CLOCK_EVENTS)
    moments = [m for m in (found.set_at, latest) if m is not None]
    return IncidentTime(ClockMode.REPLAY, max(moments) if moments else wall.now())


def mode_of(clock: Clock) -> ClockMode:
    if isinstance(clock, DatabaseClock):
        return clock.mode()
    return clock.mode if isinstance(clock, RunningClock) else ClockMode.LIVE


def people_time(ctx: Context) -> datetime:
    """The time sessions and tokens live in: the context's, but the wall clock's in an exercise,
    whose time runs faster than the players' shifts (at --speed 60, a 12-hour session would end
    after 12 minutes)."""
    if mode_of(ctx.clock) is ClockMode.EXERCISE:
        return SystemClock().now()
    return ctx.clock.now()


def clock_of(uow: UnitOfWork, wall: Clock | None = None) -> Clock:
    """The clock every command and page of this database uses (`wall`: for tests)."""
    wall = wall or SystemClock()
    found = clock_store.read(uow)
    if found is not None and found.mode == ClockMode.EXERCISE:
        return _exercise(found, wall)
    now = reading(uow, wall)
    return wall if now.mode is ClockMode.LIVE else RunningClock(now.now, wall)


@dataclass(frozen=True)
class Opened:
    clock: Clock
    injects_due: bool  # an exercise's injects have fallen due: apply them (app.exercise)


def open_incident_clock(uow: UnitOfWork, wall: Clock | None = None) -> Opened:
    """The clock a command or a page works with, read once; in an exercise, whether injects
    have fallen due too, from their schedule: the exercise's modules (its file's parser, its
    report) are imported only by whoever applies them."""
    clock = clock_of(uow, wall)
    if mode_of(clock) is not ClockMode.EXERCISE:
        return Opened(clock, injects_due=False)
    from relance.storage import exercise_store  # noqa: PLC0415 - its tables mapped in an exercise only

    due = exercise_store.injects_due(uow, clock.now())
    return Opened(clock, injects_due=due is not False)  # no schedule kept: its file says


def _exercise(found: clock_store.ClockRow, wall: Clock) -> RunningClock:
    start, speed, since = found.set_at, found.speed, found.wall_start
    if start is None or speed is None or since is None:
        incomplete = N_("this exercise's clock is incomplete: start it again in a new directory")
        raise InvalidInput(incomplete)
    return RunningClock(start, wall, speed=speed, since=since, mode=ClockMode.EXERCISE)


class DatabaseClock:
    """A Context's clock read from its database the first time it is asked, then kept: a
    request reads the database's mode and time once."""

    def __init__(self, read: Callable[[], Clock]) -> None:
        self._read = read
        self._clock: Clock | None = None

    def now(self) -> datetime:
        return self._resolved().now()

    def mode(self) -> ClockMode:
        """Live, a replay or an exercise (the pages' headers say which)."""
        return mode_of(self._resolved())

    def _resolved(self) -> Clock:
        if self._clock is None:
            self._clock = self._read()
        return self._clock


def show_clock(uow: UnitOfWork, ctx: Context) -> IncidentTime:
    access.authority(ctx, Permission.VIEW_STATUS)
    return reading(uow)


def start_replay(uow: UnitOfWork, ctx: Context, at: datetime, reason: str) -> IncidentTime:
    """Make a new database live in an incident's time from `at` (the demo, in the transaction
    that loads its network). A database that recorded facts after `at` stays live: its trail
    cannot be moved into the past."""
    _new_clock(uow, ctx)
    latest = clock_store.latest_recorded(uow, WALL_CLOCK_EVENTS)
    if latest is not None and latest > at:
        raise InvalidInput(
            N_(
                "this database is live and has recorded facts: it cannot replay an incident; "
                "build a replay in a new database (relance demo --dir DIR)"
            )
        )
    return _move(uow, ctx, EventType.CLOCK_REPLAY_STARTED, at, reason)


def check_new_exercise(uow: UnitOfWork, ctx: Context) -> None:
    """Refuse to make an exercise of a database that has a clock or recorded anything: a live
    database's or a demo's facts never mix with an exercise's."""
    _new_clock(uow, ctx)
    if clock_store.latest_recorded(uow, ()) is not None:
        raise InvalidInput(
            N_(
                "this database already holds records: an exercise needs a new database "
                "(relance exercise start SCENARIO --dir NEW_DIRECTORY)"
            )
        )


def start_exercise(
    uow: UnitOfWork, ctx: Context, at: datetime, *, speed: float, wall: Clock, reason: str
) -> IncidentTime:
    """Mark the database (checked by check_new_exercise, its network loaded in the same
    transaction) as an exercise for good, its time running from `at` at `speed` from the wall
    clock's now: loading the network does not eat the exercise's first hours."""
    if not 1 <= speed <= SPEED_MAX:
        speed_range = N_("the exercise's speed is a number from 1 to {most} (--speed)")
        raise InvalidInput(speed_range, most=f"{SPEED_MAX:g}")
    if clock_store.read(uow, lock=True) is not None:
        raise InvalidInput(N_("this database already has its clock: see relance clock"))
    found = clock_store.ClockRow(ClockMode.EXERCISE, at, speed, wall.now())
    clock_store.write(uow, found)
    moved = Context(ctx.actor, FixedClock(at), ctx.request_id, ctx.authority)
    after = {"mode": ClockMode.EXERCISE.value, "at": at.isoformat(), "speed": speed}
    event = EventType.CLOCK_EXERCISE_STARTED
    record_event(uow, moved, event, OBJECT, "incident", after=after, reason=reason)
    return IncidentTime(ClockMode.EXERCISE, at)


def _new_clock(uow: UnitOfWork, ctx: Context) -> None:
    access.whole_network(ctx, Permission.MANAGE_PLAN)
    if clock_store.read(uow, lock=True) is not None:
        raise InvalidInput(N_("this database already has its clock: see relance clock"))


def set_clock(uow: UnitOfWork, ctx: Context, at: datetime, reason: str) -> IncidentTime:
    """Move a replay's clock forward to `at`; never back before what is recorded."""
    before = _replay(uow, ctx)
    if at < before.now:
        shown = before.now.astimezone(at.tzinfo).isoformat(timespec="minutes")
        back = N_(
            "the incident clock is at {now} and facts are recorded up to then: it cannot go "
            "back to {at} (an audit trail cannot go back in time)"
        )
        raise InvalidInput(back, now=shown, at=at.isoformat(timespec="minutes"))
    return _move(uow, ctx, EventType.CLOCK_SET, at, reason, before=before.now)


def advance_clock(uow: UnitOfWork, ctx: Context, step: timedelta, reason: str) -> IncidentTime:
    if step <= timedelta(0):
        raise InvalidInput(N_("the incident clock only moves forward: give a positive duration"))
    before = _replay(uow, ctx)
    return _move(uow, ctx, EventType.CLOCK_ADVANCED, before.now + step, reason, before=before.now)


def go_live(uow: UnitOfWork, ctx: Context, reason: str, wall: Clock | None = None) -> IncidentTime:
    """Switch a replay to the wall clock (a reconstruction that has caught up with today).
    Refused while the replay is ahead of the wall clock: time would run backwards."""
    before = _replay(uow, ctx)
    now = (wall or SystemClock()).now()
    if now < before.now:
        ahead = N_(
            "the incident clock is at {now}, after the wall clock: going live would date new "
            "facts before recorded ones"
        )
        raise InvalidInput(ahead, now=before.now.isoformat(timespec="minutes"))
    live = ClockMode.LIVE
    return _move(uow, ctx, EventType.CLOCK_LIVE, now, reason, before=before.now, mode=live)


def _replay(uow: UnitOfWork, ctx: Context) -> IncidentTime:
    access.whole_network(ctx, Permission.MANAGE_PLAN)
    clock_store.read(uow, lock=True)  # two people moving the clock at once: one waits
    now = reading(uow)
    if now.mode is ClockMode.EXERCISE:
        raise InvalidInput(
            N_(
                "this database is an exercise: its clock runs at the speed chosen at its start "
                "and it never goes live (relance exercise status)"
            )
        )
    if now.mode is ClockMode.LIVE:
        raise InvalidInput(
            N_(
                "this database is live: it follows the wall clock, which nobody sets "
                "(record a past fact with --at)"
            )
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
    clock_store.write(uow, clock_store.ClockRow(mode, at if mode is ClockMode.REPLAY else None))
    moved = Context(ctx.actor, FixedClock(at), ctx.request_id, ctx.authority)
    after = {"mode": mode.value, "at": at.isoformat()}
    if before is not None:
        after["before"] = before.isoformat()
    record_event(uow, moved, event, OBJECT, "incident", after=after, reason=reason)
    return IncidentTime(mode, at)
