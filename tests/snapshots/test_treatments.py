"""Timing rules -> administration times: examples a nurse would check, and properties."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.domain.treatments import (
    DAILY_ROUNDS,
    InvalidTiming,
    PeriodUnit,
    TimingRule,
    administration_times,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
START = datetime(2022, 5, 14, 1, 0, tzinfo=BRUSSELS)
DAY = timedelta(hours=24)


def clock(rule: TimingRule, anchor: datetime | None = None, start: datetime = START) -> list[str]:
    return [
        t.strftime("%d %H:%M")
        for t in administration_times(rule, start, start + DAY, BRUSSELS, anchor)
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (TimingRule(1, 1, PeriodUnit.DAY), ["14 08:00"]),
        (TimingRule(2, 1, PeriodUnit.DAY), ["14 08:00", "14 20:00"]),
        (TimingRule(3, 1, PeriodUnit.DAY), ["14 08:00", "14 14:00", "14 20:00"]),
        (TimingRule(1, 8, PeriodUnit.HOUR), ["14 06:00", "14 14:00", "14 22:00"]),
        (TimingRule(1, 6, PeriodUnit.HOUR), ["14 06:00", "14 12:00", "14 18:00", "15 00:00"]),
        (TimingRule(1, 12, PeriodUnit.HOUR), ["14 08:00", "14 20:00"]),
        (TimingRule(times_of_day=(time(20),)), ["14 20:00"]),
        (TimingRule(when=("ACM", "HS")), ["14 07:30", "14 21:00"]),
        (TimingRule(when=("C",)), ["14 08:00", "14 12:00", "14 18:00"]),
        (TimingRule(when=("PCV",), offset_minutes=60), ["14 19:00"]),
        (TimingRule(1, 1, PeriodUnit.WEEK, days_of_week=(5,)), ["14 08:00"]),  # Saturday
        (TimingRule(1, 1, PeriodUnit.WEEK, days_of_week=(0,)), []),
        (TimingRule.from_code("TID"), ["14 08:00", "14 14:00", "14 20:00"]),
        (TimingRule(as_needed=True, frequency=1, period=4, period_unit=PeriodUnit.HOUR), []),
    ],
)
def test_the_ward_times_of_common_rules(rule: TimingRule, expected: list[str]) -> None:
    assert clock(rule) == expected


def test_an_interval_counts_from_the_first_dose() -> None:
    first = datetime(2022, 5, 10, 9, 30, tzinfo=BRUSSELS)
    rule = TimingRule(1, 12, PeriodUnit.HOUR, bounds_start=first)
    assert clock(rule) == ["14 09:30", "14 21:30"]


def test_every_other_day_and_weekly_days_come_from_the_anchor() -> None:
    rule = TimingRule(1, 2, PeriodUnit.DAY)
    assert clock(rule, datetime(2022, 5, 12, 23, 58, tzinfo=BRUSSELS)) == ["14 08:00"]
    assert clock(rule, datetime(2022, 5, 13, 10, 0, tzinfo=BRUSSELS)) == []
    with pytest.raises(InvalidTiming, match="need a start"):
        clock(rule)
    patch = TimingRule(
        1, 3, PeriodUnit.DAY, bounds_start=datetime(2022, 5, 11, 10, tzinfo=BRUSSELS)
    )
    assert clock(patch) == ["14 08:00"]


def test_a_count_stops_the_doses() -> None:
    first = datetime(2022, 5, 13, 14, 0, tzinfo=BRUSSELS)
    rule = TimingRule(1, 8, PeriodUnit.HOUR, bounds_start=first, count=3)  # 14:00, 22:00, 06:00
    assert clock(rule) == ["14 06:00"]


def test_bounds_end_stops_the_doses() -> None:
    end = datetime(2022, 5, 14, 12, 0, tzinfo=BRUSSELS)
    assert clock(TimingRule(4, 1, PeriodUnit.DAY, bounds_end=end)) == ["14 08:00", "14 12:00"]


def test_events_are_given_as_written() -> None:
    event = datetime(2022, 5, 14, 10, 15, tzinfo=BRUSSELS)
    assert clock(TimingRule(events=(event,))) == ["14 10:15"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"frequency": 0, "period": 1, "period_unit": PeriodUnit.DAY}, "frequency 0"),
        ({"period": -1, "period_unit": PeriodUnit.HOUR}, "period -1"),
        ({"period": 1}, "without periodUnit"),
        ({"frequency": 2}, "without period"),
        ({"when": ("SOMETIMES",)}, "unknown event code"),
        ({"when": ("MORN",), "times_of_day": (time(8),)}, "both when and timeOfDay"),
        ({"frequency": 1, "period": 1, "period_unit": PeriodUnit.MINUTE}, "more than 96"),
        ({"frequency": 3, "period": 2, "period_unit": PeriodUnit.WEEK}, "on which days"),
        ({"frequency": 1, "period": 1.5, "period_unit": PeriodUnit.DAY}, "in hours"),
        ({"count": 0, "frequency": 1, "period": 1, "period_unit": PeriodUnit.DAY}, "count 0"),
    ],
)
def test_unusable_rules_say_why(fields: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidTiming, match=message):
        TimingRule(**fields)  # type: ignore[arg-type]


def test_a_timing_code_must_be_known() -> None:
    with pytest.raises(InvalidTiming, match="unknown timing code"):
        TimingRule.from_code("Q7H")


# --- properties ---------------------------------------------------------------------------------

zones = st.sampled_from([UTC, BRUSSELS, ZoneInfo("America/New_York")])
starts = st.datetimes(
    min_value=datetime(2021, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
    max_value=datetime(2024, 12, 31),  # noqa: DTZ001
    timezones=zones,
)
hours_dividing_day = st.sampled_from([1, 2, 3, 4, 6, 8, 12, 24])
daily_rules = st.builds(
    TimingRule,
    frequency=st.sampled_from(sorted(DAILY_ROUNDS)),
    period=st.just(1.0),
    period_unit=st.just(PeriodUnit.DAY),
)
interval_rules = st.builds(
    TimingRule,
    frequency=st.just(1),
    period=hours_dividing_day,
    period_unit=st.just(PeriodUnit.HOUR),
)
clock_rules = st.builds(
    TimingRule,
    times_of_day=st.lists(
        st.times().map(lambda t: t.replace(second=0, microsecond=0)), min_size=1, max_size=6
    ).map(lambda ts: tuple(sorted(set(ts)))),
)
when_rules = st.builds(
    TimingRule,
    when=st.lists(
        st.sampled_from(["MORN", "NOON", "EVE", "HS", "AC", "PC"]),
        min_size=1,
        max_size=3,
        unique=True,
    ).map(tuple),
)
any_rule = st.one_of(daily_rules, interval_rules, clock_rules, when_rules)


@given(rule=any_rule, start=starts, hours=st.integers(1, 72))
@settings(max_examples=300, deadline=None)
def test_times_are_sorted_unique_and_inside_the_window(
    rule: TimingRule, start: datetime, hours: int
) -> None:
    zone = start.tzinfo or UTC
    start = start.astimezone(UTC)  # Python compares wall-clock times within one ZoneInfo
    end = start + timedelta(hours=hours)
    found = administration_times(rule, start, end, zone)
    assert all(t.tzinfo is zone for t in found)
    times = [t.astimezone(UTC) for t in found]
    assert times == sorted(set(times))
    assert all(start <= t < end for t in times)


@given(rule=any_rule, start=starts, first=st.integers(1, 47), second=st.integers(1, 47))
@settings(max_examples=300, deadline=None)
def test_a_window_is_the_union_of_its_parts(
    rule: TimingRule, start: datetime, first: int, second: int
) -> None:
    zone = start.tzinfo or UTC
    start = start.astimezone(UTC)
    middle = start + timedelta(hours=first)
    end = middle + timedelta(hours=second)
    whole = administration_times(rule, start, end, zone)
    parts = administration_times(rule, start, middle, zone) + administration_times(
        rule, middle, end, zone
    )
    assert whole == parts


@given(rule=daily_rules, start=starts)
def test_n_times_a_day_gives_n_doses_in_any_day_in_utc(rule: TimingRule, start: datetime) -> None:
    start = start.astimezone(UTC)
    times = administration_times(rule, start, start + DAY, UTC)
    assert len(times) == rule.frequency


@given(hours=hours_dividing_day, start=starts)
def test_every_n_hours_gives_24_over_n_doses_n_hours_apart_without_a_clock_change(
    hours: int, start: datetime
) -> None:
    start = start.astimezone(UTC)
    rule = TimingRule(1, hours, PeriodUnit.HOUR)
    times = administration_times(rule, start, start + DAY, UTC)
    assert len(times) == 24 // hours
    assert all(b - a == timedelta(hours=hours) for a, b in itertools.pairwise(times))


@given(hours=st.integers(1, 23), first=starts, start=starts)
def test_an_interval_from_a_first_dose_holds_across_clock_changes(
    hours: int, first: datetime, start: datetime
) -> None:
    rule = TimingRule(1, hours, PeriodUnit.HOUR, bounds_start=first)
    found = administration_times(rule, start, start + timedelta(hours=72), BRUSSELS)
    times = [t.astimezone(UTC) for t in found]  # Python subtracts wall-clock times in one zone
    origin = first.astimezone(UTC)
    assert all(b - a == timedelta(hours=hours) for a, b in itertools.pairwise(times))
    assert all(t >= origin for t in times)
    assert all((t - origin) % timedelta(hours=hours) == timedelta(0) for t in times)


@given(rule=clock_rules, start=starts)
def test_clock_times_are_given_at_those_local_times(rule: TimingRule, start: datetime) -> None:
    times = administration_times(rule, start, start + DAY, BRUSSELS)
    expected = {t.strftime("%H:%M") for t in rule.times_of_day}
    assert {t.astimezone(BRUSSELS).strftime("%H:%M") for t in times} <= expected | _shifted(
        expected
    )
    assert len(times) <= len(rule.times_of_day) + 1  # 24 h can hold a time twice (DST: 25 h)


def _shifted(times: set[str]) -> set[str]:
    """A clock time that does not exist on the day clocks go forward is given an hour later."""
    return {f"{(int(t[:2]) + 1) % 24:02d}{t[2:]}" for t in times}


@given(rule=any_rule, start=starts)
def test_as_needed_never_gives_a_planned_time(rule: TimingRule, start: datetime) -> None:
    prn = TimingRule(
        rule.frequency, rule.period, rule.period_unit, rule.times_of_day, rule.when, as_needed=True
    )
    assert administration_times(prn, start, start + DAY, BRUSSELS) == ()


@given(rule=interval_rules, start=starts, end_after=st.integers(0, 30))
def test_nothing_after_the_end_of_the_order(
    rule: TimingRule, start: datetime, end_after: int
) -> None:
    start = start.astimezone(UTC)  # Python compares wall-clock times within one ZoneInfo
    end = start + timedelta(hours=end_after)
    bounded = TimingRule(rule.frequency, rule.period, rule.period_unit, bounds_end=end)
    times = administration_times(bounded, start, start + timedelta(hours=48), BRUSSELS)
    assert all(t.astimezone(UTC) <= end for t in times)
