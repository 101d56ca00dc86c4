"""Accounts, API tokens, sign-in waits and headers through the API and the pages (both backends)."""

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from relance.domain.roles import Role
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from relance.web.app import create_app
from tests.web.conftest import PASSWORD, Web, login_of

LEAD = login_of(Role.CRISIS_LEAD)


def _audited(web: Web, event_type: str) -> list[audit_store.AuditEvent]:
    with unit_of_work(web.engine) as uow:
        return audit_store.find(uow, AuditQuery(event_types=(event_type,)))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _lives(token: dict[str, str]) -> timedelta:
    return datetime.fromisoformat(token["expires_at"]) - datetime.fromisoformat(token["created_at"])


# M5: tokens expire, are listed and revoked one by one, die with the password.


def test_a_session_makes_tokens_that_expire_and_lists_and_revokes_them(web: Web) -> None:
    csrf = {"X-CSRF-Token": web.sign_in("observer")}
    made = web.client.post("/api/v1/tokens", json={"name": "wallboard"}, headers=csrf)
    assert made.status_code == 201, made.text
    assert _lives(made.json()) == timedelta(hours=12)
    week = web.client.post(
        "/api/v1/tokens", json={"name": "weekly", "expires": "7d"}, headers=csrf
    ).json()
    assert _lives(week) == timedelta(days=7)
    too_long = web.client.post("/api/v1/tokens", json={"name": "x", "expires": "31d"}, headers=csrf)
    assert too_long.status_code == 400
    assert "from 1h to 30d" in too_long.json()["detail"]
    web.client.cookies.clear()
    secret = made.json()["token"]
    assert web.client.get("/api/v1/status", headers=_bearer(secret)).status_code == 200
    listed = web.client.get("/api/v1/tokens", headers=_bearer(secret))
    assert [(t["name"], t["last_used_at"] is not None) for t in listed.json()] == [
        ("tests", False),
        ("wallboard", True),
        ("weekly", False),
    ]
    assert "token" not in listed.json()[0]
    assert secret not in listed.text
    gone = web.client.delete(f"/api/v1/tokens/{week['id']}", headers=_bearer(secret))
    assert gone.json()["name"] == "weekly"
    assert web.client.get("/api/v1/me", headers=_bearer(week["token"])).status_code == 401
    assert web.client.get("/api/v1/me", headers=_bearer(secret)).status_code == 200
    assert [e.actor for e in _audited(web, "user.token_revoked")] == ["observer"]


def test_a_token_cannot_make_a_token(web: Web) -> None:
    answer = web.client.post(
        "/api/v1/tokens", json={"name": "forever"}, headers=web.as_role(Role.OBSERVER)
    )
    assert answer.status_code == 403
    assert "a token cannot make tokens" in answer.json()["detail"]
    [refused] = _audited(web, "access.refused")
    assert (refused.actor, refused.object_key) == ("observer", "POST /api/v1/tokens")


def test_the_crisis_lead_lists_and_revokes_the_tokens_of_an_account(web: Web) -> None:
    lead = web.as_role(Role.CRISIS_LEAD)
    listed = web.client.get("/api/v1/users/technician/tokens", headers=lead).json()
    assert [t["name"] for t in listed] == ["tests"]
    revoked = web.client.delete(f"/api/v1/users/technician/tokens/{listed[0]['id']}", headers=lead)
    assert revoked.status_code == 200
    assert web.client.get("/api/v1/me", headers=web.as_role(Role.TECHNICIAN)).status_code == 401
    other = web.client.get("/api/v1/users/crisis-lead/tokens", headers=web.as_role(Role.CLINICIAN))
    assert other.status_code == 403
    missing = web.client.delete("/api/v1/users/clinician/tokens/999999", headers=lead)
    assert missing.status_code == 400
    assert "clinician has no token 999999" in missing.json()["detail"]


def test_a_password_reset_through_the_api_kills_the_accounts_tokens(web: Web) -> None:
    lead = web.as_role(Role.CRISIS_LEAD)
    reset = web.client.post("/api/v1/users/technician/reset-password", headers=lead)
    assert reset.status_code == 200
    assert web.client.get("/api/v1/me", headers=web.as_role(Role.TECHNICIAN)).status_code == 401
    disabled = web.client.post("/api/v1/users/clinician/disable", headers=lead)
    assert disabled.status_code == 200
    assert web.client.get("/api/v1/me", headers=web.as_role(Role.CLINICIAN)).status_code == 401


# M6: the crisis lead cannot lock the cell out of its own accounts.


def test_the_last_crisis_lead_can_neither_disable_nor_demote_itself(web: Web) -> None:
    lead = web.as_role(Role.CRISIS_LEAD)
    disabled = web.client.post(f"/api/v1/users/{LEAD}/disable", headers=lead)
    assert disabled.status_code == 400
    assert "the last active crisis lead" in disabled.json()["detail"]
    demoted = web.client.put(f"/api/v1/users/{LEAD}/role", json={"role": "observer"}, headers=lead)
    assert demoted.status_code == 400
    assert web.client.get("/api/v1/users", headers=lead).status_code == 200
    csrf = web.sign_in(LEAD)
    page = web.client.post(f"/users/{LEAD}/disable", data={"csrf": csrf})
    assert page.status_code == 400
    assert "dernier responsable de crise actif" in page.text


def test_sign_in_waits_for_one_account_from_one_address_only(web: Web) -> None:
    """Five wrong passwords from one desk: the same person signs in from another desk."""
    for _ in range(5):
        _try(web.client, "observer", "wrong")
    assert _try(web.client, "observer", PASSWORD).startswith("/login?error=rate_limited&wait=")
    assert _try(web.client, "clinician", PASSWORD) == "/"  # every other account: at once
    with TestClient(create_app(web.engine), client=("10.0.0.2", 50000)) as elsewhere:
        assert _try(elsewhere, "observer", PASSWORD) == "/"
    addresses = {e.after["address"] for e in _audited(web, "user.login_failed") if e.after}
    assert addresses == {"testclient"}


def _try(client: TestClient, login: str, password: str) -> str:
    form = client.get("/login").text
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    answer = client.post(
        "/login",
        data={"login": login, "password": password, "csrf": csrf},
        follow_redirects=False,
    )
    return str(answer.headers["location"])


def test_the_sign_in_page_says_how_long_to_wait(web: Web) -> None:
    shown = web.client.get("/login?error=rate_limited&wait=37").text
    assert "réessayez dans 37 s" in shown
    later = web.client.get("/login?error=credentials&wait=900", headers={"Accept-Language": "en"})
    assert "Next attempt possible in 15 min." in later.text
    assert "possible in" not in web.client.get("/login?error=credentials&wait=x").text


# L9: least privilege unless said.


def test_a_new_account_is_an_observer_unless_said(web: Web) -> None:
    made = web.client.post(
        "/api/v1/users", json={"login": "j.dupont"}, headers=web.as_role(Role.CRISIS_LEAD)
    )
    assert made.status_code == 201, made.text
    csrf = web.sign_in(LEAD)
    page = web.client.get("/users").text
    form = page.split('action="/users" class="filters"')[1]
    assert '<option value="observer" selected>Observateur</option>' in form
    assert form.count(" selected>") == 1
    added = web.client.post("/users", data={"csrf": csrf, "login": "m.martin"})
    assert added.status_code == 200
    roles = {u["login"]: u["role"] for u in web.client.get("/api/v1/users").json()}
    assert (roles["j.dupont"], roles["m.martin"]) == ("observer", "observer")


# The accounts page: tokens listed and revoked one by one.


def test_the_accounts_page_lists_tokens_and_revokes_one(web: Web) -> None:
    csrf = web.sign_in(LEAD)
    page = web.client.get("/users", headers={"Accept-Language": "en"}).text
    table = page.split('<table class="list" id="tokens">')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + len(Role)  # the head and one "tests" token per account
    assert all(secret not in page for secret in web.tokens.values())
    action = table.split('action="/users/technician/tokens/')[1].split('"')[0]
    revoked = web.client.post(
        f"/users/technician/tokens/{action}", data={"csrf": csrf}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert web.client.get("/api/v1/me", headers=web.as_role(Role.TECHNICIAN)).status_code == 401
    assert "/users/technician/tokens/" not in web.client.get("/users").text


# L10: no copy of patient data kept by a browser or a proxy.


def test_every_answer_of_a_signed_in_caller_and_the_sign_in_page_are_not_stored(
    web: Web,
) -> None:
    stranger = [web.client.get("/login"), web.client.get("/api/v1/status")]
    web.sign_in(LEAD)
    pages = ["/", "/assets", "/appointments", "/notifications", "/audit", "/users"]
    api = ["/status", "/assets", "/appointments/review", "/users", "/tokens", "/me", "/audit"]
    answers = [web.client.get(p) for p in pages]
    answers += [web.client.get(f"/api/v1{p}") for p in api]
    answers += [web.client.get("/assets/NO-SUCH-HOST")]  # an error page
    for answer in stranger + answers:
        assert answer.headers["cache-control"] == "no-store", answer.url
    assert "no-store" not in web.client.get("/static/relance.css").headers.get("cache-control", "")
    assert web.client.get("/colours.css").headers["cache-control"] == "max-age=3600"


def test_tokens_are_audited_without_their_secret(web: Web) -> None:
    created = _audited(web, "user.token_created")
    assert len(created) == len(Role)
    assert all(set(e.after or {}) == {"token", "name", "expires_at"} for e in created)
    assert not any(s in repr(created) for s in web.tokens.values())


def test_cookies_are_secure_when_said_for_a_proxy_without_forwarded_proto(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "secure" not in web.client.get("/login").headers["set-cookie"].lower()
    monkeypatch.setenv("RELANCE_SECURE_COOKIES", "1")
    assert "; secure" in web.client.get("/login").headers["set-cookie"].lower()


def test_the_accounts_page_names_the_roles_in_the_readers_words(web: Web) -> None:
    """French: 'Technicien' in the list, the menus and the header (the page's own list of
    roles once hid the reader's role from the header, and showed 'crisis_lead')."""
    web.sign_in(LEAD)
    page = web.client.get("/users").text
    header = page.split("<main")[0]
    assert "Responsable de crise" in header
    row = next(r for r in page.split("<tr>") if '"mono">technician<' in r)
    assert "<td>Technicien</td>" in row
    assert '<option value="technician" selected>Technicien</option>' in row
    assert "crisis_lead" not in page.split("<main")[1].replace('value="crisis_lead"', "")
