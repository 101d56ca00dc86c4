"""`relance serve`: the crisis cell's dashboard and API on this machine."""

import errno
import multiprocessing
import signal
import socket
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Annotated

import typer

from relance.cli.common import _, console, fail, open_engine

APP = "relance.web.main:app_from_environment"  # by name: the web layer builds itself
STEADY = 10.0  # seconds: a server process that ends sooner cannot start, and is not restarted


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: the whole LAN).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes.")] = 1,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed "
            "(comma-separated addresses or networks; '*': any, only if nothing else can reach "
            "this port)."
        ),
    ] = "127.0.0.1",
) -> None:
    """Serve the dashboard (pages in French and English) and the REST API under /api."""
    open_engine().dispose()  # a missing or old database is said here, and migrated, once
    try:
        _listening_socket(host, port, shared=False).close()  # nobody else is on this port
    except OSError as error:
        fail(cannot_listen(host, port, error))
    console.print(
        _(
            "relance on {url} (API: /api/openapi.json); Ctrl-C stops it",
            url=f"http://{host}:{port}/",
        ),
        highlight=False,
    )
    if workers == 1:
        _server_process(host, port, forwarded_allow_ips)
    else:
        _supervise(host, port, workers, forwarded_allow_ips)


def cannot_listen(host: str, port: int, error: OSError) -> str:
    """Why the address cannot be listened on, in the operator's words (the system's own reason
    is English)."""
    why = _("another program uses this port") if error.errno == errno.EADDRINUSE else None
    return _(
        "cannot listen on {address}: {why}; choose another --port",
        address=f"{host}:{port}",
        why=why or error.strerror,
    )


def _listening_socket(host: str, port: int, *, shared: bool = True) -> socket.socket:
    """A listening socket of this process on the address, beside its sibling processes' ones.

    Each process listens on its own socket (SO_REUSEPORT) and the kernel spreads the incoming
    connections between them: with one socket shared by all, the process that woke first took
    every connection of a burst and the others stayed idle (measured with 50 clients). The
    IPPROTO_TCP protocol lets asyncio set TCP_NODELAY on the accepted connections: without it
    each kept-alive response waited 40 ms for the client's delayed acknowledgement.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(2048)
    return sock


def _server_process(host: str, port: int, proxies: str) -> None:
    """One server process; behind a trusted proxy, the client's address and scheme it forwards.

    So sign-in waits count per real address, and cookies are Secure when the proxy speaks HTTPS.
    """
    import uvicorn

    config = uvicorn.Config(
        APP, factory=True, log_level="warning", proxy_headers=True, forwarded_allow_ips=proxies
    )
    uvicorn.Server(config).run(sockets=[_listening_socket(host, port)])


def _supervise(host: str, port: int, workers: int, proxies: str) -> None:
    """Run the server processes; start again any that dies until Ctrl-C or SIGTERM."""
    spawn = multiprocessing.get_context("spawn")  # each process builds its own engine
    stopping = False
    started: dict[BaseProcess, float] = {}

    def start() -> BaseProcess:
        process = spawn.Process(target=_server_process, args=(host, port, proxies), daemon=True)
        process.start()
        started[process] = time.monotonic()
        return process

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            process.terminate()

    processes = [start() for _ in range(workers)]
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        ended = wait([p.sentinel for p in processes])
        for i, process in enumerate(processes):
            if process.sentinel not in ended or stopping:
                continue
            if time.monotonic() - started.pop(process) < STEADY:
                stop(signal.SIGTERM, None)  # it cannot start: restarting would only loop
                fail(
                    _(
                        "a server process stopped at start (exit {code}), see above",
                        code=process.exitcode,
                    )
                )
            console.print(
                _(
                    "server process {pid} ended ({code}): restarted",
                    pid=process.pid,
                    code=process.exitcode,
                ),
                highlight=False,
            )
            processes[i] = start()
    for process in processes:
        process.join(timeout=10)
