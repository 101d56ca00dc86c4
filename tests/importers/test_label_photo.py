"""Photos of a label as phones take them: turned, small or large, blurred, re-encoded as JPEG."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from relance.domain.errors import InvalidInput
from relance.importers.label_photo import qr_texts
from relance.reports.qr import QUIET, Q, qr_modules

HOSTNAME = "MAR-RAD-W0N28T"
PIXELS_PER_MODULE = 8


def _code(text: str) -> Image.Image:
    """The label's QR code, its quiet zone included, with the modules the labels PDF draws."""
    modules = qr_modules(text, Q)
    count = len(modules) + 2 * QUIET
    image = Image.new("L", (count, count), 255)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                image.putpixel((c + QUIET, r + QUIET), 0)
    return image.resize((count * PIXELS_PER_MODULE,) * 2, Image.Resampling.NEAREST)


def _photo(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    angle=st.integers(0, 359),
    scale=st.sampled_from([0.5, 0.75, 1.0, 2.0]),
    blur=st.sampled_from([0.0, 0.8, 1.5]),
    quality=st.integers(40, 95),
)
def test_a_label_reads_back_turned_scaled_blurred_and_compressed(
    angle: int, scale: float, blur: float, quality: int
) -> None:
    code = _code(HOSTNAME)
    size = round(code.width * scale)
    turned = code.resize((size, size)).rotate(angle, expand=True, fillcolor=255)
    scene = Image.new("L", (turned.width + 300, turned.height + 200), 170)
    scene.paste(turned, (120, 80))
    if blur:
        scene = scene.filter(ImageFilter.GaussianBlur(blur))
    assert qr_texts(_photo(scene, quality)) == [HOSTNAME]


def test_a_photo_without_a_code_has_no_text_and_a_file_that_is_not_a_photo_is_refused() -> None:
    assert qr_texts(_photo(Image.new("L", (640, 480), 200))) == []
    with pytest.raises(InvalidInput, match="not a photo"):
        qr_texts(b"GIF89a\x01\x00\x01\x00")
    gif = io.BytesIO()
    _code(HOSTNAME).save(gif, "GIF")
    with pytest.raises(InvalidInput, match="not a photo"):  # only what the page sends: PNG, JPEG
        qr_texts(gif.getvalue())
