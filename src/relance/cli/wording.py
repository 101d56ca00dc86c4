"""The operator's words for counted nouns and the domain's codes (SMS states, decisions, roles),
the same as the pages show."""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from relance.cli.common import N_, _, console, language, n_
from relance.reports.codes import ASSET_KIND, ASSET_KINDS, DELIVERIES, ROLES

__all__ = [
    "code",
    "decision",
    "delivery",
    "kind",
    "label",
    "machine_role",
    "n_",
    "number",
    "role",
    "show_list",
    "words",
]

if TYPE_CHECKING:
    from rich.table import Table

    from relance.reports.words import Words


def words() -> "Words":
    """The reports' words in the operator's language (built once per language and process)."""
    return _words(language())


@cache
def _words(language: str) -> "Words":
    from relance.reports.words import Words

    return Words(language, {})


def label(labels: Mapping[Any, str], value: str) -> str:
    """A code's word from its mapping of code -> catalogue message; an unknown code as it is.
    (Any: the keys are a StrEnum's members or plain strings, both looked up by their text.)"""
    return _(labels[value]) if value in labels else value


def code(value: str) -> str:
    """A record's state or another domain code (draft, approved, sent...) in the operator's
    words; an unknown code as it is."""
    return words().code(value)


def delivery(state: str) -> str:
    """An SMS's delivery state, in the words of the pages and the sitrep."""
    return label(DELIVERIES, state)


def decision(value: str) -> str:
    """A triage decision (maintained, cancelled, for a physician's review...)."""
    return words().decision(value)


def role(value: str | None) -> str:
    """A role as the pages name it (Crisis lead, Observer...); nothing for none."""
    return label(ROLES, value) if value else ""


def machine_role(kind: str, role: str, services: Sequence[str]) -> str:
    """A machine's role as its scenario or inventory wrote it; the one generated for want of it
    (its kind, or a service's server, stored in English) in the operator's words."""
    from relance.domain.network import AssetKind, generated_role

    if kind == AssetKind.SERVER:
        for service in services:
            if role == generated_role(AssetKind.SERVER, (service,)):
                return _("{service} server", service=service)
    return label(ASSET_KIND, kind) if role == generated_role(AssetKind(kind)) else role


def number(value: float) -> str:
    """1 811 in French, 1,811 in English; 12,5 and 12.5."""
    return words().t.number(value)


# The 80-column tables' short words for them, spelled out in each table's legend.
SHORT_KIND = {"server": N_("srv"), "workstation": N_("pc"), "medical_device": N_("med")}


def kind(value: str) -> str:
    """A kind of machine, as the pages name it."""
    return label(ASSET_KINDS, value)


def show_list(shown: "Table", rows: int, wide: bool) -> None:
    """A list's table, or only its count line when it has no row: no empty headers."""
    from relance.cli.tables import show

    if rows:
        show(shown, wide)
    else:
        console.print(shown.title, highlight=False)
