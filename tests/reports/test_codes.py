"""Every domain code has its word, defined once in reports/codes.py."""

import ast
from enum import StrEnum

import pytest

from relance.domain.delivery import Delivery
from relance.domain.duties import AwarenessSource, DutyStatus
from relance.domain.exercise import InjectKind
from relance.domain.functioning import Functioning
from relance.domain.incident import Audience, LogKind, Measure, Phase, Priority
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind, SiteKind
from relance.domain.review import ActionStatus, FindingKind
from relance.domain.roles import Role
from relance.domain.triage import Decision
from relance.reports import codes
from tests.conftest import ROOT

WORDED: list[tuple[dict[StrEnum, str], type[StrEnum]]] = [
    (codes.FUNCTIONING, Functioning),
    (codes.STATES, AssetState),
    (codes.STATE_TITLES, AssetState),
    (codes.PHASES, Phase),
    (codes.DECISIONS, Decision),
    (codes.DELIVERIES, Delivery),
    (codes.MEASURES, Measure),
    (codes.DUTY_STATUSES, DutyStatus),
    (codes.AWARENESS_SOURCES, AwarenessSource),
    (codes.SITE_KINDS, SiteKind),
    (codes.ASSET_KINDS, AssetKind),
    (codes.ASSET_KIND, AssetKind),
    (codes.ASSET_KINDS_SAID, AssetKind),
    (codes.ROLES, Role),
    (codes.AUDIENCES, Audience),
    (codes.LOG_KINDS, LogKind),
    (codes.PRIORITIES, Priority),
    (codes.FINDING_KINDS, FindingKind),
    (codes.ACTION_STATUSES, ActionStatus),
    (codes.INJECT_KINDS, InjectKind),
]


@pytest.mark.parametrize(("words", "enum"), WORDED, ids=lambda x: getattr(x, "__name__", ""))
def test_every_value_of_a_code_has_its_word(words: dict[StrEnum, str], enum: type[StrEnum]) -> None:
    assert set(words) == set(enum)
    assert all(text.strip() for text in words.values())


# Mappings from a code to other texts than its word, each with why it is not in codes.py.
NOT_WORDS = {
    "SHORT_STATE": "the 80-column tables' abbreviations, spelled out in their legend",
    "SHORT_KIND": "the same",
    "TEMPLATES": "the SMS a patient receives for a decision",
    "MEASURES": "the communique's sentence for a measure",  # reports/communique.py
}


def test_no_command_or_page_defines_its_own_words_for_a_code() -> None:
    """A module-level mapping from a domain code's members to catalogue messages lives in
    codes.py only: a command or a page that needs a code's word takes it from there."""
    enums = {e.__name__ for _words, e in WORDED}
    values = [{m.value for m in e} for _words, e in WORDED]
    found = []
    for path in (ROOT / "src" / "relance").rglob("*.py"):
        if path.name == "codes.py" or "domain" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            mapping = node.value
            if (
                isinstance(mapping, ast.Dict)
                and not names & NOT_WORDS.keys()
                and _words_for_a_code(mapping, enums, values)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def _words_for_a_code(mapping: ast.Dict, enums: set[str], values: list[set[str]]) -> bool:
    """Catalogue messages keyed by an enum's members, or by all the plain values of one."""
    marked = [v for v in mapping.values if isinstance(v, ast.Call)]
    if not marked or any(getattr(v.func, "id", "") != "N_" for v in marked):
        return False
    keys = mapping.keys
    if any(isinstance(k, ast.Attribute) and getattr(k.value, "id", "") in enums for k in keys):
        return True
    texts = {k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return any(texts == code for code in values)
