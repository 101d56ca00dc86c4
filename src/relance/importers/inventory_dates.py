"""The dates inside an export, as the machine that wrote it formats them.

A tool writes dates in the regional format of the machine (or the user) that exported them:
Windows PowerShell in the culture of the session (fr-BE "14/05/2022 04:15:09", en-US
"5/14/2022 4:15:09 AM"), GLPI in the user's date format preference (YYYY-MM-DD, DD-MM-YYYY or
MM-DD-YYYY). One file has one format: the order of day and month is told by a date of the file
whose day is above 12. When no date tells it and a date reads both ways (03/04/2024), the file
is refused: a guess would put the machine's history a month off.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from relance.domain.errors import N_, Problem
from relance.domain.inventory import folded

# Column titles holding a date, folded and lower-case, in the exports relance reads.
DATE_TITLES = frozenset(
    {
        "derniere modification",  # GLPI
        "last update",
        "date de creation",
        "creation date",
        "whenchanged",  # Get-ADComputer
        "whencreated",
        "lastlogondate",
        "modified",
        "created",  # Get-ADComputer, NetBox
        "last updated",  # NetBox
        "last seen",  # Defender
        "first seen",
    }
)

_DATE = re.compile(
    r"(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{1,4})"
    r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?"
    r"\s*(?P<ampm>[AaPp][Mm])?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?"
)
MONTH_LAST = 12


class Order(StrEnum):
    YMD = "year-month-day"
    DMY = "day/month/year"
    MDY = "month/day/year"


@dataclass(frozen=True)
class Cell:
    line: int
    field: str  # the column's title
    value: str


# A month's name, in English or French (Defender's portal, a console in either language):
# "May 14, 2022 4:15:09 AM", "14 mai 2022 04:15". Unambiguous: read as year-month-day.
_NAMED = re.compile(
    r"(?:(?P<m1>[^\W\d_]+)\.?\s+(?P<d1>\d{1,2}),?|(?P<d2>\d{1,2})\s+(?P<m2>[^\W\d_]+)\.?)"
    r"\s+(?P<y>\d{4}),?(?P<rest>.*)"
)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "janvier"),
            ("feb", "february", "fevr", "fevrier", "fev"),
            ("mar", "march", "mars"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin"),
            ("jul", "july", "juil", "juillet"),
            ("aug", "august", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "decembre"),
        ),
        start=1,
    )
    for name in names
}


def _parts(value: str) -> re.Match[str] | None:
    text = value.strip()
    named = _NAMED.fullmatch(text)
    if named is not None:
        month = MONTHS.get(folded(named["m1"] or named["m2"]).lower())
        if month is None:
            return None
        day = int(named["d1"] or named["d2"])
        rest = named["rest"].strip()
        text = f"{named['y']}-{month:02}-{day:02}" + (f" {rest}" if rest else "")
    return _DATE.fullmatch(text)


def order_of(values: Sequence[str]) -> Order | None:
    """The order of day and month in the dates of `values`, or None if none tells it (dates
    with the year first, or a month's name, read one way only). Raises ValueError if some
    tell day first and others month first."""
    day_first = month_first = False
    for value in values:
        match = _parts(value)
        if match is None:
            continue
        if len(match["a"]) == 4:
            continue  # a year first: ISO 8601, read the same in every region
        a, b = int(match["a"]), int(match["b"])
        day_first |= a > MONTH_LAST
        month_first |= b > MONTH_LAST
    if day_first and month_first:
        raise ValueError("dates with the day first and others with the month first")
    if day_first:
        return Order.DMY
    return Order.MDY if month_first else None


def parse(value: str, order: Order | None) -> datetime:
    """One date in the file's order (None: only a date that reads one way, such as 03/03).
    Raises ValueError for a text that is no date, or a date that is ambiguous."""
    match = _parts(value)
    if match is None:
        raise ValueError("not a date")
    a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
    if len(match["a"]) == 4:
        year, month, day = a, b, c
    else:
        if order is None and a != b:
            raise ValueError("ambiguous")
        day, month = (b, a) if order is Order.MDY else (a, b)
        year = c + 2000 if len(match["c"]) <= 2 else c
    hour = int(match["h"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= MONTH_LAST:
            raise ValueError("an hour of 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
    return datetime(year, month, day, hour, int(match["mi"] or 0), int(match["s"] or 0))  # noqa: DTZ001 - as written, in the exporting machine's time


def iso(value: str) -> datetime:
    """A date an API writes, year first (ISO 8601); ValueError for any other."""
    match = _parts(value)
    if match is None or len(match["a"]) != 4:
        raise ValueError("not an ISO 8601 date")
    return parse(value, Order.YMD)


def read(source: str, cells: Sequence[Cell]) -> tuple[dict[int, datetime], list[Problem]]:
    """The newest date of each line, in the file's one regional format, and the problems."""
    given = [c for c in cells if c.value.strip()]
    try:
        order = order_of([c.value for c in given])
    except ValueError:
        message = N_(
            "dates with the day first and others with the month first in one file: "
            "export it again from one machine"
        )
        return {}, [Problem(source, given[0].line, given[0].field, message)]
    newest: dict[int, datetime] = {}
    problems: list[Problem] = []
    for cell in given:
        try:
            moment = parse(cell.value, order)
        except ValueError as error:
            problems.append(_problem(cell, source, error))
            continue
        if cell.line not in newest or moment > newest[cell.line]:
            newest[cell.line] = moment
    return newest, problems


def _problem(cell: Cell, source: str, error: ValueError) -> Problem:
    if str(error) == "ambiguous":
        message = N_(
            "{value}: day and month cannot be told apart (no date in the file has a day "
            "above 12); export again with dates as yyyy-mm-dd, or from a machine whose "
            "regional format is known, rather than have relance guess"
        )
        return Problem(source, cell.line, cell.field, message, value=repr(cell.value))
    message = N_("{value} is not a date as this file writes them")
    return Problem(source, cell.line, cell.field, message, value=repr(cell.value[:40]))
