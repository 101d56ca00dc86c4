"""The assets CSV of a scenario: one machine per row, as an inventory export gives them."""

import re
from pathlib import Path

from relance.domain.errors import Problem
from relance.domain.lifecycle import AssetState
from relance.domain.network import Asset, AssetKind
from relance.domain.text import NAME_MAX, text_problem
from relance.importers.csv_rows import Row, table
from relance.importers.reading import TABLE_MAX, read_text

COLUMNS = ("hostname", "kind", "site", "department", "role", "services", "state")
REQUIRED = {"hostname", "kind", "site"}
HOSTNAME = re.compile(r"[A-Za-z0-9._-]{1,253}")  # what a DNS or NetBIOS name may hold


def read(path: Path, default_state: AssetState) -> tuple[list[tuple[int, Asset]], list[Problem]]:
    """(line, asset) in file order and the problems of bad rows.

    Services are separated by '|' (or ';' in a comma-separated file).
    """
    return parse(path.name, read_text(path, TABLE_MAX), default_state)


def parse(
    source: str, text: str, default_state: AssetState
) -> tuple[list[tuple[int, Asset]], list[Problem]]:
    """read() of a text already read."""
    assets: list[tuple[int, Asset]] = []
    found, problems = table(source, text, REQUIRED)
    seen: dict[str, int] = {}
    for line, found_row in found:
        row = dict.fromkeys(COLUMNS, "") | found_row
        field, message = _problem(row, seen)
        if message:
            problems.append(Problem(source, line, field, message))
            continue
        hostname = row["hostname"].upper()
        seen[hostname] = line
        services = tuple(s.strip() for s in re.split(r"[|;]", row["services"]) if s.strip())
        state = AssetState(row["state"].lower()) if row["state"] else default_state
        asset = Asset(
            hostname=hostname,
            kind=AssetKind(row["kind"].lower()),
            site=row["site"],
            department=row["department"] or None,
            role=row["role"],
            services=services,
            state=state,
        )
        assets.append((line, asset))
    return assets, problems


def _problem(row: Row, seen: dict[str, int]) -> tuple[str, str]:  # noqa: PLR0911 - one per check
    """The first field of the row that cannot be kept, and why; ("", "") for a good row."""
    hostname = row["hostname"].upper()
    if not hostname:
        return "hostname", "empty hostname"
    if not HOSTNAME.fullmatch(hostname):
        return "hostname", f"{hostname[:60]!r}: letters, digits, '.', '-' and '_' only, 253 at most"
    if hostname in seen:
        return "hostname", f"{hostname} already on line {seen[hostname]}"
    if row["kind"].lower() not in set(AssetKind):
        what = f"unknown kind {row['kind'][:40]!r}" if row["kind"] else "empty"
        return "kind", f"{what} (one of: {', '.join(AssetKind)})"
    if row["state"] and row["state"].lower() not in set(AssetState):
        return "state", f"unknown lifecycle state {row['state'][:40]!r}"
    for field in ("site", "department", "role", "services"):
        problem = text_problem(row[field], NAME_MAX, one_line=True)
        if problem:
            return field, problem
    return "", ""
