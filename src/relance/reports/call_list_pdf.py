"""The secretariat's call list as a PDF to print (ReportLab, A4 landscape, like the ward sheets).

One table per site and day, by time: who to phone, the number, the appointment reference to
quote, what was decided and why, and an empty column with a box to tick and room to write who
was reached. Each table's first two rows (site and day, column names) repeat on every page it
runs over, and a row taller than a page splits, so no row is ever cut off.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from relance.domain.clock import ClockMode
from relance.domain.triage import Decision
from relance.i18n import N_, Language
from relance.reports.patient_block import BOLD, FAINT, LIGHT, LINE, RED, REGULAR
from relance.reports.printable import printable
from relance.reports.sheet_words import SheetWords
from relance.reports.ward_sheets import FRAME_WIDTH, SheetHead, sheet_document
from relance.storage.outbox_store import CallListEntry

COLUMNS = (
    N_("Time"),
    N_("Patient"),
    N_("Phone"),
    N_("Appointment"),
    N_("Decision"),
    N_("Reason"),
    N_("Called · outcome"),
)
PRINTED = [38.0, 140.0, 92.0, 78.0, 72.0, 190.0]  # time to reason
WIDTHS = [*PRINTED, FRAME_WIDTH - sum(PRINTED)]  # the rest of the width is room to write
ROW_HEIGHT = 26.0  # room for a line of handwriting beside the box
BOX = 9.0
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=9, leading=11)
HEAD = ParagraphStyle("head", parent=CELL, fontName=BOLD, fontSize=8)
GROUP = ParagraphStyle("group", parent=CELL, fontName=BOLD, fontSize=11, leading=14)
NO_NUMBER = ParagraphStyle("no_number", parent=CELL, fontName=BOLD, textColor=RED)
STYLE = TableStyle(
    [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("BACKGROUND", (0, 1), (-1, 1), FAINT),
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


class TickBox(Flowable):
    """An empty square the secretary ticks once the patient was reached."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return BOX, BOX

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.black)
        self.canv.rect(0, 0, BOX, BOX)


def call_list_pdf(
    entries: Sequence[CallListEntry],
    *,
    as_of: datetime,
    zone: tzinfo,
    language: Language = Language.FR,
    clock_mode: str = ClockMode.LIVE,
) -> bytes:
    """The call list, by site then day then time; `as_of` is when it was read from the database."""
    words = SheetWords(language)
    story: list[Flowable] = [] if entries else [_paragraph(words._("No patient to phone."), GROUP)]
    for site, group in _by_site_and_day(entries, zone):
        story += [_day_table(site, list(group), words, zone), Spacer(1, 10)]
    head = SheetHead(
        title=words._("Secretariat call list"),
        subtitle=words._("{patients} patients to phone", patients=len(entries)),
        stamp=words._("AS OF {when}", when=words.moment(as_of.astimezone(zone))),
        note=words._("Decisions taken after this time are not on this list."),
    )
    return sheet_document(
        story, words, head, footer="relance notify call-list", clock_mode=clock_mode
    )


def _by_site_and_day(
    entries: Sequence[CallListEntry], zone: tzinfo
) -> Iterator[tuple[str, Iterator[CallListEntry]]]:
    """(site, that site's entries of one local day), by site then time."""

    def local(entry: CallListEntry) -> datetime:
        return entry.starts_at.astimezone(zone)

    ordered = sorted(entries, key=lambda e: (e.site, local(e), e.patient, e.appointment))
    for (site, _), group in groupby(ordered, key=lambda e: (e.site, local(e).date())):
        yield site, group


def _day_table(site: str, entries: list[CallListEntry], words: SheetWords, zone: tzinfo) -> Table:
    first = entries[0].starts_at.astimezone(zone)
    day = f"{words.weekday(first.weekday())} {words.date(first)}"
    rows: list[list[Flowable]] = [
        [_paragraph(words._("Site {site} · {day}", site=site, day=day), GROUP)],
        [_paragraph(words._(title), HEAD) for title in COLUMNS],
        *[_row(entry, words, zone) for entry in entries],
    ]
    return Table(
        rows,
        colWidths=WIDTHS,
        repeatRows=2,
        splitInRow=1,
        minRowHeights=[0, 0] + [ROW_HEIGHT] * len(entries),
        style=STYLE,
        hAlign="LEFT",
    )


def _row(entry: CallListEntry, words: SheetWords, zone: tzinfo) -> list[Flowable]:
    phone = (
        _paragraph(entry.phone, CELL)
        if entry.phone
        else _paragraph(words._("NO NUMBER"), NO_NUMBER)
    )
    return [
        _paragraph(f"{entry.starts_at.astimezone(zone):%H:%M}", CELL),
        _paragraph(entry.patient, CELL),
        phone,
        _paragraph(entry.appointment, CELL),
        _paragraph(_decision(entry.decision, words), CELL),
        _paragraph(entry.reason, CELL),
        TickBox(),
    ]


def _decision(decision: Decision, words: SheetWords) -> str:
    """The decision said of the patient's appointment: in German, a maintained appointment
    "findet statt" where the sitrep's activity is "beibehalten"."""
    said = {
        Decision.MAINTAIN: words.p_("call list", "maintained"),
        Decision.CANCEL: words.p_("call list", "cancelled"),
        Decision.RESCHEDULE: words.p_("call list", "rescheduled"),
        Decision.REVIEW: words.p_("call list", "physician review"),
        Decision.PHONE: words.p_("call list", "call requested"),
    }
    return said[decision]


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text)), style)
