"""Times people type: a real instant with its offset, in the years a crisis cell deals with.

`0001-01-01T00:00+14:00` parses, but is no instant UTC can hold: converting it overflows. Every
time (and day) a person gives goes through `checked` (`checked_day`) before anything compares,
stores or prints it.
"""

from datetime import UTC, date, datetime

from relance.domain.errors import InvalidInput

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class OutOfRange(InvalidInput):
    """A time no one can mean here (year 1, 1999 for a new appointment); nothing was done."""


def checked(moment: datetime, what: str) -> datetime:
    """`moment` itself if it is an instant between EARLIEST and LATEST; OutOfRange otherwise."""
    shown = moment.isoformat(timespec="minutes")
    if moment.utcoffset() is None:
        raise OutOfRange(f"{what} {shown} has no offset: write it like 2022-05-20T09:30+02:00")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise OutOfRange(
            f"{what} {shown} is out of range: give a time between "
            f"{EARLIEST.year} and {LATEST.year - 1}"
        )
    return moment


def checked_day(day: date, what: str) -> date:
    """`day` itself if it lies between EARLIEST and LATEST; OutOfRange otherwise."""
    if not EARLIEST.date() <= day < LATEST.date():
        raise OutOfRange(
            f"{what} {day.isoformat()} is out of range: give a day between "
            f"{EARLIEST.year} and {LATEST.year - 1}"
        )
    return day
