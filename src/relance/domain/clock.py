"""Time comes from a Clock, so rules and replays never read the wall clock themselves."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol


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
    """A replay's time as it runs: from `start`, as the wall clock goes. A long command (the SMS
    dispatcher, a backup loop) sees time pass; a short one stays at the incident's time."""

    def __init__(self, start: datetime, wall: Clock) -> None:
        self.start, self._wall, self._wall_start = start, wall, wall.now()

    def now(self) -> datetime:
        return self.start + (self._wall.now() - self._wall_start)


class ClockMode(StrEnum):
    """Which time a database lives in: the wall clock, or the incident's time of a replay."""

    LIVE = "live"
    REPLAY = "replay"  # the demo, an after-action reconstruction: time moves only when told
