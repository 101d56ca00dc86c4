"""What a draft for an authority says, read from the cell's records: values with their source.

Each field of the authority's form holds rows of facts; each fact is a value as a record holds
it (an ISO time, a count, a code, the cell's own words) and names that record: its table, its
column and the row (`column=value` pairs; empty: every row, for a count). Nothing is written
from anything else, so a test can read every fact back from the database; a field without a
record stays empty and the document says so.
"""

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FactKind(StrEnum):
    """How a fact is written in the reader's language."""

    TIME = "time"  # ISO time with its offset
    COUNT = "count"
    PERCENT = "percent"
    SITE = "site"  # a site's code: its name is written
    ACTIVITY = "activity"  # "SITE/CODE": the activity's name is written
    FUNCTIONING = "functioning"  # Functioning value
    MEASURE = "measure"  # Measure value
    PHASE = "phase"  # Phase value
    STATE = "state"  # AssetState value
    TEXT = "text"  # the cell's own words, a reference, a name: written as recorded
    CRITERIA = "criteria"  # a phase's entry criteria: a phase's default in the reader's words


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: str
    table: str
    column: str  # "count" with kind COUNT: the number of rows `row` selects
    row: str = ""  # "id=3", "reference=EV-0001", "site=MAR,code=URG"; empty: every row


@dataclass(frozen=True)
class Field:
    label: str  # a message of the catalogue: the form's question
    rows: list[list[Fact]]  # each row a line of the answer; none: not recorded in relance
    hint: str = ""  # the command that records what an empty field lacks


@dataclass(frozen=True)
class DraftFacts:
    key: str  # the duty's
    title: str  # the duty's title: a message of the catalogue
    authority: str
    basis: str
    drafted_at: str  # ISO: the incident's clock when it was drafted
    zone: str
    fields: list[Field]
    sites: dict[str, str] = field(default_factory=dict)  # code -> name as recorded
    activities: dict[str, str] = field(default_factory=dict)  # "SITE/CODE" -> name as recorded
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # the scenario's translations
    clock_mode: str = "live"  # an exercise's or a replay's draft carries its mark (marks.py)

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
