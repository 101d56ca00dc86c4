"""Text the standard PDF fonts can show: the sheets and labels embed no font, so a letter
outside Windows-1252 would print as a black box on the laptop that prints."""

import unicodedata

# Letters no standard PDF font has, to their closest Latin-1 letter (NFKD does the accents).
LATIN = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "\u0131": "i", "Ø": "O", "ø": "o"})


def printable(text: str) -> str:
    """The text as it is when it fits Windows-1252; else other letters lose their accent."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    else:
        return text
    out = []
    for char in text.translate(LATIN):
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252")
            out.append(base or "?")
    return "".join(out)
