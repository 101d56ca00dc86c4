"""Schemathesis against the OpenAPI document: generated requests never get a 5xx."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from relance.app.context import Context
from relance.app.network import load_network
from relance.app.tokens import create_token
from relance.app.users import add_user
from relance.domain.roles import CONSOLE, Role
from relance.storage.database import make_engine, migrate, unit_of_work
from relance.web.app import create_app

SMALL = Path(__file__).parent.parent / "data/small.yaml"
MAX_EXAMPLES = 25  # per operation: bounded, for the CI budget


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'relance.db'}")
    migrate(engine)
    with unit_of_work(engine) as uow:
        load_network(uow, Context(actor="lead"), SMALL)
        add_user(
            uow, Context(actor="t", authority=CONSOLE), "lead", Role.CRISIS_LEAD, password="x" * 16
        )
        token = create_token(uow, Context(actor="t"), "lead", "fuzz", by=None).secret
    yield create_app(engine), token
    engine.dispose()


def test_no_request_gets_a_server_error(api: tuple[object, str]) -> None:
    """Each operation gets MAX_EXAMPLES generated requests, with a crisis lead's token."""
    app, token = api
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text)

        check()
    assert len(statuses) >= 2 * len(operations)
    assert 200 in statuses  # generated requests get through validation, not only refusals
