"""The text of an export as its tool wrote it: whatever the encoding, told apart by its bytes.

Exports are taken as they come (unlike a file a person writes, which must be UTF-8): Windows
PowerShell 5.1's Export-Csv writes ASCII by default (an accented letter becomes '?'), UTF-16
with `-Encoding Unicode`, UTF-8 with a BOM with `-Encoding UTF8`, the ANSI code page
(Windows-1252 here) with `-Encoding Default`; PowerShell 7 writes UTF-8 without a BOM; GLPI 10
writes UTF-8 with a BOM.
"""

import codecs
from dataclasses import dataclass
from pathlib import Path

from relance.domain.errors import N_
from relance.domain.text import forbidden_character
from relance.importers.reading import TABLE_MAX, character, read_bytes, refuse

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", N_("UTF-8 with BOM")),  # said in the reader's words
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16 LE: it starts the same way
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


@dataclass(frozen=True)
class ExportText:
    source: str  # the file's name
    text: str
    encoding: str  # as a person would say it
    data: bytes  # the bytes read: their SHA-256 is the evidence

    @property
    def ascii_only(self) -> bool:
        """Written in 7-bit ASCII, where Windows PowerShell 5.1 writes '?' for a letter."""
        return self.encoding == "ASCII"


def read_export(path: Path) -> ExportText:
    data = read_bytes(path, TABLE_MAX)
    return decode_export(data, path.name)


def decode_export(data: bytes, source: str) -> ExportText:
    """The text of an export; RejectedInput if it is no text in any encoding tools write."""
    text, encoding = _decode(data, source)
    index = forbidden_character(text)
    if index is not None:
        line = 1 + text.count("\n", 0, index)
        why = N_("{character}: is it the right file?")
        raise refuse(source, line, why, character=character(text[index]))
    return ExportText(source, text, encoding, data)


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                raise refuse(source, None, N_("damaged {encoding} text"), encoding=name) from None
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) * 2 > len(head) // 2:  # UTF-16 LE without BOM
        try:
            return data.decode("utf-16-le"), "UTF-16"
        except UnicodeDecodeError:
            raise refuse(source, None, N_("damaged {encoding} text"), encoding="UTF-16") from None
    if data.isascii():
        return data.decode("ascii"), "ASCII"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"
