"""The review's page: the improvement plan tracked after the incident, the PDF in each language."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from relance.app import incident, review
from relance.app.context import Context
from relance.domain.review import FindingKind
from relance.domain.roles import CONSOLE, Role
from relance.storage.database import unit_of_work
from tests.web.conftest import Web, login_of

CELL = Context(actor="cell", authority=CONSOLE)


def test_every_role_reads_the_plan_and_downloads_the_review(web: Web) -> None:
    detected = datetime.now(ZoneInfo("Europe/Brussels")) - timedelta(days=40)
    with unit_of_work(web.engine) as uow:
        incident.declare_incident(uow, CELL, name="test", detected_at=detected)
        gap = review.add_finding(uow, CELL, FindingKind.TO_IMPROVE, "<b>no offline list</b>")
        review.add_action(
            uow, CELL, text="nightly export", owner="IT", due_on=date(2022, 7, 1), finding=gap.id
        )
    web.sign_in(login_of(Role.OBSERVER))
    page = web.client.get("/review").text
    assert "Retour d&#39;expérience" in page or "Retour d'expérience" in page
    assert "nightly export" in page
    assert "prévue" in page
    assert "en retard" in page  # due in 2022, still planned
    assert "à améliorer" in page  # the finding's kind, in the page's language
    assert "&lt;b&gt;no offline list&lt;/b&gt;" in page  # the cell's text, never markup
    assert 'href="/review.pdf?lang=nl"' in page
    dutch = web.client.get("/review.pdf?lang=nl")
    assert dutch.status_code == 200
    assert dutch.headers["content-type"] == "application/pdf"
    assert dutch.content.startswith(b"%PDF")
    assert web.client.get("/review.pdf?lang=es").status_code == 400
