"""Databases for tests: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from RELANCE_TEST_POSTGRES_URL (`.ci/postgres.sh` prints one). Without it the
PostgreSQL variants skip, unless RELANCE_REQUIRE_SERVICES is set (CI), where they fail.
Each test gets a fresh database copied from a migrated template, so tests never share rows.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from relance.storage.database import make_engine, migrate

# No per-example deadline: on a loaded CI machine a 200 ms deadline fails pure rules at random.
settings.register_profile("relance", deadline=None)
settings.load_profile("relance")

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "src/relance/scenarios/vivalia-2022/scenario.yaml"
SHARED = Path(__file__).parent.parent.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _named_operator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same as below for the fixtures that outlive a test (a module's demo and server),
    which are set up before any test's own fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        patch.setenv("RELANCE_ACTOR", os.environ.get("RELANCE_ACTOR") or "tester")
        yield


@pytest.fixture(autouse=True)
def _no_kept_sign_in(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sign-ins a test keeps (`relance login`) go to a directory of its own, never the
    tester's: and a tester's own sign-in never changes who a test acts as. The commands a test
    types act as a named operator unless the test says otherwise (tests/cli/test_signin.py)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("RELANCE_ACTOR", os.environ.get("RELANCE_ACTOR") or "tester")


def postgres_url() -> str | None:
    url = os.environ.get("RELANCE_TEST_POSTGRES_URL")
    if not url and os.environ.get("RELANCE_REQUIRE_SERVICES"):
        pytest.fail("RELANCE_REQUIRE_SERVICES is set but RELANCE_TEST_POSTGRES_URL is not")
    return url


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated template database on the PostgreSQL server, made once per run."""
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not configured (RELANCE_TEST_POSTGRES_URL)")
    name = f"relance_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    template = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    migrate(template)
    template.dispose()
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def new_postgres_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """The URL of a new database on the test server (a copy of `template`, else empty),
    dropped afterwards."""
    url = postgres_url()
    assert url is not None
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _postgres_database(request: pytest.FixtureRequest) -> Iterator[str]:
    with new_postgres_database("relance_test", request.getfixturevalue("postgres_template")) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'relance.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    else:
        yield from _postgres_database(request)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()
