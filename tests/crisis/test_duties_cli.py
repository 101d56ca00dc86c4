"""`relance duties` and `relance claims` as the cell types them, on the demo and on a fresh
incident."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from relance.cli.main import app
from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import AuditRow
from tests.cli.test_cli import SMALL, Relance
from tests.crisis.test_cli import demo  # noqa: F401 - a fixture

KEY = "nis2_early_warning"


def _events(relance: Relance, object_type: str) -> list[tuple[str, str, str]]:
    engine = make_engine(relance.url)
    with unit_of_work(engine) as uow:
        query = select(AuditRow.event_type, AuditRow.object_key, AuditRow.actor).where(
            AuditRow.object_type == object_type
        )
        rows = [tuple(r) for r in uow.session.execute(query.order_by(AuditRow.id))]
    engine.dispose()
    return rows  # type: ignore[return-value]  # rows of three strings


def test_the_demo_shows_the_deadlines_from_03_42_and_the_check_alarms(demo: Relance) -> None:  # noqa: F811 - the fixture
    register = demo.json("duties")
    assert isinstance(register, dict)
    assert register["awareness"]["at"] == "2022-05-14T01:42:00+00:00"  # 03:42 in Brussels
    due = {d["key"]: d["due_at"] for d in register["duties"]}
    assert due == {
        "nis2_early_warning": "2022-05-15T03:42:00+02:00",
        "gdpr_dpa": "2022-05-17T03:42:00+02:00",
        "nis2_notification": "2022-05-17T03:42:00+02:00",
        "nis2_final_report": "2022-06-17T03:42:00+02:00",
    }
    out = demo("duties", "--check", code=2)  # years after the record: every duty overdue
    assert "alarme : NIS2 : alerte précoce au CCB à remettre le 2022-05-15 03:42" in out
    assert demo.json("claims") == []  # the demo's clock stops on day 3: LockBit claimed on 18 May


@pytest.fixture
def small(database_url: str, tmp_path: Path) -> Relance:
    relance = Relance(database_url, tmp_path)
    relance("init", "--scenario", str(SMALL))
    return relance


def test_drafting_approving_submitting_are_each_audited_and_the_check_quiets(
    small: Relance,
) -> None:
    now = datetime.now(UTC)
    detected = (now - timedelta(minutes=5)).isoformat()
    small("incident", "declare", "--name", "t", "--detected", detected)
    small("duties", "--check")  # not aware yet: no deadline runs
    small("incident", "phase", "containment", "--at", (now - timedelta(minutes=1)).isoformat())
    small("duties", "--check")  # 24 hours left
    aware = (now - timedelta(minutes=4)).isoformat()
    assert "exige une raison" in small("duties", "aware", "--at", aware, "--reason", "", code=2)
    before = (now - timedelta(hours=1)).isoformat()
    out = small("duties", "aware", "--at", before, "--reason", "the nurse called", code=2)
    assert "ne peut pas en avoir eu connaissance plus tôt" in out
    small("duties", "aware", "--at", aware, "--reason", "the on-call engineer saw it")
    soon = (now + timedelta(hours=2)).isoformat()
    small("duties", "add", "ccb_intermediate", "--title", "Rapport intermédiaire",
          "--authority", "CCB", "--due", soon, "--basis", "demande du CCB")  # fmt: skip
    assert "Rapport intermédiaire" in small("duties", "--check", code=2)
    assert "rédigée" in small("duties", "draft", KEY, "--actor", "ciso")
    small("duties", "approve", KEY, "--actor", "ciso", code=2)  # four eyes
    small("duties", "approve", KEY, "--actor", "director")
    small("duties", "submit", KEY, "--reference", "CCB-42", "--actor", "ciso")
    small("duties", "not-applicable", "gdpr_dpa", "--reason", "no personal data reached")
    small("duties", "not-applicable", "ccb_intermediate", "--reason", "the CCB withdrew it")
    small("duties", "--check")  # nothing due within 6 hours any more
    assert _events(small, "duty") == [
        ("duty.added", "ccb_intermediate", "tester"),
        ("duty.drafted", KEY, "ciso"),
        ("duty.approved", KEY, "director"),
        ("duty.submitted", KEY, "ciso"),
        ("duty.not_applicable", "gdpr_dpa", "tester"),
        ("duty.not_applicable", "ccb_intermediate", "tester"),
    ]
    register = json.loads(small("duties", "--json"))
    done = next(d for d in register["duties"] if d["key"] == KEY)
    assert (done["status"], done["reference"], done["urgency"]) == ("submitted", "CCB-42", "done")


def test_where_the_deadlines_count_from_reads_in_the_operators_language(small: Relance) -> None:
    """The awareness's source is a code, worded when shown: French, or English when asked."""
    english = CliRunner()

    def in_english(*args: str) -> str:
        env = {"RELANCE_DATABASE_URL": small.url, "RELANCE_ACTOR": "tester", "RELANCE_LANG": "en"}
        result = english.invoke(app, list(args), env={**env, "COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.output

    now = datetime.now(UTC)
    detected, confirmed = now - timedelta(minutes=30), now - timedelta(minutes=20)
    small(
        "incident", "declare", "--name", "t", "--detected", detected.isoformat(),
        "--confirmed", confirmed.isoformat(),
    )  # fmt: skip
    assert "attaque confirmée (déclaration de l'incident)" in small("duties")
    assert "attack confirmed (the incident's declaration)" in in_english("duties")
    register = small.json("duties")
    assert isinstance(register, dict)
    assert register["awareness"]["source"] == "confirmed"
    at = (now - timedelta(minutes=25)).isoformat()
    small("duties", "aware", "--at", at, "--reason", "[bold]the nurse[/] called")
    assert "corrigé par tester : [bold]the nurse[/] called" in small("duties")
    assert "corrected by tester: [bold]the nurse[/] called" in in_english("duties")
    assert small.json("duties")["awareness"]["source"] == "corrected"  # type: ignore[index]  # a dict
