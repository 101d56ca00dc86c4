"""Text on the states' and activities' colours, readable by WCAG 2.1 AA (contrast 4.5:1 or more).

The colours come from the enums (one source for pages, PDFs and the terminal); the ink on each
is the black or white that contrasts most with it, as WCAG computes contrast.
"""

BLACK, WHITE = "#000000", "#ffffff"
AA = 4.5  # normal text


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG's relative luminance of '#rrggbb'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(background: str) -> str:
    """Black or white, whichever reads better on `background`."""
    return max((BLACK, WHITE), key=lambda text: contrast(text, background))
