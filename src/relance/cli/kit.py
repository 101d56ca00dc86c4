"""`relance kit build`: the offline install kit for a clean laptop."""

from pathlib import Path
from typing import Annotated

import typer

from relance.cli.common import _, console, context, n_, print_json, user_errors

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
    with user_errors(), console.status(_("building the kit...")) as status:
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
        lacks = _("lacks {wheels}", wheels=", ".join(m.missing))
        state = _("complete") if m.complete else f"[red]{lacks}[/]"
        wheels = n_("{n} wheel", "{n} wheels", m.wheels)
        console.print(f"  {m.machine}: {wheels}, {state}", highlight=False)
    made = _(
        "kit for relance {version} in {path}", version=result.relance_version, path=result.path
    )
    console.print(
        _(
            "{made}: {files}, {size} MB, {seconds} s. On the laptop: sh {directory}/install.sh "
            "~/relance (see LISEZMOI.txt)",
            made=f"[green]{made}[/]",
            files=n_("{n} file", "{n} files", result.files),
            size=round(result.size / 1e6),
            seconds=round(result.seconds),
            directory=result.path.name,
        ),
        highlight=False,
    )
