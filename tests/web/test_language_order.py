"""A page's language: the switch, then the account, then RELANCE_LANG, then the browser."""

import pytest
from starlette.requests import Request

from relance.web.language import LANG_COOKIE, language


def _request(cookie: str = "", account: str | None = None, accept: str = "") -> Request:
    headers = []
    if cookie:
        headers.append((b"cookie", f"{LANG_COOKIE}={cookie}".encode()))
    if accept:
        headers.append((b"accept-language", accept.encode()))
    request = Request({"type": "http", "headers": headers, "state": {}})
    if account is not None:
        request.state.account_language = account
    return request


@pytest.mark.parametrize(
    "case",
    [
        ("en", "fr", "fr", "fr", "en"),  # the switch always does what it says
        ("", "en", "fr", "fr", "en"),  # then the account's language
        ("", None, "en", "fr", "en"),  # then RELANCE_LANG
        ("", None, "", "nl, en;q=0.8", "en"),  # then the browser's first known one
        ("", None, "", "", "fr"),  # else French
        ("xx", "", "", "", "fr"),  # unknown codes are skipped
    ],
)
def test_language_order(
    monkeypatch: pytest.MonkeyPatch, case: tuple[str, str | None, str, str, str]
) -> None:
    cookie, account, env, accept, expected = case
    monkeypatch.setenv("RELANCE_LANG", env)
    assert language(_request(cookie, account, accept)) == expected
