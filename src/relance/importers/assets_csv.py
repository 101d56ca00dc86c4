"""The assets CSV of a scenario: one machine per row, as an inventory export gives them."""

import re
from pathlib import Path

from relance.domain.errors import Problem
from relance.domain.lifecycle import AssetState
from relance.domain.network import Asset, AssetKind
from relance.importers.csv_rows import rows

COLUMNS = ("hostname", "kind", "site", "department", "role", "services", "state")
REQUIRED = {"hostname", "kind", "site"}


def read(path: Path, default_state: AssetState) -> tuple[list[tuple[int, Asset]], list[Problem]]:
    """(line, asset) in file order and the problems of bad rows.

    Services are separated by '|' (or ';' in a comma-separated file).
    """
    assets: list[tuple[int, Asset]] = []
    found, problems = rows(path, REQUIRED)
    seen: dict[str, int] = {}
    for line, row in found:

        def bad(field: str, message: str, line: int = line) -> None:
            problems.append(Problem(path.name, line, field, message))

        hostname = row["hostname"].upper()
        if not hostname:
            bad("hostname", "empty hostname")
            continue
        if hostname in seen:
            bad("hostname", f"{hostname} already on line {seen[hostname]}")
            continue
        seen[hostname] = line
        try:
            kind = AssetKind(row["kind"].lower())
        except ValueError:
            bad("kind", f"unknown kind {row['kind']!r} (one of: {', '.join(AssetKind)})")
            continue
        try:
            state = AssetState(row["state"].lower()) if row.get("state") else default_state
        except ValueError:
            bad("state", f"unknown lifecycle state {row['state']!r}")
            continue
        services = tuple(s.strip() for s in re.split(r"[|;]", row.get("services", "")) if s.strip())
        assets.append(
            (
                line,
                Asset(
                    hostname=hostname,
                    kind=kind,
                    site=row["site"],
                    department=row.get("department") or None,
                    role=row.get("role", ""),
                    services=services,
                    state=state,
                ),
            )
        )
    return assets, problems
