"""When a treatment is given: FHIR Timing rules -> the administration times of the next hours.

Pure: the window, the time zone and the order's anchor (its first dose or the day it was
written) are passed in; nothing here reads a clock. A rule that cannot be turned into times
raises InvalidTiming, whose message says which field is wrong and why, for the cover page.

The hospital's conventions fill what FHIR leaves to "institution specified times": the times
of MORN, NOON, meals and sleep, the standard round times of "n times a day", and 06:00 as the
first dose of "every n hours" (08:00 from every 12 hours up). docs/snapshots.md lists them.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from relance.domain.errors import N_, InvalidInput

MAX_DOSES_PER_DAY = 96  # every 15 minutes: anything denser is a continuous infusion, not a grid


class InvalidTiming(InvalidInput):
    """A timing rule that cannot be turned into administration times."""


NO_START = N_("the days or the first dose need a start (boundsPeriod.start)")


class PeriodUnit(StrEnum):
    SECOND = "s"
    MINUTE = "min"
    HOUR = "h"
    DAY = "d"
    WEEK = "wk"
    MONTH = "mo"
    YEAR = "a"


SUBDAY_SECONDS = {PeriodUnit.SECOND: 1, PeriodUnit.MINUTE: 60, PeriodUnit.HOUR: 3600}
UNIT_DAYS = {PeriodUnit.DAY: 1, PeriodUnit.WEEK: 7, PeriodUnit.MONTH: 30, PeriodUnit.YEAR: 365}

MEALS = {"M": time(8), "D": time(12), "V": time(18)}  # breakfast, lunch, dinner
WHEN_TIMES: dict[str, tuple[time, ...]] = {
    "MORN": (time(8),),
    "MORN.early": (time(6),),
    "MORN.late": (time(10),),
    "NOON": (time(12),),
    "AFT": (time(14),),
    "AFT.early": (time(13),),
    "AFT.late": (time(16),),
    "EVE": (time(18),),
    "EVE.early": (time(17),),
    "EVE.late": (time(20),),
    "NIGHT": (time(22),),
    "PHS": (time(23),),
    "HS": (time(21),),
    "WAKE": (time(7),),
    "C": tuple(MEALS.values()),
    "CM": (MEALS["M"],),
    "CD": (MEALS["D"],),
    "CV": (MEALS["V"],),
    "AC": tuple(MEALS.values()),
    "ACM": (MEALS["M"],),
    "ACD": (MEALS["D"],),
    "ACV": (MEALS["V"],),
    "PC": tuple(MEALS.values()),
    "PCM": (MEALS["M"],),
    "PCD": (MEALS["D"],),
    "PCV": (MEALS["V"],),
}
BEFORE_EVENT = {"AC", "ACM", "ACD", "ACV", "HS"}  # FHIR: their offset counts before the event
MEAL_DEFAULT_OFFSET = 30  # minutes before (AC) or after (PC) a meal when no offset is given

# Round times of "n times a day" (frequency n, period 1 d) on the wards.
DAILY_ROUNDS: dict[int, tuple[time, ...]] = {
    1: (time(8),),
    2: (time(8), time(20)),
    3: (time(8), time(14), time(20)),
    4: (time(8), time(12), time(18), time(22)),
    5: (time(6), time(10), time(14), time(18), time(22)),
    6: (time(6), time(10), time(14), time(18), time(22), time(2)),
}
DAY_DOSE_TIME = time(8)  # the dose of a day-level rule (weekly, every 2 days) with no time given
# Days of "n times a week" when no day is named: Monday=0.
WEEK_DAYS: dict[int, tuple[int, ...]] = {
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}

# Timing.code abbreviations (HL7 TimingAbbreviation) as (frequency, period, unit, when).
CODES: dict[str, tuple[int, float, PeriodUnit | None, tuple[str, ...]]] = {
    "QD": (1, 1, PeriodUnit.DAY, ()),
    "BID": (2, 1, PeriodUnit.DAY, ()),
    "TID": (3, 1, PeriodUnit.DAY, ()),
    "QID": (4, 1, PeriodUnit.DAY, ()),
    "AM": (1, 1, PeriodUnit.DAY, ("MORN",)),
    "PM": (1, 1, PeriodUnit.DAY, ("AFT",)),
    "BED": (1, 1, PeriodUnit.DAY, ("HS",)),
    "QOD": (1, 2, PeriodUnit.DAY, ()),
    "WK": (1, 1, PeriodUnit.WEEK, ()),
    "MO": (1, 1, PeriodUnit.MONTH, ()),
    **{f"Q{h}H": (1, h, PeriodUnit.HOUR, ()) for h in (1, 2, 3, 4, 6, 8)},
}


@dataclass(frozen=True)
class TimingRule:
    """FHIR Timing (repeat, code, event) and the order's as-needed flag, checked on creation."""

    frequency: int | None = None
    period: float | None = None
    period_unit: PeriodUnit | None = None
    times_of_day: tuple[time, ...] = ()
    when: tuple[str, ...] = ()
    offset_minutes: int = 0
    days_of_week: tuple[int, ...] = ()  # Monday=0
    events: tuple[datetime, ...] = ()
    bounds_start: datetime | None = None
    bounds_end: datetime | None = None
    count: int | None = None
    as_needed: bool = False

    def __post_init__(self) -> None:
        for mistake in _mistakes(self):
            raise mistake
        if self.doses_per_day > MAX_DOSES_PER_DAY:
            dense = N_("{doses} doses a day: more than {most}, is it a continuous infusion?")
            raise InvalidTiming(dense, doses=f"{self.doses_per_day:g}", most=MAX_DOSES_PER_DAY)

    @classmethod
    def from_code(cls, code: str, **fields: object) -> "TimingRule":
        """A rule from a Timing.code abbreviation (BID, Q8H...) when no repeat is given."""
        if code.upper() not in CODES:
            unknown = N_("unknown timing code {code} (known: {known})")
            raise InvalidTiming(unknown, code=repr(code), known=", ".join(CODES))
        frequency, period, unit, when = CODES[code.upper()]
        return cls(frequency, period, unit, when=when, **fields)  # type: ignore[arg-type]

    @property
    def fixed_times(self) -> bool:
        return bool(self.times_of_day or self.when)

    @property
    def scheduled(self) -> bool:
        """False for a rule that gives no administration time (only as-needed limits)."""
        return not self.as_needed and bool(self.events or self.fixed_times or self.period)

    @property
    def step(self) -> timedelta | None:
        """The interval of a rule given as "every so often" (no clock time), else None."""
        if self.fixed_times or self.period is None or self.period_unit is None:
            return None
        frequency = self.frequency or 1
        if self.period_unit in SUBDAY_SECONDS:
            return timedelta(seconds=self.period * SUBDAY_SECONDS[self.period_unit] / frequency)
        if self.period_unit is PeriodUnit.DAY and (
            self.period < 1 or (self.period == 1 and frequency not in DAILY_ROUNDS)
        ):
            return timedelta(days=self.period) / frequency
        return None

    @property
    def needs_anchor(self) -> bool:
        """True when the days or the first dose can only be counted from a start."""
        if not self.scheduled or self.bounds_start is not None:
            return False
        step, unit = self.step, self.period_unit
        if step is not None:
            return (86400 * 10**6) % (step // timedelta(microseconds=1)) != 0
        if unit is PeriodUnit.DAY:
            return self.period != 1
        if unit is PeriodUnit.WEEK:
            return self.period != 1 or (not self.days_of_week and (self.frequency or 1) == 1)
        return unit in (PeriodUnit.MONTH, PeriodUnit.YEAR)

    @property
    def doses_per_day(self) -> float:
        if self.fixed_times:
            return float(len(self.times_of_day) + sum(len(WHEN_TIMES[w]) for w in self.when))
        if self.period is None or self.period_unit is None:
            return 0.0
        seconds = SUBDAY_SECONDS.get(self.period_unit)
        days = (
            self.period * seconds / 86400 if seconds else self.period * UNIT_DAYS[self.period_unit]
        )
        return (self.frequency or 1) / days


def _mistakes(rule: TimingRule) -> Iterator[InvalidTiming]:
    if rule.frequency is not None and rule.frequency < 1:
        yield InvalidTiming(N_("frequency {n}: must be 1 or more"), n=rule.frequency)
    if rule.period is not None and not (rule.period > 0 and math.isfinite(rule.period)):
        yield InvalidTiming(N_("period {n}: must be a positive number"), n=rule.period)
    if rule.period is not None and rule.period_unit is None:
        yield InvalidTiming(N_("period without periodUnit"))
    if rule.period is None and rule.period_unit is not None and not rule.fixed_times:
        yield InvalidTiming(N_("periodUnit {unit} without period"), unit=str(rule.period_unit))
    if rule.frequency is not None and rule.period is None and not rule.fixed_times:
        alone = N_("frequency {n} without period: how often is it?")
        yield InvalidTiming(alone, n=rule.frequency)
    for code in rule.when:
        if code not in WHEN_TIMES:
            unknown = N_("unknown event code {code} in when (known: {known})")
            yield InvalidTiming(unknown, code=repr(code), known=", ".join(WHEN_TIMES))
    if rule.when and rule.times_of_day:
        yield InvalidTiming(N_("both when and timeOfDay: FHIR allows one of them"))
    yield from _limit_mistakes(rule)
    yield from _shape_mistakes(rule)


def _limit_mistakes(rule: TimingRule) -> Iterator[InvalidTiming]:
    if rule.offset_minutes < 0:
        negative = N_("offset {n}: must be 0 or more minutes")
        yield InvalidTiming(negative, n=rule.offset_minutes)
    if any(day not in range(7) for day in rule.days_of_week):
        yield InvalidTiming(N_("dayOfWeek must be mon..sun"))
    if rule.count is not None and rule.count < 1:
        yield InvalidTiming(N_("count {n}: must be 1 or more"), n=rule.count)
    if rule.bounds_start and rule.bounds_end and rule.bounds_end < rule.bounds_start:
        yield InvalidTiming(N_("boundsPeriod ends before it starts"))
    if any(m.tzinfo is None for m in (*rule.events, rule.bounds_start, rule.bounds_end) if m):
        yield InvalidTiming(N_("a time without a UTC offset"))


def _shape_mistakes(rule: TimingRule) -> Iterator[InvalidTiming]:
    unit, period, frequency = rule.period_unit, rule.period, rule.frequency or 1
    if unit is None or period is None or (rule.fixed_times and unit in SUBDAY_SECONDS):
        return
    shown = f"{period:g}"
    if unit in (PeriodUnit.WEEK, PeriodUnit.MONTH, PeriodUnit.YEAR) and period != int(period):
        whole = N_("period {period} {unit}: give a whole number or a smaller unit")
        yield InvalidTiming(whole, period=shown, unit=str(unit))
    if unit is PeriodUnit.DAY and period > 1 and period != int(period):
        yield InvalidTiming(N_("every {period} days: give it in hours"), period=shown)
    if unit in (PeriodUnit.MONTH, PeriodUnit.YEAR) and frequency > 1 and not rule.fixed_times:
        which = N_("{n} times per {unit}: on which days? give one dose per period")
        yield InvalidTiming(which, n=frequency, unit=str(unit))
    weekly_without_days = unit is PeriodUnit.WEEK and not rule.days_of_week
    if weekly_without_days and frequency > 1 and (frequency > 7 or period != 1):
        weekly = N_("{n} times per {period} wk: on which days? give dayOfWeek")
        yield InvalidTiming(weekly, n=frequency, period=shown)
    if unit is PeriodUnit.DAY and period > 1 and frequency > 1 and not rule.fixed_times:
        daily = N_("{n} times per {period} days: give timeOfDay or when")
        yield InvalidTiming(daily, n=frequency, period=shown)


def administration_times(
    rule: TimingRule,
    start: datetime,
    end: datetime,
    zone: tzinfo,
    anchor: datetime | None = None,
) -> tuple[datetime, ...]:
    """Every planned administration in [start, end), sorted, in `zone`.

    `anchor` is the order's first dose or, failing that, when it was written: it fixes the
    days of "every 2 days" or "weekly", the phase of "every 5 hours", the count of doses.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the window needs timezone-aware times")
    if not rule.scheduled:
        return ()
    # Arithmetic in UTC: Python adds and subtracts wall-clock time within one ZoneInfo.
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    anchor = _utc(rule.bounds_start) or _utc(anchor)
    if rule.needs_anchor and anchor is None:
        raise InvalidTiming(NO_START)
    counted = rule.count is not None and anchor is not None
    first = min(start, anchor) if counted and anchor else start
    window = _Window(first, end, zone, anchor)
    found = {t.astimezone(UTC) for t in (*_candidates(rule, window), *rule.events)}
    origin = _utc(rule.bounds_start)
    candidates = sorted(t for t in found if origin is None or t >= origin)
    if counted and anchor is not None:
        candidates = [t for t in candidates if t >= anchor][: rule.count]
    last = _utc(rule.bounds_end)
    return tuple(
        t.astimezone(zone) for t in candidates if start <= t < end and (last is None or t <= last)
    )


@dataclass(frozen=True)
class _Window:
    start: datetime
    end: datetime
    zone: tzinfo
    anchor: datetime | None


def _candidates(rule: TimingRule, window: _Window) -> Iterator[datetime]:
    step = rule.step
    if rule.fixed_times:
        yield from _daily(_fixed_times(rule), rule, window)
    elif step is not None:
        if rule.needs_anchor or rule.bounds_start is not None:
            origin = rule.bounds_start or window.anchor
            assert origin is not None  # noqa: S101 - needs_anchor was checked by the caller
            yield from _every(step, origin, window)
        else:  # a step dividing the day: the same clock times every day, as the wards do
            yield from _daily(_round_times(step), rule, window)
    elif rule.period_unit is PeriodUnit.DAY and rule.period == 1:
        yield from _daily(DAILY_ROUNDS[rule.frequency or 1], rule, window)
    elif rule.period_unit is not None:
        yield from _daily((DAY_DOSE_TIME,), rule, window)


def _round_times(step: timedelta) -> tuple[time, ...]:
    """Clock times of "every `step`" from 06:00 (08:00 from every 12 hours up)."""
    first = timedelta(hours=8 if step >= timedelta(hours=12) else 6)
    count = timedelta(days=1) // step
    seconds = (int(((first + k * step) % timedelta(days=1)).total_seconds()) for k in range(count))
    return tuple(sorted(time(s // 3600, s % 3600 // 60, s % 60) for s in seconds))


def _fixed_times(rule: TimingRule) -> tuple[time, ...]:
    if rule.times_of_day:
        return rule.times_of_day
    found: list[time] = []
    for code in rule.when:
        offset = rule.offset_minutes
        if code.startswith(("AC", "PC")) and not offset:
            offset = MEAL_DEFAULT_OFFSET
        sign = -1 if code in BEFORE_EVENT else 1
        for moment in WHEN_TIMES[code]:
            minutes = (moment.hour * 60 + moment.minute + sign * offset) % 1440
            found.append(time(minutes // 60, minutes % 60))
    return tuple(found)


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None


def _every(step: timedelta, origin: datetime, window: _Window) -> Iterator[datetime]:
    """Every `step` in absolute time from `origin`: the interval holds across a clock change."""
    origin = origin.astimezone(UTC)
    moment = origin + math.ceil((window.start - origin) / step) * step
    while moment < window.end:
        yield moment
        moment += step


def _daily(times: tuple[time, ...], rule: TimingRule, window: _Window) -> Iterator[datetime]:
    """The given clock times on each day the rule allows, from the day before start to end."""
    zone = window.zone
    day = window.start.astimezone(zone).date() - timedelta(days=1)
    last = window.end.astimezone(zone).date() + timedelta(days=1)
    origin = window.anchor.astimezone(zone).date() if window.anchor else None
    while day <= last:
        if _is_dose_day(rule, day, origin):
            for moment in times:
                yield datetime.combine(day, moment, tzinfo=zone)
        day += timedelta(days=1)


def _is_dose_day(rule: TimingRule, day: date, origin: date | None) -> bool:
    unit, period, frequency = rule.period_unit, round(rule.period or 1), rule.frequency or 1
    days_of_week = rule.days_of_week
    if unit is PeriodUnit.WEEK and not days_of_week and frequency > 1:
        days_of_week = WEEK_DAYS[frequency]
    if days_of_week and day.weekday() not in days_of_week:
        return False
    if origin is None or unit is None or unit in SUBDAY_SECONDS or rule.step is not None:
        return True
    elapsed = (day - origin).days  # may be negative: the pattern repeats both ways
    if unit is PeriodUnit.DAY:
        return elapsed % period == 0
    if unit is PeriodUnit.WEEK:
        return (elapsed // 7) % period == 0 if days_of_week else elapsed % (7 * period) == 0
    if unit is PeriodUnit.MONTH:
        months = (day.year - origin.year) * 12 + day.month - origin.month
        return day.day == origin.day and months % period == 0
    years = day.year - origin.year
    return (day.month, day.day) == (origin.month, origin.day) and years % period == 0
