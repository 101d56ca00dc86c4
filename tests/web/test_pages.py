"""The pages through the test client: sign-in, CSRF, rate limit, roles, both languages."""

import re
from datetime import date
from functools import partial
from zoneinfo import ZoneInfo

from relance.app.context import Context
from relance.app.plan import PlanOptions, make_plan
from relance.app.sitrep import produce_sitrep
from relance.domain.roles import Role
from relance.domain.throttle import FREE_FAILURES
from relance.storage import audit_store, plan_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from tests.web.conftest import PASSWORD, Scoped, Web, login_of

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


def test_pages_send_strangers_to_the_sign_in_form(web: Web) -> None:
    answer = web.client.get("/assets", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/assets"


def test_the_crisis_lead_sees_every_page(web: Web) -> None:
    web.sign_in(login_of(Role.CRISIS_LEAD))
    for path in PAGES:
        answer = web.client.get(path)
        assert answer.status_code == 200, path
        assert "content-security-policy" in answer.headers
    assert "Hospital A" in web.client.get("/").text


def test_a_form_without_its_csrf_token_is_refused(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    data = {"site": "B", "target": "isolated", "reason": "cut"}
    assert web.client.post("/assets/transition", data=data).status_code == 403
    moved = web.client.post(
        "/assets/transition", data=data | {"csrf": csrf}, follow_redirects=False
    )
    assert moved.status_code == 303
    assert "moved=" in moved.headers["location"]


def test_a_technician_is_refused_the_patient_page(web: Web) -> None:
    web.sign_in(login_of(Role.TECHNICIAN))
    assert web.client.get("/appointments").status_code == 403
    assert web.client.get("/users").status_code == 403
    with unit_of_work(web.engine) as uow:
        refused = audit_store.find(uow, AuditQuery(event_types=("access.refused",)))
    assert [e.object_key for e in refused] == ["GET /appointments", "GET /users"]


def test_sign_in_is_rate_limited(web: Web) -> None:
    for n in range(1, FREE_FAILURES + 1):
        form = web.client.get("/login").text
        csrf = form.split('name="csrf" value="')[1].split('"')[0]
        wrong = web.client.post(
            "/login",
            data={"login": "observer", "password": "wrong", "csrf": csrf},
            follow_redirects=False,
        )
        wait = "&wait=5" if n == FREE_FAILURES else ""
        assert wrong.headers["location"] == f"/login?error=credentials{wait}"
    form = web.client.get("/login").text
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    right = web.client.post(
        "/login",
        data={"login": "observer", "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert right.headers["location"].startswith("/login?error=rate_limited&wait=")  # too soon
    assert "Trop d" in web.client.get(right.headers["location"]).text


def test_pages_speak_french_by_default_and_english_on_request(web: Web) -> None:
    web.sign_in(login_of(Role.OBSERVER))
    assert "Vue d&#39;ensemble" in web.client.get("/").text
    web.client.get("/lang/en")
    assert "Overview" in web.client.get("/").text


def test_the_overview_says_why_an_activity_is_not_fully_functional_without_hovering(
    web: Web,
) -> None:
    web.sign_in(login_of(Role.OBSERVER))
    page = web.client.get("/").text
    assert 'href="#why-A-emergency"' in page  # a tap on the cell leads to its line
    line = page.split('id="why-A-emergency"')[1].split("</li>")[0]
    assert "sur papier à 70" in line
    assert "hors service : Patient record (DPI)" in line
    web.client.get("/lang/en")
    line = web.client.get("/").text.split('id="why-A-emergency"')[1].split("</li>")[0]
    assert "on paper at 70%; down: Patient record (DPI)" in line


def test_the_plan_page_states_the_objective_of_each_site(web: Web) -> None:
    make_plan(partial(unit_of_work, web.engine), Context(actor="lead"), PlanOptions(time_limit=1))
    with unit_of_work(web.engine) as uow:
        version = plan_store.versions(uow)[-1]
    web.sign_in(login_of(Role.OBSERVER))
    web.client.get("/lang/en")
    page = web.client.get("/plan").text
    assert "Clinical activity lost by site, weighted by priority" in page
    table = page.split("<caption>")[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    assert [r.split('scope="row">')[1].split(" ")[0] for r in rows] == sorted(
        version.site_objectives, key=lambda site: -version.site_objectives[site]
    )
    assert "Hospital A" in rows[0] or "Nursing home B" in rows[0]
    share = round(100 * version.site_objectives["A"] / version.objective)
    assert f"{share}%" in next(r for r in rows if 'scope="row">A ' in r)


def test_the_plan_page_says_which_team_a_forecast_waits_for_in_the_readers_words(
    web: Web,
) -> None:
    make_plan(partial(unit_of_work, web.engine), Context(actor="lead"), PlanOptions(time_limit=1))
    web.sign_in(login_of(Role.OBSERVER))
    web.client.get("/lang/en")
    assert "&lt;- team " in web.client.get("/plan").text  # the check can fail
    web.client.get("/lang/fr")
    french = web.client.get("/plan").text
    assert "&lt;- équipe " in french
    assert "team " not in french


def _site_b_isolated_then_the_lead_signs_in(web: Web) -> None:
    """A technician isolates site B's machines (reason "cut"), then the crisis lead signs in."""
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    data = {"site": "B", "target": "isolated", "reason": "cut", "csrf": csrf}
    assert web.client.post("/assets/transition", data=data).status_code == 200
    web.sign_in(login_of(Role.CRISIS_LEAD))


def test_the_audit_page_shows_what_each_row_changed(web: Web) -> None:
    _site_b_isolated_then_the_lead_signs_in(web)
    page = web.client.get("/audit").text
    row = next(r for r in page.split("<tr>") if "asset.transitioned" in r)
    cells = [c.split("</td>")[0] for c in row.split('<td class="change">')[1:]]
    assert cells[1] == "<div>état : isolées</div>", cells
    added = next(r for r in page.split("<tr>") if "user.added" in r)
    assert "<div>rôle : " in added  # every kind of row, not only states


def test_kept_pages_change_with_the_data(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    before = web.client.get("/assets?site=B&state=isolated")
    assert before.text == web.client.get("/assets?site=B&state=isolated").text  # kept
    assert "B-" not in before.text.split("<tbody>")[1].split("</tbody>")[0]
    data = {"site": "B", "target": "isolated", "reason": "cut", "csrf": csrf}
    assert web.client.post("/assets/transition", data=data).status_code == 200
    after = web.client.get("/assets?site=B&state=isolated")
    assert "B-" in after.text.split("<tbody>")[1].split("</tbody>")[0]
    assert (
        web.client.get("/", headers={"Accept-Language": "en"}).text
        != web.client.get("/", headers={"Accept-Language": "fr"}).text
    )  # kept per language, as for each reader and address


def test_one_machine_has_its_page_with_its_history(web: Web) -> None:
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    data = {"site": "B", "target": "isolated", "reason": "network cut", "csrf": csrf}
    assert web.client.post("/assets/transition", data=data).status_code == 200
    listed = web.client.get("/assets?site=B")
    hostname = listed.text.split('<a href="/assets/')[1].split('"')[0]
    shown = web.client.get(f"/assets/{hostname}", headers={"Accept-Language": "en"})
    assert shown.status_code == 200
    history = shown.text.split("<tbody>")[-1]
    assert "compromised" in history
    assert "isolated" in history
    assert "network cut" in history
    unknown = web.client.get("/assets/NO-SUCH-HOST")
    assert unknown.status_code == 404
    assert "machine inconnue : NO-SUCH-HOST" in unknown.text
    made = web.client.post(
        "/api/v1/users",
        json={"login": "tech-a", "role": "technician", "sites": ["A"]},
        headers=web.as_role(Role.CRISIS_LEAD),
    ).json()
    web.sign_in("tech-a", made["password"])
    elsewhere = web.client.get(f"/assets/{hostname}")  # a B machine: as if there were none
    assert (elsewhere.status_code, _main(elsewhere.text)) == (
        404,
        _main(unknown.text).replace("NO-SUCH-HOST", hostname),
    )  # the same page but for the menu, the reader's


def _main(page: str) -> str:
    return page.split("<main")[1].split("</main>", maxsplit=1)[0]


def test_a_sitrep_downloads_in_each_language_and_its_drafter_cannot_approve_it(web: Web) -> None:
    lead = login_of(Role.CRISIS_LEAD)
    with unit_of_work(web.engine) as uow:  # drafted by the crisis lead's account
        produce_sitrep(uow, Context(actor=lead), date(2022, 5, 14), ZoneInfo("Europe/Brussels"))
    csrf = web.sign_in(lead)
    page = web.client.get("/sitreps").text
    assert 'href="/sitreps/2022-05-14/1.pdf?lang=nl"' in page
    dutch = web.client.get("/sitreps/2022-05-14/1.pdf?lang=nl")
    assert dutch.status_code == 200
    assert dutch.headers["content-type"] == "application/pdf"
    assert dutch.content.startswith(b"%PDF")
    assert "sitrep-2022-05-14-v1-nl.pdf" in dutch.headers["content-disposition"]
    assert web.client.get("/sitreps/2022-05-14/1.pdf?lang=es").status_code == 400
    assert web.client.get("/sitreps/2022-05-14/9.pdf").status_code == 400
    refused = web.client.post(
        "/sitreps/2022-05-14/approve", data={"csrf": csrf}, follow_redirects=False
    )
    assert refused.status_code == 400
    assert "une autre personne" in refused.text


def test_error_pages_keep_the_menu_and_the_readers_language(web: Web) -> None:
    web.sign_in(login_of(Role.TECHNICIAN))
    browser = {"Accept": "text/html", "Accept-Language": "fr"}
    refused = web.client.get("/appointments", headers=browser)
    assert refused.status_code == 403
    assert "<nav>" in refused.text
    assert "<h1>Refusé</h1>" in refused.text
    unknown = web.client.get("/nowhere", headers=browser)
    assert unknown.status_code == 404
    assert "<nav>" in unknown.text
    assert "Il n&#39;y a pas de page à cette adresse." in unknown.text
    invalid = web.client.get("/assets?q=MAR'", headers=browser)
    assert invalid.status_code == 422
    assert "<nav>" in invalid.text
    assert "q : cette valeur n&#39;est pas acceptée." in invalid.text
    script = web.client.get("/api/v1/nowhere", headers=browser)  # the API answers in JSON
    assert script.json() == {"detail": "Not Found"}


def test_a_refusal_and_an_illegal_move_are_said_in_french(web: Web) -> None:
    """The 403 page names what the role may not do in words; the API keeps its English."""
    csrf = web.sign_in(login_of(Role.TECHNICIAN))
    refused = web.client.get("/users")
    assert refused.status_code == 403
    assert "le rôle Technicien ne permet pas de gérer les comptes" in refused.text
    assert "manage_users" not in refused.text
    data = {"site": "B", "target": "redeployed", "reason": "cut", "csrf": csrf}
    moved = web.client.post("/assets/transition", data=data)
    assert moved.status_code == 400
    assert "passage impossible de « Compromise » à « Redéployée »" in moved.text
    api = web.client.get("/api/v1/users", headers=web.as_role(Role.TECHNICIAN))
    assert api.json()["detail"] == "the role Technician may not manage accounts"


def test_the_review_queue_says_the_pathway_in_words_and_keeps_the_reference_whole(
    scoped: Scoped,
) -> None:
    headers = scoped.as_role(Role.CLINICIAN)
    page = scoped.web.client.get("/appointments", headers=headers).text
    row = next(r for r in page.split("<tr>") if "Anne Thiry" in r)
    assert '<td class="mono nowrap">A1</td>' in row  # never 'RDV-/20220516-/000423'
    assert "<td>oncologie</td>" in row
    assert "oncology" not in page


def test_the_timeline_never_cuts_an_objects_name(web: Web) -> None:
    """Each name on one line (a reference as 'RDV-/20220516-/000423' cannot be typed back)."""
    _site_b_isolated_then_the_lead_signs_in(web)
    page = web.client.get("/timeline").text
    row = next(r for r in page.split("<tr>") if "cut" in r and "isolées" in r)
    names = row.split('<span class="mono nowrap">')[1:]
    assert names, row
    assert all(n.split("</span>")[0].startswith("B-") for n in names), row


def test_the_timeline_says_the_rules_reasons_in_the_readers_language(scoped: Scoped) -> None:
    """Triage and the functioning rules record their reasons in English ('radiology at A:
    partially functioning, 50 %', 'DPI down'): a French timeline says them in French."""
    web = scoped.web
    web.sign_in(login_of(Role.CRISIS_LEAD))
    web.client.get("/lang/en")
    english = web.client.get("/timeline").text
    assert re.search(r" at A: (fully|partially|not) functional, \d+ %", english)  # can fail
    assert re.search(r"[A-Z]+ down<", english)
    web.client.get("/lang/fr")
    french = web.client.get("/timeline").text
    assert re.search(r" à A : (pleinement|partiellement|non) fonctionnelle, \d+ %", french)
    assert "hors service : " in french
    assert not re.search(r"functioning|functional| down<|partially|\bnot \d", french)
