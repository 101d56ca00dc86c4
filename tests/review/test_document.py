"""The review of the reference scenario, read back from its PDF (pdftotext) and checked against
the database it was written from: every figure is a record's."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from relance.app import review
from relance.app.context import Context
from relance.app.incident import measures_in_force
from relance.domain.clock import FixedClock
from relance.domain.incident import LogKind
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.domain.review import ActionStatus, FindingKind
from relance.domain.roles import CONSOLE
from relance.i18n import Texts
from relance.reports.words import Words
from relance.storage import asset_store, incident_store, outbox_store, plan_store
from relance.storage.database import make_engine, unit_of_work
from tests.cli.test_cli import Relance
from tests.snapshots.conftest import pdf_text

ZONE = ZoneInfo("Europe/Brussels")
JULY = FixedClock(datetime(2022, 7, 15, 10, tzinfo=UTC))  # a month after the last decision
CELL = Context(actor="crisis lead", clock=JULY, authority=CONSOLE)


@dataclass(frozen=True)
class Duty:
    """A duty as the duties register gives it: a real provider's record, made here."""

    key: str
    title: str
    due_at: datetime
    submitted_at: datetime | None
    status: str


def register(t0: datetime) -> list[Duty]:
    return [
        Duty("nis2.early_warning", "Alerte précoce au CCB", t0 + timedelta(hours=24),
             t0 + timedelta(hours=20), "submitted"),
        Duty("gdpr.notification", "Notification à l'APD", t0 + timedelta(hours=72),
             t0 + timedelta(hours=80), "submitted"),
        Duty("nis2.final_report", "Rapport final au CCB", datetime(2022, 6, 17, tzinfo=UTC),
             None, "open"),
        Duty("nis2.intermediate", "Rapport intermédiaire au CCB", datetime(2022, 8, 1, tzinfo=UTC),
             None, "open"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def vivalia(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo with the cell's findings and improvement plan."""
    folder = tmp_path_factory.mktemp("vivalia")
    url = f"sqlite:///{folder / 'relance.db'}"
    Relance(url, folder)("demo", "--dir", str(folder))
    engine = make_engine(url)
    with unit_of_work(engine) as uow:
        review.add_finding(
            uow, CELL, FindingKind.WENT_WELL, "Plan d'urgence déclenché en une heure"
        )
        gap = review.add_finding(uow, CELL, FindingKind.TO_IMPROVE, "Pas de liste hors ligne")
        review.add_action(
            uow, CELL, text="Export nocturne des rendez-vous", owner="informatique",
            due_on=date(2022, 7, 1), finding=gap.id,
        )  # fmt: skip
        done = review.add_action(
            uow, CELL, text="Exercice de crise", owner="direction", due_on=date(2022, 6, 30)
        )
        review.update_action(uow, CELL, done.id, review.ActionChange(ActionStatus.DONE))
    yield engine
    engine.dispose()


def _read(engine: Engine, tmp_path: Path, language: str = "fr", with_duties: bool = True) -> str:
    with unit_of_work(engine) as uow:
        t0 = incident_store.incident(uow).detected_at  # type: ignore[union-attr]  # declared
        duties = (lambda _ctx: register(t0)) if with_duties else None
        pdf = review.build_review(uow, CELL, ZONE, language, duties)
    path = tmp_path / "review.pdf"
    path.write_bytes(pdf)
    return flat(pdf_text(path, "-raw"))


def flat(text: str) -> str:
    """Words separated by one space: table cells wrap, numbers carry narrow spaces."""
    return " ".join(text.split())


def test_the_review_figures_are_the_records(vivalia: Engine, tmp_path: Path) -> None:
    text = _read(vivalia, tmp_path)
    w, t = Words("fr", {}), Texts("fr")
    with unit_of_work(vivalia) as uow:
        found = incident_store.incident(uow)
        assert found is not None
        states = [m.state for m in asset_store.states(uow, AssetFilter())]
        decisions = incident_store.log_entries(uow, [LogKind.DECISION.value])
        in_force = measures_in_force(uow, JULY.now())
        plans = plan_store.versions(uow)
        sms = outbox_store.counts(uow)
    for moment in (found.detected_at, found.confirmed_at):
        assert moment is not None
        assert flat(w.at(moment.astimezone(ZONE).isoformat())) in text
    back = sum(s is AssetState.REDEPLOYED for s in states)
    assert flat(f"{t.number(back)} machines redéployées sur {t.number(len(states))}") in text
    assert back > 0
    for d in decisions:
        assert flat(d.text) in text
    assert text.count("toujours en vigueur") == len(in_force) > 0
    assert plans
    for p in plans:
        assert flat(w.at(p.start_at.astimezone(ZONE).isoformat())) in text
    assert sms == {}
    assert "Aucun SMS aux patients n'est enregistré dans relance." in text


def test_the_review_has_the_duties_findings_and_plan(vivalia: Engine, tmp_path: Path) -> None:
    text = _read(vivalia, tmp_path)
    for title in ("Alerte précoce au CCB", "Notification à l'APD", "Rapport final au CCB"):
        assert title in text
    assert text.count("respectée") == 1  # the early warning, 4 hours ahead
    assert text.count("pas encore échue") == 1  # the intermediate report, due in August
    assert text.count("non remise") == 2
    assert "Plan d'urgence déclenché en une heure" in text
    assert "Pas de liste hors ligne" in text
    assert "Export nocturne des rendez-vous" in text
    assert "en cours, en retard" not in text
    assert "prévue, en retard" in text  # due on 1 July, still planned on 15 July
    assert "réalisée" in text
    # two duties late (the APD notified 8 hours past 72, the final report not submitted)
    assert len(re.findall(r"(?<!, )en retard", text)) == 2


def test_by_default_the_duties_come_from_the_register(vivalia: Engine, tmp_path: Path) -> None:
    text = _read(vivalia, tmp_path, with_duties=False)
    for title in ("NIS2 : alerte précoce au CCB", "RGPD : notification de la violation"):
        assert title in text
    assert "Alerte précoce au CCB" not in text  # the test register's own title


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_no_english_in_another_language(vivalia: Engine, tmp_path: Path, language: str) -> None:
    text = _read(vivalia, tmp_path, language)
    english = ("Key times", "not yet", "still in force", "Improvement plan", "after-action")
    assert [e for e in english if e in text] == []
