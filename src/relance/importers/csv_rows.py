"""Reading CSV files the way people write them: BOM, ; or , separators, header names in any case."""

import csv
from pathlib import Path

from relance.domain.errors import Problem, RejectedInput


def rows(path: Path, required: set[str]) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """(line number, row by lower-case column name) for each non-blank data row, and the
    problems of rows with more values than columns (a value would otherwise be lost).

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
    found: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            message = f"{len(values)} values for {len(header)} columns (separator {delimiter!r})"
            problems.append(Problem(path.name, line, "", message))
            continue
        found.append(
            (line, {name: value.strip() for name, value in zip(header, values, strict=False)})
        )
    return found, problems
