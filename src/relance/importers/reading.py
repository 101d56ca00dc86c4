"""Every file a user hands relance is opened here first, within limits.

The limits keep any file, however damaged or hostile, to bounded memory and time: a file larger
than its kind may be is refused before it is read; text must be UTF-8 (a file in another
encoding is named as such, with how to save it as UTF-8); a NUL or another control character
is refused with its line. The formats (csv_rows, located_yaml, fhir_files) add their own
limits: value length, nesting depth, YAML aliases.

Every refusal is a RejectedInput naming the file (and line): the command exits with code 2.
"""

import codecs
from pathlib import Path

from relance.domain.errors import N_, Problem, RejectedInput, RelanceError
from relance.domain.os_errors import os_reason
from relance.domain.text import forbidden_character

MIB = 1 << 20
YAML_MAX = 4 * MIB  # a scenario or a rules file: the reference scenario is 20 KB
TABLE_MAX = 256 * MIB  # a CSV file: a year of appointments, an inventory of 100,000 machines
JSON_MAX = 256 * MIB  # a FHIR Bundle or resource in one file
LINE_MAX = 32 * MIB  # one line of NDJSON: one FHIR resource, attachments included
KEYS_MAX = 1 * MIB  # a file of age keys
VALUE_MAX = 10_000  # characters of one CSV value or YAML scalar
DEPTH_MAX = 64  # nesting of YAML collections and JSON objects and arrays
NODES_MAX = 200_000  # YAML values, aliases expanded: the reference scenario has 1,500


def refuse(
    source: str, line: int | None, message: str, field: str = "", **values: object
) -> RejectedInput:
    """The error for one problem that stops the reading of a file (`message`: a msgid)."""
    return RejectedInput([Problem(source, line, field, message, **values)])


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or RejectedInput saying why not."""
    try:
        if not path.exists():
            raise refuse(str(path), None, N_("file not found"))
        if path.is_dir():
            raise refuse(str(path), None, N_("a directory, where a file is expected"))
        if not path.is_file():
            raise refuse(str(path), None, N_("not a regular file"))
        size = path.stat().st_size
        if size > limit:
            raise RejectedInput([too_big(path.name, None, size, limit)])
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        why = os_reason(error)
        raise refuse(str(path), None, N_("cannot be read: {error}"), error=why) from None
    if len(data) > limit:  # it grew while being read, or stat lied (a device)
        raise RejectedInput([too_big(path.name, None, len(data), limit)])
    return data


def too_big(source: str, line: int | None, size: int, limit: int) -> Problem:
    message = N_(
        "{size} MiB, more than the {limit} MiB such a file may have: "
        "is it the right file? A larger book or report can be split into several files"
    )
    return Problem(
        source, line, "", message, size=f"{size / MIB:,.1f}", limit=f"{limit / MIB:,.0f}"
    )


def character(char: str) -> RelanceError:
    """What this character (one found by forbidden_character) is, said in a message."""
    if "\ud800" <= char <= "\udfff":
        return RelanceError(N_("a byte that is not UTF-8 text"))
    if char == "\0":
        return RelanceError(N_("a NUL character"))
    return RelanceError(N_("a control character (U+{code})"), code=f"{ord(char):04X}")


def read_text(path: Path, limit: int) -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped), or RejectedInput."""
    return decode(read_bytes(path, limit), path.name)


def decode(data: bytes, source: str, line: int | None = None) -> str:
    """UTF-8 text with no NUL nor control character; `line`: the line `data` starts on."""
    refused = not_text(data)
    if refused is not None:
        raise refuse(source, line, refused)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at = (line or 1) + data.count(b"\n", 0, error.start)
        raise refuse(source, at, _guess(data)) from None
    text = text.removeprefix("\ufeff")
    index = forbidden_character(text)
    if index is not None:
        at = (line or 1) + text.count("\n", 0, index)
        char = text[index]
        if char == "\0":
            raise refuse(source, at, N_("a NUL character: the file is damaged, or not text"))
        raise refuse(source, at, N_("{character}: it cannot be kept"), character=character(char))
    return text


_UTF16 = N_(
    "saved as UTF-16 (Excel's 'Unicode text'): save it as UTF-8 "
    "(in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)"
)
_UTF32 = N_(
    "saved as UTF-32 (Excel's 'Unicode text'): save it as UTF-8 "
    "(in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)"
)
_BOMS = (
    (codecs.BOM_UTF32_LE, _UTF32),
    (codecs.BOM_UTF32_BE, _UTF32),
    (codecs.BOM_UTF16_LE, _UTF16),
    (codecs.BOM_UTF16_BE, _UTF16),
)
_FORMATS = (
    (b"PK\x03\x04", N_("a zip file, such as an Excel workbook (.xlsx): save it as 'CSV UTF-8'")),
    (b"\xd0\xcf\x11\xe0", N_("an old Excel or Word file (.xls): save it as 'CSV UTF-8'")),
    (b"%PDF", N_("a PDF, not a data file")),
    (b"\x1f\x8b", N_("a compressed (gzip) file: uncompress it first")),
)


def not_text(data: bytes) -> str | None:
    """Why these bytes are plainly not UTF-8 text (another encoding, another format): a msgid."""
    for bom, why in _BOMS:
        if data.startswith(bom):
            return why
    for magic, what in _FORMATS:
        if data.startswith(magic):
            return what
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\0") * 3 > len(head):  # every other byte NUL
        return _UTF16
    return None


def _guess(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return N_(
            "not UTF-8 text (binary data, or an unknown encoding): save it as UTF-8 "
            "(in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)"
        )
    return N_(
        "not UTF-8 text (Windows-1252 or Latin-1, as Excel's plain 'CSV'): save it as UTF-8 "
        "(in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)"
    )
