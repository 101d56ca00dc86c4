"""The `relance` command line.

Its commands are listed in relance.cli.index and imported only when one runs or shows its help:
`relance --help` and each command start with the libraries they use alone.
"""

from typing import Annotated

import typer

import relance
from relance.cli.coercion import check_when_given
from relance.cli.help import quiet
from relance.cli.index import LazyCommands

quiet()
check_when_given()
app = typer.Typer(
    name="relance",
    help="Crisis cell of a hospital network hit by ransomware: inventory, containment, recovery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)


def _version(asked: bool) -> None:
    if asked:
        typer.echo(f"relance {relance.__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and stop."
        ),
    ] = False,
) -> None:
    """Crisis cell of a hospital network hit by ransomware: inventory, containment, recovery."""
