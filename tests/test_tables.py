"""The tables by name: each defined in the module its name says, all of them behind `Base`."""

import ast
import subprocess
import sys
from pathlib import Path

from relance.storage import tables

ROWS = Path(tables.__file__).parent / "rows"


def _run(code: str) -> str:
    """What `code` prints in a fresh interpreter, which has mapped no table yet."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout


def test_every_table_is_named_where_it_is_defined() -> None:
    defined = {
        node.name: module.stem
        for module in ROWS.glob("*.py")
        for node in ast.parse(module.read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef) and module.stem != "base"
    }
    assert defined == tables.WHERE
    assert set(tables.__all__) == {"Base", "every_table", *defined}


def test_base_comes_with_every_table() -> None:
    """Asked for by name, Base carries the whole schema (the migrations compare it)."""
    count = _run("from relance.storage.tables import Base; print(len(Base.metadata.tables))")
    assert int(count) == len(tables.WHERE)


def test_a_table_maps_only_its_subject() -> None:
    """The machines' table does not map the appointment book's or the incident's."""
    loaded = _run(
        "import sys; from relance.storage.tables import AssetRow; "
        "print(' '.join(m for m in sys.modules if m.startswith('relance.storage.rows.')))"
    ).split()
    assert sorted(loaded) == ["relance.storage.rows.base", "relance.storage.rows.network"]
