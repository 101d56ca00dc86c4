"""Ward sheets and the cover page of a downtime snapshot, as PDF bytes (ReportLab, A4 landscape).

Every page says how old its data is ("ÉTAT AU 14/05 01:15": the export's time, not the time
of printing) and, in the frame of every document (page_frame.py), its page number out of the
total, so a missing page shows, and an exercise's or a replay's mark. Only the standard
PDF fonts are used: nothing to embed, nothing to install on the laptop that prints.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from relance.domain.census import NO_WARD, Census, Ward
from relance.domain.clock import ClockMode
from relance.i18n import N_, Language
from relance.reports.marks import document_mark
from relance.reports.page_frame import PageFrame, build
from relance.reports.patient_block import BOLD, RED, REGULAR, Grid, Sheet, block
from relance.reports.printable import printable
from relance.reports.sheet_words import SheetWords
from relance.reports.words import Words

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN, HEADER, FOOTER = 22.0, 50.0, 16.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - HEADER - FOOTER
TEXT = ParagraphStyle("text", fontName=REGULAR, fontSize=10, leading=13)
TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10)
WARNING = ParagraphStyle("warning", parent=TEXT, fontName=BOLD, textColor=RED)
ITEM = ParagraphStyle("item", parent=TEXT, fontSize=8.5, leading=10.5, leftIndent=14)
# Where the data's time was read (census.as_of_source), in words.
SOURCES = {
    "--as-of": N_("--as-of option"),
    "transactionTime": N_("the export's transactionTime"),
    "meta.lastUpdated": N_("newest meta.lastUpdated"),
}


@dataclass(frozen=True)
class SheetOptions:
    zone: tzinfo
    snapshot: str  # the snapshot's name, printed in the footer
    built_at: datetime
    language: Language = Language.FR
    clock_mode: str = ClockMode.LIVE  # an exercise's or a replay's sheets say so on every page


def ward_sheet(census: Census, ward: Ward, options: SheetOptions) -> bytes:
    """The PDF of one ward: a block per inpatient, by room and bed."""
    words = SheetWords(options.language)
    grid = Grid.from_as_of(census.as_of, options.zone)
    sheet = Sheet(words, grid, FRAME_WIDTH)
    patients = census.of_ward(ward.code)
    orders = sum(len({o.order_id for o in p.orders}) for p in patients)
    summary = words._(
        "{patients} patients · {orders} active orders", patients=len(patients), orders=orders
    )
    story: list[Flowable] = [Paragraph(escape(summary), TEXT)]
    if any(p.issues for p in patients):
        story.append(
            Paragraph(
                escape(words._("Data to check on this ward: see the patients marked CHECK.")),
                WARNING,
            )
        )
    story.append(Spacer(1, 6))
    story += [block(p, sheet, FRAME_HEIGHT) for p in patients]
    name = ward.name or words._("Unknown ward")
    title = f"{name} ({ward.code})" if ward.code != NO_WARD else name
    kind = words._("Downtime care sheet")
    subtitle = f"{ward.site_name or ward.site} · {kind}".strip(" ·")
    return _document(story, census, options, title=title, subtitle=subtitle, code=ward.code)


def cover_sheet(census: Census, options: SheetOptions) -> bytes:
    """The snapshot's first page: what it holds, and every patient or problem to check."""
    words = SheetWords(options.language)
    zone = options.zone
    counts = census.counts
    story: list[Flowable] = [
        _paragraph(
            words._(
                "Data time: {when} ({source}). Snapshot made {built}.",
                when=words.moment(census.as_of.astimezone(zone)),
                source=_source(census.as_of_source, words),
                built=words.moment(options.built_at.astimezone(zone)),
            )
        ),
        _paragraph(
            words._(
                "{inpatients} inpatients over {wards} wards, {orders} active orders. "
                "{patients} patients in the export, {resources} resources read.",
                inpatients=counts.inpatients,
                wards=len(census.wards),
                orders=counts.active_orders,
                patients=counts.patients,
                resources=counts.resources,
            )
        ),
    ]
    if counts.orders_not_inpatient:
        story.append(
            _paragraph(
                words._(
                    "{n} active orders of patients not in a bed are not printed.",
                    n=counts.orders_not_inpatient,
                )
            )
        )
    if not census.inpatients:
        story.append(
            _paragraph(words._("No inpatient in the export (IMP encounter in progress)."), WARNING)
        )
    story += _ward_list(census, words)
    story += _problem_list(census, words)
    title = words._("Downtime snapshot: contents")
    return _document(
        story, census, options, title=title, subtitle=words._("Downtime care sheet"), code="index"
    )


def _source(code: str, words: SheetWords) -> str:
    return words._(SOURCES[code]) if code in SOURCES else code


def _ward_list(census: Census, words: SheetWords) -> list[Flowable]:
    if not census.wards:
        return []
    story: list[Flowable] = [_paragraph(words.p_("ward sheets", "Wards"), TITLE)]
    for ward in census.wards:
        text = words._(
            "{code}: {name} ({site}), {patients} patients",
            code=ward.code,
            name=ward.name or words._("Unknown ward"),
            site=ward.site or "?",
            patients=len(census.of_ward(ward.code)),
        )
        story.append(_paragraph(text, ITEM))
    return story


def _problem_list(census: Census, words: SheetWords) -> list[Flowable]:
    flagged = [p for p in census.inpatients if p.issues]
    unattached = census.unattached_issues
    if not flagged and not unattached:
        return [_paragraph(words._("No problem in the data."), TITLE)]
    story: list[Flowable] = []
    if flagged:
        story.append(_paragraph(words._("Patients printed with data to check"), TITLE))
        for patient in flagged:
            person = patient.identity
            name = f"{person.family.upper()} {person.given}".strip() or person.patient_id
            text = words._(
                "{ward} bed {bed}: {name} ({id})",
                ward=patient.ward,
                bed=patient.bed or patient.room or "?",
                name=name,
                id=person.identifier,
            )
            story.append(_paragraph(text, WARNING))
            story += [_paragraph(words.t.error(issue.problem), ITEM) for issue in patient.issues]
    if unattached:
        title = words._(
            "Problems of no printed patient (stays, orders or lines without a known patient)"
        )
        story.append(_paragraph(title, TITLE))
        story += [_paragraph(words.t.error(issue.problem), ITEM) for issue in unattached]
    return story


def _paragraph(text: str, style: ParagraphStyle = TEXT) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


def _document(
    story: list[Flowable],
    census: Census,
    options: SheetOptions,
    *,
    title: str,
    subtitle: str,
    code: str,
) -> bytes:
    words = SheetWords(options.language)
    return sheet_document(
        story,
        words,
        SheetHead(
            title=title,
            subtitle=subtitle,
            stamp=words._("AS OF {when}", when=words.moment(census.as_of.astimezone(options.zone))),
            note=words._("Anything prescribed or given after this time is not on this sheet."),
        ),
        footer=f"{code} · relance · {options.snapshot}",
        clock_mode=options.clock_mode,
    )


@dataclass(frozen=True)
class SheetHead:
    """What tops every page of a sheet: its title, and how old its data is."""

    title: str
    subtitle: str
    stamp: str  # ÉTAT AU 14/05 01:15, white on black
    note: str  # what the data's time means


def sheet_document(
    story: list[Flowable], words: SheetWords, head: SheetHead, *, footer: str, clock_mode: str
) -> bytes:
    """Landscape A4 pages, each with the head, and the frame of every document (page_frame):
    the exercise's or replay's mark, the confidentiality notice and "page N of M"."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER,
        bottomMargin=MARGIN + FOOTER,
        title=printable(head.title),
        author="relance",
        lang=words.language,
        invariant=1,
    )
    frame = Frame(MARGIN, MARGIN + FOOTER, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="sheet")
    document.addPageTemplates([PageTemplate("sheet", [frame], onPage=_header(head))])
    notice = words._("Confidential health data. Destroy after use.")
    frame_of_pages = PageFrame(
        language=words.language,
        footer=printable(f"{notice} · {footer}"),
        mark=document_mark(clock_mode, Words(words.language, {})),
        margin=MARGIN,
        number_font=(BOLD, 10),
    )
    build(document, story or [Spacer(1, 1)], frame_of_pages)
    return buffer.getvalue()


def _header(head: SheetHead) -> Callable[[Canvas, Any], None]:
    title, subtitle = printable(head.title), printable(head.subtitle)

    def draw(canvas: Canvas, document: Any) -> None:
        del document
        top = PAGE_HEIGHT - MARGIN
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.setFont(BOLD, 16)
        canvas.drawString(MARGIN, top - 16, title)
        canvas.setFont(REGULAR, 10)
        canvas.drawString(MARGIN, top - 31, subtitle)
        width = 250.0
        canvas.rect(PAGE_WIDTH - MARGIN - width, top - 30, width, 30, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(BOLD, 18)
        canvas.drawCentredString(PAGE_WIDTH - MARGIN - width / 2, top - 22, head.stamp)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 40, head.note)
        canvas.restoreState()

    return draw
