"""50 concurrent clients on the overview and the asset list, on SQLite and PostgreSQL.

Builds the demo database, starts `relance serve` on loopback, and loads each page with wrk
(Debian's `wrk` package: a C load generator, so the clients cost little of the machine's two
cores and add no latency of their own) for a bounded time, then prints p50/p99 latency and
throughput with the machine. With --writer, a technician moves one machine a second through
the API during the run, so the pages kept for the readers go stale and are rendered again, as
in a crisis cell where work is being reported. PostgreSQL is measured when --postgres URL (or
RELANCE_TEST_POSTGRES_URL) is given: a database is created for the run and dropped afterwards.

    python benchmarks/web.py --clients 50 --seconds 20 [--writer]
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from machine import about  # benchmarks/machine.py, beside this script

PAGES = ("/", "/assets")


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


def wrk(base: str, token: str, path: str, clients: int, seconds: float) -> dict[str, float]:
    """Closed-loop load: each of `clients` connections sends its next request on the answer."""
    done = subprocess.run(  # noqa: S603 - Debian's wrk on loopback, arguments of ours
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            "Accept-Language: fr",
            f"{base}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    out = done.stdout

    def ms(label: str) -> float:
        found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        if not found:
            raise SystemExit(f"wrk printed no {label} latency:\n{out}")
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    requests = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    for socket_errors in re.findall(r"Socket errors: (.+)", out):
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors))
    return {
        "requests": float(requests.group(1)) if requests else 0.0,
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "per_s": float(rate.group(1)) if rate else 0.0,
        "errors": float(failed),
    }


@contextmanager
def technician(base: str, token: str) -> Iterator[list[int]]:
    """Move one isolated workstation to reimaged every second through the API, in a thread."""
    headers = {"Authorization": f"Bearer {token}"}
    moved: list[int] = []
    stop = threading.Event()
    listed = httpx.get(
        f"{base}/api/v1/assets",
        params={"state": "isolated", "kind": "workstation", "limit": 500},
        headers=headers,
        timeout=30,
    ).json()
    hostnames = [a["hostname"] for a in listed["items"]]

    def work() -> None:
        while hostnames and not stop.wait(1.0):
            answer = httpx.post(
                f"{base}/api/v1/assets/transitions",
                json={"target": "reimaged", "hostnames": [hostnames.pop()], "reason": "bench"},
                headers=headers,
                timeout=30,
            )
            moved.append(answer.status_code)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        yield moved
    finally:
        stop.set()
        thread.join()


def measure(
    backend: str, url: str, directory: Path, args: argparse.Namespace
) -> list[dict[str, object]]:
    started = time.perf_counter()
    relance("demo", "--dir", str(directory), cwd=directory, url=url)
    token = relance("users", "token", "crisis-lead", "--name", "benchmark", cwd=directory, url=url)
    token = token.strip()
    print(f"{backend}: demo database built in {time.perf_counter() - started:.0f} s")
    rows: list[dict[str, object]] = []
    with served(directory, url, args.workers) as base:
        for path in PAGES:
            wrk(base, token, path, args.clients, 2)  # warm up: imports, pools, kept pages
            if args.writer:
                with technician(base, token) as moved:
                    figures = wrk(base, token, path, args.clients, args.seconds)
                figures["writes"] = float(len([m for m in moved if m == 200]))
            else:
                figures = wrk(base, token, path, args.clients, args.seconds)
            print(
                f"{backend:10} {path:8} {figures['requests']:7.0f} requests, {args.clients} "
                f"clients: p50 {figures['p50_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms  "
                f"{figures['per_s']:6.0f} req/s  errors {figures['errors']:.0f}"
                + (f"  transitions {figures['writes']:.0f}" if args.writer else "")
            )
            rows.append({"backend": backend, "page": path, **figures})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="relance serve --workers")
    parser.add_argument("--writer", action="store_true", help="a transition every second")
    parser.add_argument("--postgres", default=os.environ.get("RELANCE_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    print("machine:", json.dumps(about(workers=str(args.workers), load_generator="wrk -t2")))
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "sqlite"
        directory.mkdir()
        rows += measure("sqlite", f"sqlite:///{directory / 'relance.db'}", directory, args)
        if args.postgres:
            directory = Path(tmp) / "postgresql"
            directory.mkdir()
            with postgres_database(args.postgres) as url:
                rows += measure("postgresql", url, directory, args)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
