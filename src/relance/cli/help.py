"""Help a crisis cell reads: `--limit N`, `--site TEXT`, a flag with no type beside it.

Typer shows each option's Python type (`<bool>`, `<list[str]>`, `<int range> [x>=1]`): noise for a
nurse or a technician. One place turns it into the usual words of command-line help.
"""

from typing import Any

from typer import core

WORDS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH", "datetime": "TIME"}
_typed = core.TyperOption.display_type


def _metavar(param: Any, ctx: Any) -> str | None:  # Any: Typer's parameters and Click context
    if getattr(param, "is_flag", False):
        return None  # --json, --wide: the name says it all
    if param.metavar:
        return str(param.metavar)  # the word its option chose: CODE, TIME
    label = str(_typed(param, ctx))[1:-1].removeprefix("list[").removesuffix("]")
    label = label.removesuffix(" range")
    return WORDS.get(label, label if "|" in label else label.upper())


def _no_range(_param: Any) -> None:
    return None  # a count of 0 is refused with its own message; the help need not say x>=1


def quiet() -> None:
    """Help without Python types; called once, before the `relance` group is built."""
    for kind in (core.TyperOption, core.TyperArgument):
        kind.display_type_rich = _metavar  # type: ignore[method-assign,assignment]  # help hook
        kind._get_number_range_help_str = _no_range  # type: ignore[method-assign,assignment]  # idem
