"""`relance serve` behind an HTTPS reverse proxy: Secure cookies, the client's real address.

A real server process on 127.0.0.1; the test plays the proxy by sending X-Forwarded-Proto and
X-Forwarded-For, which the server believes only from the addresses of --forwarded-allow-ips.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import make_engine, unit_of_work

SMALL = Path(__file__).parent.parent / "data/small.yaml"
START = 120.0  # seconds for a server process to answer on a loaded machine
HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}
ENV = {**os.environ, "RELANCE_DATABASE_URL": "", "RELANCE_SECURE_COOKIES": ""}


def _relance(directory: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        cwd=directory,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout


@pytest.fixture(scope="module")
def cell(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A database with the small network and a crisis lead: (directory, password)."""
    directory = tmp_path_factory.mktemp("proxy")
    _relance(directory, "init", "--scenario", str(SMALL))
    shown = _relance(directory, "users", "add", "lead", "--role", "crisis_lead")
    return directory, shown.split()[-1]


@contextmanager
def _serving(directory: Path, *options: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "relance", "serve", "--port", str(port), *options]
    process = subprocess.Popen(command, cwd=directory, env=ENV)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START
        while True:
            assert process.poll() is None, "relance serve stopped"
            try:
                httpx.get(f"{url}/login", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "relance serve did not answer"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _sign_in(url: str, password: str, headers: dict[str, str]) -> tuple[str, str]:
    """(the sign-in form's cookie, the session cookie) as Set-Cookie headers."""
    form = httpx.get(f"{url}/login", headers=headers)
    form_cookie = form.headers["set-cookie"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    answer = httpx.post(
        f"{url}/login",
        data={"login": "lead", "password": password, "csrf": csrf.group(1)},
        headers={**headers, "Cookie": form_cookie.split(";")[0]},  # sent by hand: it may be Secure
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
    [session] = [c for c in answer.headers.get_list("set-cookie") if "relance_session=" in c]
    return form_cookie, session


def _flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def _failed_from(directory: Path) -> list[str]:
    engine = make_engine(f"sqlite:///{directory / 'relance.db'}")
    try:
        with unit_of_work(engine) as uow:
            failed = audit_store.find(uow, AuditQuery(event_types=("user.login_failed",)))
    finally:
        engine.dispose()
    return [e.after["address"] for e in failed if e.after]


def _fail(url: str, headers: dict[str, str]) -> None:
    form = httpx.get(f"{url}/login", headers=headers)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    cookie = form.headers["set-cookie"].split(";")[0]
    data = {"login": "nobody", "password": "wrong", "csrf": csrf.group(1)}
    answer = httpx.post(f"{url}/login", data=data, headers={**headers, "Cookie": cookie})
    assert answer.headers["location"].startswith("/login?error=credentials")


def test_behind_a_trusted_https_proxy_cookies_are_secure(cell: tuple[Path, str]) -> None:
    directory, password = cell
    with _serving(directory) as url:  # the proxy on this machine: 127.0.0.1, the default
        form, session = _sign_in(url, password, HTTPS)
        assert {"secure", "httponly", "samesite=strict"} <= _flags(form)
        assert {"secure", "httponly", "samesite=strict"} <= _flags(session)
        _fail(url, HTTPS)  # counted against the client's address, not the proxy's
        plain_form, plain_session = _sign_in(url, password, {})
        assert "secure" not in _flags(plain_form) | _flags(plain_session)
    assert _failed_from(directory)[-1] == "10.1.2.3"


def test_an_untrusted_proxy_is_not_believed(cell: tuple[Path, str]) -> None:
    directory, password = cell
    with _serving(directory, "--forwarded-allow-ips", "10.9.9.9") as url:
        form, session = _sign_in(url, password, HTTPS)
        assert "secure" not in _flags(form) | _flags(session)
        _fail(url, HTTPS)
    assert _failed_from(directory)[-1] == "127.0.0.1"
