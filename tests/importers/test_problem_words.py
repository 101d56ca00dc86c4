"""The parsers' problems keep their file, line and field and say the rest in the reader's
language: French for the cell, English (word for word as before) for logs, the API and JSON."""

import re

from hypothesis import given
from hypothesis import strategies as st

from relance.i18n import Texts
from relance.importers import csv_rows, inventory_dates
from relance.importers.inventory_dates import Cell

FR, EN = Texts("fr"), Texts("en")
NOT_A_DATE = st.text(alphabet="0123456789/-:. abcxyz", min_size=1, max_size=20).filter(
    lambda s: s.strip() and not re.search(r"\d{4}-\d", s)  # nothing read as ISO 8601
)


@given(st.lists(NOT_A_DATE, min_size=1, max_size=5))
def test_a_cell_that_is_no_date_is_named_in_french(values: list[str]) -> None:
    cells = [Cell(line, "Last update", value) for line, value in enumerate(values, start=2)]
    _, problems = inventory_dates.read("glpi.csv", cells)
    for problem in problems:
        where = f"glpi.csv:{problem.line}: Last update: "
        assert FR.error(problem).startswith(where)
        assert EN.error(problem) == str(problem) == f"{where}{problem.message}"
        assert problem.as_dict()["message"] == problem.message  # what --json prints
        if "cannot be told apart" in problem.message:
            assert "impossible de distinguer le jour du mois" in FR.error(problem)
        elif "day first" in problem.message:
            assert "des dates avec le jour d'abord" in FR.error(problem)
        else:
            assert problem.message.endswith("is not a date as this file writes them")
            assert FR.error(problem).endswith("n'est pas une date au format de ce fichier")


@given(st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=4))
def test_a_row_with_too_many_values_is_said_in_french(columns: int, extra: int) -> None:
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join("x" for _ in range(columns + extra))
    _, problems = csv_rows.table("book.csv", f"{header}\n{row}\n", set())
    [problem] = problems
    assert str(problem) == (
        f"book.csv:2: {columns + extra} values for {columns} columns (separator ',')"
    )
    assert FR.error(problem) == (
        f"book.csv:2: {columns + extra} valeurs pour {columns} colonnes (séparateur ',')"
    )
