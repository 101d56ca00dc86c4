"""relance hooks into parts of Typer that are not its public API (cli/coercion.py, cli/help.py,
cli/common.py). pyproject.toml pins the Typer versions known to have them; these tests fail, each
naming the missing part, the day a Typer without one is installed."""

import subprocess
import sys
import tomllib
from pathlib import Path

import typer
from packaging.requirements import Requirement

ROOT = Path(__file__).parents[2]

# What relance imports or replaces, in a Typer that relance has not touched yet.
PROBE = """
import typer
from typer import _click, core, rich_utils
from typer._click.globals import get_current_context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import _TyperParameter

parts = {
    "_TyperParameter.get_runtime_param": _TyperParameter.get_runtime_param,
    "RuntimeParam.coerce": RuntimeParam.coerce,
    "RuntimeParam._coerce_value": RuntimeParam._coerce_value,
    "TyperOption.display_type": core.TyperOption.display_type,
    "TyperOption.display_type_rich": core.TyperOption.display_type_rich,
    "TyperArgument.display_type_rich": core.TyperArgument.display_type_rich,
    "TyperOption._get_number_range_help_str": core.TyperOption._get_number_range_help_str,
    "TyperGroup.format_help": core.TyperGroup.format_help,
    "TyperGroup.get_usage": core.TyperGroup.get_usage,
    "rich_utils.RICH_HELP": rich_utils.RICH_HELP,
    "rich_utils.ERRORS_PANEL_TITLE": rich_utils.ERRORS_PANEL_TITLE,
}
# Instance attributes the hook reads and sets: declared on the class.
assert {"_runtime_param", "type_descriptor"} <= set(_TyperParameter.__annotations__)
for error in ("UsageError", "BadParameter", "MissingParameter", "NoSuchOption"):
    parts[error + ".format_message"] = getattr(_click.exceptions, error).format_message
assert {"parameter_info", "annotation"} <= set(RuntimeParam.__dataclass_fields__)
assert callable(get_current_context) and callable(build_runtime_param) and TypeDescriptor
print(typer.__version__)
"""


def test_the_installed_typer_has_every_part_relance_hooks_into() -> None:
    # A fresh interpreter: in this one, relance's hooks may already have replaced them.
    found = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert found.returncode == 0, found.stderr  # the ImportError or AttributeError names it


def test_typer_is_pinned_to_the_versions_that_have_them() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (typer_,) = [
        r for r in map(Requirement, declared["project"]["dependencies"]) if r.name == "typer"
    ]
    assert typer.__version__ in typer_.specifier
    # 0.29 is the first with typer._coercion; a later minor version may move it again.
    assert "0.28.0" not in typer_.specifier
    assert "0.30.0" not in typer_.specifier
