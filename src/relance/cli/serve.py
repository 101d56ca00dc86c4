"""`relance serve`: the crisis cell's dashboard and API on this machine."""

from typing import Annotated

import typer
import uvicorn

from relance.cli.common import console, open_engine

APP = "relance.web.main:app_from_environment"  # by name: the web layer builds itself


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: the whole LAN).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes.")] = 1,
) -> None:
    """Serve the dashboard (pages in French and English) and the REST API under /api."""
    open_engine().dispose()  # a missing or old database is said here, and migrated, once
    console.print(f"relance on http://{host}:{port}/ (API: /api/openapi.json); Ctrl-C stops it")
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_level="warning")
