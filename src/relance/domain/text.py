"""Text people type or hand over (reasons, names, notes, the values of a file): printable, and
of a bounded length, whatever the way in (command line, API, page, import).

A NUL byte is refused by PostgreSQL and silently kept by SQLite; other control characters
(an escape sequence pasted from a terminal) would redraw the screen of whoever reads the text
later. A lone surrogate is what the command line makes of bytes that are not UTF-8.
"""

import operator
import re

from relance.domain.errors import N_, InvalidInput, RelanceError, Word

NAME_MAX = 200  # a name, a holder, an actor: one line
TEXT_MAX = 10_000  # a reason, a log entry, a note: a long paragraph, not a pasted file
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The same as a JSON Schema pattern, for the API's schemas (surrogates cannot come in JSON).
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")
_NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def forbidden_character(value: str) -> int | None:
    """The index of the first character no text may hold, or None."""
    found = _CONTROL.search(value)
    return None if found is None else found.start()


def _character(char: str) -> RelanceError:
    if "\ud800" <= char <= "\udfff":
        return RelanceError(N_("a byte that is not UTF-8 text"))
    if char == "\0":
        return RelanceError(N_("a NUL character"))
    return RelanceError(N_("a control character (U+{code})"), code=f"{ord(char):04X}")


def _fault(value: str, limit: int, *, one_line: bool) -> RelanceError | None:
    """What is wrong with `value`, as a message the reader's language can say."""
    if len(value) > limit:
        too_long = N_("longer than {limit} characters ({length})")
        return RelanceError(too_long, limit=f"{limit:,}", length=f"{len(value):,}")
    found = _CONTROL.search(value)
    if found is not None:
        bad = N_("character {position} is {what}: retype it")
        return RelanceError(bad, position=found.start() + 1, what=_character(found.group()))
    if one_line and _LINE_BREAK.search(value):
        return RelanceError(N_("a line break where one line is expected"))
    return None


def text_problem(
    value: str, limit: int = TEXT_MAX, *, one_line: bool = False
) -> RelanceError | None:
    """What is wrong with `value` for a person to read back (a value of a message), or None."""
    return _fault(value, limit, one_line=one_line)


def texts_problems(
    values: dict[str, str], limits: dict[str, int], *, one_line: bool = False
) -> list[tuple[str, RelanceError]]:
    """(name, what is wrong) for each value of `values` that text_problem refuses; in one pass
    over them all when all are right, as in almost every row of a large file."""
    joined = "".join(values.values())
    if (
        not any(map(operator.gt, map(len, values.values()), map(limits.__getitem__, values)))
        and (_NOT_ONE_LINE if one_line else _CONTROL).search(joined) is None
    ):
        return []
    found = ((k, text_problem(v, limits[k], one_line=one_line)) for k, v in values.items())
    return [(k, problem) for k, problem in found if problem is not None]


def checked_text(
    value: str,
    what: str,
    *,
    limit: int = TEXT_MAX,
    one_line: bool = False,
    required: bool = False,
) -> str:
    """`value` without its surrounding blanks, or InvalidInput naming `what` and the fault."""
    fault = _fault(value, limit, one_line=one_line)
    if fault is not None:
        raise InvalidInput(N_("{what}: {problem}"), what=Word(what), problem=fault)
    value = value.strip()
    if required and not value:
        raise InvalidInput(N_("{what} cannot be empty"), what=Word(what))
    return value


def checked_name(value: str, what: str, *, required: bool = False) -> str:
    """A name, a holder, a login: one line of at most NAME_MAX characters."""
    return checked_text(value, what, limit=NAME_MAX, one_line=True, required=required)
