"""A refusal on the audit page, in the reader's language: the trail keeps its message and
values; a row from before they were kept (its English reason only) still shows."""

from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.roles import Role
from relance.storage.database import unit_of_work
from tests.web.conftest import Web, login_of

OLD = "the role Observer may not see the audit trail"


def _refusals(page: str) -> list[str]:
    return [r.split("</tr>")[0] for r in page.split("<tr>") if "access.refused" in r]


def test_the_audit_page_says_a_refusal_in_french_and_in_english(web: Web) -> None:
    refused = web.client.post(
        "/api/v1/tokens", json={"name": "x"}, headers=web.as_role(Role.OBSERVER)
    )
    assert refused.status_code == 403
    assert "a token cannot make tokens" in refused.json()["detail"]  # the API stays English
    with unit_of_work(web.engine) as uow:
        record_event(
            uow, Context("old"), EventType.ACCESS_REFUSED, "request", "GET /audit", reason=OLD
        )
    web.sign_in(login_of(Role.CRISIS_LEAD))

    french = _refusals(web.client.get("/audit").text)
    assert len(french) == 2, french
    now = next(r for r in french if "POST /api/v1/tokens" in r)
    assert "un jeton ne crée pas de jetons" in now
    assert "token" not in now.replace("/api/v1/tokens", "")
    assert "refusal" not in now  # the kept message is the Reason column, not an After value
    older = next(r for r in french if "GET /audit" in r)
    assert "Accès refusé" in older
    assert OLD not in older

    english = _refusals(web.client.get("/audit", headers={"Accept-Language": "en"}).text)
    assert any("a token cannot make tokens" in r for r in english), english
    assert any(OLD in r for r in english)
    assert not any("Accès" in r or "jeton" in r for r in english)
