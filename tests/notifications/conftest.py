"""Real Kannel for tests: bearerbox with its fake SMSC, smsbox, and fakesmsc printing each SMS.

Everything listens on loopback, on free ports, in a temporary directory. Without Kannel the
tests skip, unless RELANCE_REQUIRE_SERVICES is set (CI), where they fail.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
USER, PASSWORD = "relance", "test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@dataclass
class Kannel:
    sendsms_url: str
    admin_port: int
    received: Path  # fakesmsc's output: one line per SMS it received

    def messages(self) -> list[str]:
        lines = self.received.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if "Got message" in line]


def require_kannel() -> None:
    missing = [n for n in ("bearerbox", "smsbox") if shutil.which(n) is None]
    if not FAKESMSC.exists():
        missing.append(str(FAKESMSC))
    if missing:
        if os.environ.get("RELANCE_REQUIRE_SERVICES"):
            pytest.fail(f"Kannel is required but missing: {', '.join(missing)}")
        pytest.skip("Kannel not installed (apt-get install kannel kannel-extras)")


def kannel_conf(directory: Path, ports: dict[str, int]) -> Path:
    conf = directory / "kannel.conf"
    conf.write_text(
        f"""group = core
admin-port = {ports["admin"]}
admin-password = {PASSWORD}
admin-interface = 127.0.0.1
smsbox-port = {ports["smsbox"]}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "{directory}/bearerbox.log"
log-level = 1
dlr-storage = internal
store-type = file
store-location = "{directory}/store"

group = smsc
smsc = fake
smsc-id = FAKE
port = {ports["fake"]}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports["smsbox"]}
sendsms-port = {ports["sendsms"]}
sendsms-interface = 127.0.0.1
log-file = "{directory}/smsbox.log"
log-level = 1
http-request-retry = 3
http-queue-delay = 2

group = sendsms-user
username = {USER}
password = {PASSWORD}
concatenation = true
max-messages = 3
""",
        encoding="utf-8",
    )
    return conf


@pytest.fixture
def kannel(tmp_path: Path) -> Iterator[Kannel]:
    require_kannel()
    with start_kannel(tmp_path) as running:
        yield running


@contextmanager
def start_kannel(tmp_path: Path) -> Iterator[Kannel]:
    """bearerbox, smsbox and fakesmsc in `tmp_path`/kannel, stopped on leaving."""
    directory = tmp_path / "kannel"
    directory.mkdir()
    ports = {name: free_port() for name in ("admin", "smsbox", "fake", "sendsms")}
    conf = kannel_conf(directory, ports)
    received = directory / "fakesmsc.out"
    processes = []
    try:
        processes.append(
            subprocess.Popen(
                ["bearerbox", "-v", "4", str(conf)],
                cwd=directory,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for_port(ports["smsbox"])
        processes.append(
            subprocess.Popen(
                ["smsbox", "-v", "4", str(conf)],
                cwd=directory,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for_port(ports["sendsms"])
        with received.open("w") as out:
            processes.append(
                subprocess.Popen(
                    [
                        str(FAKESMSC),
                        "-H",
                        "127.0.0.1",
                        "-r",
                        str(ports["fake"]),
                        "-i",
                        "1",
                        "-m",
                        "0",
                        "1234 5678 text nop",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
        time.sleep(1.0)  # fakesmsc connects to bearerbox's fake SMSC listener
        yield Kannel(
            f"http://127.0.0.1:{ports['sendsms']}/cgi-bin/sendsms", ports["admin"], received
        )
    finally:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{ports['admin']}/shutdown?password={PASSWORD}", timeout=5)
        for process in reversed(processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
