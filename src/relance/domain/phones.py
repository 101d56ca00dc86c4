"""Phone numbers as the secretariats type them, to E.164; Belgian mobiles recognised."""

import re

_DIGITS = re.compile(r"[\s./()-]")
BELGIAN_MOBILE = re.compile(r"\+324[5-9]\d{7}")
E164 = re.compile(r"\+[1-9]\d{7,14}")


def normalise(text: str, country_code: str = "32") -> str | None:
    """'0470 12 34 56' -> '+32470123456'; None if it is not a phone number at all."""
    raw = _DIGITS.sub("", text.strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("0"):
        raw = f"+{country_code}{raw[1:]}"
    return raw if E164.fullmatch(raw) else None


def is_mobile(number: str) -> bool:
    """A number an SMS can reach: a Belgian mobile, or any foreign number (we cannot tell)."""
    return bool(BELGIAN_MOBILE.fullmatch(number)) or (
        bool(E164.fullmatch(number)) and not number.startswith("+32")
    )
