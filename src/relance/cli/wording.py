"""The operator's words for counted nouns and the domain's codes (SMS states, decisions, roles),
the same as the pages show."""

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from relance.cli.common import N_, _, console, language, n_

__all__ = [
    "code",
    "decision",
    "delivery",
    "kind",
    "label",
    "n_",
    "number",
    "role",
    "show_list",
    "words",
]

if TYPE_CHECKING:
    from rich.table import Table

    from relance.reports.words import Words

# The one state the reports' words leave out: the crisis cell's pages say it so.
MAY_HAVE_BEEN_SENT = N_("may have been sent")


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
    from relance.domain.delivery import Delivery

    if state == Delivery.UNKNOWN:
        return _(MAY_HAVE_BEEN_SENT)
    return words().delivery(state)


def decision(value: str) -> str:
    """A triage decision (maintained, cancelled, for a physician's review...)."""
    return words().decision(value)


def role(value: str | None) -> str:
    """A role as the pages name it (Crisis lead, Observer...); nothing for none."""
    from relance.domain.roles import Role

    return _(Role(value).label) if value in set(Role) else (value or "")


def number(value: float) -> str:
    """1 811 in French, 1,811 in English; 12,5 and 12.5."""
    return words().t.number(value)


# The pages' words for the kinds of machine (the same messages as web.labels.KINDS).
KINDS = {
    "server": N_("Servers"),
    "workstation": N_("Workstations"),
    "medical_device": N_("Medical device PCs"),
}

# The 80-column tables' short words for them, spelled out in each table's legend.
SHORT_KIND = {"server": N_("srv"), "workstation": N_("pc"), "medical_device": N_("med")}


def kind(value: str) -> str:
    """A kind of machine, as the pages name it."""
    return label(KINDS, value)


def show_list(shown: "Table", rows: int, wide: bool) -> None:
    """A list's table, or only its count line when it has no row: no empty headers."""
    from relance.cli.tables import show

    if rows:
        show(shown, wide)
    else:
        console.print(shown.title, highlight=False)
