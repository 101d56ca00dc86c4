"""YAML loading that remembers the line of every key, so errors can name the line."""

from collections.abc import Sequence
from typing import Any

import yaml

Path = tuple[str | int, ...]


def load(text: str) -> tuple[Any, dict[Path, int]]:
    """The document's data and the 1-based line where each path (keys and indices) starts.

    Uses the safe loader's constructor, so no YAML tag can run code.
    """
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return None, {}
    lines: dict[Path, int] = {}
    _walk(node, (), lines)
    return yaml.safe_load(text), lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, key.value)
            _walk(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines)


def line_of(lines: dict[Path, int], path: Sequence[str | int]) -> int | None:
    """The line of `path`, or of its nearest ancestor present in the file (a missing key)."""
    probe = tuple(path)
    while probe not in lines and probe:
        probe = probe[:-1]
    return lines.get(probe)


def dotted(path: Sequence[str | int]) -> str:
    """`sites[2].code` for ("sites", 2, "code")."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
