"""QR codes drawn straight on a ReportLab canvas: one vector path, quiet zone included."""

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

M = qrencoder.QRErrorCorrectLevel.M  # 15 % of the code may be lost: a clean printed sheet
Q = qrencoder.QRErrorCorrectLevel.Q  # 25 %: a label on a machine gets scratched and dirty
QUIET = 4  # modules of white around the code, as the standard asks


def qr_modules(text: str, level: int = M) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of `text`, row by row.

    Upper-case letters, digits and `-` stay in the alphanumeric mode, the densest for a
    hostname. The mask is fixed instead of trying the eight: any mask decodes, and choosing
    the best one costs four times the rest of the encoding.
    """
    code = qrencoder.QRCode(None, level)
    code.addData(text)
    code.version = code.calculate_version()  # type: ignore[no-untyped-call] # no stub
    code.makeImpl(False, 0)
    return [[bool(m) for m in row] for row in code.modules]


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float, *, level: int = M) -> None:
    """The QR code of `text` in a `size` square whose lower left corner is (x, y)."""
    modules = qr_modules(text, level)
    count = len(modules)
    module = size / (count + 2 * QUIET)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                left = x + (start + QUIET) * module
                path.rect(left, y + size - (r + QUIET + 1) * module, (c - start) * module, module)
            c += 1
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
