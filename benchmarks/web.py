"""50 concurrent clients on the overview and the asset list, on SQLite and PostgreSQL.

Builds the demo database, starts `relance serve` on loopback, and sends a bounded number of
requests (and for a bounded time) from concurrent clients; prints p50/p99 latency, throughput
and the machine. PostgreSQL is measured when --postgres URL (or RELANCE_TEST_POSTGRES_URL) is
given: a database is created on that server for the run and dropped afterwards.

    python benchmarks/web.py --clients 50 --requests 2000
"""

import argparse
import asyncio
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PAGES = ("/", "/assets")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    if info.exists():
        found = re.search(r"model name\s*:\s*(.+)", info.read_text(encoding="utf-8"))
        cpu = found.group(1) if found else cpu
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def relance(*args: str, cwd: Path, url: str) -> str:
    env = {**os.environ, "RELANCE_DATABASE_URL": url}
    done = subprocess.run(  # noqa: S603 - this Python running relance, arguments of ours
        [sys.executable, "-m", "relance", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    name = f"relance_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def served(directory: Path, url: str, workers: int) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RELANCE_DATABASE_URL": url}
    process = subprocess.Popen(  # noqa: S603 - this Python running relance, fixed arguments
        [
            sys.executable,
            "-m",
            "relance",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=directory,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


async def load(
    base: str, token: str, path: str, *, clients: int, requests: int, seconds: float
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    left = requests
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal left, errors
        while left > 0 and time.perf_counter() < deadline:
            left -= 1
            start = time.perf_counter()
            answer = await http.get(path, headers=headers)
            latencies.append(time.perf_counter() - start)
            errors += answer.status_code != 200

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await http.get(path, headers=headers)  # warm the caches once
        start = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def measure(backend: str, url: str, directory: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    relance("demo", "--dir", str(directory), cwd=directory, url=url)
    token = relance("users", "token", "crisis-lead", "--name", "benchmark", cwd=directory, url=url)
    print(f"{backend}: demo database built in {time.perf_counter() - started:.0f} s")
    with served(directory, url, args.workers) as base:
        for path in PAGES:
            lat, errors, elapsed = asyncio.run(
                load(
                    base,
                    token.strip(),
                    path,
                    clients=args.clients,
                    requests=args.requests,
                    seconds=args.seconds,
                )
            )
            q = statistics.quantiles(lat, n=100)
            print(
                f"{backend:10} {path:8} {len(lat):5} requests, {args.clients} clients: "
                f"p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms  "
                f"{len(lat) / elapsed:6.0f} req/s  errors {errors}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="per page, at most")
    parser.add_argument("--seconds", type=float, default=60, help="per page, at most")
    parser.add_argument("--workers", type=int, default=2, help="relance serve --workers")
    parser.add_argument("--postgres", default=os.environ.get("RELANCE_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"machine: {machine()}; relance serve --workers {args.workers}")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "sqlite"
        directory.mkdir()
        measure("sqlite", f"sqlite:///{directory / 'relance.db'}", directory, args)
        if args.postgres:
            directory = Path(tmp) / "postgresql"
            directory.mkdir()
            with postgres_database(args.postgres) as url:
                measure("postgresql", url, directory, args)


if __name__ == "__main__":
    main()
