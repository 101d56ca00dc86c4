"""Reading CSV files the way people write them: BOM, ; , or tab separators, header names in any
case, quoted values over several lines; within the reading layer's limits."""

import csv
from collections.abc import Iterator
from pathlib import Path

from relance.domain.errors import N_, Problem, RejectedInput
from relance.importers.reading import TABLE_MAX, VALUE_MAX, read_text, refuse

SEPARATORS = (",", ";", "\t")
Row = dict[str, str]


def rows(path: Path, required: set[str]) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """(line number, row by lower-case column name) for each non-blank data row, and the
    problems of rows that cannot be read whole: more values than columns (a value would be
    lost), a value too long. A row with fewer values than columns has the rest empty.

    Raises RejectedInput if the file cannot be read or a required column is missing.
    """
    return table(path.name, read_text(path, TABLE_MAX), required)


def table(
    source: str, text: str, required: set[str]
) -> tuple[list[tuple[int, Row]], list[Problem]]:
    """rows() of a text already read."""
    first = text.split("\n", 1)[0]
    delimiter = max(SEPARATORS, key=first.count)
    records = _records(source, text, delimiter)
    header_line, header_values = next(records, (1, []))
    header = [name.strip().lower() for name in header_values]
    if not any(header):
        raise refuse(source, 1, N_("the file is empty"))
    missing = sorted(required - set(header))
    if missing:
        found = ", ".join(header)
        message = N_("missing column {missing} (columns found: {found})")
        missing_ = ", ".join(missing)
        raise refuse(source, header_line, message, "header", missing=missing_, found=found)
    found_rows: list[tuple[int, Row]] = []
    problems: list[Problem] = []
    for line, values in records:
        if not "".join(values).strip():  # a blank row (one string: no generator per row)
            continue
        if len(values) > len(header):
            message = N_("{values} values for {columns} columns (separator {separator})")
            counts = {"values": len(values), "columns": len(header)}
            problems.append(Problem(source, line, "", message, **counts, separator=repr(delimiter)))
            continue
        if max(map(len, values)) > VALUE_MAX:
            long = next(i for i, v in enumerate(values) if len(v) > VALUE_MAX)
            message = N_("longer than {limit} characters ({length})")
            sizes = {"limit": f"{VALUE_MAX:,}", "length": f"{len(values[long]):,}"}
            problems.append(Problem(source, line, header[long], message, **sizes))
            continue
        row = dict(zip(header, map(str.strip, values), strict=False))
        if len(values) < len(header):
            row.update(dict.fromkeys(header[len(values) :], ""))
        found_rows.append((line, row))
    return found_rows, problems


def _records(source: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its values); RejectedInput for a file csv cannot split."""
    # splitlines() also splits at U+2028 and U+2029, which a value may hold (the other
    # separators it knows are control characters, refused when the file was read)
    lines = _lines(text) if "\u2028" in text or "\u2029" in text else text.splitlines(True)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_problem(source, start, str(error)) from None
        yield start, values
        start = reader.line_num + 1


def _csv_problem(source: str, line: int, error: str) -> RejectedInput:
    if "field larger than field limit" in error or "unexpected end of data" in error:
        message = N_(
            'a quote (") opened here is never closed, or a value is longer than {limit} characters'
        )
        return refuse(source, line, message, limit=f"{VALUE_MAX:,}")
    message = N_('not a CSV row ({error}): check the quotes (") of this line')
    return refuse(source, line, message, error=error)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends, one at a time (no copy of the whole text)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end
