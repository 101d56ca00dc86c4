"""`relance kit build`: the offline install kit for a clean laptop."""

from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import console, context, print_json, user_errors

app = typer.Typer(help="The offline install kit: wheels, lock, install script, README.")


@app.command()
def build(
    out: Annotated[Path, typer.Option(help="A new directory for the kit.")],
    source: Annotated[
        Path | None,
        typer.Option(
            help="relance's source tree, with requirements.lock (default: the one relance "
            "was installed from, else here)."
        ),
    ] = None,
    arch: Annotated[
        list[str] | None,
        typer.Option(help="Machine type of the laptops: x86_64, aarch64 (default: both)."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Download the locked wheels (checked against their hashes) and build relance's own."""
    from relance.app import kit as service
    from relance.app.kit import KitRequest

    request = KitRequest(
        out, source or service.default_source(), tuple(arch) if arch else service.MACHINES
    )
    with user_errors(), console.status("building the kit...") as status:
        result = service.build_kit(context(None, reads=True), request, status.update)
    if json:
        print_json(
            {
                "path": str(result.path),
                "relance_version": result.relance_version,
                "size": result.size,
                "files": result.files,
                "seconds": round(result.seconds, 1),
                "timings": {k: round(v, 1) for k, v in result.timings.items()},
                "machines": {
                    m.machine: {"wheels": m.wheels, "missing": list(m.missing)}
                    for m in result.machines
                },
            }
        )
        return
    for m in result.machines:
        state = "complete" if m.complete else f"[red]lacks {', '.join(m.missing)}[/]"
        console.print(f"  {m.machine}: {m.wheels} wheels, {state}", highlight=False)
    console.print(
        f"[green]kit for relance {result.relance_version} in {result.path}[/]: "
        f"{result.files} files, {result.size / 1e6:.0f} MB, {result.seconds:.0f} s. "
        f"On the laptop: sh {result.path.name}/install.sh ~/relance (see LISEZMOI.txt)",
        highlight=False,
    )
