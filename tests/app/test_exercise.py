"""The exercise replay: its clock, its injects applied once each, its report, its refusals."""

import multiprocessing
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from relance.app.claims import list_claims
from relance.app.context import Context
from relance.app.exercise import apply_due, open_clock, start, write_report
from relance.app.incident import add_log_entry, declare_incident, enter_phase
from relance.app.incident_clock import go_live, open_incident_clock, start_replay
from relance.app.network import load_network
from relance.domain.audit_events import EventType
from relance.domain.clock import ClockMode, FixedClock, RunningClock
from relance.domain.errors import InvalidInput
from relance.domain.exercise import LEAD
from relance.domain.incident import LogKind, Phase
from relance.domain.roles import CONSOLE
from relance.importers.injects import read_injects
from relance.storage import audit_store, exercise_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import ExerciseScriptRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
WALL = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
SPEED = 3600.0  # an hour of the record each second: 72 h in 72 s
SMALL_INJECTS = """\
format: relance-injects/1
scenario: small
start: 2022-05-13T23:00:00+02:00
injects:
  - {key: one, at: 2022-05-14T01:30:00+02:00, kind: alert, source: test, text: Premier}
  - {key: two, at: 2022-05-14T03:29:00+02:00, kind: alert, source: test, text: Deuxième}
  - {key: three, at: 2022-05-14T05:00:00+02:00, kind: finding, source: test, text: Troisième,
     machines: [{sites: [A], kinds: [server], states: [isolated], to: imaged}]}
expected:
  - {key: declared, check: declared, by: 2022-05-14T05:00:00+02:00, source: test, text: Déclaré}
"""


def _units(engine: Engine) -> tuple[partial[object], partial[object]]:
    return partial(unit_of_work, engine, read_only=True), partial(unit_of_work, engine)


def _player(clock: RunningClock) -> Context:
    return Context("joueur:chef-de-cellule", clock, authority=CONSOLE)


def _timeline(engine: Engine) -> list[str]:
    with unit_of_work(engine, read_only=True) as uow:
        query = AuditQuery(event_types=(EventType.TIMELINE_NOTED.value,))
        rows = audit_store.find(uow, query)
    return [str((r.after or {})["entry"]) for r in rows if r.actor == LEAD]


def _small_exercise(tmp_path: Path) -> Path:
    folder = tmp_path / "small-exercise"
    folder.mkdir()
    shutil.copy(SMALL, folder / "scenario.yaml")
    (folder / "injects.yaml").write_text(SMALL_INJECTS, encoding="utf-8")
    return folder


def test_72_hours_at_3600_bring_the_injects_in_order_once_and_the_report_builds(
    engine: Engine, tmp_path: Path
) -> None:
    wall = FixedClock(WALL)
    start(lambda: unit_of_work(engine), "vivalia-2022", SPEED, wall)
    script, _ = read_injects(
        Path(__file__).parents[2] / "src/relance/scenarios/vivalia-2022/injects.yaml"
    )
    read, write = _units(engine)
    seen: list[str] = []
    for second in range(1, 73):  # a command or a page opening every wall second: an hour
        wall.advance(timedelta(seconds=1))
        clock = open_clock(read, write, wall)
        assert isinstance(clock, RunningClock)
        assert clock.mode is ClockMode.EXERCISE
        assert clock.now() == script.start + timedelta(hours=second)
        if second == 5:  # 04:00: the players declare the incident and contain it
            with unit_of_work(engine) as uow:
                ctx = _player(clock)
                at = clock.now()
                declare_incident(uow, ctx, name="Cyberattaque", detected_at=at)
                enter_phase(uow, ctx, Phase.CONTAINMENT, criteria="réseau coupé")
                add_log_entry(
                    uow,
                    ctx,
                    kind=LogKind.DECISION,
                    text="Couper le réseau",
                    decided_by="DG",
                    rationale="propagation",
                )
        due = [i.key for i in script.due(clock.now())]
        with unit_of_work(engine, read_only=True) as uow:
            applied = exercise_store.applied(uow)
        assert sorted(applied) == sorted(due)  # each due inject, none ahead of its time
        seen = due
    end = script.start + timedelta(hours=72)
    assert seen == [i.key for i in script.injects if i.at <= end]
    assert len(seen) == 12  # the claim (18 May) and Bastogne (8 June) are later
    entries = _timeline(engine)
    assert len(entries) == len(seen)  # exactly once each
    texts = [i.text for i in script.injects if i.key in seen]
    assert [e.split(" (source")[0].removeprefix("[exercice] ") for e in entries] == texts
    out = tmp_path / "report.pdf"
    with unit_of_work(engine, read_only=True) as uow:
        report = write_report(uow, _player(clock), out, wall)
    verdicts = {line.expected.key: line.verdict.value for line in report.expected}
    assert verdicts == {
        "incident-declare": "met",
        "confinement": "met",
        "premier-point-de-situation": "missing",
        "sms-avant-lundi": "missing",
        "plan-avant-jour-2": "missing",
    }
    text = _text(out)
    for expected in ("EXERCICE", "Rapport d'exercice", "Incident déclaré", "tenu", "manquant"):
        assert expected in text
    # one table of decisions, by time: the players' (04:00) before the record's (06:30)
    assert text.count("Décisions") == 1
    assert text.index("DG (joueurs)") < text.index("Couper le réseau") < text.index("QG de crise")
    assert "direction générale (cellule réelle)" in text
    english = tmp_path / "report-en.pdf"
    with unit_of_work(engine, read_only=True) as uow:
        write_report(uow, _player(clock), english, wall, language="en")
    text = _text(english)
    for expected in ("EXERCISE", "Exercise report", "Expected responses", "met", "missing"):
        assert expected in text
    assert "DG (players)" in text
    assert "direction générale (real cell)" in text  # the record's words are its own
    for french in ("EXERCICE", "Rapport", "Réponses", "tenu", "manquant", "cellule réelle"):
        assert not re.search(rf"\b{french}\b", text), french


def _text(pdf: Path) -> str:
    command = ["pdftotext", "-layout", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def test_the_claim_falls_due_into_the_claims_register(engine: Engine) -> None:
    wall = FixedClock(WALL)
    start(lambda: unit_of_work(engine), "vivalia-2022", SPEED, wall)
    read, write = _units(engine)
    wall.advance(timedelta(seconds=1))
    clock = open_clock(read, write, wall)
    assert isinstance(clock, RunningClock)
    with unit_of_work(engine) as uow:
        declare_incident(uow, _player(clock), name="Cyberattaque", detected_at=clock.now())
    wall.advance(timedelta(seconds=5 * 24))  # to 19 May
    clock = open_clock(read, write, wall)
    with unit_of_work(engine, read_only=True) as uow:
        claims = list_claims(uow, _player(clock))
    assert [(c.group_name, c.volume) for c in claims] == [("LockBit 2.0", "400 Go")]


def _apply_in_another_process(url: str, at: str, barrier: object, results: object) -> None:
    engine = make_engine(url)
    barrier.wait()  # type: ignore[attr-defined]  # a multiprocessing Barrier
    with unit_of_work(engine) as uow:
        applied = apply_due(uow, FixedClock(datetime.fromisoformat(at)))
    results.put(len(applied))  # type: ignore[attr-defined]  # a multiprocessing Queue
    engine.dispose()


def test_two_processes_applying_at_once_apply_each_inject_once(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    start(lambda: unit_of_work(engine), str(_small_exercise(tmp_path)), SPEED, FixedClock(WALL))
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    later = (WALL + timedelta(hours=1)).isoformat()  # 1,000 h later: every inject due
    workers = [
        spawn.Process(
            target=_apply_in_another_process, args=(database_url, later, barrier, results)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=300) for _ in workers]  # generous: a loaded machine
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    assert sorted(counts) == [0, 3]  # one applied them all, the other found them applied
    assert _timeline(engine) == [
        "[exercice] Premier (source : test)",
        "[exercice] Deuxième (source : test)",
        "[exercice] Troisième (source : test)",
    ]


def test_a_live_or_demo_database_never_becomes_an_exercise_nor_receives_injects(
    engine: Engine, tmp_path: Path
) -> None:
    ctx = Context("lead", FixedClock(WALL), authority=CONSOLE)
    with unit_of_work(engine) as uow:
        load_network(uow, ctx, SMALL)
    with pytest.raises(InvalidInput, match="already holds records"):
        start(lambda: unit_of_work(engine), str(_small_exercise(tmp_path)), SPEED)
    with unit_of_work(engine) as uow, pytest.raises(InvalidInput, match="not an exercise"):
        apply_due(uow)


def test_a_demo_replay_cannot_become_an_exercise(engine: Engine, tmp_path: Path) -> None:
    at = datetime(2022, 5, 14, 1, 45, tzinfo=UTC)
    ctx = Context("demo", FixedClock(at), authority=CONSOLE)
    with unit_of_work(engine) as uow:
        load_network(uow, ctx, SMALL, at)
        start_replay(uow, ctx, at, "demo")
    with pytest.raises(InvalidInput, match="already has its clock"):
        start(lambda: unit_of_work(engine), str(_small_exercise(tmp_path)), SPEED)


def test_an_exercise_never_goes_live(engine: Engine, tmp_path: Path) -> None:
    wall = FixedClock(WALL)
    start(lambda: unit_of_work(engine), str(_small_exercise(tmp_path)), SPEED, wall)
    ctx = Context("lead", FixedClock(WALL), authority=CONSOLE)
    with unit_of_work(engine) as uow, pytest.raises(InvalidInput, match="never goes live"):
        go_live(uow, ctx, "fin de l'exercice", wall)


def test_one_reading_of_the_clock_says_whether_injects_are_due(
    engine: Engine, tmp_path: Path
) -> None:
    wall = FixedClock(WALL)
    start(lambda: unit_of_work(engine), str(_small_exercise(tmp_path)), SPEED, wall)
    read, write = _units(engine)

    def due() -> bool:
        with read() as uow:
            return open_incident_clock(uow, wall).injects_due

    assert not due()  # 23:00; the first inject is at 01:30
    wall.advance(timedelta(seconds=3))  # 02:00 at an hour a second
    assert due()
    open_clock(read, write, wall)  # applies the first
    assert not due()
    with write() as uow:  # an exercise started before its schedule was kept: its file says
        uow.session.execute(update(ExerciseScriptRow).values(schedule=None))
    assert due()
    open_clock(read, write, wall)
    with read() as uow:
        assert set(exercise_store.applied(uow)) == {"one"}  # nothing applied twice
