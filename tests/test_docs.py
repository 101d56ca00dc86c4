"""The documentation keeps up with the code: schema, commands, audit events, settings, examples."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
import yaml

from relance.cli.main import app
from relance.domain.audit_events import EventType
from relance.domain.roles import PERMISSIONS, SITE_BOUND, Permission, Role
from relance.importers.scenario import load_scenario
from relance.importers.scenario_format import ScenarioIn

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.yaml"))


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_the_json_schema_is_the_one_of_the_code() -> None:
    written = json.loads(_text("scenario.schema.json"))
    assert written == ScenarioIn.model_json_schema(), (
        "regenerate docs/scenario.schema.json from relance.importers.scenario_format.ScenarioIn"
    )


def _command_paths(command: object, prefix: str) -> Iterator[str]:
    """The command and, for a group (anything with `.commands`), every command under it.

    Duck-typed: recent Typer builds on its own copy of Click, so `click.Group` may not match.
    """
    yield prefix
    subcommands: dict[str, object] = getattr(command, "commands", None) or {}
    for name, sub in subcommands.items():
        yield from _command_paths(sub, f"{prefix} {name}")


def test_every_cli_command_is_documented() -> None:
    paths = list(_command_paths(typer.main.get_command(app), "relance"))
    assert "relance assets import-states" in paths  # the walk reaches the sub-commands
    text = _text("cli.md")
    assert [p for p in paths if p not in text] == []


def test_every_audit_event_type_is_documented() -> None:
    text = _text("audit-events.md")
    assert [e.value for e in EventType if e.value not in text] == []


def test_every_setting_is_documented() -> None:
    sources = [*sorted((ROOT / "src").rglob("*.py")), ROOT / "tests" / "conftest.py"]
    names = {
        name
        for path in sources
        for name in re.findall(r"RELANCE_[A-Z_]+", path.read_text(encoding="utf-8"))
    }
    assert {"RELANCE_DATABASE_URL", "RELANCE_TEST_POSTGRES_URL"} <= names  # the search works
    text = _text("settings.md")
    assert sorted(n for n in names if n not in text) == []


def test_there_are_examples() -> None:
    assert {p.name for p in EXAMPLES} >= {"small-network.yaml", "small-network-assets.yaml"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_example_scenarios_load(path: Path) -> None:
    network = load_scenario(path).network
    assert network.sites
    assert network.assets


def test_the_example_shown_in_the_format_page_is_the_example_file() -> None:
    example = (DOCS / "examples" / "small-network.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in _text("scenario-format.md")


def test_every_page_of_the_navigation_exists() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(nav: object) -> Iterator[str]:
        if isinstance(nav, str):
            yield nav
        elif isinstance(nav, list):
            for item in nav:
                yield from pages(item)
        elif isinstance(nav, dict):
            for value in nav.values():
                yield from pages(value)

    listed = list(pages(config["nav"]))
    assert [p for p in listed if not (DOCS / p).is_file()] == []
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert sorted(on_disk - set(listed)) == []


def role_table() -> str:
    """docs/web.md's table of roles, written from the access policy's own table."""
    roles = list(Role)
    lines = [
        "| permission | " + " | ".join(r.label for r in roles) + " | an account limited to sites |",
        "|---|" + "---|" * (len(roles) + 1),
    ]
    for permission in Permission:
        cells = ["yes" if permission in PERMISSIONS[r] else "" for r in roles]
        bound = "there only" if permission in SITE_BOUND else "no"
        lines.append(f"| {permission.label} | " + " | ".join(cells) + f" | {bound} |")
    return "\n".join(lines) + "\n"


def test_the_role_table_is_the_access_policy() -> None:
    table = role_table()
    assert table in _text("web.md"), f"replace the role table of docs/web.md with:\n{table}"
