"""Times people type: a real instant with its offset, in the years a crisis cell deals with.

`0001-01-01T00:00+14:00` parses, but is no instant UTC can hold: converting it overflows. Every
time (and day) a person gives goes through `checked` (`checked_day`) before anything compares,
stores or prints it.
"""

from datetime import UTC, date, datetime

from relance.domain.errors import N_, InvalidInput, Word

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class OutOfRange(InvalidInput):
    """A time no one can mean here (year 1, 1999 for a new appointment); nothing was done."""


def checked(moment: datetime, what: str) -> datetime:
    """`moment` itself if it is an instant between EARLIEST and LATEST; OutOfRange otherwise.

    `what` names it: an option (--at), or a message of the catalogue (N_("the new time"))."""
    shown = moment.isoformat(timespec="minutes")
    if moment.utcoffset() is None:
        raise OutOfRange(NO_OFFSET, what=Word(what), moment=shown)
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise OutOfRange(TIME_OUT_OF_RANGE, what=Word(what), moment=shown, **_years())
    return moment


def checked_day(day: date, what: str) -> date:
    """`day` itself if it lies between EARLIEST and LATEST; OutOfRange otherwise."""
    if not EARLIEST.date() <= day < LATEST.date():
        raise OutOfRange(DAY_OUT_OF_RANGE, what=Word(what), day=day.isoformat(), **_years())
    return day


def _years() -> dict[str, object]:
    return {"first": EARLIEST.year, "last": LATEST.year - 1}


NO_OFFSET = N_("{what} {moment} has no offset: write it like 2022-05-20T09:30+02:00")
TIME_OUT_OF_RANGE = N_("{what} {moment} is out of range: give a time between {first} and {last}")
DAY_OUT_OF_RANGE = N_("{what} {day} is out of range: give a day between {first} and {last}")
