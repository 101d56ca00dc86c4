"""The clean-zone phone page in Debian's headless Chromium at 390x844, against `relance serve`.

A technician of MAR photographs a label cut from the printed sheet (Chromium on Linux has no
BarcodeDetector: the page sends the photo to the server, as on an iPhone), records a step with
one tap, keeps steps while offline and sees them sent, or refused because the machine moved.
Screenshots land in the test's temporary directory.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.reports.label_images import label_image
from tests.web.test_browser import Server, _relance
from tests.web.test_browser import browser as e2e_browser  # noqa: F401 - a fixture, by this name
from tests.web.test_browser import server as e2e_server  # noqa: F401 - a fixture, by this name

PHONE = {"width": 390, "height": 844}
DEADLINE = 60  # seconds: the machine is loaded, and the page's CSP forbids eval: poll from here


def _until(what: str, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not done():
        assert time.monotonic() < deadline, f"waited {DEADLINE} s for {what}"
        time.sleep(0.2)


@dataclass(frozen=True)
class Bench:
    """The browser, the demo server and a technician limited to MAR (login, password)."""

    browser: Any
    server: Server
    technician: tuple[str, str]

    def phone(self, lang: str) -> tuple[Any, Any]:
        """A phone's browser context and a page signed in on /scan in `lang`."""
        context = self.browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{self.server.url}/lang/{lang}?next=/scan")
        page.fill("input[name=login]", self.technician[0])
        page.fill("input[name=password]", self.technician[1])
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.server.url}/scan")
        return context, page


@pytest.fixture(scope="module")
def bench(request: pytest.FixtureRequest) -> Bench:
    browser_, server_ = (
        request.getfixturevalue("e2e_browser"),
        request.getfixturevalue("e2e_server"),
    )
    made = _relance(
        "users", "add", "tech-mar", "--role", "technician", "--site", "MAR", cwd=server_.directory
    )
    return Bench(browser_, server_, ("tech-mar", made.stdout.split()[-1]))


def _machines(server: Server, *filters: str) -> list[dict[str, Any]]:
    shown = _relance("assets", "list", *filters, "--limit", "1000", "--json", cwd=server.directory)
    found: list[dict[str, Any]] = json.loads(shown.stdout)["assets"]
    return found


def _state(server: Server, hostname: str) -> str:
    shown = _relance("assets", "show", hostname, "--json", cwd=server.directory)
    state: str = json.loads(shown.stdout)["asset"]["state"]
    return state


def _look_up(page: Any, hostname: str) -> None:
    page.fill("#host", hostname)
    page.click("#find button")
    _until(f"{hostname} on the screen", lambda: page.text_content("#machine-name") == hostname)


def _fits(page: Any) -> bool:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return bool(width <= inner)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_fits_a_phone_in_each_language(bench: Bench, lang: str, tmp_path: Path) -> None:
    server = bench.server
    context, page = bench.phone(lang)
    assert page.locator("main h1").count() == 1
    assert page.locator("html").get_attribute("lang") == lang
    assert _fits(page)
    page.screenshot(path=str(tmp_path / f"scan-{lang}.png"))
    hostname = _machines(server, "--site", "MAR", "--state", "isolated")[0]["hostname"]
    _look_up(page, hostname)
    assert page.text_content("#machine .state b") == {"fr": "Isolée", "en": "Isolated"}[lang]
    buttons = page.locator("#machine .steps button")
    assert buttons.count() == 3
    assert all(buttons.nth(n).bounding_box()["height"] >= 48 for n in range(3))  # a thumb's size
    assert _fits(page)
    page.screenshot(path=str(tmp_path / f"scan-machine-{lang}.png"), full_page=True)
    page.click("#machine .steps button[data-to=decommissioned]")  # out of service: confirm first
    confirm = {"fr": "Touchez encore pour confirmer : Retirée du service", "en": "Tap again"}
    assert confirm[lang] in (page.text_content("#machine .steps button.armed") or "")
    assert page.locator("#waiting").is_hidden()
    assert _state(server, hostname) == "isolated"
    arl = _machines(server, "--site", "ARL")[0]["hostname"]
    page.fill("#host", arl)
    page.click("#find button")
    _until("the refusal", lambda: page.locator("#status.error").count() == 1)
    assert arl in (page.text_content("#status") or "")
    assert page.locator("#machine").is_hidden()  # another site's machine: as if unknown
    context.close()


def test_a_label_photo_finds_the_machine_and_one_tap_records_its_step(
    bench: Bench, tmp_path: Path
) -> None:
    server = bench.server
    sheet = tmp_path / "labels.pdf"
    _relance(
        "assets",
        "labels",
        "--site",
        "MAR",
        "--state",
        "isolated",
        "--out",
        str(sheet),
        cwd=server.directory,
    )
    isolated = sorted(
        _machines(server, "--site", "MAR", "--state", "isolated"),
        key=lambda a: (a["department"] or "", a["hostname"]),
    )
    number = 4
    hostname = isolated[number]["hostname"]
    photo = label_image(sheet, number, tmp_path / "label.png")
    context, page = bench.phone("fr")
    page.set_input_files("#photo", str(photo))
    _until("the machine of the label", lambda: page.text_content("#machine-name") == hostname)
    page.fill("#reason", "réinstallée au banc 3")
    page.click("#machine .steps button[data-to=reimaged]")
    _until("the step recorded", lambda: "Enregistré" in (page.text_content("#outcomes") or ""))
    assert _state(server, hostname) == "reimaged"
    assert page.text_content("#machine .state b") == "Réinstallée"
    assert page.locator("#waiting").is_hidden()
    page.screenshot(path=str(tmp_path / "scan-recorded-fr.png"), full_page=True)
    context.close()


def test_steps_wait_offline_and_leave_when_back_one_refused_because_the_machine_moved(
    bench: Bench, tmp_path: Path
) -> None:
    server = bench.server
    first, second = (
        a["hostname"] for a in _machines(server, "--site", "MAR", "--state", "isolated")[-2:]
    )
    context, page = bench.phone("en")
    _until("the phone's copy", lambda: page.evaluate("Object.keys(localStorage).length") > 0)
    context.set_offline(True)
    for hostname in (first, second):
        _look_up(page, hostname)  # offline: from the phone's copy
        assert page.locator("#machine .stale").is_visible()
        page.click("#machine .steps button[data-to=reimaged]")
    _until(
        "two steps waiting", lambda: "2 step(s) waiting" in (page.text_content("#waiting") or "")
    )
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "scan-offline-en.png"), full_page=True)
    _relance(
        "assets",
        "transition",
        second,
        "--to",
        "decommissioned",
        "--reason",
        "scrapped",
        cwd=server.directory,
    )
    assert (_state(server, first), _state(server, second)) == ("isolated", "decommissioned")
    context.set_offline(False)
    _until("the queue sent", lambda: page.locator("#waiting").is_hidden())
    outcomes = page.locator("#outcomes li")
    _until("two outcomes", lambda: outcomes.count() == 2)
    refused, recorded = outcomes.nth(0).text_content(), outcomes.nth(1).text_content()
    assert recorded == f"Recorded: {first} → Reimaged"
    assert re.match(
        rf"Refused: {second}: not recorded, its state moved meanwhile: now Decommissioned",
        refused or "",
    )
    assert (_state(server, first), _state(server, second)) == ("reimaged", "decommissioned")
    assert page.locator("#machine .final").is_visible()  # decommissioned: no step follows
    page.screenshot(path=str(tmp_path / "scan-sent-en.png"), full_page=True)
    context.close()
