"""A technician's report of machines moved: a CSV with hostname (and state, evidence, reason).

A barcode scanner gives one hostname per line with no header; that is accepted as it is.
"""

from dataclasses import dataclass
from pathlib import Path

from relance.domain.errors import N_, IllegalTransition, Problem, RejectedInput, RelanceError
from relance.domain.lifecycle import AssetState, parse_state
from relance.domain.text import TEXT_MAX, texts_problems
from relance.importers.csv_rows import Row, table
from relance.importers.reading import TABLE_MAX, read_text

LIMITS = {"evidence": 200, "reason": TEXT_MAX}  # the audit's columns; a hostname must exist


@dataclass(frozen=True)
class ReportedMove:
    line: int
    hostname: str
    target: AssetState
    evidence: str | None
    reason: str


def read(path: Path, default_target: AssetState | None) -> list[ReportedMove]:
    """Every row of the report, or RejectedInput listing every bad row."""
    text = read_text(path, TABLE_MAX)
    problems: list[Problem] = []
    if _headerless(text):
        records: list[tuple[int, Row]] = [
            (n, {"hostname": line.strip()})
            for n, line in enumerate(text.split("\n"), 1)
            if line.strip()
        ]
    else:
        records, problems = table(path.name, text, {"hostname"})
    moves: list[ReportedMove] = []
    for line, row in records:

        def bad(field: str, message: str, line: int = line, **values: object) -> None:
            problems.append(Problem(path.name, line, field, message, **values))

        try:
            target = parse_state(row["state"]) if row.get("state") else default_target
        except IllegalTransition as error:
            bad("state", "{error}", error=error)  # said in the reader's words
            continue
        if target is None:
            bad("state", N_("no state: add a state column or --to"))
            continue
        problem = _field_problem(row)
        if problem is not None:
            bad(problem[0], "{problem}", problem=problem[1])
            continue
        moves.append(
            ReportedMove(
                line,
                row["hostname"].upper(),
                target,
                row.get("evidence") or None,
                row.get("reason", ""),
            )
        )
    if problems:
        raise RejectedInput(problems)
    if not moves:
        raise RejectedInput([Problem(path.name, None, "", N_("no hostname in the file"))])
    return moves


def _field_problem(row: Row) -> tuple[str, RelanceError] | None:
    """(field, what is wrong) of the first value that cannot be kept."""
    if not row["hostname"]:
        return "hostname", RelanceError(N_("empty hostname"))
    wrong = texts_problems({k: row.get(k, "") for k in LIMITS}, LIMITS)
    return wrong[0] if wrong else None


def _headerless(text: str) -> bool:
    """True for a scanner's list: a single column whose first cell is not a column name."""
    first = text.split("\n", 1)[0].strip()
    separated = any(s in first for s in (",", ";", "\t"))
    return bool(first) and not separated and first.lower() != "hostname"
