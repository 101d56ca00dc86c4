"""`relance serve` behind an HTTPS reverse proxy: Secure cookies, the client's real address.

One real server process on 127.0.0.1 that trusts the proxy at 127.0.0.3 only
(--forwarded-allow-ips). The test plays the proxy from 127.0.0.3 (any 127.x address reaches a
loopback server), and an untrusted one from 127.0.0.1, both sending X-Forwarded-Proto and
X-Forwarded-For.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import make_engine, unit_of_work

SMALL = Path(__file__).parent.parent / "data/small.yaml"
DEADLINE = 600.0  # seconds to start or stop a server process on a (very) loaded machine
PROXY, STRANGER = "127.0.0.3", "127.0.0.1"
HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}


def _env() -> dict[str, str]:
    """Read when a command runs: the operator's name is set for the session after import."""
    return {**os.environ, "RELANCE_DATABASE_URL": "", "RELANCE_SECURE_COOKIES": ""}


@dataclass
class Served:
    url: str
    directory: Path
    password: str

    def client(self, source: str) -> httpx.Client:
        """A client whose connections come from `source`."""
        transport = httpx.HTTPTransport(local_address=source)
        return httpx.Client(base_url=self.url, transport=transport, timeout=60)


def _relance(directory: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        cwd=directory,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=DEADLINE,
    ).stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("proxy")
    _relance(directory, "init", "--scenario", str(SMALL))
    password = _relance(directory, "users", "add", "lead", "--role", "crisis_lead").split()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve = ["serve", "--port", str(port), "--forwarded-allow-ips", PROXY]
    process = subprocess.Popen([sys.executable, "-m", "relance", *serve], cwd=directory, env=_env())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE
        while True:  # wait for the condition, never a fixed time
            assert process.poll() is None, "relance serve stopped"
            try:
                httpx.get(f"{url}/login", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "relance serve did not answer"
                time.sleep(0.2)
        yield Served(url, directory, password)
    finally:
        process.terminate()
        process.wait(timeout=DEADLINE)


def _form(client: httpx.Client) -> tuple[str, str]:
    """(the sign-in form's Set-Cookie, its CSRF token)."""
    form = client.get("/login", headers=HTTPS)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    return form.headers["set-cookie"], csrf.group(1)


def _post(client: httpx.Client, login: str, password: str) -> httpx.Response:
    cookie, csrf = _form(client)
    client.cookies.clear()  # sent by hand below: a Secure cookie is not sent back over http
    return client.post(
        "/login",
        data={"login": login, "password": password, "csrf": csrf},
        headers={**HTTPS, "Cookie": cookie.split(";")[0]},
    )


def _flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def _signed_in(client: httpx.Client, password: str) -> set[str]:
    """The flags of the sign-in form's cookie and of the session cookie, together."""
    form_cookie, _ = _form(client)
    answer = _post(client, "lead", password)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
    [session] = [c for c in answer.headers.get_list("set-cookie") if "relance_session=" in c]
    assert {"httponly", "samesite=strict"} <= _flags(session)
    return _flags(form_cookie) & _flags(session)


def _last_failure_address(directory: Path) -> str:
    engine = make_engine(f"sqlite:///{directory / 'relance.db'}")
    try:
        with unit_of_work(engine) as uow:
            failed = audit_store.find(uow, AuditQuery(event_types=("user.login_failed",)))
    finally:
        engine.dispose()
    assert failed[-1].after
    return str(failed[-1].after["address"])


def test_behind_a_trusted_https_proxy_cookies_are_secure(served: Served) -> None:
    with served.client(PROXY) as proxy:
        assert "secure" in _signed_in(proxy, served.password)
        assert _post(proxy, "nobody", "wrong").headers["location"].startswith("/login?error=")
    assert _last_failure_address(served.directory) == "10.1.2.3"  # the client's, not the proxy's


def test_an_untrusted_proxy_is_not_believed(served: Served) -> None:
    with served.client(STRANGER) as stranger:
        assert "secure" not in _signed_in(stranger, served.password)
        assert _post(stranger, "nobody", "wrong").headers["location"].startswith("/login?error=")
    assert _last_failure_address(served.directory) == STRANGER
