"""Every PDF's page furniture, drawn once for all: the exercise's or the replay's mark atop each
page, the document's footer, and "page N of M" in the document's language.

"of M" is only known once the last page is laid out, so the furniture is drawn when the
document is saved, on each page kept until then (the usual ReportLab way).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from relance.reports.words import Words

MARK_INK = colors.HexColor("#b71c1c")
WATERMARK_INK = colors.Color(0.8, 0.1, 0.1, alpha=0.12)


@dataclass(frozen=True)
class PageFrame:
    language: str
    footer: str
    mark: str | None  # marks.document_mark: an exercise's or a replay's; None when live
    watermark: str | None = None  # across the page, e.g. a sitrep's DRAFT
    margin: float = 14 * mm
    number_font: tuple[str, float] = ("Helvetica", 7)  # a ward sheet's is bold: a page missing


def build(template: BaseDocTemplate, story: Sequence[Flowable], frame: PageFrame) -> None:
    """Lay out `story` in `template`, every page in `frame`."""
    maker = partial(_FramedCanvas, frame=frame, size=template.pagesize)
    template.build(list(story), canvasmaker=maker)


class _FramedCanvas(Canvas):
    def __init__(
        self, *args: Any, frame: PageFrame, size: tuple[float, float], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._frame = frame
        self._size = size
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's new page, not in its stubs

    def save(self) -> None:
        words = Words(self._frame.language, {})
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            numbered = words._("page {n} of {total}", n=number, total=total)
            _furniture(self, self._frame, self._size, numbered)
            super().showPage()
        super().save()


def _furniture(canvas: Canvas, frame: PageFrame, size: tuple[float, float], page: str) -> None:
    width, height = size
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    canvas.drawString(frame.margin, 8 * mm, frame.footer)
    canvas.setFont(*frame.number_font)
    canvas.drawRightString(width - frame.margin, 8 * mm, page)
    if frame.mark:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.setFillColor(MARK_INK)
        canvas.drawCentredString(width / 2, height - 8 * mm, frame.mark)
    if frame.watermark:
        canvas.setFont("Helvetica-Bold", 60)
        canvas.setFillColor(WATERMARK_INK)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(30)
        canvas.drawCentredString(0, 0, frame.watermark)
    canvas.restoreState()
