"""A web app on each backend with the small network and one account per role (and, for the
access tests, one per role limited to site A, with a patient waiting at each site)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from relance.app.appointments import import_book, triage_book
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.tokens import create_token
from relance.app.users import add_user
from relance.domain.roles import CONSOLE, Role
from relance.importers.triage_rules import default_rules
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from relance.storage.tables import AssetRow, NotificationRow
from relance.web.app import create_app

SMALL = Path(__file__).parent.parent / "data/small.yaml"
PASSWORD = "correct horse battery"  # noqa: S105 - the test accounts' password


@dataclass
class Web:
    engine: Engine
    client: TestClient
    tokens: dict[Role, str]

    def as_role(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def sign_in(self, login: str, password: str = PASSWORD) -> str:
        """Sign the test client in through the form; returns the session's CSRF token."""
        form = self.client.get("/login")
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        answer = self.client.post(
            "/login",
            data={"login": login, "password": password, "csrf": csrf, "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/", answer.headers["location"]
        page = self.client.get("/assets")
        return page.text.split('name="csrf" value="')[1].split('"')[0]


def login_of(role: Role) -> str:
    return role.value.replace("_", "-")


@pytest.fixture
def web(engine: Engine) -> Iterator[Web]:
    tokens = {}
    with unit_of_work(engine) as uow:
        load_network(uow, Context(actor="lead"), SMALL)
        for role in Role:
            add_user(
                uow,
                Context(actor="test", authority=CONSOLE),
                login_of(role),
                role,
                password=PASSWORD,
            )
            tokens[role] = create_token(
                uow, Context(actor="test"), login_of(role), "tests", by=None
            ).secret
    with TestClient(create_app(engine)) as client:
        yield Web(engine, client, tokens)


ZONE = ZoneInfo("Europe/Brussels")
CELL = Context(actor="cell", authority=CONSOLE)
BOOK = (
    "appointment,patient,name,language,mobile,phone,site,activity,pathway,start\n"
    "A1,P1,Anne Thiry,fr,0470 00 00 01,,A,radiology,oncology,2022-05-16T09:00\n"
    "B1,P2,Jan Maes,nl,0470 00 00 02,,B,care,oncology,2022-05-16T09:15\n"
)


@dataclass
class Scoped:
    """The web app with an account of each role limited to site A."""

    web: Web
    tokens: dict[Role, str]
    elsewhere: str  # a machine of site B

    def as_role(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def refusals(self) -> list[audit_store.AuditEvent]:
        with unit_of_work(self.web.engine) as uow:
            return audit_store.find(uow, AuditQuery(event_types=("access.refused",)))

    def messages(self) -> int:
        with unit_of_work(self.web.engine) as uow:
            return uow.session.scalar(select(func.count()).select_from(NotificationRow)) or 0

    def states(self) -> dict[str, str]:
        with unit_of_work(self.web.engine) as uow:
            return dict(uow.session.execute(select(AssetRow.hostname, AssetRow.state)).all())

    def review(self) -> list[str]:
        """The review queue as the crisis lead of the whole network sees it."""
        queue = self.web.client.get(
            "/api/v1/appointments/review", headers=self.web.as_role(Role.CRISIS_LEAD)
        )
        return [item["appointment"] for item in queue.json()]


def login_at_a(role: Role) -> str:
    return f"{role.value.replace('_', '-')}-a"


@pytest.fixture
def scoped(web: Web, tmp_path: Path) -> Scoped:
    (tmp_path / "book.csv").write_text(BOOK)
    tokens = {}
    with unit_of_work(web.engine) as uow:
        import_book(uow, CELL, [tmp_path / "book.csv"], ZONE)
        today = datetime(2022, 5, 15, 8, tzinfo=ZONE)
        triage_book(uow, CELL, default_rules(), sender="Test", zone=ZONE, today=today)
        for role in Role:
            login = login_at_a(role)
            add_user(
                uow,
                Context(actor="test", authority=CONSOLE),
                login,
                role,
                sites=("A",),
                password="x" * 16,
            )
            tokens[role] = create_token(uow, Context(actor="test"), login, "tests", by=None).secret
        at_b = select(func.min(AssetRow.hostname)).where(AssetRow.hostname.startswith("B-"))
        elsewhere = uow.session.scalar(at_b)
    assert elsewhere is not None
    return Scoped(web, tokens, elsewhere)
