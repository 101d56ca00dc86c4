"""`relance init`, `relance status` and `relance demo`: the network as a whole."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import console, context, print_json, transaction, user_errors
from relance.cli.tables import (
    Wide,
    key_column,
    number_column,
    percent,
    show,
    split,
    table,
    text_column,
)
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetKind

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
    wide: Wide = False,
    json: Json = False,
) -> None:
    """Per site: machines per lifecycle state, services up or down, clinical activities."""
    from relance.app.status import status_for

    with transaction() as uow:
        result = status_for(uow, context(None, reads=True), site or ())
    if json:
        print_json(result)
        return
    render_status(result, wide)


# Short headers on 80 columns, spelled out in the legend under the table.
SHORT_STATE = {
    AssetState.COMPROMISED: "comp",
    AssetState.ISOLATED: "isol",
    AssetState.IMAGED: "imag",
    AssetState.REIMAGED: "reim",
    AssetState.VALIDATED: "valid",
    AssetState.CLEAN_ZONE: "clean",
    AssetState.REDEPLOYED: "redep",
    AssetState.DECOMMISSIONED: "decom",
}
SHORT_KIND = {AssetKind.SERVER: "srv", AssetKind.WORKSTATION: "pc", AssetKind.MEDICAL_DEVICE: "med"}


def render_status(result: "NetworkStatus", wide: bool = False) -> None:
    state = (lambda s: s.value) if wide else SHORT_STATE.__getitem__
    kind = (lambda k: k.value) if wide else SHORT_KIND.__getitem__
    machines = table(f"{result.network}: machines per lifecycle state")
    key_column(machines, "site", [s.code for s in result.sites] + ["all"])
    key_column(machines, "kind", [kind(k) for k in AssetKind])
    for s in PATH:
        number_column(machines, f"[{s.colour}]{state(s)}[/]")
    number_column(machines, "total")
    for line in result.sites:
        for k, counts in sorted(line.machines.items()):
            machines.add_row(
                line.code, kind(k), *(str(counts[s]) for s in PATH), str(sum(counts.values()))
            )
    for k, counts in result.totals.items():
        machines.add_row(
            "[bold]all[/]", kind(k), *(str(counts[s]) for s in PATH), str(sum(counts.values()))
        )
    show(machines, wide)
    if not wide:
        legend = ", ".join(f"{SHORT_KIND[k]} {k.value}" for k in AssetKind)
        legend += "; " + ", ".join(f"{SHORT_STATE[s]} {s.value}" for s in PATH)
        console.print(legend, style="dim", highlight=False)
    up = [s.code for s in result.services if s.up]
    down = [s.code for s in result.services if not s.up]
    console.print(f"[green]services up[/] ({len(up)}): {', '.join(up) or 'none'}")
    console.print(f"[red]services down[/] ({len(down)}): {', '.join(down) or 'none'}")
    if len(result.sites) == 1:
        _activity_reasons(result)
    else:
        _activity_matrix(result, wide)


def _activity_matrix(result: "NetworkStatus", wide: bool) -> None:
    """Activity x site, HICS colours, capacity in each cell: the picture the cell meets over.
    Activities are rows (their names are long, site codes short); on 80 columns the sites are
    split into parts that fit."""
    names = dict.fromkeys(a.name for s in result.sites for a in s.activities)
    cells = {(s.code, a.name): a.status for s in result.sites for a in s.activities}
    label = max((len(n) for n in names), default=8)
    codes = [s.code for s in result.sites]
    parts = [codes] if wide else split(codes, label + 1, len(percent(100)) + 1, console.width)
    for number, part in enumerate(parts, 1):
        title = "clinical activities, capacity now (HICS 251: fully / partially / not)"
        if len(parts) > 1:
            title += f", sites {number}/{len(parts)}"
        matrix = table(title)
        key_column(matrix, "activity", list(names))
        for code in part:
            number_column(matrix, code)
        for name in names:
            matrix.add_row(
                name,
                *(
                    f"[{c.functioning.colour}]{percent(c.capacity)}[/]"
                    if (c := cells.get((code, name)))
                    else ""
                    for code in part
                ),
            )
        show(matrix, wide)
    console.print("why: relance status --site CODE")


def _activity_reasons(result: "NetworkStatus") -> None:
    activities = result.sites[0].activities
    reasons = table(f"clinical activities at {result.sites[0].name} (HICS 251)")
    text_column(reasons, "activity", min_width=12)
    text_column(reasons, "status", min_width=10)
    number_column(reasons, "capacity")
    text_column(reasons, "why", ratio=2)
    for a in activities:
        f = a.status.functioning
        reasons.add_row(
            a.name, f"[{f.colour}]{f.label}[/]", percent(a.status.capacity), a.status.reason
        )
    show(reasons)
