"""`relance init`, `relance status` and `relance demo`: the network as a whole."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from relance.cli.common import console, context, print_json, transaction, user_errors
from relance.domain.lifecycle import PATH

if TYPE_CHECKING:
    from relance.app.status import NetworkStatus

Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def init(
    scenario: Annotated[Path, typer.Option(help="Scenario YAML file describing the network.")],
    actor: Annotated[str | None, typer.Option(help="Who loads it.")] = None,
    json: Json = False,
) -> None:
    """Create the database here (or at RELANCE_DATABASE_URL) from a scenario file."""
    from relance.app import network as service

    with user_errors():
        loaded = service.check_scenario(scenario)  # before a database file is created
    with transaction(create=True) as uow:
        summary = service.load_network(uow, context(actor), loaded)
    if json:
        print_json(summary)
        return
    console.print(
        f"[green]network {summary.name} loaded[/]: {summary.sites} sites, {summary.services} IT "
        f"services, {summary.activities} clinical activities, {summary.servers} servers, "
        f"{summary.workstations} workstations, {summary.medical_devices} medical-device PCs"
    )


def status(
    site: Annotated[list[str] | None, typer.Option("--site", help="Only these sites.")] = None,
    json: Json = False,
) -> None:
    """Per site: machines per lifecycle state, services up or down, clinical activities."""
    from relance.app.status import status_for

    with transaction() as uow:
        result = status_for(uow, context(None), site or ())
    if json:
        print_json(result)
        return
    render_status(result)


def render_status(result: "NetworkStatus") -> None:
    machines = Table(title=f"{result.network}: machines per lifecycle state")
    machines.add_column("site")
    machines.add_column("kind")
    for state in PATH:
        machines.add_column(f"[{state.colour}]{state.value}[/]", justify="right")
    machines.add_column("total", justify="right")
    for line in result.sites:
        for kind, counts in sorted(line.machines.items()):
            machines.add_row(
                line.code, kind.value, *(str(counts[s]) for s in PATH), str(sum(counts.values()))
            )
    for kind, counts in result.totals.items():
        machines.add_row(
            "[bold]all[/]", kind.value, *(str(counts[s]) for s in PATH), str(sum(counts.values()))
        )
    console.print(machines)
    up = [s.code for s in result.services if s.up]
    down = [s.code for s in result.services if not s.up]
    console.print(f"[green]services up[/] ({len(up)}): {', '.join(up) or 'none'}")
    console.print(f"[red]services down[/] ({len(down)}): {', '.join(down) or 'none'}")
    if len(result.sites) == 1:
        _activity_reasons(result)
    else:
        _activity_matrix(result)


def _activity_matrix(result: "NetworkStatus") -> None:
    """Site x activity, HICS colours, capacity in each cell: the picture the cell meets over."""
    codes = list(dict.fromkeys(a.code for s in result.sites for a in s.activities))
    table = Table(title="clinical activities, capacity now (HICS 251: fully / partially / not)")
    table.add_column("site")
    for code in codes:
        table.add_column(code.replace("_", " "), justify="right")
    for line in result.sites:
        cells = {a.code: a.status for a in line.activities}
        table.add_row(
            line.code,
            *(
                f"[{cells[c].functioning.colour}]{cells[c].capacity} %[/]" if c in cells else ""
                for c in codes
            ),
        )
    console.print(table)
    console.print("why: relance status --site CODE")


def _activity_reasons(result: "NetworkStatus") -> None:
    table = Table(title=f"clinical activities at {result.sites[0].name} (HICS 251)")
    for column in ("activity", "status", "capacity", "why"):
        table.add_column(column)
    for a in result.sites[0].activities:
        f = a.status.functioning
        table.add_row(
            a.name, f"[{f.colour}]{f.label}[/]", f"{a.status.capacity} %", a.status.reason
        )
    console.print(table)
