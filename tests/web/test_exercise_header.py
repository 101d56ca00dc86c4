"""An exercise database says EXERCICE on every page, the sign-in page too; its pages apply the
injects fallen due, as commands do."""

import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from relance.app import exercise
from relance.app.context import Context
from relance.app.users import add_user
from relance.domain.roles import CONSOLE, Role
from relance.storage.database import unit_of_work
from relance.web.app import create_app
from tests.app.test_exercise import SMALL_INJECTS
from tests.web.conftest import PASSWORD, SMALL, Web

FAST = 100_000.0  # 27 hours of the exercise each wall second: the first inject comes at once
DEADLINE = 120.0  # seconds: generous, a loaded machine


def test_every_page_of_an_exercise_says_so_and_brings_its_injects(
    engine: Engine, tmp_path: Path
) -> None:
    shutil.copy(SMALL, tmp_path / "scenario.yaml")
    (tmp_path / "injects.yaml").write_text(SMALL_INJECTS, encoding="utf-8")
    exercise.start(lambda: unit_of_work(engine), str(tmp_path), FAST)
    with unit_of_work(engine) as uow:
        add_user(
            uow,
            Context(actor="test", authority=CONSOLE),
            "crisis-lead",
            Role.CRISIS_LEAD,
            password=PASSWORD,
        )
    with TestClient(create_app(engine)) as client:
        assert "EXERCICE · heure de l&#39;exercice" in client.get("/login").text
        web = Web(engine, client, {})
        web.sign_in("crisis-lead")
        for path in ("/", "/assets", "/plan"):
            page = client.get(path)
            assert page.status_code == 200, path
            assert "EXERCICE · heure de l&#39;exercice" in page.text, path
            assert "Rejeu" not in page.text
        deadline = time.monotonic() + DEADLINE
        while "[exercice] Troisième" not in (timeline := client.get("/timeline").text):
            assert time.monotonic() < deadline, "the injects never came"
        assert timeline.count("[exercice] Premier") == 1
