"""QR labels to stick on machines: A4 sheets of 3 x 8 labels of 70 x 37 mm (ReportLab).

The common self-adhesive sheet (Avery 3474 and its equals): no gap between labels, half a
millimetre of margin at the top and bottom. Each label carries the hostname in large letters,
a QR code of the hostname alone (what the clean-zone page and any handheld scanner read),
then the site and the department. Nothing is printed within 5 mm of a label's edge: printers
cannot reach the sheet's edge, and a label cut a little off stays whole.
"""

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from relance.reports.printable import printable
from relance.reports.qr import Q, draw_qr

BOLD, REGULAR = "Helvetica-Bold", "Helvetica"
COLUMNS, ROWS = 3, 8
WIDTH, HEIGHT = 70 * mm, 37 * mm
PER_SHEET = COLUMNS * ROWS
LEFT = (A4[0] - COLUMNS * WIDTH) / 2
TOP = (A4[1] - ROWS * HEIGHT) / 2
PADDING = 5 * mm
QR_SIDE, QR_EDGE = 25 * mm, 1.5 * mm  # its white quiet zone may reach into the padding
NAME_SIZES = (14, 13, 12, 11, 10, 9, 8)  # the largest that fits the label's width
DETAIL_SIZE, DETAIL_LEADING = 8.0, 9.5


@dataclass(frozen=True)
class AssetLabel:
    hostname: str
    site: str
    site_name: str
    department: str | None = None
    department_name: str | None = None


def labels_pdf(labels: Sequence[AssetLabel], title: str) -> bytes:
    """Sheets of labels, filled row by row from the top left; `title` is the PDF's."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("relance")
    for number, label in enumerate(labels):
        place = number % PER_SHEET
        if place == 0 and number:
            canvas.showPage()
        row, column = divmod(place, COLUMNS)
        _label(canvas, label, LEFT + column * WIDTH, A4[1] - TOP - (row + 1) * HEIGHT)
    canvas.save()
    return out.getvalue()


def sheets(count: int) -> int:
    return -(-count // PER_SHEET)


def _label(canvas: Canvas, label: AssetLabel, x: float, y: float) -> None:
    """One label whose lower left corner is (x, y)."""
    top = y + HEIGHT - PADDING
    size, names = _name_lines(label.hostname, WIDTH - 2 * PADDING)
    draw_qr(canvas, label.hostname, x + QR_EDGE, y + QR_EDGE, QR_SIDE, level=Q)
    canvas.setFont(BOLD, size)
    for n, line in enumerate(names):
        canvas.drawString(x + PADDING, top - size * (0.8 + n), line)
    text_left = x + QR_EDGE + QR_SIDE + 1 * mm
    canvas.setFont(REGULAR, DETAIL_SIZE)
    line_top = top - size * len(names) - 2 * mm
    for n, line in enumerate(_details(label, x + WIDTH - PADDING - text_left)):
        canvas.drawString(text_left, line_top - (n + 1) * DETAIL_LEADING + 2, line)


def _name_lines(hostname: str, width: float) -> tuple[float, list[str]]:
    """The hostname in the largest size that fits one line; a very long one on two lines.

    The QR code always holds the whole name: a third line would be cut short.
    """
    text = printable(hostname)
    for size in NAME_SIZES:
        if stringWidth(text, BOLD, size) <= width:
            return size, [text]
    size = NAME_SIZES[-1]
    lines = [""]
    for letter in text:
        if stringWidth(lines[-1] + letter, BOLD, size) > width:
            lines.append("")
        lines[-1] += letter
    if len(lines) > 2:
        lines = [lines[0], _shortened(lines[1], BOLD, size, width)]
    return size, lines


def _details(label: AssetLabel, width: float) -> Iterator[str]:
    """Site, then department: code and name, each wrapped over at most two lines."""
    parts = [(label.site, label.site_name)]
    if label.department:
        parts.append((label.department, label.department_name or ""))
    for code, name in parts:
        text = printable(f"{code} · {name}" if name and name != code else code)
        lines = simpleSplit(text, REGULAR, DETAIL_SIZE, width)
        if len(lines) > 2:
            lines = [lines[0], _shortened(" ".join(lines[1:]), REGULAR, DETAIL_SIZE, width)]
        yield from lines


def _shortened(text: str, font: str, size: float, width: float) -> str:
    while stringWidth(text + "…", font, size) > width and len(text) > 1:
        text = text[:-1]
    return text.rstrip() + "…"
