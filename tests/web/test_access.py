"""Issue 10's findings, each as it was reproduced, on SQLite and PostgreSQL.

Accounts limited to site A (the small network has sites A and B), a book with a patient at
each site waiting for a physician, and what each account may see or change.
"""

from datetime import UTC, datetime, timedelta

import pytest

from relance.domain.roles import Role
from tests.web.conftest import ZONE, Scoped

PATIENT_TEXT = "Mme Thiry refuse la chimiotherapie"  # a physician's reason: patient data


def _decide(scoped: Scoped, role: Role, ref: str, **body: object) -> tuple[int, dict[str, object]]:
    answer = scoped.web.client.post(
        f"/api/v1/appointments/{ref}/decision",
        json={"decision": "maintain", "reason": "seen", **body},
        headers=scoped.as_role(role),
    )
    return answer.status_code, answer.json()


# H1: a clinician limited to one site read and decided the whole network's patients


def test_h1_a_site_clinician_reads_only_the_patients_of_its_site(scoped: Scoped) -> None:
    assert scoped.review() == ["A1", "B1"]  # both wait for a physician
    headers = scoped.as_role(Role.CLINICIAN)
    queue = scoped.web.client.get("/api/v1/appointments/review", headers=headers)
    assert queue.status_code == 200
    assert [(i["appointment"], i["site"], i["patient"]) for i in queue.json()] == [
        ("A1", "A", "Anne Thiry")
    ]
    page = scoped.web.client.get("/appointments", headers=headers)
    assert page.status_code == 200
    assert "Anne Thiry" in page.text
    assert "Jan Maes" not in page.text
    assert "B1" not in page.text


def test_h1_a_site_clinician_cannot_decide_for_another_site(scoped: Scoped) -> None:
    unknown = _decide(scoped, Role.CLINICIAN, "Z9")
    assert unknown == (404, {"detail": "no booked appointment 'Z9'", "problems": []})
    assert scoped.refusals() == []  # not knowing a reference is a mistake, not an attempt
    elsewhere = _decide(scoped, Role.CLINICIAN, "B1")
    assert elsewhere == (404, {"detail": "no booked appointment 'B1'", "problems": []})
    (refusal,) = scoped.refusals()
    assert (refusal.actor, refusal.object_key) == (
        "clinician-a",
        "POST /api/v1/appointments/B1/decision",
    )
    assert "appointment B1: outside this account's sites (A)" in refusal.reason
    assert scoped.review() == ["A1", "B1"]  # nothing decided, nothing sent
    assert scoped.messages() == 0
    assert _decide(scoped, Role.CLINICIAN, "A1") == (
        200,
        {"appointment": "A1", "decision": "maintain"},
    )
    assert scoped.review() == ["B1"]


def test_h1_the_decision_form_of_another_site_is_refused_the_same(scoped: Scoped) -> None:
    page = scoped.web.client.post(
        "/appointments/B1/decide",
        data={"decision": "cancel", "reason": "seen"},
        headers=scoped.as_role(Role.CLINICIAN),
    )
    assert page.status_code == 404
    assert "aucun rendez-vous réservé &#39;B1&#39;" in page.text  # in French
    assert len(scoped.refusals()) == 1
    assert scoped.review() == ["A1", "B1"]


# M2: a physician's reason, naming the patient, was readable by a technician


def test_m2_a_decisions_text_is_for_those_who_may_read_patients(scoped: Scoped) -> None:
    lead = scoped.web.as_role(Role.CRISIS_LEAD)
    assert _decide(scoped, Role.CLINICIAN, "A1", reason=PATIENT_TEXT)[0] == 200
    for role in (Role.TECHNICIAN, Role.OBSERVER, Role.COMMUNICATION, Role.IT_LEAD):
        for headers in (scoped.web.as_role(role), scoped.as_role(role)):
            timeline = scoped.web.client.get("/api/v1/timeline", headers=headers)
            newest = next(
                i for i in timeline.json()["items"] if i["event_type"] == "appointment.decided"
            )
            assert (newest["objects"], newest["reason"]) == (["A1"], ""), role
            assert PATIENT_TEXT not in timeline.text
            assert PATIENT_TEXT not in scoped.web.client.get("/timeline", headers=headers).text
            if role in (Role.OBSERVER, Role.IT_LEAD):  # they read the audit trail
                audit = scoped.web.client.get("/api/v1/audit?object=A1", headers=headers)
                assert [i["reason"] for i in audit.json()["items"]] == ["", ""], role
                assert (
                    PATIENT_TEXT not in scoped.web.client.get("/audit?obj=A1", headers=headers).text
                )
    for headers in (lead, scoped.as_role(Role.CLINICIAN)):
        assert PATIENT_TEXT in scoped.web.client.get("/api/v1/timeline", headers=headers).text
        assert PATIENT_TEXT in scoped.web.client.get("/timeline", headers=headers).text
    assert PATIENT_TEXT in scoped.web.client.get("/api/v1/audit?object=A1", headers=lead).text


# M3: an observer of one site read another site's machines through the audit trail, and
# every sign-in with its address


def test_m3_the_audit_trail_shows_a_site_account_its_sites_only(scoped: Scoped) -> None:
    lead = scoped.web.as_role(Role.CRISIS_LEAD)
    moved = scoped.web.client.post(
        "/api/v1/assets/transitions",
        json={
            "hostnames": [scoped.elsewhere, "A-SRV-AD-01"],
            "target": "isolated",
            "reason": "cut",
        },
        headers=lead,
    )
    assert moved.status_code == 200, moved.text
    observer = scoped.as_role(Role.OBSERVER)
    for host, expected in ((scoped.elsewhere, 0), ("A-SRV-AD-01", 1)):
        api = scoped.web.client.get(f"/api/v1/audit?object={host}", headers=observer).json()
        assert (api["total"], len(api["items"])) == (expected, expected), host
        page = scoped.web.client.get(f"/audit?obj={host}", headers=observer)
        assert page.status_code == 200
        assert (host in page.text.split("<tbody>")[1]) == bool(expected), host
        timeline = scoped.web.client.get(f"/api/v1/timeline?object={host}", headers=observer)
        assert timeline.json()["total"] == expected, host
    everything = scoped.web.client.get("/api/v1/audit?limit=500", headers=observer).json()
    assert scoped.elsewhere not in str(everything)
    assert "network.loaded" in {i["event_type"] for i in everything["items"]}  # the network's


def test_m3_sign_ins_and_their_addresses_are_for_account_administrators(scoped: Scoped) -> None:
    scoped.web.sign_in("observer")
    scoped.web.client.cookies.clear()
    for headers in (scoped.web.as_role(Role.OBSERVER), scoped.web.as_role(Role.IT_LEAD)):
        audit = scoped.web.client.get("/api/v1/audit?limit=500", headers=headers).json()
        kinds = {i["event_type"] for i in audit["items"]}
        assert not kinds & {"user.logged_in", "user.added", "user.token_created"}
        assert "testclient" not in str(audit)  # the address the test client signs in from
        typed = scoped.web.client.get("/api/v1/audit?type=user.logged_in", headers=headers)
        assert typed.json()["total"] == 0
        assert "user.logged_in" not in scoped.web.client.get("/audit", headers=headers).text
    lead = scoped.web.client.get(
        "/api/v1/audit?type=user.logged_in", headers=scoped.web.as_role(Role.CRISIS_LEAD)
    ).json()
    assert [i["after"] for i in lead["items"]] == [{"address": "testclient"}]


# M4: a site technician with no selection moved every machine of its site


def test_m4_an_empty_selection_moves_nothing_for_anyone(scoped: Scoped) -> None:
    before = scoped.states()
    body = {"target": "decommissioned", "reason": "oops"}
    for headers in (scoped.as_role(Role.TECHNICIAN), scoped.web.as_role(Role.CRISIS_LEAD)):
        api = scoped.web.client.post("/api/v1/assets/transitions", json=body, headers=headers)
        assert api.status_code == 400
        assert api.json()["detail"].startswith("no machine selected")
        page = scoped.web.client.post(
            "/assets/transition",
            data={"target": "decommissioned", "reason": "oops"},
            headers=headers,
        )
        assert page.status_code == 400
        assert "aucune machine choisie" in page.text
    assert scoped.states() == before


def test_m4_everything_said_aloud_stays_within_the_accounts_sites(scoped: Scoped) -> None:
    moved = scoped.web.client.post(
        "/api/v1/assets/transitions",
        json={"target": "isolated", "reason": "cut", "everything": True},
        headers=scoped.as_role(Role.TECHNICIAN),
    )
    assert moved.status_code == 200, moved.text
    states = scoped.states()
    assert moved.json()["moved"] == sum(1 for h in states if h.startswith("A-"))
    assert {s for h, s in states.items() if h.startswith("B-")} == {"compromised"}


# M7 and L8: a new time in the past, or one UTC cannot hold


def test_m7_a_reschedule_into_the_past_or_beyond_the_horizon_is_refused(
    scoped: Scoped, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(UTC)
    for moment, message in (
        ("1999-01-01T09:00:00+01:00", "the new time 1999-01-01T09:00+01:00 is out of range"),
        ((now - timedelta(minutes=5)).isoformat(), "must lie after now"),
    ):
        status, body = _decide(
            scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=moment
        )
        assert status == 422, body
        assert message in str(body["detail"])
    far = (now + timedelta(days=91)).isoformat()
    status, body = _decide(scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=far)
    assert (status, "at most 90 days ahead" in str(body["detail"])) == (422, True)
    monkeypatch.setenv("RELANCE_RESCHEDULE_HORIZON_DAYS", "10")
    soon = (now + timedelta(days=11)).isoformat()
    assert _decide(scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=soon)[0] == 422
    assert scoped.messages() == 0
    assert scoped.review() == ["A1", "B1"]
    fine = (now + timedelta(days=3)).isoformat()
    assert _decide(scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=fine)[0] == 200
    assert scoped.messages() == 1


def test_m7_the_page_form_refuses_a_past_time_too(scoped: Scoped) -> None:
    yesterday = f"{datetime.now(ZONE) - timedelta(days=1):%Y-%m-%dT%H:%M}"  # as the form sends it
    answer = scoped.web.client.post(
        "/appointments/A1/decide",
        data={"decision": "reschedule", "reason": "seen", "new_start": yesterday},
        headers=scoped.as_role(Role.CLINICIAN),
    )
    assert answer.status_code == 422
    assert "doit suivre maintenant" in answer.text
    assert scoped.messages() == 0


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_l8_a_time_utc_cannot_hold_is_a_clear_422(scoped: Scoped, moment: str) -> None:
    status, body = _decide(scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=moment)
    assert status == 422
    assert "is out of range: give a time between 2000 and 2099" in str(body["detail"])
    page = scoped.web.client.post(
        "/appointments/A1/decide",
        data={"decision": "reschedule", "reason": "seen", "new_start": moment},
        headers=scoped.as_role(Role.CLINICIAN),
    )
    assert page.status_code == 422
    assert "est hors limites : donnez une heure entre 2000 et 2099" in page.text
    assert scoped.messages() == 0


def test_l8_a_time_without_its_offset_is_refused_by_the_api(scoped: Scoped) -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None).isoformat()
    status, _ = _decide(scoped, Role.CLINICIAN, "A1", decision="reschedule", new_start=later)
    assert status == 422
    assert scoped.messages() == 0


# L9: a bulk move went to "compromised" by default, and needed no reason


def test_l9_a_bulk_move_needs_a_target_and_a_reason(scoped: Scoped) -> None:
    before = scoped.states()
    headers = scoped.as_role(Role.TECHNICIAN)
    for body in ({"sites": ["A"], "reason": "cut"}, {"sites": ["A"], "target": "isolated"}):
        assert (
            scoped.web.client.post(
                "/api/v1/assets/transitions", json=body, headers=headers
            ).status_code
            == 422
        )
    blank = {"sites": ["A"], "target": "isolated", "reason": "   "}
    assert (
        scoped.web.client.post(
            "/api/v1/assets/transitions", json=blank, headers=headers
        ).status_code
        == 422
    )
    for form, message in (
        ({"site": "A", "reason": "cut"}, "choisissez le nouvel état"),
        ({"site": "A", "target": "isolated"}, "dites pourquoi"),
        ({"site": "A", "target": "isolated", "reason": " "}, "dites pourquoi"),
    ):  # the page is in French, the cell's language
        page = scoped.web.client.post("/assets/transition", data=form, headers=headers)
        assert (page.status_code, message in page.text) == (400, True), form
    assert scoped.states() == before
    form = scoped.web.client.get("/assets?site=A", headers=headers).text.split('class="bulk"')[1]
    assert '<select name="target" required><option value="">' in form  # nothing chosen for you
    assert '<input name="reason" size="28" required' in form


# L11: another site's machine was "forbidden" to a site account (so it exists), and a move
# naming it was an unaudited "unknown host"


def test_l11_another_sites_machine_is_as_unknown_as_none(scoped: Scoped) -> None:
    headers = scoped.as_role(Role.TECHNICIAN)
    for path in ("/api/v1/assets/{}", "/assets/{}"):
        unknown = scoped.web.client.get(path.format("A-NO-SUCH-01"), headers=headers)
        elsewhere = scoped.web.client.get(path.format(scoped.elsewhere), headers=headers)
        assert unknown.status_code == elsewhere.status_code == 404
        assert elsewhere.text == unknown.text.replace("A-NO-SUCH-01", scoped.elsewhere)
    assert [e.object_key for e in scoped.refusals()] == [
        f"GET /api/v1/assets/{scoped.elsewhere}",
        f"GET /assets/{scoped.elsewhere}",
    ]
    assert scoped.web.client.get("/api/v1/assets/A-SRV-AD-01", headers=headers).status_code == 200


def test_l11_a_move_naming_another_sites_machine_is_refused_and_audited(scoped: Scoped) -> None:
    before = scoped.states()
    headers = scoped.as_role(Role.TECHNICIAN)

    def move(*hosts: str) -> tuple[int, dict[str, object]]:
        body = {"hostnames": list(hosts), "target": "isolated", "reason": "cut"}
        answer = scoped.web.client.post("/api/v1/assets/transitions", json=body, headers=headers)
        return answer.status_code, answer.json()

    unknown = move("A-SRV-AD-01", "A-NO-SUCH-01")
    assert unknown[0] == 400
    assert scoped.refusals() == []
    elsewhere = move("A-SRV-AD-01", scoped.elsewhere)
    assert elsewhere == (
        400,
        {
            "detail": f"selection: hostname: unknown host {scoped.elsewhere}",
            "problems": [f"selection: hostname: unknown host {scoped.elsewhere}"],
        },
    )
    assert str(unknown[1]).replace("A-NO-SUCH-01", scoped.elsewhere) == str(elsewhere[1])
    (refusal,) = scoped.refusals()
    assert (refusal.actor, refusal.object_key) == (
        "technician-a",
        "POST /api/v1/assets/transitions",
    )
    assert f"machines {scoped.elsewhere}: outside this account's sites (A)" in refusal.reason
    assert scoped.states() == before
    page = scoped.web.client.post(
        "/assets/transition",
        data={"q": f"A-SRV-AD-01 {scoped.elsewhere}", "target": "isolated", "reason": "cut"},
        headers=headers,
    )
    assert page.status_code == 400
    assert f"machine inconnue : {scoped.elsewhere}" in page.text
    assert len(scoped.refusals()) == 2
    assert scoped.states() == before


def test_l8_every_day_typed_in_a_page_is_range_checked(scoped: Scoped) -> None:
    lead = scoped.web.as_role(Role.CRISIS_LEAD)
    for day in ("0001-01-01", "9999-12-31"):
        answer = scoped.web.client.post(f"/sitreps/{day}/approve", headers=lead)
        assert answer.status_code == 422
        assert f"le jour {day} est hors limites : donnez un jour entre" in answer.text


def test_the_review_queue_is_filtered_by_site_within_the_callers_sites(scoped: Scoped) -> None:
    lead = scoped.web.as_role(Role.CRISIS_LEAD) | {"Accept-Language": "fr"}
    whole = scoped.web.client.get("/appointments", headers=lead)
    assert "2 rendez-vous à revoir" in whole.text
    assert "Affichés : 1 à 2 sur 2" in whole.text
    at_b = scoped.web.client.get("/appointments?site=B", headers=lead)
    assert "Jan Maes" in at_b.text
    assert "Anne Thiry" not in at_b.text
    assert "Affichés : 1 à 1 sur 1" in at_b.text
    clinician = scoped.as_role(Role.CLINICIAN)
    assert scoped.web.client.get("/appointments?site=B", headers=clinician).status_code == 403
    (refusal,) = scoped.refusals()
    assert refusal.object_key == "GET /appointments"
