"""Times people type: any datetime is either accepted as it is or refused with OutOfRange."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.moments import EARLIEST, LATEST, OutOfRange, checked, checked_day

OFFSETS = st.integers(min_value=-14 * 60 + 1, max_value=14 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=OFFSETS))
def test_any_aware_time_is_accepted_or_refused_never_overflows(moment: datetime) -> None:
    offset = moment.utcoffset()
    assert offset is not None
    # An oracle that cannot overflow: naive differences, in the timedelta's wider range.
    since_earliest = moment.replace(tzinfo=None) - EARLIEST.replace(tzinfo=None) - offset
    inside = timedelta(0) <= since_earliest < LATEST - EARLIEST
    if inside:
        assert checked(moment, "--at") is moment
    else:
        shown = moment.isoformat(timespec="minutes")
        with pytest.raises(OutOfRange, match=f"^--at {re.escape(shown)} is out of range"):
            checked(moment, "--at")


@given(st.datetimes())
def test_a_time_without_offset_is_refused(moment: datetime) -> None:
    with pytest.raises(OutOfRange, match="has no offset"):
        checked(moment, "the new time")


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1999-12-31T23:59:59+00:00"]
)
def test_the_edges_of_the_calendar_are_refused(text: str) -> None:
    with pytest.raises(OutOfRange, match="give a time between 2000 and 2099"):
        checked(datetime.fromisoformat(text), "--at")


def test_the_range_is_inclusive_of_its_first_instant() -> None:
    assert checked(EARLIEST, "--at") == EARLIEST
    with pytest.raises(OutOfRange):
        checked(LATEST, "--at")
    assert checked(datetime(2022, 5, 14, 3, 42, tzinfo=UTC), "--at").year == 2022


@given(st.dates())
def test_any_day_is_accepted_or_refused(day: date) -> None:
    if EARLIEST.date() <= day < LATEST.date():
        assert checked_day(day, "--date") == day
    else:
        with pytest.raises(OutOfRange, match="give a day between 2000 and 2099"):
            checked_day(day, "--date")
