"""Reading CSV files the way people write them: BOM, ; or , separators, header names in any case."""

import csv
from collections.abc import Iterator
from pathlib import Path

from relance.domain.errors import Problem, RejectedInput


def rows(path: Path, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by lower-case column name) for each non-blank data row.

    Raises RejectedInput if the file cannot be read or a required column is missing.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RejectedInput([Problem(str(path), None, "", "file not found")]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start}); save it as CSV UTF-8"
        raise RejectedInput([Problem(path.name, None, "", message)]) from None
    lines = text.splitlines()
    if not lines:
        raise RejectedInput([Problem(path.name, 1, "", "the file is empty")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    missing = sorted(required - set(header))
    if missing:
        message = f"missing column {', '.join(missing)} (columns found: {', '.join(header)})"
        raise RejectedInput([Problem(path.name, 1, "header", message)])
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield line, {name: value.strip() for name, value in zip(header, values, strict=False)}
