"""The help a nurse reads: no Python types, no range notation; and `relance --version`."""

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import relance
from relance.cli.main import app


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


EVERY = sorted(commands(typer.main.get_command(app)))


@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "relance")
def test_help_shows_no_python_type(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    for noise in ("<bool>", "<str>", "<int", "list[", "x>=", "<Path>", "<float"):
        assert noise not in result.output, (command, noise)


def test_the_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"relance {relance.__version__}\n"


def test_an_option_shows_its_word() -> None:
    out = CliRunner().invoke(app, ["audit", "--help"], env={"COLUMNS": "100"}).output
    assert "--limit          N " in out
    assert "--since          TIME " in out


# Commands that change one thing and say so in a line, serve, draw or write a file: no --json.
WITHOUT_JSON = {
    "demo", "serve", "timeline add", "assets labels", "plan export", "plan delay", "plan gantt",
    "plan curve", "appointments decide", "appointments generate", "notify dlr-server",
    "snapshot watch", "snapshot census", "incident declare", "incident phase", "incident period",
    "incident objective", "log add", "log edit", "evidence add", "evidence transfer",
    "sitrep approve", "sitrep publish", "sitrep edit", "comms add", "comms approve", "comms sent",
    "comms communique", "users add", "users disable", "users reset-password", "users set-role",
    "users token", "users revoke-token", "clock set", "clock advance", "clock live", "duties add",
    "duties approve", "duties aware", "duties draft", "duties not-applicable", "duties officer",
    "duties reopen", "duties submit", "claims add", "claims extend", "claims status",
    "inventory mapping", "review build", "review finding add", "review action add",
    "review action update", "login", "logout", "users set-language", "exercise start",
    "exercise report",
}  # fmt: skip


def test_every_read_command_takes_json() -> None:
    def runnable(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
        children = getattr(group, "commands", None)
        if children is None or getattr(group, "invoke_without_command", False):
            yield " ".join(path), group
        for name, command in (children or {}).items():
            yield from runnable(command, (*path, name))

    without = {
        name
        for name, command in runnable(typer.main.get_command(app))
        if not any("--json" in getattr(p, "opts", ()) for p in command.params)
    }
    assert without == WITHOUT_JSON
