"""Labels as a camera would see them: a page of the labels PDF rendered, one label cut out."""

import subprocess
from pathlib import Path

from PIL import Image

from relance.reports.asset_labels import COLUMNS, HEIGHT, LEFT, PER_SHEET, TOP
from relance.reports.asset_labels import WIDTH as LABEL_WIDTH
from tests.snapshots.conftest import require

POINTS_PER_INCH = 72


def label_image(pdf: Path, number: int, out: Path, dpi: int = 200) -> Path:
    """The `number`-th label of `pdf` (from 0, row by row), as a PNG written to `out`."""
    page, place = divmod(number, PER_SHEET)
    row, column = divmod(place, COLUMNS)
    prefix = out.with_suffix("")
    pages = ["-f", str(page + 1), "-l", str(page + 1)]
    subprocess.run(
        [require("pdftoppm"), "-r", str(dpi), "-png", "-singlefile", *pages, str(pdf), str(prefix)],
        check=True,
    )
    scale = dpi / POINTS_PER_INCH
    left, top = LEFT + column * LABEL_WIDTH, TOP + row * HEIGHT
    box = (
        round(left * scale),
        round(top * scale),
        round((left + LABEL_WIDTH) * scale),
        round((top + HEIGHT) * scale),
    )
    with Image.open(prefix.with_suffix(".png")) as sheet:
        sheet.crop(box).save(out)
    return out


def zbar(image: Path) -> list[str]:
    """What Debian's zbarimg reads in the image: a scanner independent of the page's reader."""
    done = subprocess.run(
        [require("zbarimg"), "-q", "--raw", str(image)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.split()
