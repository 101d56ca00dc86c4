"""Every command of `relance`: where it lives and its short help, so that a command imports only
its own module, and `relance --help` none.

A command module pulls in what its commands share (tables, Rich, domain rules) and the cost adds
up over thirty of them: the group imports a module when its command is invoked or its own help
shown. `relance --help` lists each command from the short help written here;
tests/cli/test_start.py checks it is the first paragraph of the command's own help.
"""

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any, NamedTuple

from typer.core import TyperCommand
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

from relance.cli.common import Commands


class Entry(NamedTuple):
    module: str  # under relance.cli
    attribute: str  # a command's function, or a group's Typer
    short_help: str  # the first paragraph of its help


# In the order `relance --help` lists them: the single commands, then the groups.
INDEX: dict[str, Entry] = {
    "login": Entry(
        "signin",
        "login",
        "Sign in on this laptop for this database: later commands act as the account.",
    ),
    "logout": Entry(
        "signin",
        "logout",
        "Sign out on this laptop for this database (a session ends; a token is forgotten here).",
    ),
    "whoami": Entry(
        "signin",
        "whoami",
        "Who the commands act as here: the signed-in account, the name given, or nobody.",
    ),
    "init": Entry(
        "network",
        "init",
        "Create the database here (or at RELANCE_DATABASE_URL) from a scenario file.",
    ),
    "status": Entry(
        "network",
        "status",
        "Per site: machines per lifecycle state, services up or down, clinical activities.",
    ),
    "demo": Entry(
        "demo",
        "demo",
        "Build the vivalia-2022 network, replay its first three days and print the status.",
    ),
    "audit": Entry(
        "audit",
        "audit_command",
        "Every recorded change: who, when it happened, when it was recorded, before and after.",
    ),
    "activities": Entry(
        "activities",
        "activities",
        "Each clinical activity at each site: fully, partially or not functional, capacity, why.",
    ),
    "serve": Entry(
        "serve",
        "serve",
        "Serve the dashboard (pages in French and English) and the REST API under /api.",
    ),
    "backup": Entry(
        "backup",
        "backup",
        "A consistent copy of the database while the crisis cell works, with its manifest.",
    ),
    "restore": Entry(
        "backup",
        "restore",
        "Check a backup whole and restore it into an empty place, never over a database.",
    ),
    "timeline": Entry(
        "audit",
        "timeline_app",
        "The incident's story: every change and the cell's own entries, in order.",
    ),
    "assets": Entry(
        "assets", "app", "Machines: list, show, and move them from compromised to redeployed."
    ),
    "inventory": Entry(
        "inventory", "app", "The network from the inventory exports the IT team already has."
    ),
    "plan": Entry(
        "plan", "app", "Restoration plan: who rebuilds what, when, and when care comes back."
    ),
    "appointments": Entry(
        "appointments",
        "app",
        "The appointment book: import, triage by rules, physicians' review.",
    ),
    "notify": Entry(
        "notify", "app", "Patient SMS: send through Kannel, delivery reports, the call list."
    ),
    "snapshot": Entry(
        "snapshot",
        "app",
        "Downtime snapshots: ward sheets and data, encrypted for offline laptops.",
    ),
    "incident": Entry(
        "incident",
        "app",
        "The incident: declaration, phases, operational periods and objectives.",
    ),
    "log": Entry(
        "incident",
        "log_app",
        "The crisis cell's log (HICS 214): decisions, actions, requests.",
    ),
    "evidence": Entry(
        "incident",
        "evidence_app",
        "Evidence register: forensic images, hashes, chain of custody.",
    ),
    "sitrep": Entry(
        "sitrep", "app", "Daily situation report: Markdown or PDF; draft, approved, published."
    ),
    "comms": Entry(
        "comms", "app", "Communications: staff, authorities, press and public, with approval."
    ),
    "review": Entry(
        "review",
        "app",
        "After-action review: the PDF, the cell's findings, its improvement plan.",
    ),
    "duties": Entry(
        "duties",
        "app",
        "Legal duties: NIS2 and GDPR deadlines, drafts, approvals, submissions.",
    ),
    "claims": Entry(
        "duties", "claims_app", "Extortion claims register: group, leak site, volume, deadline."
    ),
    "users": Entry(
        "users", "app", "Local accounts of the dashboard and the API: roles, passwords, tokens."
    ),
    "kit": Entry("kit", "app", "The offline install kit: wheels, lock, install script, README."),
    "clock": Entry("clock", "app", "The incident clock: the wall clock (live) or a replay's time."),
    "exercise": Entry(
        "exercise",
        "app",
        "A training exercise: its own database, its clock, its injects, its report.",
    ),
}


def load(name: str, markup: Any) -> Any:  # Any: Typer's own copy of Click's Command
    """The command `name`, built from its module as `app.command()` or `app.add_typer` would."""
    entry = INDEX[name]
    found = getattr(importlib.import_module(f"relance.cli.{entry.module}"), entry.attribute)
    if callable(found) and not hasattr(found, "registered_commands"):  # a function: one command
        info = CommandInfo(name=name, callback=found)
        return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=markup)
    return get_group_from_info(
        TyperInfo(found, name=name),
        pretty_exceptions_short=True,
        suggest_commands=True,
        rich_markup_mode=markup,
    )


class _Loaded(MutableMapping[str, Any]):
    """The group's commands: every name of the index, each built on first use."""

    def __init__(self, markup: Any) -> None:
        self._markup = markup
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in INDEX:
                raise KeyError(name)
            self._built[name] = load(name, self._markup)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*INDEX, *self._built]))

    def __len__(self) -> int:
        return len(set(INDEX) | set(self._built))

    def built(self, name: str) -> Any | None:
        return self._built.get(name)


class LazyCommands(Commands):
    """The `relance` group: its commands come from INDEX, imported when one is run or its help
    shown; the group's own help lists them from their short help alone."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._loaded = _Loaded(self.rich_markup_mode)
        self.commands = self._loaded
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: Typer's own walks the commands, building each

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in INDEX and self._loaded.built(cmd_name) is None:
            from relance.cli.common import _  # the listing in the operator's language

            return TyperCommand(name=cmd_name, help=_(INDEX[cmd_name].short_help))
        return self._loaded.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
