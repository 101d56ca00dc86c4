# ruff: noqa: DTZ001 - the dates of an export are naive: as written, in the exporting machine's time
"""Dates in the regional format of the machine that exported them: told by the file, never
guessed."""

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.errors import RejectedInput
from relance.importers import inventory_dates
from relance.importers.inventory_dates import Order, order_of, parse
from relance.importers.inventory_files import read_exports

AD_HEADER = '"DistinguishedName","DNSHostName","Enabled","Name","whenChanged","LastLogonDate"'


def _written(moment: datetime, order: Order, *, twelve_hour: bool = False) -> str:
    """A date as a machine of that regional format writes it."""
    if order is Order.YMD:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    day, month = moment.day, moment.month
    first, second = (day, month) if order is Order.DMY else (month, day)
    if twelve_hour:  # en-US: 5/14/2022 4:15:09 AM
        hour = moment.hour % 12 or 12
        half = "AM" if moment.hour < 12 else "PM"
        return f"{first}/{second}/{moment.year} {hour}:{moment:%M:%S} {half}"
    return f"{first:02}/{second:02}/{moment.year} {moment:%H:%M:%S}"


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda m: m.replace(microsecond=0)
)


@given(st.lists(moments, min_size=1, max_size=20), st.sampled_from(Order), st.booleans())
def test_a_file_is_read_in_its_order_or_refused_never_misread(
    written: list[datetime], order: Order, twelve_hour: bool
) -> None:
    texts = [_written(m, order, twelve_hour=twelve_hour) for m in written]
    found = order_of(texts)
    assert found in {order, None}  # never the other order
    for moment, text in zip(written, texts, strict=True):
        try:
            read = parse(text, found)
        except ValueError:
            # refused only when no date of the file tells the order and this one reads both ways
            assert found is None
            assert moment.day != moment.month
            assert all(m.day <= 12 for m in written)
            continue
        assert read == moment


@given(st.lists(moments, min_size=1, max_size=20), st.sampled_from([Order.DMY, Order.MDY]))
def test_a_day_above_12_anywhere_tells_the_order_of_the_whole_file(
    written: list[datetime], order: Order
) -> None:
    texts = [_written(m, order) for m in [*written, datetime(2022, 5, 14, 4, 15, 9)]]
    assert order_of(texts) is order


def _ad(tmp_path: Path, *dates: tuple[str, str]) -> Path:
    rows = [
        f'"CN=PC-{n},OU=Marche,DC=chr,DC=be","pc-{n}.chr.be","True","PC-{n}","{a}","{b}"'
        for n, (a, b) in enumerate(dates, start=1)
    ]
    path = tmp_path / "ad.csv"
    path.write_text("\r\n".join([AD_HEADER, *rows]) + "\r\n", encoding="utf-8")
    return path


def test_powershell_in_french_belgian_format(tmp_path: Path) -> None:
    path = _ad(tmp_path, ("03/04/2022 10:00:00", "14/05/2022 04:15:09"))
    (read,) = read_exports([path])
    assert read.sightings[0].dated == datetime(2022, 5, 14, 4, 15, 9)
    assert read.newest == datetime(2022, 5, 14, 4, 15, 9)


def test_powershell_in_us_format_with_its_twelve_hour_clock(tmp_path: Path) -> None:
    path = _ad(tmp_path, ("3/4/2022 10:00:00 AM", "5/13/2022 4:15:09 PM"))
    (read,) = read_exports([path])
    assert read.sightings[0].dated == datetime(2022, 5, 13, 16, 15, 9)


def test_a_date_that_reads_both_ways_with_nothing_telling_is_refused_with_its_place(
    tmp_path: Path,
) -> None:
    path = _ad(tmp_path, ("03/04/2022 10:00:00", ""), ("05/05/2022 10:00:00", "01/02/2022"))
    with pytest.raises(RejectedInput) as refused:
        read_exports([path])
    problems = [(p.source, p.line, p.field) for p in refused.value.problems]
    assert problems == [("ad.csv", 2, "whenchanged"), ("ad.csv", 3, "lastlogondate")]
    assert "day and month cannot be told apart" in refused.value.problems[0].message


def test_day_first_and_month_first_in_one_file_are_refused(tmp_path: Path) -> None:
    path = _ad(tmp_path, ("14/05/2022 10:00:00", ""), ("05/14/2022 10:00:00", ""))
    with pytest.raises(RejectedInput) as refused:
        read_exports([path])
    assert "day first" in refused.value.problems[0].message


def test_a_date_column_holding_no_date_is_named(tmp_path: Path) -> None:
    path = _ad(tmp_path, ("hier", ""), ("31/02/2022 10:00:00", ""))
    with pytest.raises(RejectedInput) as refused:
        read_exports([path])
    assert [p.line for p in refused.value.problems] == [2, 3]


def test_a_glpi_date_in_the_iso_preference_is_never_ambiguous() -> None:
    cells = [inventory_dates.Cell(2, "dernière modification", "2022-03-04 17:02")]
    dates, problems = inventory_dates.read("glpi.csv", cells)
    assert (dates, problems) == ({2: datetime(2022, 3, 4, 17, 2)}, [])


def test_a_month_by_its_name_reads_one_way_in_english_or_french() -> None:
    cells = [
        inventory_dates.Cell(2, "last seen", "May 4, 2022 4:15:09 AM"),
        inventory_dates.Cell(3, "last seen", "4 mai 2022 16:15"),
        inventory_dates.Cell(4, "last seen", "Sept. 3, 2022"),
        inventory_dates.Cell(5, "last seen", "4 Brumaire 2022"),
    ]
    dates, problems = inventory_dates.read("defender.csv", cells)
    assert dates == {
        2: datetime(2022, 5, 4, 4, 15, 9),
        3: datetime(2022, 5, 4, 16, 15),
        4: datetime(2022, 9, 3),
    }
    assert [(p.line, p.field) for p in problems] == [(5, "last seen")]


def test_year_first_dates_tell_nothing_of_the_others() -> None:
    cells = [
        inventory_dates.Cell(2, "created", "2022-05-14 10:00"),
        inventory_dates.Cell(2, "modified", "03/04/2022 10:00"),
    ]
    _, problems = inventory_dates.read("ad.csv", cells)
    assert [(p.line, p.field) for p in problems] == [(2, "modified")]
