"""A fast start: `relance --help`, every command's help and `relance status` do not import the
heavy libraries that other commands need. The start's CPU time is measured by
benchmarks/cli_start.py; this checks its cause, in a fresh interpreter, whatever the machine's load.
"""

import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from relance.cli.common import Commands
from relance.cli.index import INDEX, LazyCommands
from relance.cli.main import app
from tests.cli.test_cli import SMALL, Relance
from tests.cli.test_exercise_cli import ENV, INJECTS

# Each of these costs tens to hundreds of milliseconds of CPU to import.
HEAVY = {
    "ortools",
    "numpy",
    "pandas",
    "matplotlib",
    "reportlab",
    "PIL",
    "zxingcpp",
    "pyrage",
    "fhir",
    "fhir_core",
    "httpx",
    "uvicorn",
    "fastapi",
    "starlette",
    "jinja2",
    "argon2",
    "yaml",
    "alembic",
    "mako",
    "babel",
    "numba",
    "llvmlite",
}
DATABASE = {"sqlalchemy"}  # a command that opens the database needs it; help does not

# Runs `relance ARGS...` in this interpreter, then writes the top-level packages it imported.
PROBE = """
import json, sys
from relance.cli.main import app
out, runs = sys.argv[1], json.loads(sys.argv[2])
for args in runs:
    try:
        app(args, prog_name="relance")
    except SystemExit as end:
        assert not end.code, (args, end.code)
with open(out, "w") as f:
    json.dump(sorted(sys.modules), f)
"""


def modules(runs: list[list[str]], tmp_path: Path, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh `relance` imports to run each of `runs` in turn."""
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), json.dumps(runs)],
        cwd=tmp_path,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=300,
    )
    return set(json.loads(out.read_text(encoding="utf-8")))


def imported(runs: list[list[str]], tmp_path: Path, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a fresh `relance` imports to run each of `runs` in turn."""
    return {name.split(".")[0] for name in modules(runs, tmp_path, env)}


def every_help() -> list[list[str]]:
    """`relance --help` and the help of every command and sub-command."""
    group = get_command(app)
    assert isinstance(group, TyperGroup)
    runs = [["--help"]]
    for name, command in group.commands.items():
        runs.append([name, "--help"])
        runs += [[name, sub, "--help"] for sub in getattr(command, "commands", {})]
    return runs


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    runs = every_help()
    assert ["plan", "compare", "--help"] in runs  # the sub-commands are walked too
    assert imported(runs, tmp_path) & (HEAVY | DATABASE) == set()


def test_the_help_imports_no_command(tmp_path: Path) -> None:
    """`relance --help` lists the commands without importing their modules; a command's help
    imports its own module alone."""
    commands = {f"relance.cli.{entry.module}" for entry in INDEX.values()}
    assert modules([["--help"]], tmp_path) & commands == set()
    assert modules([["status", "--help"]], tmp_path) & commands == {"relance.cli.network"}


def test_status_imports_no_heavy_library(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    Relance(url, tmp_path)("init", "--scenario", str(SMALL))
    found = modules([["status"]], tmp_path, {"RELANCE_DATABASE_URL": url})
    assert "sqlalchemy" in found  # it did read the database
    assert {name.split(".")[0] for name in found} & HEAVY == set()
    # It maps the tables it reads alone: the network's, the audit trail's (the incident clock).
    mapped = {name for name in found if name.startswith("relance.storage.rows.")}
    assert mapped == {f"relance.storage.rows.{m}" for m in ("base", "network", "audit")}


def test_an_option_is_checked_when_given_only(tmp_path: Path) -> None:
    """Typer checks an option's value with pydantic (relance.cli.coercion): `relance status`
    and a help, their options left out, do not import it; a value given is checked, the first
    and the next ones in the same process."""
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    relance = Relance(url, tmp_path)
    relance("init", "--scenario", str(SMALL))
    env = {"RELANCE_DATABASE_URL": url}
    assert "pydantic" not in imported([["status"], ["status", "--help"]], tmp_path, env)
    given = [["status", "--site", "A"], ["status", "--site", "B", "--json"]]
    assert "pydantic" in imported(given, tmp_path, env)
    assert [s["code"] for s in relance.json("status", "--site", "b")["sites"]] == ["B"]  # type: ignore[index]
    refused = relance("assets", "list", "--limit", "0", code=2)
    assert "--limit" in refused
    assert "Traceback" not in refused


def test_status_in_an_exercise_imports_no_heavy_library_until_an_inject_is_due(
    tmp_path: Path,
) -> None:
    """One reading of the clock says whether injects are due (from their kept schedule): until
    one is, the exercise's modules (its file's parser, its report) stay unimported."""
    folder = tmp_path / "own"
    folder.mkdir()
    shutil.copy(SMALL, folder / "scenario.yaml")
    valid = INJECTS.replace("rumour", "alert").replace("{sites: [A], to: redeployed}", "")
    valid = valid.replace("    machines:\n      - \n", "")
    (folder / "injects.yaml").write_text(valid, encoding="utf-8")
    target = tmp_path / "exercise"
    result = CliRunner().invoke(
        app, ["exercise", "start", str(folder), "--dir", str(target)], env=ENV
    )
    assert result.exit_code == 0, result.output
    # At speed 1 the first inject falls due 2 h 30 after the start: none is due now.
    found = modules([["status"]], target, {"RELANCE_DATABASE_URL": ""})
    assert "relance.storage.rows.network" in found  # it did read the exercise's database
    assert {name.split(".")[0] for name in found} & HEAVY == set()
    assert "relance.app.exercise" not in found


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    """The check above can fail: a command that draws does import matplotlib."""
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    Relance(url, tmp_path)("init", "--scenario", str(SMALL))
    found = imported([["plan", "--method", "tiers"]], tmp_path, {"RELANCE_DATABASE_URL": url})
    assert "ortools" in found


def test_the_index_lists_each_command_with_its_own_short_help() -> None:
    """`relance --help` lists the commands from relance.cli.index without importing them: each
    short help there is the first paragraph of the command's own help, and none is missing."""
    group = get_command(app)
    assert isinstance(group, LazyCommands)
    written = {name: entry.short_help for name, entry in INDEX.items()}
    own = {
        name: inspect.cleandoc(command.short_help or command.help or "")
        .split("\n\n")[0]
        .replace("\n", " ")
        for name, command in group.commands.items()
    }
    assert written == own, "copy each command's first help paragraph into relance.cli.index"


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_help_lists_what_the_loaded_commands_would(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list printed from the index is the one every loaded command prints of itself."""
    french = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "RELANCE_LANG": "fr"})
    assert "Par site : machines par état" in french.output  # the listing in the operator's words
    env = {"COLUMNS": columns, "RELANCE_LANG": "en"}
    listed = CliRunner().invoke(app, ["--help"], env=env)
    monkeypatch.setattr(LazyCommands, "format_help", Commands.format_help)  # loads them all
    loaded = CliRunner().invoke(app, ["--help"], env=env)
    assert listed.exit_code == loaded.exit_code == 0
    assert "Per site: machines per lifecycle state" in listed.output
    assert listed.output == loaded.output
