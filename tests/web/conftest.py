"""A web app on each backend with the small network and one account per role."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from relance.app.context import Context
from relance.app.network import load_network
from relance.app.tokens import create_token
from relance.app.users import add_user
from relance.domain.roles import Role
from relance.storage.database import unit_of_work
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
            add_user(uow, Context(actor="test"), login_of(role), role, password=PASSWORD)
            tokens[role] = create_token(
                uow, Context(actor="test"), login_of(role), "tests", by=None
            ).secret
    with TestClient(create_app(engine)) as client:
        yield Web(engine, client, tokens)
