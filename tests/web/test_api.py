"""The REST API with the test client, on SQLite and PostgreSQL: auth, roles, pages of lists."""

from datetime import datetime, timedelta
from functools import partial

from relance.app.context import Context
from relance.app.plan import PlanOptions, make_plan
from relance.domain.roles import Role
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from tests.web.conftest import Web


def _audited(web: Web, event_type: str) -> list[audit_store.AuditEvent]:
    with unit_of_work(web.engine) as uow:
        return audit_store.find(uow, AuditQuery(event_types=(event_type,)))


def test_without_a_token_the_api_answers_401(web: Web) -> None:
    answer = web.client.get("/api/v1/status")
    assert answer.status_code == 401
    bad = web.client.get("/api/v1/status", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_status_gives_sites_activities_and_figures(web: Web) -> None:
    body = web.client.get("/api/v1/status", headers=web.as_role(Role.OBSERVER)).json()
    assert body["network"] == "small"
    assert [s["code"] for s in body["sites"]] == ["A", "B"]
    assert body["figures"]["machines"] > 0
    assert body["figures"]["redeployed"] == 0


def test_assets_are_paginated_and_filtered(web: Web) -> None:
    headers = web.as_role(Role.OBSERVER)
    everything = web.client.get("/api/v1/assets", headers=headers).json()
    first = web.client.get("/api/v1/assets?limit=2&offset=0", headers=headers).json()
    second = web.client.get("/api/v1/assets?limit=2&offset=2", headers=headers).json()
    assert first["total"] == everything["total"] > 3
    assert len(first["items"]) == 2
    assert {a["hostname"] for a in first["items"]}.isdisjoint(
        a["hostname"] for a in second["items"]
    )
    at_b = web.client.get("/api/v1/assets?site=B", headers=headers).json()
    assert at_b["total"] > 0
    assert {a["site"] for a in at_b["items"]} == {"B"}


def test_a_technician_transitions_assets_with_the_cli_rules(web: Web) -> None:
    headers = web.as_role(Role.TECHNICIAN)
    moved = web.client.post(
        "/api/v1/assets/transitions",
        json={"sites": ["B"], "target": "isolated", "reason": "network cut"},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["moved"] > 0
    illegal = web.client.post(
        "/api/v1/assets/transitions",
        json={"sites": ["B"], "target": "redeployed", "reason": "too fast"},
        headers=headers,
    )
    assert illegal.status_code == 400
    assert "nothing" not in illegal.json()["detail"] or illegal.json()["problems"]
    assert illegal.json()["problems"]
    empty = web.client.post(
        "/api/v1/assets/transitions", json={"target": "isolated", "reason": "cut"}, headers=headers
    )
    assert empty.status_code == 400  # an empty filter needs everything=true, as --all


def test_an_observer_cannot_write_and_the_attempt_is_audited(web: Web) -> None:
    refused = web.client.post(
        "/api/v1/assets/transitions",
        json={"sites": ["B"], "target": "isolated", "reason": "cut"},
        headers=web.as_role(Role.OBSERVER),
    )
    assert refused.status_code == 403
    events = _audited(web, "access.refused")
    assert [(e.actor, e.object_key) for e in events] == [
        ("observer", "POST /api/v1/assets/transitions")
    ]


def test_a_technician_cannot_see_patients_nor_change_roles(web: Web) -> None:
    headers = web.as_role(Role.TECHNICIAN)
    assert web.client.get("/api/v1/appointments/review", headers=headers).status_code == 403
    role = web.client.put(
        "/api/v1/users/technician/role", json={"role": "crisis_lead"}, headers=headers
    )
    assert role.status_code == 403
    assert web.client.get("/api/v1/users", headers=headers).status_code == 403
    assert len(_audited(web, "access.refused")) == 3


def test_reading_the_review_queue_is_audited(web: Web) -> None:
    answer = web.client.get("/api/v1/appointments/review", headers=web.as_role(Role.CLINICIAN))
    assert answer.status_code == 200
    assert answer.json() == []
    assert [e.actor for e in _audited(web, "patients.listed")] == ["clinician"]


def test_the_crisis_lead_manages_accounts(web: Web) -> None:
    headers = web.as_role(Role.CRISIS_LEAD)
    made = web.client.post(
        "/api/v1/users",
        json={"login": "marie", "role": "observer", "sites": ["a"]},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    assert len(made.json()["password"]) >= 12
    changed = web.client.put(
        "/api/v1/users/marie/role", json={"role": "technician"}, headers=headers
    )
    assert changed.json()["role"] == "technician"
    assert changed.json()["sites"] == ["A"]
    gone = web.client.post("/api/v1/users/marie/disable", headers=headers)
    assert gone.json()["active"] is False
    kinds = [e.event_type for e in _audited(web, "user.role_changed")]
    assert kinds == ["user.role_changed"]


def test_a_site_scoped_account_sees_only_its_sites(web: Web) -> None:
    headers = web.as_role(Role.CRISIS_LEAD)
    made = web.client.post(
        "/api/v1/users",
        json={"login": "tech-b", "role": "technician", "sites": ["B"]},
        headers=headers,
    ).json()
    web.sign_in("tech-b", made["password"])
    mine = web.client.get("/api/v1/assets").json()
    assert {a["site"] for a in mine["items"]} == {"B"}
    assert web.client.get("/api/v1/assets?site=A").status_code == 403
    status = web.client.get("/api/v1/status").json()
    assert [s["code"] for s in status["sites"]] == ["B"]


def test_timeline_and_audit_lists_are_paginated(web: Web) -> None:
    headers = web.as_role(Role.CRISIS_LEAD)
    web.client.post(
        "/api/v1/assets/transitions",
        json={"sites": ["B"], "target": "isolated", "reason": "cut"},
        headers=headers,
    )
    timeline = web.client.get("/api/v1/timeline?limit=1", headers=headers).json()
    assert timeline["total"] >= 2
    assert timeline["items"][0]["event_type"] == "asset.transitioned"
    audit = web.client.get("/api/v1/audit?limit=2&offset=1", headers=headers).json()
    assert len(audit["items"]) == 2
    assert audit["total"] > 3


def test_the_changes_counter_moves_with_data_not_with_reads(web: Web) -> None:
    headers = web.as_role(Role.CRISIS_LEAD)
    before = web.client.get("/api/v1/changes", headers=headers).json()["latest"]
    web.client.get("/api/v1/appointments/review", headers=headers)  # audited, but not a change
    assert web.client.get("/api/v1/changes", headers=headers).json()["latest"] == before
    web.client.post(
        "/api/v1/assets/transitions",
        json={"sites": ["B"], "target": "isolated", "reason": "cut"},
        headers=headers,
    )
    assert web.client.get("/api/v1/changes", headers=headers).json()["latest"] > before


def test_a_script_gets_a_token(web: Web) -> None:
    csrf = web.sign_in("observer")
    made = web.client.post(
        "/api/v1/tokens", json={"name": "wallboard"}, headers={"X-CSRF-Token": csrf}
    )
    assert made.status_code == 201
    web.client.cookies.clear()
    me = web.client.get("/api/v1/me", headers={"Authorization": f"Bearer {made.json()['token']}"})
    assert me.json()["role"] == "observer"
    assert "transition_assets" not in me.json()["permissions"]


def test_the_openapi_document_lists_the_api_only(web: Web) -> None:
    document = web.client.get("/api/openapi.json").json()
    assert "/api/v1/assets" in document["paths"]
    assert all(p.startswith("/api/") for p in document["paths"])


def test_every_task_of_a_plan_with_its_times_in_the_crisis_cells_zone(web: Web) -> None:
    headers = web.as_role(Role.OBSERVER)
    assert web.client.get("/api/v1/plan/1/tasks", headers=headers).status_code == 400
    make_plan(partial(unit_of_work, web.engine), Context(actor="lead"), PlanOptions(time_limit=1))
    body = web.client.get("/api/v1/plan/1/tasks", headers=headers).json()
    assert body["time_zone"] == "Europe/Brussels"
    assert body["version"]["id"] == 1
    servers = [t for t in body["tasks"] if t["kind"] == "server"]
    assert servers
    assert all(t["machines"] == [t["name"]] and t["team"] for t in servers)
    ups = {t["id"]: t for t in body["tasks"] if t["kind"] == "service_up"}
    assert all(t["team"] is None and t["start"] == t["end"] for t in ups.values())
    assert any(p in ups for t in body["tasks"] for p in t["predecessors"])
    offsets = {datetime.fromisoformat(t["start"]).utcoffset() for t in body["tasks"]}
    assert offsets <= {timedelta(hours=1), timedelta(hours=2)}  # Brussels, winter or summer
    forecast = web.client.get("/api/v1/plan", headers=headers).json()
    times = [f["full_at"] for f in forecast["forecasts"] if f["full_at"]]
    assert times
    assert all(t.endswith(("+01:00", "+02:00")) for t in times)
