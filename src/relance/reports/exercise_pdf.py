"""The exercise report as an A4 PDF (ReportLab): the document the exercise lead hands out after
an exercise, its words given in its language. Every page carries the EXERCICE mark
(page_frame.py)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from relance.reports.page_frame import PageFrame, build
from relance.reports.sitrep_pdf import BODY, GRID, H1, H2, HEAD, SMALL

MARGIN = 14 * mm
WIDTH = A4[0] - 2 * MARGIN


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]  # shares of the page's width, summing to 1
    rows: list[tuple[str, ...]]
    empty: str  # said when there are no rows
    inks: dict[str, str] = field(default_factory=dict)  # a cell's colour by its text: verdicts


@dataclass(frozen=True)
class ExerciseDocument:
    language: str
    mark: str | None  # EXERCICE (marks.py): an exercise's report is never taken for a crisis's
    title: str
    lines: tuple[str, ...]  # under the title: scenario, speed, times
    sections: tuple[Section, ...]
    footer: str


def _p(text: str, style: object = SMALL) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)  # type: ignore[arg-type]  # a ParagraphStyle


def _table(section: Section) -> Flowable:
    widths = [WIDTH * share for share in section.widths]
    head = [_p(h, HEAD) for h in section.headers]
    body = [[_p(cell) for cell in row] for row in section.rows]
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    style = [*GRID, ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for number, row in enumerate(section.rows, start=1):
        for column, cell in enumerate(row):
            if cell in section.inks:
                ink = colors.HexColor(section.inks[cell])
                style.append(("TEXTCOLOR", (column, number), (column, number), ink))
        if number % 2 == 0:
            style.append(("BACKGROUND", (0, number), (-1, number), colors.HexColor("#eceff1")))
    table.setStyle(TableStyle(style))
    return table


def _story(doc: ExerciseDocument) -> list[Flowable]:
    story: list[Flowable] = [_p(doc.title, H1), *(_p(line, BODY) for line in doc.lines)]
    for section in doc.sections:
        story += [Spacer(1, 3 * mm), _p(section.title, H2)]
        story.append(_table(section) if section.rows else _p(section.empty, BODY))
    return story


def write(doc: ExerciseDocument, out: Path) -> None:
    template = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=doc.title,
        lang=doc.language,
        invariant=True,  # the same exercise gives the same bytes
    )
    build(template, _story(doc), PageFrame(doc.language, doc.footer, doc.mark, margin=MARGIN))


def shares(*parts: float) -> tuple[float, ...]:
    total = sum(parts)
    return tuple(p / total for p in parts)


def rows(items: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    return [tuple(item) for item in items]
