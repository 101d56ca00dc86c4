"""A technician's report of machines moved: a CSV with hostname (and state, evidence, reason).

A barcode scanner gives one hostname per line with no header; that is accepted as it is.
"""

from dataclasses import dataclass
from pathlib import Path

from relance.domain.errors import IllegalTransition, Problem, RejectedInput
from relance.domain.lifecycle import AssetState, parse_state
from relance.importers.csv_rows import rows


@dataclass(frozen=True)
class ReportedMove:
    line: int
    hostname: str
    target: AssetState
    evidence: str | None
    reason: str


def read(path: Path, default_target: AssetState | None) -> list[ReportedMove]:
    """Every row of the report, or RejectedInput listing every bad row."""
    problems: list[Problem] = []
    if _headerless(path):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        records = [
            (n, {"hostname": text.strip()}) for n, text in enumerate(lines, 1) if text.strip()
        ]
    else:
        records, problems = rows(path, {"hostname"})
    moves: list[ReportedMove] = []
    for line, row in records:
        try:
            target = parse_state(row["state"]) if row.get("state") else default_target
        except IllegalTransition as error:
            problems.append(Problem(path.name, line, "state", str(error)))
            continue
        if target is None:
            problems.append(
                Problem(path.name, line, "state", "no state: add a state column or --to")
            )
            continue
        if not row["hostname"]:
            problems.append(Problem(path.name, line, "hostname", "empty hostname"))
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
        raise RejectedInput([Problem(path.name, None, "", "no hostname in the file")])
    return moves


def _headerless(path: Path) -> bool:
    """True for a scanner's list: a single column whose first cell is not a column name."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = handle.readline().strip()
    except (OSError, UnicodeDecodeError):
        return False  # rows() reports it with a clear message
    return bool(first) and "," not in first and ";" not in first and first.lower() != "hostname"
