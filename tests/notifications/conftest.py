"""Real Kannel for tests: bearerbox with its fake SMSC, smsbox, and fakesmsc printing each SMS.

Everything listens on loopback, on free ports, in a temporary directory, with Kannel's default
settings for reports (no http-request-retry): a report lost is lost, as in production. Nothing
waits a fixed time: each step waits for what it needs, read from bearerbox's status page.
Without Kannel the tests skip, unless RELANCE_REQUIRE_SERVICES is set (CI), where they fail.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from relance.cli.dlr_server import listening_socket, report_server

SMALL = Path(__file__).parent.parent / "data/small.yaml"
ZONE = ZoneInfo("Europe/Brussels")
TODAY = datetime(2022, 5, 15, 8, tzinfo=ZONE)  # when the tests' books are triaged
BOOK_HEADER = "appointment,patient,name,language,mobile,phone,site,activity,pathway,start\n"


def book_rows(count: int) -> list[str]:
    """Radiology appointments on site A (the small network's radiology is down: each patient is
    told it is cancelled), in French, Dutch, German and English, each with a mobile."""
    return [
        f"R{i},P{i},Patient {i},{('fr', 'nl', 'de', 'en')[i % 4]},0470 00 {i // 100:02} "
        f"{i % 100:02},,A,radiology,routine,2022-05-17T{8 + i // 10:02}:{i % 10 * 5:02}"
        for i in range(count)
    ]


FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
USER, PASSWORD = "relance", "test-secret"
DEADLINE = 120.0  # seconds: generous, for a loaded machine; waits end as soon as they can
RECEIVED = re.compile(r"Got message \d+: <(\S+) (\S+) text (.*)>$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], object], what: str, seconds: float = DEADLINE) -> None:
    """Return as soon as `condition()` is true; fail saying `what` did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds:.0f} s: {what}")
        time.sleep(0.05)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Kannel:
    directory: Path
    ports: dict[str, int]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def conf(self) -> Path:
        return self.directory / "kannel.conf"

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    @property
    def access_log(self) -> Path:
        """bearerbox's access log: a line per SMS sent, with our id as [ACT:...]."""
        return self.directory / "access.log"

    @property
    def received_file(self) -> Path:
        return self.directory / "fakesmsc.out"

    def received(self) -> Counter[tuple[str, str]]:
        """(to, text) of each SMS the fake SMSC got, and how many times: the ground truth."""
        if not self.received_file.exists():
            return Counter()
        text = self.received_file.read_text(encoding="utf-8", errors="replace")
        found = (RECEIVED.search(line) for line in text.splitlines())
        return Counter((m[2], m[3]) for m in found if m)

    def status(self) -> str:
        """bearerbox's status page ("" while it does not answer)."""
        url = f"http://127.0.0.1:{self.ports['admin']}/status.txt?password={PASSWORD}"
        try:
            return httpx.get(url, timeout=5).text
        except httpx.HTTPError:
            return ""

    def ready(self) -> bool:
        status = self.status()
        return "smsbox:" in status and bool(re.search(r"FAKE\[FAKE\].*\(online", status))

    def idle(self) -> bool:
        """Nothing waiting in bearerbox: every SMS it took has gone to the fake SMSC."""
        status = self.status()
        sms = re.search(
            r"SMS: received \d+ \((\d+) queued\), sent \d+ \((\d+) queued\), "
            r"store size (-?\d+)",
            status,
        )
        return bool(sms) and sms.groups() == ("0", "0", "0") and "queued 0 msgs" in status

    def start(self) -> None:
        """bearerbox, smsbox and fakesmsc, ready to send."""
        self._spawn("bearerbox", ["bearerbox", "-v", "4", str(self.conf)])
        wait_for(lambda: _listening(self.ports["smsbox"]), "bearerbox listens for smsbox")
        self._spawn("smsbox", ["smsbox", "-v", "4", str(self.conf)])
        self.start_smsc()

    def start_smsc(self) -> None:
        """fakesmsc connects to bearerbox's fake SMSC and prints every SMS it gets."""
        with self.received_file.open("a") as out:
            self.processes["fakesmsc"] = subprocess.Popen(
                [
                    str(FAKESMSC),
                    "-H",
                    "127.0.0.1",
                    "-r",
                    str(self.ports["fake"]),
                    "-i",
                    "1",
                    "-m",
                    "0",
                    "1234 5678 text nop",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ready, "smsbox and the fake SMSC connected to bearerbox")

    def stop_smsc(self) -> None:
        """The operator's SMSC goes away: bearerbox keeps what it takes in its queue."""
        self._end(self.processes.pop("fakesmsc"))
        wait_for(lambda: "(online" not in self.status(), "the fake SMSC went offline")

    def stop(self) -> None:
        """A clean shutdown, as an administrator does: bearerbox keeps its queue on disk."""
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(
                f"http://127.0.0.1:{self.ports['admin']}/shutdown?password={PASSWORD}", timeout=5
            )
        for name in ("fakesmsc", "smsbox", "bearerbox"):
            if name in self.processes:
                self._end(self.processes.pop(name))

    def freeze(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGCONT)

    def _spawn(self, name: str, command: list[str]) -> None:
        self.processes[name] = subprocess.Popen(
            command, cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    @staticmethod
    def _end(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGCONT)  # a frozen process cannot end
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def require_kannel() -> None:
    missing = [n for n in ("bearerbox", "smsbox") if shutil.which(n) is None]
    if not FAKESMSC.exists():
        missing.append(str(FAKESMSC))
    if missing:
        if os.environ.get("RELANCE_REQUIRE_SERVICES"):
            pytest.fail(f"Kannel is required but missing: {', '.join(missing)}")
        pytest.skip("Kannel not installed (apt-get install kannel kannel-extras)")


def kannel_conf(directory: Path, ports: dict[str, int]) -> Path:
    """Kannel's settings as relance expects them: its defaults, and bearerbox's access log."""
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
access-log = "{directory}/access.log"
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
    kannel_conf(directory, ports)
    running = Kannel(directory, ports)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@dataclass
class Listener:
    """relance's delivery-report listener, in a thread of the test."""

    engine: Engine
    port: int = field(default_factory=free_port)
    thread: threading.Thread | None = None
    server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dlr"

    def start(self) -> None:
        sock = listening_socket("127.0.0.1", self.port)
        server = report_server(self.engine)
        self.server = server
        self.thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        wait_for(lambda: server.started, "the report listener started")

    def stop(self) -> None:
        if self.thread is None or self.server is None:
            return
        self.server.should_exit = True
        self.thread.join(timeout=DEADLINE)
        self.thread = None


@contextmanager
def listening(engine: Engine) -> Iterator[Listener]:
    listener = Listener(engine)
    listener.start()
    try:
        yield listener
    finally:
        listener.stop()
