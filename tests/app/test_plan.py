"""Restoration plans from the network state: built, solved, checked, stored, compared."""

from datetime import timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from relance.app.assets import transition_matching
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.plan import (
    Method,
    PlanOptions,
    compare_versions,
    compute_plan,
    make_plan,
    plan_start,
    read_state,
    recovery_problem,
    report_delay,
    show_plan,
    store_plan,
)
from relance.app.plan_export import draw_curve, draw_gantt, export_tasks
from relance.domain.errors import InvalidInput
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.domain.roles import CONSOLE
from relance.planning import baseline
from relance.planning.evaluate import evaluate
from relance.planning.problem import InfeasibleProblem
from relance.storage import plan_store
from relance.storage.database import unit_of_work

SMALL = Path(__file__).parent.parent / "data/small.yaml"
CTX = Context(actor="lead", authority=CONSOLE)
QUICK = PlanOptions(time_limit=2.0)
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, CTX, SMALL)
    return engine


def _move(engine: Engine, target: AssetState, **where: tuple[str, ...]) -> None:
    with unit_of_work(engine) as uow:
        transition_matching(
            uow,
            CTX,
            where=AssetFilter(**where),  # type: ignore[arg-type]
            target=target,
            reason="test",
        )


def test_the_problem_follows_the_network(loaded: Engine) -> None:
    with unit_of_work(loaded) as uow:
        recovery = recovery_problem(uow, plan_start(uow, CTX), QUICK)
    kinds = [t.kind for t in recovery.tasks]
    assert kinds.count("server") == 6
    assert kinds.count("service") == 4
    assert sum(t.machines for t in recovery.tasks if t.kind == "machines") == 12
    names = [t.name for t in recovery.problem.tasks]
    ad_up, dpi = names.index("AD up"), names.index("A-SRV-DPI-01")
    assert (
        ad_up,
        dpi,
    ) in recovery.problem.precedences  # the patient record waits for the directory
    # Servers only by the server team; PCs of A by its team or the mobile one, of B by the latter.
    pools = {r: "+".join(t.code for t in pool) for r, pool in enumerate(recovery.pools)}
    for info in recovery.tasks:
        named = tuple(pools[r] for r in info.pools)
        if info.kind == "server":
            assert named == ("SRV",)
        if info.kind == "machines":
            assert named == (("WS-A", "MOB") if info.site == "A" else ("MOB",))


def test_pcs_without_a_team_are_a_clear_error(engine: Engine, tmp_path: Path) -> None:
    text = SMALL.read_text().replace(
        "  - {code: MOB, name: Mobile team, size: 1, skills: [workstation]}\n", ""
    )
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text)
    with unit_of_work(engine) as uow:
        load_network(uow, CTX, scenario)
    with pytest.raises(InfeasibleProblem, match="no team can rebuild workstations of SOINS at B"):
        make_plan(partial(unit_of_work, engine), CTX, QUICK)


def test_every_plan_is_feasible_and_beats_or_equals_tiers(loaded: Engine) -> None:
    units = partial(unit_of_work, loaded)
    tiers = make_plan(units, CTX, PlanOptions(method=Method.TIERS))
    best = make_plan(units, CTX, QUICK)
    with unit_of_work(loaded) as uow:
        recovery = recovery_problem(uow, plan_start(uow, CTX), QUICK)
    assert best.version.objective <= tiers.version.objective
    assert best.version.lower_bound <= best.version.objective
    assert (
        evaluate(recovery.problem, baseline.tiers(recovery.problem)).weighted_downtime
        == tiers.version.objective
    )
    assert [v.id for v in (tiers.version, best.version)] == [1, 2]


def test_the_objective_splits_by_site_and_the_parts_add_up(loaded: Engine) -> None:
    units = partial(unit_of_work, loaded)
    tiers = make_plan(units, CTX, PlanOptions(method=Method.TIERS)).version
    assert sum(tiers.site_objectives.values()) == tiers.objective
    with unit_of_work(loaded) as uow:
        recovery = recovery_problem(uow, plan_start(uow, CTX), QUICK)
        stored = plan_store.versions(uow)[-1]
    assert stored.site_objectives == tiers.site_objectives
    times = evaluate(recovery.problem, baseline.tiers(recovery.problem)).milestone_times
    a_only = sum(
        m.weight * t
        for level, m, t in zip(recovery.levels, recovery.problem.milestones, times, strict=True)
        if level.site == "A"
    )
    assert tiers.site_objectives["A"] == a_only > 0


def test_the_forecast_says_when_and_why(loaded: Engine) -> None:
    result = make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    radiology = next(f for f in result.forecasts if f.activity == "radiology")
    assert radiology.capacity_now == 0
    assert radiology.partial_at is not None
    assert radiology.full_at is not None
    assert radiology.partial_at <= radiology.full_at
    assert radiology.partial_at > result.version.start_at
    assert "PACS" in radiology.waits_for or "A/RAD" in radiology.waits_for


def test_work_done_is_not_planned_again(loaded: Engine) -> None:
    for state in (
        AssetState.ISOLATED,
        AssetState.REIMAGED,
        AssetState.VALIDATED,
        AssetState.CLEAN_ZONE,
        AssetState.REDEPLOYED,
    ):
        _move(loaded, state, kinds=(AssetKind.SERVER,))
    with unit_of_work(loaded) as uow:
        recovery = recovery_problem(uow, plan_start(uow, CTX), QUICK)
    result = make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    assert not [t for t in recovery.tasks if t.kind == "server"]
    emergency = next(f for f in result.forecasts if f.activity == "emergency")
    assert emergency.capacity_now == 70  # services up, PCs not back: still on paper


def test_a_delay_moves_the_forecast_and_is_explained(loaded: Engine) -> None:
    units = partial(unit_of_work, loaded)
    first = make_plan(units, CTX, QUICK)
    start = first.version.start_at
    with unit_of_work(loaded) as uow:
        report_delay(
            uow, CTX, "PACS", start + timedelta(days=10), "archive disks sent to the vendor"
        )
    second = make_plan(units, CTX, QUICK, reason="PACS delayed")
    with unit_of_work(loaded) as uow:
        changes = compare_versions(uow, None, None)
    assert changes == second.changes
    moved = next(c for c in changes if c.activity == "radiology")
    assert moved.before is not None
    assert moved.after is not None
    assert moved.after > moved.before
    assert "delay" not in moved.waits_for or "PACS" in moved.waits_for
    with unit_of_work(loaded) as uow:
        version, _forecasts = show_plan(uow)
    assert version.id == 2
    assert version.reason == "PACS delayed"


def test_a_delay_needs_a_known_target_and_a_reason(loaded: Engine) -> None:
    with unit_of_work(loaded) as uow:
        start = plan_start(uow, CTX)
    with pytest.raises(InvalidInput, match="neither a service code"), unit_of_work(loaded) as uow:
        report_delay(uow, CTX, "PAX", start, "typo")
    with pytest.raises(InvalidInput, match="needs a reason"), unit_of_work(loaded) as uow:
        report_delay(uow, CTX, "A/URG", start, " ")


def test_pictures_are_drawn(loaded: Engine, tmp_path: Path) -> None:
    make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    with unit_of_work(loaded) as uow:
        draw_gantt(uow, tmp_path / "plan.png", None, BRUSSELS)
        draw_gantt(uow, tmp_path / "plan.html", None, BRUSSELS)
        draw_curve(uow, tmp_path / "curve.png", None, BRUSSELS)
    assert (tmp_path / "plan.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "plan.html").read_text()
    assert (tmp_path / "curve.png").stat().st_size > 1000
    with (
        pytest.raises(InvalidInput, match=r"plan\.pdf: give a file ending in"),
        unit_of_work(loaded) as uow,
    ):
        draw_gantt(uow, tmp_path / "plan.pdf", None, BRUSSELS)


def test_show_before_any_plan_is_a_clear_error(loaded: Engine) -> None:
    with pytest.raises(InvalidInput, match="no plan yet"), unit_of_work(loaded) as uow:
        show_plan(uow)


def test_changes_reported_while_solving_are_counted_not_lost(loaded: Engine) -> None:
    with unit_of_work(loaded, read_only=True) as uow:
        state = read_state(uow, CTX, QUICK)
    _move(loaded, AssetState.ISOLATED, sites=("B",))  # reported while the plan is solved
    computed = compute_plan(state, CTX, QUICK, "while B was being cut")
    with unit_of_work(loaded) as uow:
        result = store_plan(uow, CTX, computed)
    moved = sum(1 for t in state.recovery.tasks for _ in t.hostnames if t.site == "B")
    assert moved > 0
    assert result.version.changes_missed >= 1
    assert result.version.based_on == state.based_on
    with unit_of_work(loaded, read_only=True) as uow:
        fresh = read_state(uow, CTX, QUICK)
    assert fresh.based_on > state.based_on
    again = make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    assert again.version.changes_missed == 0


def test_pictures_never_touch_a_file_the_user_did_not_name(loaded: Engine, tmp_path: Path) -> None:
    make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    tmp_path = tmp_path / "reports"  # the database sits in tmp_path itself
    tmp_path.mkdir()
    beside = tmp_path / "report.svg"
    beside.write_text("the sitrep's own picture")
    with unit_of_work(loaded) as uow:
        draw_gantt(uow, tmp_path / "report.html", None, BRUSSELS)
    assert beside.read_text() == "the sitrep's own picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.svg"]
    table = (tmp_path / "report.html").read_text()
    assert "+01:00" in table or "+02:00" in table  # every time says its offset
    with pytest.raises(InvalidInput, match="already exists"), unit_of_work(loaded) as uow:
        draw_gantt(uow, beside, None, BRUSSELS)
    assert beside.read_text() == "the sitrep's own picture"
    with unit_of_work(loaded) as uow:
        draw_gantt(uow, beside, None, BRUSSELS, force=True)
        export_tasks(uow, tmp_path / "tasks.csv", None, BRUSSELS)
    assert beside.read_text().lstrip().startswith(("<?xml", "<svg"))
    assert (tmp_path / "tasks.csv").read_text().startswith("id,kind,name,site,team")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.svg", "tasks.csv"]


def test_what_is_already_running_is_no_wait(loaded: Engine) -> None:
    for state in (
        AssetState.ISOLATED,
        AssetState.REIMAGED,
        AssetState.VALIDATED,
        AssetState.CLEAN_ZONE,
        AssetState.REDEPLOYED,
    ):
        _move(loaded, state, services=("NET", "AD"))
    result = make_plan(partial(unit_of_work, loaded), CTX, QUICK)
    chains = [f.waits_for for f in result.forecasts if f.waits_for]
    assert chains
    assert not [c for c in chains if {"NET", "AD"} & set(c.split(" <- "))], chains
    radiology = next(f for f in result.forecasts if f.activity == "radiology")
    assert "PACS" in radiology.waits_for.split(" <- ") or "A/RAD" in radiology.waits_for
