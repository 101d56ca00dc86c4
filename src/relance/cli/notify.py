"""`relance notify`: send the queued SMS through Kannel, follow delivery, list who to phone."""

from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, urlparse

import typer
from rich.table import Table

from relance.app import notify as service
from relance.app.context import Context
from relance.app.organisation import sms_sender
from relance.cli.appointments import sender
from relance.cli.common import (
    console,
    context,
    fail,
    local,
    open_engine,
    print_json,
    timezone,
    transaction,
    user_errors,
)
from relance.domain.errors import RelanceError
from relance.notifications.kannel import KannelGateway, settings_from_environment
from relance.reports.sheet_labels import Language
from relance.storage.database import Engine, unit_of_work

app = typer.Typer(help="Patient SMS: send through Kannel, delivery reports, the call list.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.command()
def send(
    dry_run: Annotated[
        bool, typer.Option(help="Count what would be sent; send and change nothing.")
    ] = False,
    rate: Annotated[float, typer.Option(min=0.1, help="SMS per second at most.")] = 100.0,
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after this many.")] = None,
    grace: Annotated[
        int, typer.Option(min=1, help="Seconds after which a claim with no report is lost.")
    ] = 120,
    json: Json = False,
) -> None:
    """Send every queued SMS once (RELANCE_KANNEL_URL, RELANCE_DLR_URL, user and password)."""
    if dry_run:
        with transaction() as uow:
            waiting = service.queued(uow)
        console.print(f"dry run: {waiting} SMS would be sent; nothing sent, nothing changed")
        return
    with transaction() as uow:
        signed = sms_sender(uow, sender())
    with user_errors():
        gateway = KannelGateway(settings_from_environment(signed))
    engine = open_engine()
    options = service.DispatchOptions(rate=rate, limit=limit, grace=timedelta(seconds=grace))
    try:
        report = service.dispatch(lambda: unit_of_work(engine), context(None), gateway, options)
    finally:
        gateway.close()
        engine.dispose()
    if json:
        print_json(report)
        return
    console.print(
        f"{report.sent} SMS sent, {report.rejected} refused, {report.unreachable} not reached "
        f"(left queued), {report.requeued} lost claims requeued, in {report.seconds:.1f} s"
    )
    if report.errors:
        fail(f"the gateway was not reachable: {report.errors[0]}")


@app.command()
def status(
    timeout: Annotated[
        int, typer.Option(min=1, help="Minutes without a final report before unconfirmed.")
    ] = 60,
    json: Json = False,
) -> None:
    """SMS per delivery status; no final report after the timeout makes a message unconfirmed."""
    with transaction() as uow:
        expired = service.expire_reports(uow, context(None), timedelta(minutes=timeout))
        counts = service.delivery_counts(uow)
    if json:
        print_json({"counts": counts, "now_unconfirmed": expired})
        return
    table = Table(title="patient SMS")
    table.add_column("status")
    table.add_column("messages", justify="right")
    for state, n in sorted(counts.items()):
        table.add_row(state.value, str(n))
    console.print(table)


def report_server(engine: Engine, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server taking Kannel's delivery reports on /dlr?id=...&type=..."""
    ctx = Context(actor="gateway")

    class Reports(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = parse_qs(url.query)
            if url.path != "/dlr" or "id" not in query or "type" not in query:
                self.send_error(404, "GET /dlr?id=...&type=...")
                return
            try:
                with unit_of_work(engine) as uow:
                    service.record_report(uow, ctx, query["id"][0], query["type"][0])
            except RelanceError as error:
                self.send_error(400, str(error))
                return
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            return  # one line per report helps nobody at 100 SMS a second

    return ThreadingHTTPServer((host, port), Reports)


@app.command("dlr-server")
def dlr_server(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (RELANCE_DLR_URL points here).")] = 8081,
) -> None:
    """Receive Kannel's delivery reports on /dlr?id=...&type=... until stopped."""
    engine = open_engine()
    server = report_server(engine, host, port)
    console.print(f"delivery reports: http://{host}:{port}/dlr (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        engine.dispose()


@app.command("call-list")
def call_list(
    out: Annotated[
        Path | None,
        typer.Option(help="Write a CSV, or a PDF to print: calls.csv or calls.pdf."),
    ] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the PDF.")] = Language.FR,
    json: Json = False,
) -> None:
    """Patients to phone: no mobile number, or a physician asked for a call. Reading is audited."""
    if out is not None:
        with user_errors():
            service.call_list_format(out)  # a wrong file name is refused before the audited read
    ctx = context(None)
    as_of = ctx.clock.now()  # taken before reading: what is decided meanwhile is on the list
    with transaction() as uow:
        entries = service.call_list(uow, ctx)
    if out is not None:
        service.write_call_list(entries, out, timezone(), as_of, lang)
        console.print(f"{len(entries)} patients to phone written to {out}")
        return
    if json:
        print_json(entries)
        return
    table = Table(title=f"{len(entries)} patients to phone")
    for column in ("site", "when", "patient", "phone", "appointment", "decision"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            e.site,
            local(e.starts_at),  # the crisis cell's time, as on the printed list
            e.patient,
            e.phone,
            e.appointment,
            e.decision.value,
        )
    console.print(table)
