"""The operator's words for counted nouns and the domain's codes (SMS states, decisions, roles),
the same as the pages show."""

from typing import TYPE_CHECKING

from relance.cli.common import N_, _, console, language, n_

__all__ = ["code", "decision", "delivery", "kind", "n_", "number", "role", "show_list"]

if TYPE_CHECKING:
    from rich.table import Table

# The one state the reports' words leave out: the crisis cell's pages say it so.
MAY_HAVE_BEEN_SENT = N_("may have been sent")


def code(value: str) -> str:
    """A record's state or another domain code (draft, approved, sent...) in the operator's
    words; an unknown code as it is."""
    from relance.reports.words import Words

    return Words(language(), {}).code(value)


def delivery(state: str) -> str:
    """An SMS's delivery state, in the words of the pages and the sitrep."""
    from relance.domain.delivery import Delivery
    from relance.reports.words import Words

    if state == Delivery.UNKNOWN:
        return _(MAY_HAVE_BEEN_SENT)
    return Words(language(), {}).delivery(state)


def decision(value: str) -> str:
    """A triage decision (maintained, cancelled, for a physician's review...)."""
    from relance.reports.words import Words

    return Words(language(), {}).decision(value)


def role(value: str | None) -> str:
    """A role as the pages name it (Crisis lead, Observer...); nothing for none."""
    from relance.domain.roles import Role

    return _(Role(value).label) if value in set(Role) else (value or "")


def number(value: int) -> str:
    """1 811 in French, 1,811 in English."""
    from relance.i18n import Texts

    return Texts(language()).number(value)


# The pages' words for the kinds of machine (the same messages as web.labels.KINDS).
KINDS = {
    "server": N_("Servers"),
    "workstation": N_("Workstations"),
    "medical_device": N_("Medical device PCs"),
}


def kind(value: str) -> str:
    """A kind of machine, as the pages name it."""
    return _(KINDS[value]) if value in KINDS else value


def show_list(shown: "Table", rows: int, wide: bool) -> None:
    """A list's table, or only its count line when it has no row: no empty headers."""
    from relance.cli.tables import show

    if rows:
        show(shown, wide)
    else:
        console.print(shown.title, highlight=False)
