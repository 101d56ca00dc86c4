"""Time comes from a Clock, so rules and replays never read the wall clock themselves."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

SPEED_MAX = 100_000.0  # an exercise's speed at most: a day of the record in under a second


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that only moves when told to: replays and tests."""

    current: datetime

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class RunningClock:
    """A replay's or an exercise's time as it runs: from `start` (at the wall's `since`, by
    default now), `speed` times as fast as the wall clock. A long command (the SMS dispatcher,
    a backup loop) sees time pass; a short one stays at the incident's time."""

    def __init__(
        self,
        start: datetime,
        wall: Clock,
        *,
        speed: float = 1.0,
        since: datetime | None = None,
        mode: "ClockMode | None" = None,
    ) -> None:
        self.start, self._wall, self.speed = start, wall, speed
        self._since = since or wall.now()
        self.mode = mode or ClockMode.REPLAY

    def now(self) -> datetime:
        return self.start + self.speed * (self._wall.now() - self._since)


class ClockMode(StrEnum):
    """Which time a database lives in: the wall clock, or the incident's time of a replay."""

    LIVE = "live"
    REPLAY = "replay"  # the demo, an after-action reconstruction: time moves only when told
    # A training exercise: from the record's night, `speed` times the wall clock. Marked so at
    # creation, for good: it never goes live and a live database never becomes one.
    EXERCISE = "exercise"
