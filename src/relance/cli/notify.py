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

from relance.app.choices import DISPATCH_WORKERS
from relance.cli.appointments import sender
from relance.cli.common import (
    N_,
    _,
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
    number_column,
    page_hint,
    paging,
    table,
    text_column,
)
from relance.cli.wording import decision, delivery, n_, number, show_list
from relance.domain.delivery import Delivery, Verdict
from relance.i18n import Language

if TYPE_CHECKING:
    from relance.app import notify as service

app = typer.Typer(help="Patient SMS: send through Kannel, delivery reports, the call list.")
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SETTLE_HINT = N_(
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
        console.print(
            _("dry run: {n} SMS would be sent; nothing sent, nothing changed", n=waiting),
            highlight=False,
        )
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
        errors.print(_("stopping once the SMS under way are answered (again: stop at once)"))
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
    return _(
        "another dispatcher is sending: {holder}, since {since}, last seen {seen}, {n} SMS "
        "under way. One dispatcher at a time: wait for it to end; if it was stopped on another "
        "machine, run again after {time}, when its turn expires",
        holder=h.holder,
        since=local(h.started_at),
        seen=local(h.seen_at),
        n=busy.in_flight,
        time=f"{busy.retry_after.astimezone(timezone()):%H:%M:%S}",
    )


def _print_dispatch(report: "service.DispatchReport") -> None:
    found = report.found
    if found is not None:
        since = _(", started {time}", time=local(found.started_at)) if found.started_at else ""
        seen = _(", last seen {time}", time=local(found.seen_at)) if found.seen_at else ""
        said = _(
            "{n} SMS were being sent by dispatcher {holder}{since}{seen}, which stopped "
            "({why}): {hint}",
            n=found.in_doubt,
            holder=found.holder,
            since=since,
            seen=seen,
            why=found.why_stopped,
            hint=_(SETTLE_HINT),
        )
        warning = _("warning:")
        errors.print(f"[bold yellow]{warning}[/] {said}", highlight=False, soft_wrap=True)
    console.print(
        _(
            "{sent} SMS sent, {not_sent} not sent (left in the queue), {unknown} may have been "
            "sent (unknown), in {seconds} s",
            sent=report.sent,
            not_sent=report.not_sent,
            unknown=report.unknown,
            seconds=number(round(report.seconds, 1)),
        ),
        highlight=False,
    )
    for problem, times in report.problems.items():
        errors.print(f"  {times} x {problem}", highlight=False, markup=False, soft_wrap=True)
    if report.stopped:
        errors.print(_("stopped: {why}", why=report.stopped), highlight=False, markup=False)
    if report.unknown:
        errors.print(
            _("{n} SMS in doubt: {hint}", n=report.unknown, hint=_(SETTLE_HINT)), highlight=False
        )


@app.command()
def status(
    timeout: Annotated[
        int, typer.Option(min=1, help="Minutes without a final report before unconfirmed.")
    ] = 60,
    wide: Wide = False,
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
    shown = table(_("patient SMS"))
    text_column(shown, _("status"), ratio=1, min_width=20)
    number_column(shown, _("messages"))
    for state, n in sorted(counts.items()):
        shown.add_row(delivery(state), str(n))
    show_list(shown, len(counts), wide)
    if sending is not None:
        console.print(
            _(
                "dispatcher {holder} sending since {since}, last seen {seen}",
                holder=sending.holder,
                since=local(sending.started_at),
                seen=local(sending.seen_at),
            ),
            highlight=False,
        )
    if counts.get(Delivery.UNKNOWN):
        console.print(
            _(
                "{n} SMS may have been sent: {hint}",
                n=counts[Delivery.UNKNOWN],
                hint=_(SETTLE_HINT),
            ),
            highlight=False,
        )


@app.command()
def unknown(
    limit: PageSize = 50,
    page: PageNumber = 1,
    every: All = False,
    wide: Wide = False,
    json: Json = False,
) -> None:
    """SMS that may have been sent, with their appointments. Reading is audited."""
    from relance.app import in_doubt

    with transaction() as uow:
        found = in_doubt.in_doubt(uow, context(None, reads=True), "notify unknown")
    if json:
        print_json(found)
        return
    size, offset = paging(limit, page, every)
    rows = found[offset : offset + size] if size is not None else found
    noun = n_("SMS that may have been sent", "SMS that may have been sent", len(found))
    shown = table(count_line(len(rows), len(found), noun, offset + 1))
    key_column(shown, _("message"), [m.id for m in rows])
    key_column(shown, _("appointment"), [m.appointment for m in rows])
    key_column(shown, _("site"), [m.site for m in rows])
    text_column(shown, _("since"), min_width=10)
    text_column(shown, _("claimed by"), min_width=8)
    text_column(shown, _("what happened"), ratio=1)
    for m in rows:
        shown.add_row(m.id, m.appointment, m.site, local(m.since), m.claimed_by, m.detail)
    show_list(shown, len(rows), wide)
    hint = page_hint("relance notify unknown", len(found), offset, len(rows), size)
    if hint:
        console.print(hint, highlight=False)


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
        _(
            "{sent} sent and {gave_up} given up by Kannel, as its access log shows; "
            "{unknown} with no trace there may still have been sent",
            sent=done.sent,
            gave_up=done.gave_up,
            unknown=done.still_unknown,
        ),
        highlight=False,
    )
    if done.still_unknown:
        console.print(
            _(
                "no trace: the request never reached Kannel, or Kannel still holds the SMS in "
                "its queue. Check with Kannel's operator (`relance notify unknown` lists them), "
                "then `relance notify settle ID... --as sent|not-sent --reason ...`"
            ),
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
    said = (
        _(
            "{n} SMS settled as not sent: back in the queue, `relance notify send` sends them",
            n=settled,
        )
        if verdict is Verdict.NOT_SENT
        else _("{n} SMS settled as sent: counted as sent", n=settled)
    )
    console.print(said, highlight=False)


@app.command("dlr-server")
def dlr_server(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (RELANCE_DLR_URL points here).")] = 8081,
) -> None:
    """Receive Kannel's delivery reports on /dlr?id=...&type=... until stopped."""
    from relance.cli.dlr_server import listening_socket, report_server
    from relance.cli.serve import cannot_listen
    from relance.storage.database import UNATTENDED_WAIT

    engine = open_engine(wait=UNATTENDED_WAIT)
    try:
        sock = listening_socket(host, port)
    except OSError as error:
        engine.dispose()
        fail(cannot_listen(host, port, error))
    console.print(
        _("delivery reports: {url} (Ctrl-C to stop)", url=f"http://{host}:{port}/dlr"),
        highlight=False,
    )
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
        service.write_call_list(ctx, entries, out, timezone(), as_of, language=lang)
        said = n_(
            "{n} patient to phone written to {file}",
            "{n} patients to phone written to {file}",
            len(entries),
            file=out,
        )
        console.print(said, highlight=False)
        return
    if json:
        print_json({"total": found.total, "offset": found.offset, "patients": entries})
        return
    noun = n_("patient to phone", "patients to phone", found.total)
    shown = table(count_line(len(entries), found.total, noun, offset + 1))
    key_column(shown, _("appointment"), [e.appointment for e in entries])
    text_column(shown, _("when"), min_width=10)  # the crisis cell's time, as on the printed list
    key_column(shown, _("site"), [e.site for e in entries])
    text_column(shown, _("patient"), ratio=1)
    key_column(shown, _("phone"), [e.phone for e in entries])
    text_column(shown, _("decision"), min_width=10)
    for e in entries:
        shown.add_row(
            e.appointment, local(e.starts_at), e.site, e.patient, e.phone, decision(e.decision)
        )
    show_list(shown, len(entries), wide)
    hint = page_hint("relance notify call-list", found.total, offset, len(entries), size)
    if hint:
        console.print(hint, highlight=False)
