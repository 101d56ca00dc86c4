"""A photo of a machine's label, as a phone sends it: the texts of the QR codes in it.

Pillow reads the picture (PNG or JPEG only: the page re-encodes whatever the camera made) and
zxing-cpp finds and decodes the codes, upright or turned, sharp or a little blurred.
"""

import io

import zxingcpp
from PIL import Image, UnidentifiedImageError

from relance.domain.errors import InvalidInput
from relance.i18n import N_

FORMATS = ("PNG", "JPEG")
MAX_PIXELS = 4096 * 4096  # a phone's full photo is smaller; more is not a label


def qr_texts(photo: bytes) -> list[str]:
    """The distinct texts of the QR codes in `photo`, in the order found (none: an empty list)."""
    try:
        with Image.open(io.BytesIO(photo), formats=FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InvalidInput(N_("the photo is too large: send a smaller one"))
            grey = image.convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise InvalidInput(N_("not a photo that can be read (PNG or JPEG)")) from error
    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(grey, formats=qr)
    return list(dict.fromkeys(code.text for code in found if code.valid and code.text))
