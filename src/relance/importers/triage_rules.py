"""Triage rule files: validated whole, every mistake located by line and key."""

import hashlib
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from relance.domain.errors import Problem, RejectedInput
from relance.domain.functioning import Functioning
from relance.domain.triage import Condition, Decision, Rule, RuleSet
from relance.importers import located_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConditionIn(_Strict):
    activities: list[str] = []
    pathways: list[str] = []
    functioning: list[Functioning] = []
    capacity_below: int | None = Field(None, ge=1, le=100)


class RuleIn(_Strict):
    id: str = Field(min_length=1, max_length=80)
    when: ConditionIn = Field(default_factory=lambda: ConditionIn(capacity_below=None))
    decide: Decision


class RulesIn(_Strict):
    format: Literal["relance-triage/1"]
    name: str
    version: int | str
    rules: list[RuleIn] = Field(min_length=1)


def default_rules() -> RuleSet:
    with_file = files("relance.rules") / "triage.yaml"
    return parse(with_file.read_text(encoding="utf-8"), "triage.yaml")


def load_rules(path: Path) -> RuleSet:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RejectedInput(
            [Problem(str(path), None, "", error.strerror or "unreadable")]
        ) from None
    return parse(text, path.name)


def parse(text: str, source: str) -> RuleSet:
    try:
        data, lines = located_yaml.load(text)
        model = RulesIn.model_validate(data)
    except ValidationError as error:
        raise RejectedInput(
            [
                Problem(
                    source,
                    located_yaml.line_of(lines, e["loc"]),
                    located_yaml.dotted(e["loc"]),
                    e["msg"],
                )
                for e in error.errors()
            ]
        ) from None
    except Exception as error:  # noqa: BLE001 - any YAML error is the same to the user
        raise RejectedInput([Problem(source, None, "", f"not valid YAML: {error}")]) from None
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
                    f"duplicate rule id {rule.id!r}",
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
