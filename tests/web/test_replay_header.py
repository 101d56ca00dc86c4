"""A replay database says so on every page, with the incident's time; a live one does not."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from relance.app.context import Context
from relance.app.incident_clock import start_replay
from relance.app.network import load_network
from relance.app.users import add_user
from relance.domain.clock import FixedClock
from relance.domain.roles import CONSOLE, Role
from relance.storage.database import unit_of_work
from relance.web.app import create_app
from tests.web.conftest import PASSWORD, SMALL, Web

NIGHT = datetime(2022, 5, 14, 1, 45, tzinfo=UTC)


def test_a_live_database_shows_no_replay(web: Web) -> None:
    web.sign_in("crisis-lead")
    assert "Rejeu" not in web.client.get("/").text


def test_every_page_of_a_replay_shows_the_incident_time(engine: Engine) -> None:
    ctx = Context(actor="lead", clock=FixedClock(NIGHT), authority=CONSOLE)
    with unit_of_work(engine) as uow:
        load_network(uow, ctx, SMALL, NIGHT)
        start_replay(uow, ctx, NIGHT, "an exercise")
        add_user(
            uow,
            Context(actor="test", authority=CONSOLE),
            "crisis-lead",
            Role.CRISIS_LEAD,
            password=PASSWORD,
        )
    with TestClient(create_app(engine)) as client:
        web = Web(engine, client, {})
        web.sign_in("crisis-lead")
        for path in ("/", "/assets", "/timeline", "/plan"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert "Rejeu · heure de l&#39;incident 2022-05-14 03:45" in page.text, path
        # An error page keeps the reader's menu in a replay too (its session lives in the
        # incident's time: read with the wall clock, it had expired years ago)
        html = {"Accept": "text/html"}
        for path, status in (("/nowhere", 404), ("/assets/NOPE-01", 404)):
            page = client.get(path, headers=html)
            assert page.status_code == status, path
            assert "<nav>" in page.text, path
            assert "Se déconnecter" in page.text, path
