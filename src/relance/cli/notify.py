"""`relance notify`: send the queued SMS through Kannel, follow delivery, settle those in doubt,
list who to phone."""

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from relance.app.choices import DISPATCH_WORKERS
from relance.cli.appointments import sender
from relance.cli.common import (
    console,
    context,
    errors,
    fail,
    local,
    open_engine,
    print_json,
    timezone,
    transaction,
    user_errors,
)
from relance.cli.tables import (
    All,
    PageNumber,
    PageSize,
    Sites,
    Wide,
    count_line,
    key_column,
    page_hint,
    paging,
    show,
    table,
    text_column,
)
from relance.domain.delivery import Delivery, Verdict
from relance.reports.sheet_labels import Language

if TYPE_CHECKING:
    from relance.app import notify as service

app = typer.Typer(help="Patient SMS: send through Kannel, delivery reports, the call list.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SETTLE_HINT = (
    "they may have been sent, and are never sent again on their own: "
    "`relance notify reconcile` settles those Kannel's access log traces; check the others "
    "(`relance notify unknown`), then `relance notify settle ID... --as sent|not-sent --reason ...`"
)


@app.command()
def send(
    dry_run: Annotated[
        bool, typer.Option(help="Count what would be sent; send and change nothing.")
    ] = False,
    rate: Annotated[float, typer.Option(min=0.1, help="SMS per second at most.")] = 100.0,
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after this many.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Requests at once: the most a dispatcher killed leaves in doubt."
        ),
    ] = DISPATCH_WORKERS,
    json: Json = False,
) -> None:
    """Send every queued SMS once (RELANCE_KANNEL_URL, RELANCE_DLR_URL, user and password).

    Exit code 2 when any SMS was not sent (left queued) or may have been sent (unknown)."""
    from relance.app import notify as service
    from relance.app.organisation import sms_sender
    from relance.notifications.kannel import KannelGateway, settings_from_environment
    from relance.storage.database import UNATTENDED_WAIT, unit_of_work

    if dry_run:
        with transaction() as uow:
            waiting = service.queued(uow)
        console.print(f"dry run: {waiting} SMS would be sent; nothing sent, nothing changed")
        return
    with transaction() as uow:
        signed = sms_sender(uow, sender())
    with user_errors():
        gateway = KannelGateway(settings_from_environment(signed))
    engine = open_engine(wait=UNATTENDED_WAIT)
    stop = threading.Event()
    try:
        with _stopping_on_signals(stop):
            report = service.dispatch(
                lambda: unit_of_work(engine),
                context(None, reads=True),
                gateway,
                service.DispatchOptions(rate=rate, limit=limit, workers=workers),
                stop=stop,
            )
    except service.DispatcherBusy as busy:
        fail(_busy(busy))
    finally:
        gateway.close()
        engine.dispose()
    if json:
        print_json(report)
    else:
        _print_dispatch(report)
    if not report.complete:
        raise typer.Exit(2)


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM: stop once the SMS under way are answered (so none is left in doubt);
    a second one stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def stopping(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        errors.print("stopping once the SMS under way are answered (again: stop at once)")
        signal.signal(signum, before[signal.Signals(signum)] or signal.SIG_DFL)

    for s in before:
        signal.signal(s, stopping)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler or signal.SIG_DFL)


def _busy(busy: "service.DispatcherBusy") -> str:
    h = busy.holder
    return (
        f"another dispatcher is sending: {h.holder}, since {local(h.started_at)}, last seen "
        f"{local(h.seen_at)}, {busy.in_flight} SMS under way. One dispatcher at a time: wait "
        f"for it to end; if it was stopped on another machine, run again after "
        f"{busy.retry_after.astimezone(timezone()):%H:%M:%S}, when its turn expires"
    )


def _print_dispatch(report: "service.DispatchReport") -> None:
    found = report.found
    if found is not None:
        since = f", started {local(found.started_at)}" if found.started_at else ""
        seen = f", last seen {local(found.seen_at)}" if found.seen_at else ""
        errors.print(
            f"[bold yellow]warning:[/] {found.in_doubt} SMS were being sent by dispatcher "
            f"{found.holder}{since}{seen}, which stopped ({found.why_stopped}): {SETTLE_HINT}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"{report.sent} SMS sent, {report.not_sent} not sent (left in the queue), "
        f"{report.unknown} may have been sent (unknown), in {report.seconds:.1f} s",
        highlight=False,
    )
    for problem, times in report.problems.items():
        errors.print(f"  {times} x {problem}", highlight=False, markup=False, soft_wrap=True)
    if report.stopped:
        errors.print(f"stopped: {report.stopped}", highlight=False, markup=False)
    if report.unknown:
        errors.print(f"{report.unknown} SMS in doubt: {SETTLE_HINT}", highlight=False)


@app.command()
def status(
    timeout: Annotated[
        int, typer.Option(min=1, help="Minutes without a final report before unconfirmed.")
    ] = 60,
    json: Json = False,
) -> None:
    """SMS per delivery status; no final report after the timeout makes a message unconfirmed."""
    from relance.app import delivery_reports
    from relance.app import notify as service

    with transaction() as uow:
        expired = delivery_reports.expire_reports(
            uow, context(None, reads=True), timedelta(minutes=timeout)
        )
        counts = service.delivery_counts(uow)
        sending = service.sending_now(uow)
    if json:
        print_json({"counts": counts, "now_unconfirmed": expired, "dispatcher": sending})
        return
    table = Table(title="patient SMS")
    table.add_column("status")
    table.add_column("messages", justify="right")
    for state, n in sorted(counts.items()):
        table.add_row(state.value, str(n))
    console.print(table)
    if sending is not None:
        console.print(
            f"dispatcher {sending.holder} sending since {local(sending.started_at)}, "
            f"last seen {local(sending.seen_at)}",
            highlight=False,
        )
    if counts.get(Delivery.UNKNOWN):
        console.print(f"{counts[Delivery.UNKNOWN]} SMS unknown: {SETTLE_HINT}", highlight=False)


@app.command()
def unknown(json: Json = False) -> None:
    """SMS that may have been sent, with their appointments. Reading is audited."""
    from relance.app import in_doubt

    with transaction() as uow:
        found = in_doubt.in_doubt(uow, context(None, reads=True), "notify unknown")
    if json:
        print_json(found)
        return
    table = Table(title=f"{len(found)} SMS that may have been sent")
    for column in ("message", "appointment", "site", "since", "claimed by", "what happened"):
        table.add_column(column)
    for m in found:
        table.add_row(m.id, m.appointment, m.site, local(m.since), m.claimed_by, m.detail)
    console.print(table)


@app.command()
def reconcile(
    access_log: Annotated[
        list[Path] | None,
        typer.Option(
            help="bearerbox's access log (repeat for rotated ones, oldest first); "
            "default RELANCE_KANNEL_ACCESS_LOG."
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Settle SMS in doubt on Kannel's own record: sent, or given up by Kannel."""
    from relance.app import in_doubt
    from relance.storage.database import unit_of_work

    logs = access_log or [Path(p) for p in [os.environ.get("RELANCE_KANNEL_ACCESS_LOG", "")] if p]
    engine = open_engine()
    try:
        with user_errors():
            done = in_doubt.reconcile(lambda: unit_of_work(engine), context(None, reads=True), logs)
    finally:
        engine.dispose()
    if json:
        print_json(done)
        return
    console.print(
        f"{done.sent} sent and {done.gave_up} given up by Kannel, as its access log shows; "
        f"{done.still_unknown} with no trace there stay unknown",
        highlight=False,
    )
    if done.still_unknown:
        console.print(
            "no trace: the request never reached Kannel, or Kannel still holds the SMS in its "
            "queue. Check with Kannel's operator (`relance notify unknown` lists them), then "
            "`relance notify settle ID... --as sent|not-sent --reason ...`",
            highlight=False,
        )


@app.command()
def settle(
    ids: Annotated[list[str], typer.Argument(help="Message ids (relance notify unknown).")],
    verdict: Annotated[
        Verdict, typer.Option("--as", help="sent: count it as sent; not-sent: send it again.")
    ],
    reason: Annotated[str, typer.Option(help="What was checked, with whom (audited).")],
    json: Json = False,
) -> None:
    """A person's decision about SMS that may have been sent; all of them or none. Audited."""
    from relance.app import in_doubt

    with transaction() as uow:
        settled = in_doubt.settle_in_doubt(uow, context(None, reads=True), ids, verdict, reason)
    if json:
        print_json({"settled": settled, "as": verdict})
        return
    then = (
        "back in the queue: `relance notify send` sends them"
        if verdict is Verdict.NOT_SENT
        else "counted as sent"
    )
    console.print(f"{settled} SMS settled as {verdict.value}: {then}", highlight=False)


@app.command("dlr-server")
def dlr_server(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (RELANCE_DLR_URL points here).")] = 8081,
) -> None:
    """Receive Kannel's delivery reports on /dlr?id=...&type=... until stopped."""
    from relance.cli.dlr_server import listening_socket, report_server
    from relance.storage.database import UNATTENDED_WAIT

    engine = open_engine(wait=UNATTENDED_WAIT)
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        engine.dispose()
        fail(f"cannot listen on {host}:{port}: {error.strerror}; choose another --port")
    console.print(f"delivery reports: http://{host}:{port}/dlr (Ctrl-C to stop)")
    try:
        report_server(engine).run(sockets=[sock])
    finally:
        sock.close()
        engine.dispose()


@app.command("call-list")
def call_list(
    out: Annotated[
        Path | None,
        typer.Option(help="Write a CSV, or a PDF to print: calls.csv or calls.pdf."),
    ] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the PDF.")] = Language.FR,
    site: Sites = None,
    limit: PageSize = 50,
    page: PageNumber = 1,
    every: All = False,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """Patients to phone: no mobile number, or a physician asked for a call. Reading is audited.
    A file (--out) holds every patient of the sites asked."""
    from relance.app import notify as service

    if out is not None:
        with user_errors():
            service.call_list_format(out)  # a wrong file name is refused before the audited read
    size, offset = paging(limit, page, every or out is not None)
    ctx = context(None, reads=True)
    as_of = ctx.clock.now()  # taken before reading: what is decided meanwhile is on the list
    with transaction() as uow:
        found = service.call_list_page(uow, ctx, site or (), size, offset)
    entries = found.items
    if out is not None:
        service.write_call_list(entries, out, timezone(), as_of, lang)
        console.print(f"{len(entries)} patients to phone written to {out}")
        return
    if json:
        print_json({"total": found.total, "offset": found.offset, "patients": entries})
        return
    shown = table(count_line(len(entries), found.total, "patients to phone", offset + 1))
    key_column(shown, "appointment", [e.appointment for e in entries])
    text_column(shown, "when", min_width=10)  # the crisis cell's time, as on the printed list
    key_column(shown, "site", [e.site for e in entries])
    text_column(shown, "patient", ratio=1)
    key_column(shown, "phone", [e.phone for e in entries])
    text_column(shown, "decision", min_width=8)
    for e in entries:
        shown.add_row(
            e.appointment, local(e.starts_at), e.site, e.patient, e.phone, e.decision.value
        )
    show(shown, wide)
    hint = page_hint("relance notify call-list", found.total, offset, len(entries), size)
    if hint:
        console.print(hint)
