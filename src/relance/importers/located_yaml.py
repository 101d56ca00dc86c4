"""YAML loading within limits, remembering the line of every key so errors can name the line.

The safe loader only: no YAML tag can run code. Refused, with the line: nesting deeper than
DEPTH_MAX; more than NODES_MAX values once aliases are expanded (a few lines of anchors can
stand for billions of values); an alias inside its own anchor; a key given twice (which would
silently keep the last) or a key that is a list or a map; a value longer than VALUE_MAX or
holding a control character written as an escape ("\\0"); an integer of more than INT_DIGITS
digits.
"""

from collections.abc import Iterator, Sequence
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from relance.domain.errors import N_, Problem, RejectedInput, RelanceError
from relance.domain.text import forbidden_character
from relance.importers.reading import DEPTH_MAX, NODES_MAX, VALUE_MAX, character

Path = tuple[str | int, ...]
INT_DIGITS = 30
_INT = "tag:yaml.org,2002:int"
_MERGE = "tag:yaml.org,2002:merge"


class _TooDeep(ComposerError):
    """Nesting past DEPTH_MAX, said in the reader's words (PyYAML's own texts are English)."""


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing deep nesting while composing (the composer recurses)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.depth >= DEPTH_MAX:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _TooDeep(None, None, None, mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:  # a date like 2022-13-45
            raise ConstructorError(None, None, str(error), node.start_mark) from None


def load(text: str, source: str = "") -> tuple[Any, dict[Path, int]]:
    """The document's data and the 1-based line where each path (keys and indices) starts.

    RejectedInput, naming `source` and the line, for text that is not YAML or breaks a limit.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _check(node, source)
        lines: dict[Path, int] = {}
        _walk(node, (), lines)
        return loader.construct_document(node), lines
    except yaml.YAMLError as error:
        if isinstance(error, _TooDeep):
            mark = error.problem_mark
            line = mark.line + 1 if mark is not None else None
            why = N_("not valid YAML: nested deeper than {limit} levels")
            raise RejectedInput([Problem(source, line, "", why, limit=DEPTH_MAX)]) from None
        raise RejectedInput([_syntax(error, source)]) from None
    finally:
        loader.dispose()


# PyYAML's English reasons, by their start, in words one can act on (and whether the place to
# show is where the unclosed quote or bracket opened). Its rarer reasons ("expected chomping or
# indentation indicators") help no one on a French screen: the line and column say where to look.
_SYNTAX = (
    (
        "mapping values are not allowed",
        N_("a ':' where no key may start: check the indentation, or quote a text with ': '"),
        False,
    ),
    ("found character '\\t'", N_("a tab: indent with spaces only"), False),
    ("found character", N_("a value cannot start with this character: put it in quotes"), False),
    ("expected <block end>", N_("the indentation does not match the lines above"), False),
    ("found unexpected end of stream", N_("a quote is opened and never closed"), True),
    ("expected ',' or ']'", N_("a list in [ ] is not closed"), True),
    ("expected ',' or '}'", N_("a map in { } is not closed"), True),
    ("expected the node content", N_("a value is missing here"), False),
    ("did not find expected node content", N_("a value is missing here"), False),
    ("found undefined alias", N_("an alias (*name) without its anchor (&name) above it"), False),
    (
        "could not determine a constructor",
        N_("a tag (!!...) that a relance file may not use"),
        False,
    ),
)


def _syntax(error: yaml.YAMLError, source: str) -> Problem:
    """The syntax error in the reader's words, at its line and column."""
    problem = str(getattr(error, "problem", None) or error)
    said = RelanceError(N_("check the quotes, brackets, colons and indentation here"))
    mark = getattr(error, "problem_mark", None)
    for start, message, opened in _SYNTAX:
        if problem.startswith(start):
            said = RelanceError(message)
            mark = getattr(error, "context_mark", None) if opened else mark
            break
    mark = mark or getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, "?")
    why = N_("invalid YAML syntax, column {column}: {problem}")
    return Problem(source, line, "", why, column=column, problem=said)


def _refuse(source: str, node: yaml.Node, message: str, **values: object) -> RejectedInput:
    return RejectedInput([Problem(source, node.start_mark.line + 1, "", message, **values)])


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _check(root: yaml.Node, source: str) -> None:
    """Each node once (an alias is the node it names): sizes and depths with aliases expanded,
    duplicate keys, the scalars themselves."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    entered: set[int] = set()  # the nodes being walked: the path from the root
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            entered.discard(key)
            children = [id(c) for c in _children(node)]
            size[key] = 1 + sum(size[c] for c in children)
            depth[key] = 1 + max((depth[c] for c in children), default=0)
            if size[key] > NODES_MAX:
                message = N_("more than {limit} values once its aliases (*name) are expanded")
                raise _refuse(source, node, message, limit=f"{NODES_MAX:,}")
            if depth[key] > DEPTH_MAX:
                message = N_("nested deeper than {limit} levels once aliases are expanded")
                raise _refuse(source, node, message, limit=DEPTH_MAX)
            continue
        if key in size:
            continue
        _check_node(node, source)
        entered.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in entered:
                raise _refuse(source, child, N_("an alias (*name) inside the anchor it names"))
            if id(child) not in size:
                stack.append((child, False))


def _check_node(node: yaml.Node, source: str) -> None:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        if len(value) > VALUE_MAX:
            why = N_("a value longer than {limit} characters")
            raise _refuse(source, node, why, limit=f"{VALUE_MAX:,}")
        index = forbidden_character(value)
        if index is not None:
            message = N_("{character} in a value: it cannot be kept")
            raise _refuse(source, node, message, character=character(value[index]))
        if node.tag == _INT and len(value) > INT_DIGITS:
            why = N_("a number of more than {limit} digits")
            raise _refuse(source, node, why, limit=INT_DIGITS)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                why = N_("a key must be a single value, not a list or a map")
                raise _refuse(source, key, why)
            if key.tag == _MERGE:
                continue
            name, line = str(key.value), key.start_mark.line + 1
            if name in seen:
                why = N_("key {key} given twice (also on line {line})")
                raise _refuse(source, key, why, key=repr(name), line=seen[name])
            seen[name] = line


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
