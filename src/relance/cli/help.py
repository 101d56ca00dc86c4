"""Help a crisis cell reads: in the operator's language, `--limit N`, a flag with no type beside it.

Typer shows each option's Python type (`<bool>`, `<list[str]>`, `<int range> [x>=1]`): noise for a
nurse or a technician. One place turns it into the usual words of command-line help.

The help texts stay English in the code (docstrings, `help=`); when help is shown, every text of
the `relance` tree is looked up in the catalogue, its msgid exactly the text Click holds, so the
group's list of commands and each command's options read in one language. The catalogue is
read only then: `relance --help` starts without it until it prints (benchmarks/cli_start.py).
"""

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from typer import _click, core


def N_(message: str) -> str:  # noqa: N802 - the gettext marker, found by the extractor
    """Mark a text for the catalogue (the catalogue itself is read only when text is shown)."""
    return message


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
TRY_HELP = N_("Try [blue]'{command_path} {help_option}'[/] for help.")  # Typer's line under it
# Click's own usage errors, written as f-strings (no gettext to hook): recognised by their shape.
SHAPES = (
    (
        re.compile(r"No such command '(?P<name>.*)'\. Did you mean '(?P<guess>.*)'\?$", re.DOTALL),
        N_("No such command '{name}'. Did you mean '{guess}'?"),
    ),
    (re.compile(r"No such command '(?P<name>.*)'\.$", re.DOTALL), N_("No such command '{name}'.")),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)$", re.DOTALL),
        N_("Unexpected extra argument(s): {arguments}"),
    ),
    (
        re.compile(r"Option '(?P<name>.*)' requires an argument\.$", re.DOTALL),
        N_("Option '{name}' requires a value."),
    ),
)
# Click's reasons for a value its type refuses (an integer, a choice, a path), by their shape: the
# value and the choices as Click quotes them; "integer", "file" and "range" in the reader's words.
_VALUE, _NAME = r"(?P<value>.*)", r"(?:File|Directory|Path) (?P<file>.*)"
REASONS = (
    (
        re.compile(rf"{_VALUE} is not one of (?P<choices>.*)\.$", re.DOTALL),
        N_("{value} is not one of {choices}."),
    ),
    (
        re.compile(rf"{_VALUE} is not (?P<choices>'.*')\.$", re.DOTALL),
        N_("{value} is not one of {choices}."),
    ),
    (
        re.compile(rf"{_VALUE} is not a valid integer\.$", re.DOTALL),
        N_("{value} is not a whole number."),
    ),
    (re.compile(rf"{_VALUE} is not a valid float\.$", re.DOTALL), N_("{value} is not a number.")),
    (
        re.compile(rf"{_VALUE} is not in the range (?P<range>.*)\.$", re.DOTALL),
        N_("{value} is out of range: it must be {range}."),
    ),
    (
        re.compile(
            rf"{_VALUE} is not a valid boolean\. Recognized values: (?P<states>.*)$", re.DOTALL
        ),
        N_("{value} is not yes or no (one of: {states})."),
    ),
    (
        re.compile(rf"{_VALUE} does not match the formats? (?P<formats>.*)\.$", re.DOTALL),
        N_("{value} is not written as {formats}."),
    ),
    # Typer checks numbers with Pydantic: its texts are the catalogue's (importers.validation)
    (
        re.compile(r"Input should be greater than or equal to (?P<ge>.*)$", re.DOTALL),
        N_("Input should be greater than or equal to {ge}"),
    ),
    (
        re.compile(r"Input should be greater than (?P<gt>.*)$", re.DOTALL),
        N_("Input should be greater than {gt}"),
    ),
    (
        re.compile(r"Input should be less than or equal to (?P<le>.*)$", re.DOTALL),
        N_("Input should be less than or equal to {le}"),
    ),
    (
        re.compile(r"Input should be less than (?P<lt>.*)$", re.DOTALL),
        N_("Input should be less than {lt}"),
    ),
    (re.compile(rf"{_NAME} does not exist\.$", re.DOTALL), N_("{file} does not exist.")),
    (
        re.compile(rf"{_NAME} is a file\.$", re.DOTALL),
        N_("{file} is a file, where a directory is expected."),
    ),
    (
        re.compile(rf"{_NAME} is a directory\.$", re.DOTALL),
        N_("{file} is a directory, where a file is expected."),
    ),
    (
        re.compile(rf"{_NAME} is not readable\.$", re.DOTALL),
        N_("{file} cannot be read: ask for the rights."),
    ),
    (
        re.compile(rf"{_NAME} is not writable\.$", re.DOTALL),
        N_("{file} cannot be written: ask for the rights."),
    ),
)
MISSING = {
    "option": N_("Missing option {name}."),
    "argument": N_("Missing argument {name}."),
    "parameter": N_("Missing parameter {name}."),
}


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

        _error_frame()
        line = get_usage(self, ctx)
        return _(USAGE) + line.removeprefix(USAGE) if line.startswith(USAGE) else line

    return usage


def _error_frame() -> None:
    """Typer's hint under the usage line and the error's frame, in the operator's language (its
    module is loaded by the time an error is printed, and not needed before)."""
    from relance.cli.common import _

    shown = sys.modules.get("typer.rich_utils")
    if shown is not None:
        shown.RICH_HELP = _(TRY_HELP)  # type: ignore[attr-defined]  # Typer's module constant
        shown.ERRORS_PANEL_TITLE = _(FRAME["ERRORS_PANEL_TITLE"])  # type: ignore[attr-defined]  # idem


def usage_error(error: Any, english: str) -> str:
    """Click's usage error (`english`, as Click words it) in the operator's language."""
    from relance.cli.common import _, language

    _error_frame()  # an error without a usage line (an option without its value) has the frame
    if language() == "en":
        return english
    if isinstance(error, _click.exceptions.NoSuchOption):
        said = _("No such option: {option}", option=error.option_name)
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            said += " " + _("(possible options: {options})", options=options)
        return said
    if isinstance(error, _click.exceptions.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
        return _(MISSING.get(kind, MISSING["parameter"]), name=_hint(error))
    if isinstance(error, _click.exceptions.BadParameter):
        # the reason is the command's own words (translated) or Click's type check (reworded)
        return _("Invalid value for {name}: {reason}", name=_hint(error), reason=_reason(error))
    for shape, message in SHAPES:
        if found := shape.match(error.message):
            return _(message, **found.groupdict())
    return english


def _reason(error: Any) -> str:
    """Click's reason for refusing a value, in the operator's language when it is one of its
    type checks; a reason of relance's own is already in it."""
    from relance.cli.common import _

    for shape, message in REASONS:
        if found := shape.match(error.message):
            return _(message, **found.groupdict())
    return _(str(error.message))  # Pydantic's plain texts are in the catalogue, and ours


def _hint(error: Any) -> str:
    hint = error.param_hint if error.param_hint is not None else None
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if isinstance(hint, str) or hint is None:
        return hint or ""
    return " / ".join(f"'{h}'" for h in hint)


def _worded(format_message: Callable[[Any], str]) -> Callable[[Any], str]:
    def worded(self: Any) -> str:
        return usage_error(self, format_message(self))

    return worded


def quiet() -> None:
    """Help without Python types, in the operator's language; called once, before the
    `relance` group is built."""
    for kind in (core.TyperOption, core.TyperArgument):
        kind.display_type_rich = _metavar  # type: ignore[method-assign,assignment]  # help hook
        kind._get_number_range_help_str = _no_range  # type: ignore[method-assign,assignment]  # idem
    for command in (core.TyperCommand, core.TyperGroup):
        command.format_help = _in_language(command.format_help)  # type: ignore[method-assign,assignment]  # idem
        command.get_usage = _usage(command.get_usage)  # type: ignore[method-assign,assignment]  # idem
    for error in (
        _click.exceptions.UsageError,
        _click.exceptions.BadParameter,
        _click.exceptions.MissingParameter,
        _click.exceptions.NoSuchOption,
    ):
        error.format_message = _worded(error.format_message)  # type: ignore[method-assign,assignment]  # idem
