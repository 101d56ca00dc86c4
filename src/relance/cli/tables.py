"""Tables that fit the terminal: 80 columns by default, `--wide` for every column at full width.

What the crisis cell types back (an appointment reference, a hostname) is never cut: such
columns do not wrap. A number keeps its unit ("70%" never splits). Free text wraps inside its
cell, folding a word too long for it rather than hiding its end. Every list says how many of
how many it shows.
"""

import re
from collections.abc import Sequence
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from relance.cli.common import _, console

Wide = Annotated[
    bool, typer.Option("--wide", help="Every column at full width, past the terminal's edge.")
]
All = Annotated[bool, typer.Option("--all", help="Show every line.")]
Sites = Annotated[
    list[str] | None, typer.Option("--site", metavar="CODE", help="Only this site (repeatable).")
]
PageSize = Annotated[int, typer.Option("--limit", min=1, help="Lines per page.")]
PageNumber = Annotated[int, typer.Option("--page", min=1, help="Which page (1: the first).")]
# Rich wraps at any Unicode space, the no-break ones too: a percentage is written without one.
PERCENT = re.compile(r"(\d) %")


def table(title: str) -> Table:
    """A table without vertical rules: on 80 columns every character goes to the data."""
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title_justify="left",
        show_edge=False,
        collapse_padding=True,
    )


def key_column(t: Table, header: str, values: Sequence[str], justify: str = "left") -> None:
    """A column a person types back (an id, a hostname, a code): whole, on one line."""
    widest = max((len(v) for v in values), default=0)
    t.add_column(header, no_wrap=True, min_width=max(widest, len(header)), justify=justify)  # type: ignore[arg-type]  # Rich's Literal


def number_column(t: Table, header: str) -> None:
    t.add_column(header, justify="right", no_wrap=True)


def text_column(
    t: Table, header: str, ratio: int | None = None, min_width: int = 8, cells: Sequence[str] = ()
) -> None:
    """Free text: wraps at spaces, folds a word longer than the cell. Given its `cells` (the
    words of codes: a method, a state), the column is as wide as their longest word, so that
    none is cut over two lines."""
    longest = max((len(word) for cell in cells for word in cell.split()), default=0)
    t.add_column(header, overflow="fold", ratio=ratio, min_width=max(min_width, longest))


def percent(value: int) -> str:
    return f"{value}%"


def show(t: Table, wide: bool = False, out: Console | None = None) -> None:
    """Print at the terminal's width, or with --wide at the table's own width."""
    target = out or console
    if wide:
        width = Measurement.get(target, target.options.update_width(10_000), t).maximum
        # Console.print never goes past the console's width: a console as wide as the table
        Console(
            file=target.file,
            width=max(width, target.width),
            color_system=target.color_system,  # type: ignore[arg-type]  # the name it was given
            force_terminal=target.is_terminal,
        ).print(t)
    else:
        target.print(t)


def glue(text: str) -> str:
    """Free text with each percentage in one piece ("0 %" would wrap between 0 and %)."""
    return PERCENT.sub(r"\1%", text)


def paging(limit: int, page: int, every: bool) -> tuple[int | None, int]:
    """(limit, offset) of the page asked; --all: every line."""
    return (None, 0) if every else (limit, (page - 1) * limit)


def page_hint(command: str, total: int, offset: int, shown: int, limit: int | None) -> str | None:
    """How to see what this page leaves out, or None when it shows everything."""
    if limit is None or shown == total:
        return None
    here, pages = offset // limit + 1, -(-total // limit)
    other = here + 1 if offset + shown < total else 1
    return _(
        "page {here} of {pages}: {command} --page {other}, or --all",
        here=here,
        pages=pages,
        command=command,
        other=other,
    )


def count_line(shown: int, total: int, noun: str, first: int = 1) -> str:
    """'50 of 1631 appointments (1-50)': every list says what it leaves out. `noun` comes
    translated and in its plural for `total` (n_)."""
    if total == 0:
        return f"0 {noun}"
    if shown == total:
        return f"{total} {noun}"
    return _(
        "{shown} of {total} {noun} ({first}-{last})",
        shown=shown,
        total=total,
        noun=noun,
        first=first,
        last=first + shown - 1,
    )


def split(columns: Sequence[str], fixed: int, column: int, width: int) -> list[list[str]]:
    """Columns in groups that each fit `width` beside `fixed` characters of row labels,
    balanced (5 + 5 rather than 8 + 2) so the parts read alike."""
    per = max(1, (width - fixed) // column)
    parts = -(-len(columns) // per) or 1
    size = -(-len(columns) // parts) if columns else 0
    return [list(columns[i : i + size]) for i in range(0, len(columns), size)] if size else [[]]
