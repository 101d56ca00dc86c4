"""Any inventory's CSV (`--source csv`), its columns named by the mapping's `columns:`.

For the tools relance does not know by name (an asset spreadsheet, a CMDB's export): the
mapping says which column is the machine's name, its serial, its MAC addresses, its site...
`propose` guesses them from the titles, for `relance inventory mapping` to write and a person
to check.
"""

from collections.abc import Mapping

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Sighting, Tool, folded
from relance.importers.csv_rows import Row
from relance.importers.inventory_tables import facts_given, header, read_table, split_values
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

# Titles a column saying each thing often has, folded and lower-case, for the proposal.
USUAL_TITLES = {
    "hostname": ("hostname", "host name", "name", "nom", "computer", "computer name", "device"),
    "serial": (
        "serial",
        "serial number",
        "numero de serie",
        "n° de serie",
        "no de serie",
        "s/n",
        "sn",
        "serienummer",
    ),
    "mac": ("mac", "mac address", "adresse mac", "mac addresses"),
    "ip": ("ip", "ip address", "adresse ip", "ipv4", "ipv4 address"),
    "os": ("os", "operating system", "systeme d'exploitation"),
    "site": ("site", "hopital", "hospital", "campus"),
    "location": ("location", "lieu", "localisation", "emplacement"),
    "entity": ("entity", "entite"),
    "ou": ("ou", "distinguishedname"),
    "type": ("type",),
    "role": ("role",),
    "tenant": ("tenant",),
}


def propose(export: ExportText) -> dict[str, str]:
    """The columns whose titles say what they hold; RejectedInput if none names the machine."""
    titles = header(export.text, as_written=True)
    proposed: dict[str, str] = {}
    for what, usual in USUAL_TITLES.items():
        found = next((t for t in titles if _plain(t) in usual), None)
        if found is not None and found not in proposed.values():
            proposed[what] = found
    if "hostname" not in proposed:
        message = N_(
            "no column looks like the machine's name (columns: {titles}): write "
            "the mapping's columns: by hand, such as `columns: {{hostname: Computer}}`"
        )
        raise refuse(export.source, 1, message, "header", titles=", ".join(titles))
    return proposed


def table(export: ExportText, named: Mapping[str, str]) -> tuple[list[Sighting], list[Problem]]:
    """The sightings of a CSV whose columns `named` says (what -> title)."""
    titles = {_plain(t) for t in header(export.text)}
    missing = sorted(v for v in named.values() if _plain(v) not in titles)
    if missing:
        message = N_(
            "no column {missing}, which the mapping's columns: name (columns found: {found})"
        )
        found = ", ".join(header(export.text, as_written=True))
        missing_ = ", ".join(map(repr, missing))
        raise refuse(export.source, 1, message, "header", missing=missing_, found=found)
    wanted = {what: (_plain(title),) for what, title in named.items()}
    wanted["name"] = wanted.pop("hostname")

    def make(line: int, row: Row) -> Sighting:
        facts = {Fact(what): row.get(what, "") for what in named if what in set(Fact)}
        facts[Fact.IP] = " ".join(split_values(row.get("ip", "")))
        return Sighting(
            source=export.source,
            line=line,
            tool=Tool.CSV,
            name=row["name"],
            serial=row.get("serial", ""),
            macs=split_values(row.get("mac", "")),
            facts=facts_given(facts),
        )

    return read_table(export, wanted, make)


def _plain(title: str) -> str:
    return folded(title.strip()).lower()
