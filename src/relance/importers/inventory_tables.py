"""The CSV exports of the IT team's tools: GLPI's Computers, the directory's Get-ADComputer,
Defender's device inventory. Columns are found by their titles in the tool's languages.

GLPI 10 writes every value quoted, a separator after the last value too, '"' inside a value
as two single quotes, LF line ends and a UTF-8 BOM; GLPI 11 (PhpSpreadsheet) writes '"' as
'""', CRLF and no BOM. Both use the separator of the user's preferences (';' by default in
French). Windows PowerShell 5.1's Export-Csv starts with a `#TYPE` line; PowerShell 7 does not.
"""

import csv
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Sighting, Tool, folded
from relance.domain.network import HOSTNAME
from relance.importers import inventory_dates
from relance.importers.csv_rows import SEPARATORS, Row, table
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

DATED = "dated"  # the row's newest date, once read in the file's regional format
Reader = Callable[[ExportText], tuple[list[Sighting], list[Problem]]]

# Column titles, folded (no accents, lower case), as each tool writes them in French or English.
GLPI_COLUMNS = {
    "name": ("nom", "name"),
    "serial": ("numero de serie", "serial number"),
    "entity": ("entite", "entity"),
    "location": ("lieu", "location"),
    "type": ("type",),
    "os": ("systeme d'exploitation - nom", "operating system - name"),
    "mac": ("adresse mac", "mac address", "mac"),
    "ip": ("adresse ip", "ip address", "ip"),
    "uuid": ("uuid",),
}
AD_COLUMNS = {
    "name": ("name",),
    "sam": ("samaccountname",),
    "fqdn": ("dnshostname",),
    "dn": ("distinguishedname",),
    "guid": ("objectguid",),
    "enabled": ("enabled",),
    "os": ("operatingsystem",),
    "ip": ("ipv4address",),
}
DEFENDER_COLUMNS = {
    "name": ("device name", "name", "devicename", "computerdnsname"),
    "id": ("device id", "deviceid", "id"),
    "os": ("os platform", "osplatform"),
    "ip": ("ip addresses", "lastipaddress", "ip"),
}


def columns(header: list[str], wanted: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Our name -> the file's column, for the columns found (a GLPI title may carry its group
    in front: "Ports réseau - Adresse MAC")."""
    found: dict[str, str] = {}
    for ours, titles in wanted.items():
        for column in header:
            plain = folded(column).lower()
            if any(plain == t or plain.endswith(f" - {t}") for t in titles):
                found.setdefault(ours, column)
    return found


def _rows(
    export: ExportText, wanted: Mapping[str, tuple[str, ...]], needed: str
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    text, offset = export.text, 0
    if text.startswith("#TYPE"):  # Windows PowerShell 5.1's type line, before the header
        text, offset = text.split("\n", 1)[1] if "\n" in text else "", 1
    found, problems = table(export.source, text, set())
    header_titles = header(text)
    named = columns(header_titles, wanted)
    if needed not in named:
        titles = " | ".join(repr(t) for t in wanted[needed])
        message = N_("no column {titles} (columns found: {found})")
        found_ = ", ".join(header_titles)
        raise refuse(export.source, 1 + offset, message, "header", titles=titles, found=found_)
    rows = [(line + offset, {k: row.get(c, "") for k, c in named.items()}) for line, row in found]
    for p in problems:
        p.line = (p.line or 0) + offset
    dated = [c for c in header_titles if folded(c) in inventory_dates.DATE_TITLES]
    cells = [
        inventory_dates.Cell(line + offset, c, row.get(c, "")) for line, row in found for c in dated
    ]
    dates, wrong = inventory_dates.read(export.source, cells)
    for line, row in rows:
        if line in dates:
            row[DATED] = dates[line].isoformat()
    return rows, problems + wrong


def header(text: str, *, as_written: bool = False) -> list[str]:
    """The column titles, as csv_rows.table reads them (lower-case), or `as_written`."""
    first = text.split("\n", 1)[0].removesuffix("\r")
    delimiter = max(SEPARATORS, key=first.count)
    titles = [c.strip() for c in next(csv.reader([first], delimiter=delimiter), [])]
    return titles if as_written else [t.lower() for t in titles]


def name_problem(source: str, line: int | None, name: str) -> Problem | None:
    if not name:
        return Problem(
            source, line, "name", N_("no machine name: name it in the tool, or drop the row")
        )
    if not HOSTNAME.fullmatch(name):
        message = N_("{name}: a machine name holds letters, digits, '.', '-' and '_' only")
        return Problem(source, line, "name", message, name=repr(name[:60]))
    return None


def read_table(
    export: ExportText,
    wanted: Mapping[str, tuple[str, ...]],
    make: Callable[[int, Row], Sighting | None],
) -> tuple[list[Sighting], list[Problem]]:
    """The sightings `make` builds from each row with a machine name; rows without one, or
    with a name no machine can have, are problems."""
    rows, problems = _rows(export, wanted, "name")
    sightings: list[Sighting] = []
    for line, row in rows:
        name = row.get("name", "") or row.get("sam", "").removesuffix("$")
        problem = name_problem(export.source, line, name)
        if problem is not None:
            problems.append(problem)
            continue
        row["name"] = name  # the row is this reader's own: no copy of each row
        sighting = make(line, row)
        if sighting is not None and DATED in row:
            sighting = replace(sighting, dated=datetime.fromisoformat(row[DATED]))
        if sighting is not None:
            sightings.append(sighting)
    return sightings, problems


def split_values(value: str) -> tuple[str, ...]:
    """The values of a multi-valued GLPI column: one per line (or per <br> in older exports)."""
    parts = value.replace("<br>", "\n").replace(",", "\n").splitlines()
    return tuple(p.strip() for p in parts if p.strip())


def facts_given(pairs: Mapping[Fact, str]) -> dict[Fact, str]:
    return {k: v for k, v in pairs.items() if v}


def glpi(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    def make(line: int, row: Row) -> Sighting:
        facts = {
            Fact.ENTITY: row.get("entity", ""),
            Fact.LOCATION: row.get("location", ""),
            Fact.TYPE: row.get("type", ""),
            Fact.OS: row.get("os", ""),
            Fact.IP: " ".join(split_values(row.get("ip", ""))),
        }
        return Sighting(
            source=export.source,
            line=line,
            tool=Tool.GLPI,
            name=row["name"],
            serial=row.get("serial", ""),
            macs=split_values(row.get("mac", "")),
            facts=facts_given(facts),
        )

    return read_table(export, GLPI_COLUMNS, make)


def ad(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    """Get-ADComputer | Export-Csv; disabled computer accounts are left out (stale machines)."""

    def make(line: int, row: Row) -> Sighting | None:
        if row.get("enabled", "").lower() == "false":
            return None
        dn = row.get("dn", "")
        facts = {
            Fact.OU: dn.split(",", 1)[1] if "," in dn else "",
            Fact.OS: row.get("os", ""),
            Fact.IP: row.get("ip", ""),
        }
        return Sighting(
            source=export.source,
            line=line,
            tool=Tool.AD,
            name=row.get("fqdn", "") or row["name"],
            guid=row.get("guid", ""),
            facts=facts_given(facts),
        )

    return read_table(export, AD_COLUMNS, make)


def defender(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    """Defender's device inventory: who is onboarded. Isolation is not in it (a tag saying
    "isolated" is a person's note): it comes from the machine actions."""

    def make(line: int, row: Row) -> Sighting:
        facts = {Fact.OS: row.get("os", ""), Fact.IP: row.get("ip", "")}
        return Sighting(
            source=export.source,
            line=line,
            tool=Tool.DEFENDER,
            name=row["name"],
            device_id=row.get("id", ""),
            facts=facts_given(facts),
        )

    return read_table(export, DEFENDER_COLUMNS, make)
