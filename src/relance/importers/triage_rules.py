"""Triage rule files: validated whole, every mistake located by line and key.

The rule set's name and version are written with every decision: they are short (the version
column holds name, version and hash), as are the codes a rule matches.
"""

import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from relance.domain.errors import N_, Problem, RejectedInput
from relance.domain.functioning import Functioning
from relance.domain.triage import Condition, Decision, Rule, RuleSet
from relance.importers import located_yaml, validation
from relance.importers.reading import YAML_MAX, read_text

Code = Annotated[str, Field(min_length=1, max_length=40)]  # an activity or a care pathway


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=80)


class ConditionIn(_Strict):
    activities: list[Code] = []
    pathways: list[Code] = []
    functioning: list[Functioning] = []
    capacity_below: int | None = Field(None, ge=1, le=100)


class RuleIn(_Strict):
    id: str = Field(min_length=1, max_length=80)
    when: ConditionIn = Field(default_factory=lambda: ConditionIn(capacity_below=None))
    decide: Decision


class RulesIn(_Strict):
    format: Literal["relance-triage/1"]
    name: str = Field(min_length=1, max_length=40)
    version: Annotated[int, Field(ge=0, le=10**9)] | Annotated[str, Field(max_length=20)]
    rules: list[RuleIn] = Field(min_length=1)


@cache
def default_rules() -> RuleSet:
    """The shipped rules, read once per process: the file does not change, the set is frozen."""
    with_file = files("relance.rules") / "triage.yaml"
    return parse(with_file.read_text(encoding="utf-8"), "triage.yaml")


def load_rules(path: Path) -> RuleSet:
    return parse(read_text(path, YAML_MAX), path.name)


def _problem(source: str, lines: dict[located_yaml.Path, int], error: ErrorDetails) -> Problem:
    message, values = validation.said(error)
    where = located_yaml.line_of(lines, error["loc"])
    return Problem(source, where, located_yaml.dotted(error["loc"]), message, **values)


def parse(text: str, source: str) -> RuleSet:
    data, lines = located_yaml.load(text, source)
    try:
        model = RulesIn.model_validate(data)
    except ValidationError as error:
        raise RejectedInput([_problem(source, lines, e) for e in error.errors()]) from None
    seen: set[str] = set()
    problems = []
    for i, rule in enumerate(model.rules):
        if rule.id in seen:
            path = ("rules", i, "id")
            problems.append(
                Problem(
                    source,
                    located_yaml.line_of(lines, path),
                    located_yaml.dotted(path),
                    N_("duplicate rule id {id}"),
                    id=repr(rule.id),
                )
            )
        seen.add(rule.id)
    if problems:
        raise RejectedInput(problems)
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    rules = tuple(
        Rule(
            r.id,
            Condition(
                frozenset(r.when.activities),
                frozenset(r.when.pathways),
                frozenset(r.when.functioning),
                r.when.capacity_below,
            ),
            r.decide,
        )
        for r in model.rules
    )
    return RuleSet(model.name, f"{model.name} v{model.version} ({digest})", rules)
