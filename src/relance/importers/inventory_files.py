"""Every export handed to `relance inventory import`: which tool wrote it, and its sightings.

The tool is told by the file itself (its columns, its JSON keys) unless the user names it.
Every problem of every file is reported together; nothing is kept from a file with one.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from relance.domain.errors import N_, Problem, RejectedInput, RelanceError
from relance.domain.inventory import Sighting, folded
from relance.importers import (
    inventory_columns,
    inventory_glpi_api,
    inventory_json,
    inventory_ldif,
    inventory_netbox,
    inventory_tables,
)
from relance.importers.inventory_text import ExportText, read_export
from relance.importers.reading import refuse


class Source(StrEnum):
    GLPI = "glpi"
    NETBOX = "netbox"
    AD = "ad"
    LDIF = "ldif"
    DEFENDER = "defender"
    CSV = "csv"  # any inventory's CSV, its columns named by the mapping


@dataclass(frozen=True)
class ExportRead:
    source: str  # the file's name
    kind: str  # what it is: a catalogue message, in English
    sha256: str
    encoding: str
    sightings: tuple[Sighting, ...]
    notes: tuple[RelanceError, ...] = ()  # what the reader should know, said in their words
    page: inventory_netbox.Page | None = None  # one page of an API listing
    newest: datetime | None = None  # its newest date (last modification, last seen), as written


def read_exports(
    paths: Sequence[Path], source: Source | None = None, columns: Mapping[str, str] | None = None
) -> list[ExportRead]:
    """Each file read whole, or RejectedInput with the problems of them all. `columns`: the
    mapping's, for `--source csv` (what -> the column's title)."""
    names = [p.name for p in paths]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        message = N_("two files of this name: the audit trail names files by name; rename one")
        raise RejectedInput([Problem(n, None, "", message) for n in twice])
    read: list[ExportRead] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            export = read_export(path)
            one, found = _read(export, source, columns)
        except RejectedInput as error:
            problems += error.problems
            continue
        problems += found
        read.append(one)
    problems += inventory_netbox.missing_pages([(r.source, r.page) for r in read if r.page])
    if problems:
        raise RejectedInput(problems)
    return read


def propose_columns(paths: Sequence[Path]) -> dict[str, str]:
    """The columns of a CSV that say what they hold, from the first file's titles (the others
    are read with the same columns)."""
    if not paths:
        return {}
    return inventory_columns.propose(read_export(paths[0]))


def _read(
    export: ExportText, source: Source | None, columns: Mapping[str, str] | None
) -> tuple[ExportRead, list[Problem]]:
    page, data = None, inventory_json.load(export) if _is_json(export) else None
    notes = [RelanceError(N_("read as {encoding}"), encoding=export.encoding)]
    if inventory_netbox.is_api_page(data):
        kind = N_("NetBox API (devices or virtual machines)")
        sightings, problems, page = inventory_netbox.api(export, data)
    elif inventory_glpi_api.is_computers(data):
        kind = N_("GLPI API computers")
        sightings, problems = inventory_glpi_api.computers(export, data)
        if len(data) == inventory_glpi_api.DEFAULT_PAGE:
            default_page = N_(
                "{n} computers, the API's default page: if GLPI has more, ask again "
                "with range=0-99999"
            )
            notes.append(RelanceError(default_page, n=len(data)))
    elif source is Source.CSV and data is None:
        if not columns:
            message = N_(
                "--source csv reads the columns the mapping names, and it names none: "
                "`relance inventory mapping --source csv --from FILE` proposes them"
            )
            raise refuse(export.source, None, message, "columns")
        kind = N_("CSV (the mapping's columns)")
        sightings, problems = inventory_columns.table(export, columns)
    else:
        kind, reader = _reader(export, source)
        sightings, problems = reader(export)
    if export.ascii_only and any("?" in "".join(s.facts.values()) for s in sightings):
        ascii_only = N_(
            "'?' in its names: Windows PowerShell 5.1 wrote accented letters as '?' "
            "(Export-Csv's default ASCII); export again with -Encoding UTF8 if a rule needs them"
        )
        notes.append(RelanceError(ascii_only))
    read = ExportRead(
        source=export.source,
        kind=kind,
        sha256=hashlib.sha256(export.data).hexdigest(),
        encoding=export.encoding,
        sightings=tuple(sightings),
        notes=tuple(notes),
        page=page,
        newest=max((s.dated for s in sightings if s.dated), default=None),
    )
    return read, problems


def _is_json(export: ExportText) -> bool:
    return export.text.lstrip().startswith(("{", "["))


_Reader = tuple[str, inventory_tables.Reader]
_Recognise = Callable[[str, set[str]], bool]  # (header line, its titles), folded, lower-case

# The CSV exports, in the order they are told apart by their columns.
_TABLES: tuple[tuple[Source, str, inventory_tables.Reader, _Recognise], ...] = (
    (
        Source.AD,
        N_("Active Directory computers (Export-Csv)"),
        inventory_tables.ad,
        lambda header, _: "distinguishedname" in header or header.startswith("#type"),
    ),
    (
        Source.DEFENDER,
        N_("Defender device inventory"),
        inventory_tables.defender,
        lambda header, _: "device name" in header or "onboarding status" in header,
    ),
    (  # NetBox's device and VM tables: a Tenant, Rack or Cluster column, which no other has
        Source.NETBOX,
        N_("NetBox devices or virtual machines"),
        inventory_netbox.table,
        lambda _, titles: bool(titles & {"tenant", "rack", "cluster"}),
    ),
    (
        Source.GLPI,
        N_("GLPI computers"),
        inventory_tables.glpi,
        lambda header, _: "entite" in header or "entity" in header,
    ),
)


def _reader(export: ExportText, source: Source | None) -> _Reader:
    text = export.text.lstrip()
    if _is_json(export):
        data = inventory_json.load(export)
        if inventory_json.is_machine_actions(data):
            return N_("Defender machine actions"), inventory_json.defender_actions
        return N_("Defender machines"), inventory_json.defender_machines
    if source is Source.LDIF or inventory_ldif.looks_like_ldif(text):
        return N_("directory computers (LDIF)"), inventory_ldif.ldif
    lines = text.split("\n", 2)
    typed = text.startswith("#TYPE") and len(lines) > 1
    header = folded(lines[1] if typed else lines[0]).lower()
    titles = {c.strip() for c in inventory_tables.header(header)}
    for tool, kind, reader, recognise in _TABLES:
        if source is tool or (source is None and recognise(header, titles)):
            return kind, reader
    if typed:
        return _TABLES[0][1], _TABLES[0][2]
    raise RejectedInput(
        [
            Problem(
                export.source,
                1,
                "header",
                N_(
                    "not an export relance knows (GLPI computers, NetBox devices or virtual "
                    "machines, Get-ADComputer | Export-Csv, LDIF, Defender devices or machine "
                    "actions): name the tool with --source (--source csv: any CSV, its columns "
                    "named by the mapping)"
                ),
            )
        ]
    )
