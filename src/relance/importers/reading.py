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

from relance.domain.errors import Problem, RejectedInput
from relance.domain.text import character_problem, forbidden_character

MIB = 1 << 20
YAML_MAX = 4 * MIB  # a scenario or a rules file: the reference scenario is 20 KB
TABLE_MAX = 256 * MIB  # a CSV file: a year of appointments, an inventory of 100,000 machines
JSON_MAX = 256 * MIB  # a FHIR Bundle or resource in one file
LINE_MAX = 32 * MIB  # one line of NDJSON: one FHIR resource, attachments included
KEYS_MAX = 1 * MIB  # a file of age keys
VALUE_MAX = 10_000  # characters of one CSV value or YAML scalar
DEPTH_MAX = 64  # nesting of YAML collections and JSON objects and arrays
NODES_MAX = 200_000  # YAML values, aliases expanded: the reference scenario has 1,500
SAVE_AS_UTF8 = "save it as UTF-8 (in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)"


def refuse(source: str, line: int | None, message: str, field: str = "") -> RejectedInput:
    """The error for one problem that stops the reading of a file."""
    return RejectedInput([Problem(source, line, field, message)])


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or RejectedInput saying why not."""
    try:
        if not path.exists():
            raise refuse(str(path), None, "file not found")
        if path.is_dir():
            raise refuse(str(path), None, "a directory, where a file is expected")
        if not path.is_file():
            raise refuse(str(path), None, "not a regular file")
        size = path.stat().st_size
        if size > limit:
            raise refuse(path.name, None, too_big(size, limit))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise refuse(str(path), None, f"cannot be read: {error.strerror or error}") from None
    if len(data) > limit:  # it grew while being read, or stat lied (a device)
        raise refuse(path.name, None, too_big(len(data), limit))
    return data


def too_big(size: int, limit: int) -> str:
    return (
        f"{size / MIB:,.1f} MiB, more than the {limit / MIB:,.0f} MiB such a file may have: "
        "is it the right file? A larger book or report can be split into several files"
    )


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
        raise refuse(source, at, f"not UTF-8 text ({_guess(data)}): {SAVE_AS_UTF8}") from None
    text = text.removeprefix("\ufeff")
    index = forbidden_character(text)
    if index is not None:
        at = (line or 1) + text.count("\n", 0, index)
        char = text[index]
        hint = "the file is damaged, or not text" if char == "\0" else "it cannot be kept"
        raise refuse(source, at, f"{character_problem(char)}: {hint}")
    return text


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_FORMATS = (
    (b"PK\x03\x04", "a zip file, such as an Excel workbook (.xlsx): save it as 'CSV UTF-8'"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file (.xls): save it as 'CSV UTF-8'"),
    (b"%PDF", "a PDF, not a data file"),
    (b"\x1f\x8b", "a compressed (gzip) file: uncompress it first"),
)


def not_text(data: bytes) -> str | None:
    """Why these bytes are plainly not UTF-8 text (another encoding, another format)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return f"saved as {name} (Excel's 'Unicode text'): {SAVE_AS_UTF8}"
    for magic, what in _FORMATS:
        if data.startswith(magic):
            return what
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\0") * 3 > len(head):  # every other byte NUL
        return f"saved as UTF-16: {SAVE_AS_UTF8}"
    return None


def _guess(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "binary data, or an unknown encoding"
    return "Windows-1252 or Latin-1, as Excel's plain 'CSV'"
