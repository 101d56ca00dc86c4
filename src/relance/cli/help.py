"""Help a crisis cell reads: in the operator's language, `--limit N`, a flag with no type beside it.

Typer shows each option's Python type (`<bool>`, `<list[str]>`, `<int range> [x>=1]`): noise for a
nurse or a technician. One place turns it into the usual words of command-line help.

The help texts stay English in the code (docstrings, `help=`); when help is shown, every text of
the `relance` tree is looked up in the catalogue, its msgid exactly the text Click holds, so the
group's list of commands and each command's options read in one language. The catalogue is
read only then: `relance --help` starts without it until it prints (benchmarks/cli_start.py).
"""

from collections.abc import Callable, Iterator
from typing import Any

from typer import core

WORDS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "PATH", "datetime": "TIME"}
_typed = core.TyperOption.display_type

# Typer's own words around the help texts, by the name its module gives each.
FRAME = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "DEFAULT_STRING": "[default: {}]",
    "REQUIRED_LONG_STRING": "[required]",
}
USAGE = "Usage: "  # Click's prefix of the usage line


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


def texts(command: Any, ctx: Any = None) -> Iterator[tuple[Any, str]]:
    """(object, attribute) of every help text of `command` and the commands under it; with a
    Click context, the --help option it adds too."""
    yield command, "help"
    yield command, "short_help"
    params = command.get_params(ctx) if ctx is not None else command.params
    for param in params:
        yield param, "help"
    commands = getattr(command, "commands", {})
    built = getattr(commands, "built", None)  # the lazy group: only the commands already loaded
    for name in list(commands):
        child = built(name) if built else commands[name]
        if child is not None:
            yield from texts(child)


def _translate(root: Any, ctx: Any) -> None:
    """Every help text under `root` in the operator's language; the English kept beside it so
    a later help in another language starts from the msgid."""
    from typer import rich_utils  # Rich's help: only once help is shown

    from relance.cli.common import _, language  # the catalogue: idem

    chosen = language()
    for name, english in FRAME.items():
        setattr(rich_utils, name, _(english))
    if getattr(root, "_help_language", None) == chosen:
        return
    for owner, attribute in texts(root, ctx):
        original = owner.__dict__.setdefault(f"_english_{attribute}", getattr(owner, attribute))
        setattr(owner, attribute, _(original) if original else original)
    root._help_language = chosen


def _in_language(
    format_help: Callable[[Any, Any, Any], None],
) -> Callable[[Any, Any, Any], None]:
    def shown(self: Any, ctx: Any, formatter: Any) -> None:
        _translate(ctx.find_root().command, ctx)
        if ctx.parent is not None:  # a command's own --help, not one the root lists
            for param in self.get_params(ctx):
                _translate_one(param)
        format_help(self, ctx, formatter)

    return shown


def _translate_one(param: Any) -> None:
    from relance.cli.common import _

    original = param.__dict__.setdefault("_english_help", param.help)
    param.help = _(original) if original else original


def _usage(get_usage: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
    def usage(self: Any, ctx: Any) -> str:
        from relance.cli.common import _

        line = get_usage(self, ctx)
        return _(USAGE) + line.removeprefix(USAGE) if line.startswith(USAGE) else line

    return usage


def quiet() -> None:
    """Help without Python types, in the operator's language; called once, before the
    `relance` group is built."""
    for kind in (core.TyperOption, core.TyperArgument):
        kind.display_type_rich = _metavar  # type: ignore[method-assign,assignment]  # help hook
        kind._get_number_range_help_str = _no_range  # type: ignore[method-assign,assignment]  # idem
    for command in (core.TyperCommand, core.TyperGroup):
        command.format_help = _in_language(command.format_help)  # type: ignore[method-assign,assignment]  # idem
        command.get_usage = _usage(command.get_usage)  # type: ignore[method-assign,assignment]  # idem
