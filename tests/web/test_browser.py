"""End to end in Debian's headless Chromium, driven by Playwright, against `relance serve`.

Skips without chromium or playwright, unless RELANCE_REQUIRE_SERVICES is set (CI): then fails.
Screenshots of every page at 1366x768 land in the test's temporary directory.
"""

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.pofile import read_po

from relance.domain.roles import Role
from relance.i18n import catalogue_path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTING = 600.0  # seconds to start or stop `relance serve` on a loaded machine
PAGES = [
    "/",
    "/assets",
    "/services",
    "/plan",
    "/timeline",
    "/audit",
    "/appointments",
    "/notifications",
    "/sitreps",
    "/snapshots",
    "/users",
]


def _need(reason: str) -> None:
    if os.environ.get("RELANCE_REQUIRE_SERVICES"):
        pytest.fail(f"RELANCE_REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


def _relance(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RELANCE_DATABASE_URL": "", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


@dataclass
class Server:
    url: str
    directory: Path
    login: str
    password: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("e2e")
    shown = _relance("demo", cwd=directory).stdout
    found = re.search(r"connectez-vous comme (\S+) avec le mot de passe (\S+)", shown)
    assert found, shown
    _relance("users", "add", "tech", "--role", "technician", cwd=directory)
    port = _free_port()
    env = {**os.environ, "RELANCE_DATABASE_URL": ""}
    process = subprocess.Popen(
        # Two processes, each keeping its own rendered pages: the pages must still follow
        # changes made through the other one.
        [sys.executable, "-m", "relance", "serve", "--port", str(port), "--workers", "2"],
        cwd=directory,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTING
        while True:
            assert process.poll() is None, "relance serve stopped"
            try:
                httpx.get(f"{url}/login", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "relance serve did not answer"
                time.sleep(0.1)
        yield Server(url, directory, found.group(1), found.group(2))
    finally:
        process.terminate()
        try:  # its workers finish their requests first: slow on a loaded machine
            process.wait(timeout=STARTING)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _need("Debian's chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional in dev
    except ImportError:
        _need("the playwright package is not installed")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _page(browser: Any, server: Server, login: str, password: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    return page


def test_the_crisis_lead_sees_the_five_hospitals_and_every_page(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    page = _page(browser, server, server.login, server.password)
    # the time left counts from the replay's time (day 3), not from the browser's clock
    first = page.locator("[data-due]").first
    deadline = time.monotonic() + 30
    while not first.inner_text():
        assert time.monotonic() < deadline, "the time left was never filled"
        page.wait_for_timeout(250)
    assert re.fullmatch(r"-2 [jd] 12 h", first.inner_text()), first.inner_text()  # due 15 May
    matrix = page.locator("table.matrix tbody tr")
    assert matrix.count() >= 5
    text = page.locator("table.matrix").inner_text()
    for site in ("MAR", "LIB", "ARL", "BAS", "VIR"):
        assert site in text
    for path in PAGES:
        page.goto(f"{server.url}{path}")
        assert page.locator("main h1").count() == 1, path
        name = "overview" if path == "/" else path.strip("/")
        page.screenshot(path=str(tmp_path / f"{name}.png"))
    page.goto(f"{server.url}/lang/en")
    assert "Overview" in page.locator("nav").inner_text()
    page.screenshot(path=str(tmp_path / "overview-en.png"))


def test_a_technician_moves_machines_and_the_overview_follows(browser: Any, server: Server) -> None:
    password = _relance("users", "reset-password", "tech", cwd=server.directory).stdout.split()[-1]
    watcher = _page(browser, server, server.login, server.password)
    before = watcher.locator(".figure b").first.inner_text()
    tech = _page(browser, server, "tech", password)
    assert "/appointments" not in tech.locator("nav").inner_html()
    tech.goto(f"{server.url}/assets?site=MAR&state=clean_zone")
    tech.select_option("select[name=target]", "redeployed")
    tech.fill("input[name=reason]", "back on the wards")
    tech.click("form.bulk button")
    tech.wait_for_url(re.compile(r".*moved=\d+.*"))
    assert "machines" in tech.locator("p.ok").inner_text()
    # the crisis lead's overview refreshes itself (polling) without a reload
    deadline = time.monotonic() + 15  # the pages' CSP forbids eval: poll from here
    while watcher.locator(".figure b").first.inner_text() == before:
        assert time.monotonic() < deadline, "the overview did not refresh itself"
        watcher.wait_for_timeout(250)
    assert int(watcher.locator(".figure b").first.inner_text()) > int(before)
    refused = tech.goto(f"{server.url}/appointments")
    assert refused is not None
    assert refused.status == 403


def test_a_second_server_on_the_same_port_is_refused(server: Server) -> None:
    port = server.url.rsplit(":", 1)[1]
    env = {**os.environ, "RELANCE_DATABASE_URL": ""}
    second = subprocess.run(
        [sys.executable, "-m", "relance", "serve", "--port", port],
        cwd=server.directory,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert second.returncode == 2
    assert f"impossible d'écouter sur 127.0.0.1:{port}" in second.stderr


def test_the_crisis_lead_sees_and_revokes_a_token_on_the_accounts_page(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    made = _relance("users", "token", "tech", "--name", "wallboard", cwd=server.directory)
    bearer = {"Authorization": f"Bearer {made.stdout.strip()}"}
    assert httpx.get(f"{server.url}/api/v1/me", headers=bearer).status_code == 200
    page = _page(browser, server, server.login, server.password)
    page.goto(f"{server.url}/users")
    row = page.locator("#tokens tbody tr", has_text="wallboard")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[:2] == ["tech", "wallboard"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells[4])  # last used: the call above
    assert made.stdout.strip() not in page.content()
    added = page.locator("form.filters select[name=role]")
    assert added.input_value() == "observer"  # a new account: least privilege unless said
    page.screenshot(path=str(tmp_path / "users-tokens.png"), full_page=True)
    with page.expect_navigation():
        row.locator("button").click()
    assert page.locator("#tokens tbody tr", has_text="wallboard").count() == 0
    assert httpx.get(f"{server.url}/api/v1/me", headers=bearer).status_code == 401


def _english_messages() -> set[str]:
    """The interface's English texts that French writes otherwise (long enough to be unique)."""
    source = files("relance").joinpath(catalogue_path("fr")).read_bytes()
    return {
        str(m.id)
        for m in read_po(io.BytesIO(source))
        if isinstance(m.id, str) and " " in m.id and "{" not in m.id and m.string != m.id
    }


SIZES = [(1366, 768), (390, 844)]
# A column's header wider than its cell runs into its neighbour's ("Hospitalisation" over
# "Chirurgie programmée" in the overview's matrix, once).
CUT_HEADERS = """[...document.querySelectorAll('th')]
    .filter(h => h.scrollWidth > h.clientWidth + 1).map(h => h.innerText)"""
SCOPES = ["", "MAR"]  # the whole network, one site
ACCOUNTS = [(role.value, site) for role in Role for site in SCOPES]  # every role, both scopes


@pytest.fixture(scope="module")
def accounts(server: Server) -> dict[tuple[str, str], str]:
    """An account of every role, of the whole network and of one site: login -> password."""
    made = {}
    for role, site in ACCOUNTS:
        scope = ["--site", site] if site else []
        shown = _relance(
            "users", "add", _login(role, site), "--role", role, *scope, cwd=server.directory
        )
        made[role, site] = shown.stdout.split()[-1]  # the password ends the line
    return made


def _login(role: str, site: str) -> str:
    return f"{role.replace('_', '-')}-{site.lower() or 'all'}"


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: _login(*a))
def test_no_page_is_wider_than_the_screen_nor_mixes_languages(
    browser: Any,
    server: Server,
    accounts: dict[tuple[str, str], str],
    account: tuple[str, str],
    tmp_path: Path,
) -> None:
    """Every page a role may open, at a laptop's and a phone's width, in French and English
    (French only for a site's account): nothing scrolls sideways (the menu neither), and no
    French page shows an English text."""
    english = _english_messages()
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{server.url}/login")
        page.fill("input[name=login]", _login(*account))
        page.fill("input[name=password]", accounts[account])
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/")
        menu = [a.get_attribute("href") for a in page.locator("header nav a").all()]
        assert "/" in menu
        # A site's account sees fewer rows than the same role's network-wide one: French (the
        # cell's language) is enough there, and keeps this test within CI's time.
        for lang in ("fr", "en") if not account[1] else ("fr",):
            page.goto(f"{server.url}/lang/{lang}")
            for path in [*menu, "/scan", "/assets/MAR-SRV-AD-01", "/nowhere"]:
                page.goto(f"{server.url}{path}")
                assert page.evaluate("document.documentElement.lang") == lang, path
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= page.evaluate("innerWidth"), f"{path} is {wide} px wide at {width}"
                cut = page.evaluate(CUT_HEADERS)
                assert cut == [], f"{path}: headers run out of their cells at {width}: {cut}"
                nav = page.locator("header nav")
                if nav.count():  # the menu wraps: every entry in sight, none scrolled away
                    assert nav.evaluate("n => n.scrollWidth <= n.clientWidth"), path
                if lang == "fr":
                    text = page.locator("body").inner_text()
                    assert sorted(m for m in english if m in text) == [], path
                if account == ("crisis_lead", ""):  # the pages as the lead sees them, to look at
                    name = path.strip("/").replace("/", "-") or "overview"
                    shot = tmp_path / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
        context.close()
