"""The sitrep as a PDF (ReportLab): the matrix as a coloured table, the curve as a picture."""

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from relance.domain.functioning import Functioning
from relance.reports import sitrep_charts
from relance.reports.sitrep_markdown import title
from relance.reports.sitrep_model import Header, SitrepFacts, short

PAGE = landscape(A4)
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=12, spaceAfter=2)
H1 = ParagraphStyle("h1", parent=BODY, fontName="Helvetica-Bold", fontSize=17, leading=21)
H2 = ParagraphStyle(
    "h2", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9)
HEAD = ParagraphStyle("head", parent=SMALL, textColor=colors.white, fontName="Helvetica-Bold")
GRID: list[Any] = [
    ("GRID", (0, 0), (-1, -1), 0.4, colors.white),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("FONTSIZE", (0, 0), (-1, -1), 8),
]


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows: Sequence[Sequence[object]], widths: list[float] | None = None) -> Table:
    cells = [[_p(c, HEAD) for c in rows[0]], *[[_p(c, SMALL) for c in r] for r in rows[1:]]]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    stripes: list[Any] = [
        ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#eceff1")) for i in range(2, len(rows), 2)
    ]
    table.setStyle(TableStyle([*GRID, *stripes]))
    return table


def _matrix(facts: SitrepFacts) -> Table:
    """Sites down, activities across: each cell coloured by status, with its capacity."""
    width = (PAGE[0] - 30 * mm - 30 * mm) / max(len(facts.activities), 1)
    header = ParagraphStyle("mh", parent=HEAD, fontSize=6.5, leading=7.5)
    rows: list[list[object]] = [["site", *[a.name for a in facts.activities]]]
    style: list[Any] = list(GRID)
    for r, row in enumerate(facts.matrix, start=1):
        rows.append(
            [f"{row.site} {row.name}", *[f"{c.capacity} %" if c else "" for c in row.cells]]
        )
        for c, cell in enumerate(row.cells, start=1):
            colour = Functioning(cell.functioning).colour if cell else "#eeeeee"
            style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(colour)))
    cells = [[_p(c, header) for c in rows[0]]]
    for row_values, row in zip(rows[1:], facts.matrix, strict=True):
        line = [_p(row_values[0], SMALL)]
        for value, cell in zip(row_values[1:], row.cells, strict=True):
            ink = colors.black if cell is None or cell.functioning == "partially" else colors.white
            bold = ParagraphStyle(
                "c", parent=SMALL, textColor=ink, alignment=1, fontName="Helvetica-Bold"
            )
            line.append(_p(value, bold))
        cells.append(line)
    table = Table(cells, colWidths=[30 * mm] + [width] * len(facts.activities), hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _legend() -> Table:
    cells = [[_p(f.label, SMALL) for f in Functioning]]
    table = Table(cells, colWidths=[40 * mm] * 3, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (i, 0), (i, 0), colors.HexColor(f.colour))
                for i, f in enumerate(Functioning)
            ]
            + [("TEXTCOLOR", (0, 0), (-1, -1), colors.white)]
        )
    )
    return table


def _curve(facts: SitrepFacts, folder: Path) -> Image:
    path = folder / "curve.png"
    sitrep_charts.curve(facts, path)
    data = io.BytesIO(path.read_bytes())
    return Image(data, width=230 * mm, height=230 * mm * 6.4 / 10)


def _story(facts: SitrepFacts, head: Header, folder: Path) -> list[Flowable]:
    h1, h2 = H1, H2
    approved = (
        f"; approved by {head.approved_by} ({short(head.approved_at)})" if head.approved_by else ""
    )
    published = (
        f"; published by {head.published_by} ({short(head.published_at)})"
        if head.published_by
        else ""
    )
    story: list[Flowable] = [
        _p(title(facts), h1),
        _p(
            f"Version {head.version}, {head.state.upper()}. Drafted by {head.drafted_by} "
            f"({short(head.drafted_at)}){approved}{published}. Covers {short(facts.starts_at)} to "
            f"{short(facts.ends_at)} ({facts.zone}); data as of {short(facts.built_at)}."
        ),
        _p("Situation", h2),
        *[_p(f"\u2022 {s}") for s in facts.summary],
    ]
    if head.note:
        story.append(_p(f"Note of the crisis cell: {head.note}"))
    story += [
        _p("Clinical activities by site (end of the day)", h2),
        _matrix(facts),
        Spacer(1, 2 * mm),
        _legend(),
    ]
    story += [KeepTogether([_p("Restoration progress", h2), _curve(facts, folder)])]
    story += [_p("Forecast of reopenings", h2)]
    if facts.plan is None:
        story.append(_p("No restoration plan had been computed: no forecast."))
    elif not facts.forecast:
        story.append(_p(f"Plan {facts.plan.version}: every activity is at full capacity."))
    else:
        story.append(
            _table(
                [
                    ["site", "activity", "now", "first gain", "fully back", "waits for"],
                    *[
                        [
                            f.site,
                            f.name,
                            f"{f.capacity_now} %",
                            short(f.partial_at),
                            short(f.full_at),
                            f.waits_for,
                        ]
                        for f in facts.forecast
                    ],
                ],
                [18 * mm, 45 * mm, 15 * mm, 25 * mm, 25 * mm, 110 * mm],
            )
        )
    story += [_p("Appointments and patients", h2)]
    if facts.clinic is None:
        story.append(_p("No appointment book imported: no triage and no SMS to report."))
    else:
        c = facts.clinic
        decisions = sorted(set(c.decided_today) | set(c.current))
        story.append(
            _table(
                [["decision", "triaged during the day", "current decisions"]]
                + [[d, c.decided_today.get(d, 0), c.current.get(d, 0)] for d in decisions],
                [40 * mm, 45 * mm, 45 * mm],
            )
        )
        story.append(Spacer(1, 3 * mm))
        statuses = sorted(set(c.sms_today) | set(c.sms_now))
        story.append(
            _table(
                [["SMS status", "during the day", "as of the report"]]
                + [[s, c.sms_today.get(s, 0), c.sms_now.get(s, 0)] for s in statuses],
                [40 * mm, 45 * mm, 45 * mm],
            )
        )
    story += [_p("Decisions of the day", h2)]
    if facts.decisions:
        story.append(
            _table(
                [["when", "decided by", "decision", "why"]]
                + [[short(d.at), d.decided_by, d.text, d.rationale] for d in facts.decisions],
                [22 * mm, 40 * mm, 95 * mm, 90 * mm],
            )
        )
    else:
        story.append(_p("No decision recorded in the log for this day."))
    story.append(_p(f"Log entries of the day: {facts.log_entries}."))
    story += [_p("Objectives for the next period", h2)]
    if facts.objectives_period is None:
        story.append(_p("No next operational period opened yet."))
    elif not facts.objectives:
        story.append(_p(f"Period {facts.objectives_period}: no objective set yet."))
    else:
        story.append(_p(f"Period {facts.objectives_period}:"))
        story += [_p(f"\u2022 {t}" + (f" ({o})" if o else "")) for t, o in facts.objectives]
    return story


def write(facts: SitrepFacts, head: Header, out: Path) -> None:
    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(15 * mm, 8 * mm, f"{title(facts)}, version {head.version} ({head.state})")
        canvas.drawRightString(PAGE[0] - 15 * mm, 8 * mm, f"page {doc.page}")
        if head.state == "draft":
            canvas.setFont("Helvetica-Bold", 60)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.12))
            canvas.translate(PAGE[0] / 2, PAGE[1] / 2)
            canvas.rotate(30)
            canvas.drawCentredString(0, 0, "DRAFT")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(out),
        pagesize=PAGE,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=title(facts),
        author=head.drafted_by,
    )
    with tempfile.TemporaryDirectory() as folder:
        doc.build(_story(facts, head, Path(folder)), onFirstPage=footer, onLaterPages=footer)
