"""`relance init`, `relance status` and `relance demo`: the network as a whole."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import (
    N_,
    _,
    console,
    context,
    language,
    print_json,
    transaction,
    user_errors,
)
from relance.cli.tables import (
    Wide,
    glue,
    key_column,
    number_column,
    percent,
    show,
    split,
    table,
    text_column,
)
from relance.cli.wording import SHORT_KIND
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import AssetKind
from relance.reports.codes import ASSET_KIND

if TYPE_CHECKING:
    from relance.app.status import NetworkStatus
    from relance.reports.words import Words

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
    loaded_ = _("network {name} loaded", name=summary.name)
    console.print(
        f"[green]{loaded_}[/]: "
        + _(
            "{sites} sites, {services} IT services, {activities} clinical activities, "
            "{servers} servers, {workstations} workstations, {devices} medical-device PCs",
            sites=summary.sites,
            services=summary.services,
            activities=summary.activities,
            servers=summary.servers,
            workstations=summary.workstations,
            devices=summary.medical_devices,
        )
    )


def status(
    site: Annotated[list[str] | None, typer.Option("--site", help="Only these sites.")] = None,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """Per site: machines per lifecycle state, services up or down, clinical activities."""
    from relance.app.status import status_for

    with transaction(read_only=True) as uow:
        result = status_for(uow, context(None, reads=True), site or ())
    if json:
        print_json(result)
        return
    render_status(result, wide)


# Short headers on 80 columns, spelled out in the legend under the table.
SHORT_STATE = {
    AssetState.COMPROMISED: N_("comp"),
    AssetState.ISOLATED: N_("isol"),
    AssetState.IMAGED: N_("imag"),
    AssetState.REIMAGED: N_("reim"),
    AssetState.VALIDATED: N_("valid"),
    AssetState.CLEAN_ZONE: N_("clean"),
    AssetState.REDEPLOYED: N_("redep"),
    AssetState.DECOMMISSIONED: N_("decom"),
}


def render_status(result: "NetworkStatus", wide: bool = False) -> None:
    from relance.reports.words import Words

    words = Words(language(), result.names)
    kinds = ASSET_KIND if wide else SHORT_KIND

    def state(s: AssetState) -> str:
        return words.state(s) if wide else _(SHORT_STATE[s])

    def kind(k: AssetKind) -> str:
        return _(kinds[k])

    machines = table(_("{network}: machines per lifecycle state", network=result.network))
    everywhere = _("all")
    key_column(machines, _("site"), [s.code for s in result.sites] + [everywhere])
    key_column(machines, _("kind"), [kind(k) for k in AssetKind])
    for s in PATH:
        number_column(machines, f"[{s.colour}]{state(s)}[/]")
    number_column(machines, _("total"))
    for line in result.sites:
        for k, counts in sorted(line.machines.items()):
            machines.add_row(
                line.code, kind(k), *(str(counts[s]) for s in PATH), str(sum(counts.values()))
            )
    for k, counts in result.totals.items():
        machines.add_row(
            f"[bold]{everywhere}[/]",
            kind(k),
            *(str(counts[s]) for s in PATH),
            str(sum(counts.values())),
        )
    show(machines, wide)
    if not wide:
        legend = ", ".join(f"{_(SHORT_KIND[k])} {_(ASSET_KIND[k])}" for k in AssetKind)
        legend += "; " + ", ".join(f"{_(SHORT_STATE[s])} {words.state(s)}" for s in PATH)
        console.print(legend, style="dim", highlight=False)
    up = [s.code for s in result.services if s.up]
    down = [s.code for s in result.services if not s.up]
    none = _("none")
    console.print(_("[green]services up[/] ({n}): {codes}", n=len(up), codes=", ".join(up) or none))
    console.print(
        _("[red]services down[/] ({n}): {codes}", n=len(down), codes=", ".join(down) or none)
    )
    if len(result.sites) == 1:
        _activity_reasons(result, words)
    else:
        _activity_matrix(result, words, wide)


def _activity_matrix(result: "NetworkStatus", words: "Words", wide: bool) -> None:
    """Activity x site, HICS colours, capacity in each cell: the picture the cell meets over.
    Activities are rows (their names are long, site codes short); on 80 columns the sites are
    split into parts that fit."""
    names = dict.fromkeys(a.name for s in result.sites for a in s.activities)
    cells = {(s.code, a.name): a.status for s in result.sites for a in s.activities}
    label = max((len(words.name(n)) for n in names), default=8)
    codes = [s.code for s in result.sites]
    parts = [codes] if wide else split(codes, label + 1, len(percent(100)) + 1, console.width)
    for number, part in enumerate(parts, 1):
        title = _("clinical activities, capacity now (HICS 251: fully / partially / not)")
        if len(parts) > 1:
            title = _("{title}, sites {part}/{parts}", title=title, part=number, parts=len(parts))
        matrix = table(title)
        key_column(matrix, _("activity"), [words.name(n) for n in names])
        for code in part:
            number_column(matrix, code)
        for name in names:
            matrix.add_row(
                words.name(name),
                *(
                    f"[{c.functioning.colour}]{percent(c.capacity)}[/]"
                    if (c := cells.get((code, name)))
                    else ""
                    for code in part
                ),
            )
        show(matrix, wide)
    console.print(_("why: relance status --site CODE"))


def _activity_reasons(result: "NetworkStatus", words: "Words") -> None:
    from relance.reports.reasons import activity_reasons

    site = result.sites[0]
    services = {s.code: s.name for s in result.services}
    reasons = table(_("clinical activities at {site} (HICS 251)", site=words.name(site.name)))
    text_column(reasons, _("activity"), min_width=12)
    text_column(reasons, _("status"), min_width=10)
    number_column(reasons, _("capacity"))
    text_column(reasons, _("why"), ratio=2)
    for a in site.activities:
        f = a.status.functioning
        reasons.add_row(
            words.name(a.name),
            f"[{f.colour}]{words.functioning(f.value)}[/]",
            percent(a.status.capacity),
            glue(activity_reasons(words, a.status, services)),
        )
    show(reasons)
