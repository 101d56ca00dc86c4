"""The assets CSV of a scenario: one machine per row, as an inventory export gives them."""

import re
from pathlib import Path

from relance.domain.errors import N_, Problem
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
        wrong = _problem(row, seen)
        if wrong:
            field, message, values = wrong
            problems.append(Problem(source, line, field, message, **values))
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


def _problem(  # noqa: PLR0911 - one return per check
    row: Row, seen: dict[str, int]
) -> tuple[str, str, dict[str, object]] | None:
    """The first field of the row that cannot be kept, its msgid and values; None: a good row."""
    hostname = row["hostname"].upper()
    if not hostname:
        return "hostname", N_("empty hostname"), {}
    if not HOSTNAME.fullmatch(hostname):
        message = N_("{host}: letters, digits, '.', '-' and '_' only, 253 at most")
        return "hostname", message, {"host": repr(hostname[:60])}
    if hostname in seen:
        return (
            "hostname",
            N_("{host} already on line {line}"),
            {"host": hostname, "line": seen[hostname]},
        )
    kinds = ", ".join(AssetKind)
    if not row["kind"]:
        return "kind", N_("empty (one of: {kinds})"), {"kinds": kinds}
    if row["kind"].lower() not in set(AssetKind):
        message = N_("unknown kind {kind} (one of: {kinds})")
        return "kind", message, {"kind": repr(row["kind"][:40]), "kinds": kinds}
    if row["state"] and row["state"].lower() not in set(AssetState):
        message = N_("unknown lifecycle state {state} (one of: {states})")
        states = ", ".join(AssetState)
        return "state", message, {"state": repr(row["state"][:40]), "states": states}
    for field in ("site", "department", "role", "services"):
        problem = text_problem(row[field], NAME_MAX, one_line=True)
        if problem:  # said in the reader's words with the file's place
            return field, "{problem}", {"problem": problem}
    return None
