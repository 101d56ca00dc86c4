"""Kannel's delivery reports on GET /dlr?id=...&type=..., each answered once it is durable.

smsbox calls the report URL with up to max-pending-requests (512) requests at once and, with its
default settings (no http-request-retry), drops a report whose request fails: the listener must
take them all (a deep listen backlog, one event loop for every connection), and answer 200 only
once the report is committed. Requests hand their report to one writer, which commits whatever
has arrived meanwhile in one transaction (group commit) and then answers each of them: one commit
per report does not keep up with a flood of reports.
"""

import asyncio
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import uvicorn

from relance.app.context import Context
from relance.app.delivery_reports import record_reports
from relance.app.incident_clock import clock_of
from relance.cli.common import _, n_
from relance.storage.database import Engine, unit_of_work

BACKLOG = 4096  # connections waiting to be accepted: above smsbox's 512 requests at once
BATCH = 2000  # reports in one transaction at most
KEEP_ALIVE = 24 * 3600  # seconds: never close an idle connection that smsbox may reuse at once

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Pending = tuple[str, str, "asyncio.Future[tuple[int, str]]"]


class ReportListener:
    """The ASGI application: parses each report, has it recorded, answers when it is."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pending: asyncio.Queue[Pending] | None = None
        self.writer: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        query = parse_qs(scope["query_string"].decode("latin-1"))
        if scope["path"] != "/dlr" or "id" not in query or "type" not in query:
            await _answer(send, 404, "GET /dlr?id=...&type=...")
            return
        await _answer(send, *await self._recorded(query["id"][0], query["type"][0]))

    async def _recorded(self, notification: str, report_type: str) -> tuple[int, str]:
        if self.pending is None:
            self.pending = asyncio.Queue()
            self.writer = asyncio.create_task(self._write(self.pending))
        done: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
        self.pending.put_nowait((notification, report_type, done))
        return await done

    async def _write(self, pending: asyncio.Queue[Pending]) -> None:
        """Commit what has arrived, answer it, again: reports that come during a commit go in
        the next one."""
        while True:
            batch = [await pending.get()]
            while len(batch) < BATCH and not pending.empty():
                batch.append(pending.get_nowait())
            answers = await self._commit([(i, t) for i, t, _done in batch])
            for (_id, _type, done), answer in zip(batch, answers, strict=True):
                if not done.done():
                    done.set_result(answer)

    async def _commit(self, reports: list[tuple[str, str]]) -> list[tuple[int, str]]:
        try:
            refused = await asyncio.to_thread(self._record_all, reports)
        except Exception as error:  # noqa: BLE001 - whatever failed, these reports are not recorded
            said = n_(
                "{n} delivery report not recorded: {error}",
                "{n} delivery reports not recorded: {error}",
                len(reports),
                error=error,
            )
            print(f"{_('error:')} {said}", file=sys.stderr)
            return [(503, "not recorded: the database failed; send it again")] * len(reports)
        return [(400, why) if why else (200, "ok") for why in refused]

    def _record_all(self, reports: list[tuple[str, str]]) -> list[str]:
        with unit_of_work(self.engine) as uow:
            # the database's time: a replay's reports are dated in the incident's time
            return record_reports(uow, Context(actor="gateway", clock=clock_of(uow)), reports)


async def _answer(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound and listening with a backlog deep enough for smsbox (OSError if the port is taken)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


def report_server(engine: Engine) -> uvicorn.Server:
    """The server; run it with .run(sockets=[listening_socket(...)])."""
    config = uvicorn.Config(
        ReportListener(engine),
        lifespan="off",
        log_level="warning",
        access_log=False,  # one line per report helps nobody at a thousand a second
        timeout_keep_alive=KEEP_ALIVE,
        backlog=BACKLOG,
    )
    return uvicorn.Server(config)
