"""The sitrep as a landscape A4 PDF (ReportLab), drawn from the document of one language.

Page 1 is what a lead reads first: the situation, what changed since the day before and the
measures in force. The activities, the machines and the forecast follow, one question per page.
"""

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from relance.domain.functioning import Functioning
from relance.reports.page_frame import PageFrame, build
from relance.reports.sitrep_document import Block, Document, Matrix
from relance.reports.sitrep_document import Table as DocTable

PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=12, spaceAfter=2)
H1 = ParagraphStyle("h1", parent=BODY, fontName="Helvetica-Bold", fontSize=17, leading=21)
SUB = ParagraphStyle("sub", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15)
H2 = ParagraphStyle(
    "h2", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9)
BYLINE = ParagraphStyle("byline", parent=SMALL, textColor=colors.HexColor("#424242"))
HEAD = ParagraphStyle("head", parent=SMALL, textColor=colors.white, fontName="Helvetica-Bold")
PAD = 3  # points left and right of a cell's text
GRID: list[Any] = [
    ("GRID", (0, 0), (-1, -1), 0.4, colors.white),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#37474f")),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), PAD),
    ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
]
PICTURE_WIDTHS = {"sites": 200 * mm, "machines": 230 * mm, "plans": 230 * mm}


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _header(texts: Sequence[str], widths: Sequence[float]) -> list[Flowable]:
    """Header cells whose words are never cut: the font shrinks until the longest fits."""
    size = HEAD.fontSize
    for text, width in zip(texts, widths, strict=True):
        for word in text.split():
            needed = stringWidth(word, HEAD.fontName, 1)
            size = min(size, (width - 2 * PAD - 1) / needed)
    style = ParagraphStyle("fitted", parent=HEAD, fontSize=size, leading=size * 1.2)
    return [_p(t, style) for t in texts]


def _table(table: DocTable) -> Table:
    """Widths are in millimetres, shrunk to the page when they add up to more."""
    scale = min(mm, WIDTH / sum(table.widths))
    widths = [w * scale for w in table.widths]
    cells: list[list[Flowable]] = [_header(table.head, widths)]
    cells += [[_p(c, SMALL) for c in r] for r in table.rows]
    out = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    stripes: list[Any] = [
        ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#eceff1")) for i in range(2, len(cells), 2)
    ]
    out.setStyle(TableStyle([*GRID, *stripes]))
    return out


def _ink(functioning: str | None) -> colors.Color:
    """White on green and red, black on amber and on the grey of an activity not at a site."""
    dark = functioning in (Functioning.FULLY.value, Functioning.NOT.value)
    return colors.white if dark else colors.black


def _matrix(matrix: Matrix) -> list[Flowable]:
    """Sites down, activities across: each cell coloured by status, with its capacity."""
    first = 38 * mm
    width = (WIDTH - first) / max(len(matrix.head) - 1, 1)
    widths = [first] + [width] * (len(matrix.head) - 1)
    style: list[Any] = list(GRID)
    cells: list[list[Flowable]] = [_header(matrix.head, widths)]
    for r, (site, row) in enumerate(matrix.rows, start=1):
        line: list[Flowable] = [_p(site, SMALL)]
        for c, cell in enumerate(row, start=1):
            colour = Functioning(cell[0]).colour if cell else "#eeeeee"
            style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(colour)))
            bold = ParagraphStyle(
                "c",
                parent=SMALL,
                textColor=_ink(cell[0] if cell else None),
                alignment=1,
                fontName="Helvetica-Bold",
            )
            line.append(_p(cell[1] if cell else "", bold))
        cells.append(line)
    table = Table(cells, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    legend = Table(
        [
            [
                _p(label, ParagraphStyle("l", parent=SMALL, textColor=_ink(f)))
                for f, label in matrix.legend
            ]
        ],
        colWidths=[45 * mm] * len(matrix.legend),
        hAlign="LEFT",
    )
    legend.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (i, 0), (i, 0), colors.HexColor(Functioning(f).colour))
                for i, (f, _) in enumerate(matrix.legend)
            ]
        )
    )
    return [table, Spacer(1, 2 * mm), legend]


def _picture(path: Path, width: float) -> Flowable:
    raw = path.read_bytes()
    probe = Image(io.BytesIO(raw))
    return Image(io.BytesIO(raw), width=width, height=width * probe.imageHeight / probe.imageWidth)


def _blocks(blocks: Sequence[Block], pictures: dict[str, Path]) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(_p(block))
        elif isinstance(block, list):
            out += [_p(f"\u2022 {line}") for line in block]
        elif isinstance(block, DocTable):
            out += [_table(block), Spacer(1, 2 * mm)]
        elif isinstance(block, Matrix):
            out += _matrix(block)
        else:
            figure = _picture(pictures[block.name], PICTURE_WIDTHS[block.name])
            out.append(KeepTogether([figure, _p(block.caption, SMALL)]))
    return out


def _story(doc: Document, pictures: dict[str, Path]) -> list[Flowable]:
    story: list[Flowable] = [
        _p(doc.title, H1),
        _p(doc.subtitle, SUB),
        _p(doc.byline, BYLINE),
    ]
    for section in doc.sections:
        if section.new_page:
            story.append(PageBreak())
        body = _blocks(section.blocks, pictures)
        story += [KeepTogether([_p(section.title, H2), *body[:1]]), *body[1:]]
    return story


def write(doc: Document, pictures: dict[str, Path], out: Path) -> None:
    """The PDF of `doc`, with the charts drawn in `pictures` (name -> PNG file)."""

    template = SimpleDocTemplate(
        str(out),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=f"{doc.title}, {doc.subtitle}",
        author=doc.organisation,
        lang=doc.language,
        invariant=True,  # no creation time nor random id: the same facts give the same bytes
    )
    frame = PageFrame(doc.language, doc.footer, doc.clock_mark, doc.draft_mark, MARGIN)
    build(template, _story(doc, pictures), frame)
