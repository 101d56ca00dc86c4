"""An exercise's injects file -> a validated Script: every problem located by file, line, field.

The file sits beside the scenario (`injects.yaml`); nothing is written until all of it is valid.
"""

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal, Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from relance.domain.errors import N_, Problem, RejectedInput, Word, Words
from relance.domain.exercise import (
    Check,
    ClaimInject,
    Expected,
    Inject,
    InjectKind,
    MachineMove,
    Script,
)
from relance.domain.lifecycle import ALLOWED_TRANSITIONS, PATH, AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.domain.text import NAME_MAX, TEXT_MAX
from relance.importers import located_yaml, reading, validation
from relance.importers.scenario_format import Code

FILE_NAME = "injects.yaml"


class Add(Protocol):
    """Adds a problem at a key path: a msgid and its values."""

    def __call__(self, where: tuple[str | int, ...], message: str, **values: object) -> None: ...


Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$", description="unique key")]
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
Source = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class MachinesIn(_Strict):
    sites: list[Code] = Field(default_factory=list, max_length=50)
    services: list[Code] = Field(default_factory=list, max_length=50)
    kinds: list[AssetKind] = Field(default_factory=list, max_length=5)
    states: list[AssetState] = Field(default_factory=list, max_length=10)
    to: AssetState


class ClaimIn(_Strict):
    group: Source
    where: Source
    volume: str = Field("", max_length=100)
    deadline_days: float | None = Field(None, gt=0, le=365)


class InjectIn(_Strict):
    key: Key
    at: AwareDatetime
    kind: InjectKind
    text: Text
    source: Source
    machines: list[MachinesIn] = Field(default_factory=list, max_length=20)
    claim: ClaimIn | None = None


class ExpectedIn(_Strict):
    key: Key
    check: Check
    by: AwareDatetime
    text: Text
    source: Source
    record: AwareDatetime | None = None


class InjectsIn(_Strict):
    format: Literal["relance-injects/1"]
    scenario: Code
    start: AwareDatetime
    injects: list[InjectIn] = Field(min_length=1, max_length=500)
    expected: list[ExpectedIn] = Field(default_factory=list, max_length=100)


def read_injects(path: Path) -> tuple[Script, str]:
    """Read and check an injects file: the script and the file's text (kept with the exercise)."""
    text = reading.read_text(path, reading.YAML_MAX)
    return parse_injects(text, path.name), text


def parse_injects(text: str, source: str) -> Script:
    """Check an injects file's text; raise RejectedInput listing every problem."""
    data, lines = located_yaml.load(text, source)
    problems: list[Problem] = []

    def add(where: tuple[str | int, ...], message: str, **values: object) -> None:
        line = located_yaml.line_of(lines, where)
        problems.append(Problem(source, line, located_yaml.dotted(where), message, **values))

    try:
        model = InjectsIn.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            message, values = validation.said(item)
            add(item["loc"], message, **values)
        raise RejectedInput(problems) from None
    _check(model, add)
    if problems:
        raise RejectedInput(problems)
    injects = sorted((_inject(i) for i in model.injects), key=lambda i: i.at)
    expected = tuple(_expected(e) for e in model.expected)
    return Script(model.scenario, model.start, tuple(injects), expected, source)


def _check(model: InjectsIn, add: Add) -> None:
    keys: set[str] = set()
    sections = (
        ("injects", [i.key for i in model.injects]),
        ("expected", [e.key for e in model.expected]),
    )
    for section, names in sections:
        for index, key in enumerate(names):
            if key in keys:
                add((section, index, "key"), N_("key {key} given twice"), key=repr(key))
            keys.add(key)
    for index, inject in enumerate(model.injects):
        if inject.at < model.start:
            add(("injects", index, "at"), N_("falls before the exercise's start"))
        if inject.kind is InjectKind.CLAIM and inject.claim is None:
            claim = N_("a claim inject says who claims, where (claim:)")
            add(("injects", index, "claim"), claim)
        for number, machines in enumerate(inject.machines):
            where = ("injects", index, "machines", number)
            if not (machines.sites or machines.services or machines.kinds):
                add(where, N_("name the machines: sites, services or kinds (never all of them)"))
            stuck = [
                s for s in machines.states or PATH if machines.to not in ALLOWED_TRANSITIONS[s]
            ]
            if stuck:
                froms = Words(Word(s.label) for s in stuck)
                why = N_("a machine cannot go from {states} to {state}")
                add((*where, "to"), why, states=froms, state=Word(machines.to.label))


def _inject(item: InjectIn) -> Inject:
    moves = tuple(
        MachineMove(
            AssetFilter(
                sites=tuple(m.sites),
                services=tuple(m.services),
                kinds=tuple(m.kinds),
                states=tuple(m.states),
            ),
            m.to,
        )
        for m in item.machines
    )
    claim = None
    if item.claim is not None:
        c = item.claim
        deadline = timedelta(days=c.deadline_days) if c.deadline_days else None
        claim = ClaimInject(c.group, c.where, c.volume, deadline)
    return Inject(item.key, item.at, item.kind, item.text, item.source, moves, claim)


def _expected(item: ExpectedIn) -> Expected:
    return Expected(item.key, item.check, item.by, item.text, item.source, item.record)
