"""Every export handed to `relance inventory import`: which tool wrote it, and its sightings.

The tool is told by the file itself (its columns, its JSON keys) unless the user names it.
Every problem of every file is reported together; nothing is kept from a file with one.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from relance.domain.errors import Problem, RejectedInput
from relance.domain.inventory import Sighting, folded
from relance.importers import inventory_json, inventory_ldif, inventory_tables
from relance.importers.inventory_text import ExportText, read_export


class Source(StrEnum):
    GLPI = "glpi"
    AD = "ad"
    LDIF = "ldif"
    DEFENDER = "defender"


@dataclass(frozen=True)
class ExportRead:
    source: str  # the file's name
    kind: str  # what it is, in words
    sha256: str
    encoding: str
    sightings: tuple[Sighting, ...]
    notes: tuple[str, ...] = ()


def read_exports(paths: Sequence[Path], source: Source | None = None) -> list[ExportRead]:
    """Each file read whole, or RejectedInput with the problems of them all."""
    names = [p.name for p in paths]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        message = "two files of this name: the audit trail names files by name; rename one"
        raise RejectedInput([Problem(n, None, "", message) for n in twice])
    read: list[ExportRead] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            export = read_export(path)
            one, found = _read(export, source)
        except RejectedInput as error:
            problems += error.problems
            continue
        problems += found
        read.append(one)
    if problems:
        raise RejectedInput(problems)
    return read


def _read(export: ExportText, source: Source | None) -> tuple[ExportRead, list[Problem]]:
    kind, reader = _reader(export, source)
    sightings, problems = reader(export)
    notes = [f"read as {export.encoding}"]
    if export.ascii_only and any("?" in "".join(s.facts.values()) for s in sightings):
        notes.append(
            "'?' in its names: Windows PowerShell 5.1 wrote accented letters as '?' "
            "(Export-Csv's default ASCII); export again with -Encoding UTF8 if a rule needs them"
        )
    read = ExportRead(
        source=export.source,
        kind=kind,
        sha256=hashlib.sha256(export.data).hexdigest(),
        encoding=export.encoding,
        sightings=tuple(sightings),
        notes=tuple(notes),
    )
    return read, problems


_Reader = tuple[str, inventory_tables.Reader]


def _reader(export: ExportText, source: Source | None) -> _Reader:
    text = export.text.lstrip()
    if text.startswith(("{", "[")):
        data = inventory_json.load(export)
        if inventory_json.is_machine_actions(data):
            return "Defender machine actions", inventory_json.defender_actions
        return "Defender machines", inventory_json.defender_machines
    if source is Source.LDIF or inventory_ldif.looks_like_ldif(text):
        return "directory computers (LDIF)", inventory_ldif.ldif
    lines = text.split("\n", 2)
    header = folded(lines[1] if text.startswith("#TYPE") and len(lines) > 1 else lines[0]).lower()
    if source is Source.AD or "distinguishedname" in header or text.startswith("#TYPE"):
        return "Active Directory computers (Export-Csv)", inventory_tables.ad
    if source is Source.DEFENDER or "device name" in header or "onboarding status" in header:
        return "Defender device inventory", inventory_tables.defender
    if source is Source.GLPI or "entite" in header or "entity" in header:
        return "GLPI computers", inventory_tables.glpi
    raise RejectedInput(
        [
            Problem(
                export.source,
                1,
                "header",
                "not an export relance knows (GLPI computers, Get-ADComputer | Export-Csv, LDIF, "
                "Defender devices or machine actions): name the tool with --source",
            )
        ]
    )
