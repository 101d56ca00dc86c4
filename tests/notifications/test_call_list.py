"""The secretariat's call list on paper: the PDF read back as the secretary would (pdftotext)."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from relance.app.context import Context
from relance.app.notify import write_call_list
from relance.domain.clock import FixedClock
from relance.domain.errors import InvalidInput
from relance.domain.triage import Decision
from relance.i18n import Language
from relance.storage.outbox_store import CallListEntry
from tests.snapshots.conftest import pdf_text

ZONE = ZoneInfo("Europe/Brussels")
AS_OF = datetime(2022, 5, 13, 23, 15, tzinfo=UTC)  # 01:15 in Brussels
STAMP = "ÉTAT AU 14/05 01:15"
MONDAY = datetime(2022, 5, 16, 5, tzinfo=UTC)  # 07:00 in Brussels
CTX = Context(actor="secretariat", clock=FixedClock(AS_OF))  # a live database
LONG_REASON = " ".join(f"mot{i}" for i in range(60)) + " FIN"


def entry(n: int, site: str, starts_at: datetime) -> CallListEntry:
    return CallListEntry(
        f"R{n:04d}",
        f"Patient{n:04d}",
        f"061 {n:04d}",
        site,
        starts_at,
        Decision.CANCEL,
        "radiology down",
    )


def written(tmp_path: Path, entries: list[CallListEntry], language: Language = Language.FR) -> str:
    out = tmp_path / "calls.pdf"
    write_call_list(CTX, entries, out, ZONE, AS_OF, language=language)
    return pdf_text(out, "-layout")


def test_the_pdf_shows_every_patient_phone_and_reference_with_the_data_time(
    tmp_path: Path,
) -> None:
    entries = [
        replace(entry(1, "B", MONDAY), patient="Noël Dubois"),
        replace(
            entry(2, "A", MONDAY + timedelta(days=1)), decision=Decision.PHONE, reason=LONG_REASON
        ),
        replace(entry(3, "A", MONDAY), decision=Decision.RESCHEDULE),
        replace(entry(4, "A", MONDAY + timedelta(hours=2)), phone=""),
    ]
    text = written(tmp_path, entries)
    for e in entries:
        assert e.patient in text
        assert e.appointment in text
        assert e.phone in text
    assert "AUCUN NUMÉRO" in text  # the patient without any number is not a blank to miss
    assert all(word in text for word in LONG_REASON.split())  # wrapped, not cut off
    assert STAMP in text
    assert "page 1 sur 1" in text
    assert "Site A · lun 16/05/2022" in text
    assert "Site A · mar 17/05/2022" in text
    assert "Appelé · résultat" in text
    assert re.findall(r"R\d{4}", text) == ["R0003", "R0004", "R0002", "R0001"]


def test_a_long_list_keeps_every_row_in_order_on_numbered_pages(tmp_path: Path) -> None:
    # 120 appointments over two sites and three days, given out of order
    entries = [
        entry(n, "AB"[n % 2], MONDAY + timedelta(minutes=30 * (n * 37 % 120)))
        for n in range(1, 121)
    ]
    text = written(tmp_path, entries)
    pages = text.count("\f")
    assert pages > 2
    assert [f"page {n} sur {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    assert text.count(STAMP) == pages
    by_site_then_time = sorted(entries, key=lambda e: (e.site, e.starts_at))
    assert re.findall(r"R\d{4}", text) == [e.appointment for e in by_site_then_time]


def test_a_reason_longer_than_a_page_goes_on_over_the_next(tmp_path: Path) -> None:
    reason = " ".join(f"mot{i}" for i in range(600)) + " FIN"
    text = written(tmp_path, [replace(entry(1, "A", MONDAY), reason=reason)])
    assert text.count("\f") > 1
    assert all(word in text for word in reason.split())


def test_an_empty_list_says_so(tmp_path: Path) -> None:
    text = written(tmp_path, [])
    assert "Aucun patient à appeler." in text
    assert "page 1 sur 1" in text


def test_english_on_request(tmp_path: Path) -> None:
    text = written(tmp_path, [entry(1, "A", MONDAY)], Language.EN)
    assert "AS OF 14/05 01:15" in text
    assert "Called · outcome" in text
    assert "page 1 of 1" in text
    assert "cancelled" in text


def test_the_suffix_chooses_csv_or_pdf(tmp_path: Path) -> None:
    entries = [entry(1, "A", MONDAY)]
    write_call_list(CTX, entries, tmp_path / "calls.csv", ZONE, AS_OF)
    write_call_list(CTX, entries, tmp_path / "CALLS.PDF", ZONE, AS_OF)
    assert (tmp_path / "calls.csv").read_text(encoding="utf-8").splitlines() == [
        "site,date,time,patient,phone,appointment,decision,reason",
        "A,2022-05-16,07:00,Patient0001,061 0001,R0001,cancel,radiology down",
    ]
    assert (tmp_path / "CALLS.PDF").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["calls.txt", "calls.xlsx", "calls"])
def test_another_file_is_refused_and_nothing_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput, match=r"write the call list to a \.csv or \.pdf file"):
        write_call_list(CTX, [entry(1, "A", MONDAY)], tmp_path / name, ZONE, AS_OF)
    assert list(tmp_path.iterdir()) == []
