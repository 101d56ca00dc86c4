"""Legal deadlines: hours are elapsed time, a month is on the cell's calendar; one status table."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.duties import (
    ALARM_BEFORE,
    DUTY_TRANSITIONS,
    GDPR_DPA,
    NIS2_EARLY_WARNING,
    NIS2_FINAL_REPORT,
    NIS2_NOTIFICATION,
    DutyOutcome,
    DutyStatus,
    Urgency,
    after_hours,
    after_months,
    check_duty_move,
    due_at,
    urgency,
)
from relance.domain.errors import InvalidInput

BRUSSELS = ZoneInfo("Europe/Brussels")
AWARE = datetime(2022, 5, 14, 3, 42, tzinfo=BRUSSELS)  # vivalia-2022: attack confirmed

moments = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - naive bounds; the zone comes with timezones=
    max_value=datetime(2090, 1, 1),  # noqa: DTZ001 - naive bounds; the zone comes with timezones=
    timezones=st.just(BRUSSELS),
)


def test_the_vivalia_deadlines_count_from_03_42_on_14_may_2022() -> None:
    assert due_at(NIS2_EARLY_WARNING, AWARE, None, BRUSSELS) == AWARE + timedelta(days=1)
    assert due_at(NIS2_NOTIFICATION, AWARE, None, BRUSSELS) == AWARE + timedelta(days=3)
    assert due_at(GDPR_DPA, AWARE, None, BRUSSELS) == AWARE + timedelta(days=3)
    provisional = due_at(NIS2_FINAL_REPORT, AWARE, None, BRUSSELS)
    assert provisional == datetime(2022, 6, 17, 3, 42, tzinfo=BRUSSELS)
    sent = datetime(2022, 5, 16, 18, 5, tzinfo=BRUSSELS)
    final = due_at(NIS2_FINAL_REPORT, AWARE, sent, BRUSSELS)
    assert final == datetime(2022, 6, 16, 18, 5, tzinfo=BRUSSELS)


def test_24_hours_across_the_autumn_change_are_24_real_hours() -> None:
    aware = datetime(2022, 10, 29, 12, 0, tzinfo=BRUSSELS)  # the clocks go back that night
    due = after_hours(aware, 24)
    assert due.astimezone(UTC) - aware.astimezone(UTC) == timedelta(hours=24)
    assert due.astimezone(BRUSSELS).hour == 11
    # Python's arithmetic on a zoned datetime is on the wall clock: an hour late here
    assert (aware + timedelta(hours=24)).astimezone(UTC) - due.astimezone(UTC) == timedelta(hours=1)


def test_a_month_keeps_the_wall_time_and_ends_on_a_short_months_last_day() -> None:
    assert after_months(datetime(2022, 1, 31, 9, tzinfo=BRUSSELS), 1, BRUSSELS) == datetime(
        2022, 2, 28, 9, tzinfo=BRUSSELS
    )
    # 27 February 02:30 + 1 month: 27 March 02:30 does not exist (clocks jump to 03:00)
    moved = after_months(datetime(2022, 2, 27, 2, 30, tzinfo=BRUSSELS), 1, BRUSSELS)
    assert moved.astimezone(BRUSSELS) == datetime(2022, 3, 27, 3, 30, tzinfo=BRUSSELS)
    # across the year's end and a change of time
    late = after_months(datetime(2022, 12, 15, 23, 59, tzinfo=BRUSSELS), 1, BRUSSELS)
    assert (late.year, late.month, late.day, late.hour, late.minute) == (2023, 1, 15, 23, 59)


@given(moments, st.integers(min_value=1, max_value=24))
def test_a_month_later_is_later_on_the_calendar_and_never_past_the_month(
    start: datetime, months: int
) -> None:
    moved = after_months(start, months, BRUSSELS).astimezone(BRUSSELS)
    assert moved > start
    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day <= start.day
    if moved.day == start.day and moved.utcoffset() == start.utcoffset():
        assert (moved.hour, moved.minute) == (start.hour, start.minute)


@given(moments, st.integers(min_value=1, max_value=200))
def test_hours_are_elapsed_time_whatever_the_zone(start: datetime, hours: int) -> None:
    due = after_hours(start, hours)
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)


@given(st.lists(st.sampled_from(DutyStatus), max_size=12))
def test_only_the_table_moves_a_duty(path: list[DutyStatus]) -> None:
    current = DutyStatus.TO_DO
    for target in path:
        if target in DUTY_TRANSITIONS[current]:
            current = check_duty_move(current, target)
        else:
            with pytest.raises(InvalidInput, match="allowed"):
                check_duty_move(current, target)
    assert DUTY_TRANSITIONS[DutyStatus.SUBMITTED] == frozenset()


def test_the_alarm_goes_off_six_hours_before_and_stays_on_once_overdue() -> None:
    due = AWARE + timedelta(hours=24)
    todo = DutyStatus.TO_DO
    assert urgency(todo, due, due - ALARM_BEFORE - timedelta(seconds=1)) is Urgency.ON_TIME
    assert urgency(todo, due, due - ALARM_BEFORE) is Urgency.ALARM
    assert urgency(todo, due, due) is Urgency.OVERDUE
    assert urgency(DutyStatus.APPROVED, due, due) is Urgency.OVERDUE  # approved is not sent
    assert urgency(DutyStatus.SUBMITTED, due, due + timedelta(days=9)) is Urgency.DONE
    assert urgency(DutyStatus.NOT_APPLICABLE, due, due) is Urgency.DONE


def test_an_outcome_is_late_when_submitted_after_its_deadline() -> None:
    due = AWARE + timedelta(hours=24)
    on_time = DutyOutcome("k", "t", due, due, "submitted")
    late = DutyOutcome("k", "t", due, due + timedelta(minutes=1), "submitted")
    assert not on_time.late
    assert late.late
    assert not DutyOutcome("k", "t", due, None, "to_do").late
