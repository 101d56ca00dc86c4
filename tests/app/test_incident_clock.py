"""The incident clock on SQLite and PostgreSQL: live follows the wall clock, a replay its own
time, which only moves forward, each move audited once."""

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from relance.app.assets import transition_matching
from relance.app.context import Context
from relance.app.exercise import Unit, open_clock
from relance.app.incident_clock import (
    DatabaseClock,
    advance_clock,
    clock_of,
    go_live,
    reading,
    set_clock,
    show_clock,
    start_replay,
)
from relance.app.network import load_network
from relance.app.users import add_user
from relance.domain.clock import ClockMode, FixedClock
from relance.domain.errors import InvalidInput
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.domain.roles import CONSOLE, Role
from relance.storage.database import unit_of_work
from relance.storage.tables import AuditRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
START = datetime(2022, 5, 14, 1, 45, tzinfo=UTC)


def _ctx(at: datetime) -> Context:
    return Context(actor="lead", clock=FixedClock(at), authority=CONSOLE)


@pytest.fixture
def replay(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, _ctx(START), SMALL, START)
        start_replay(uow, _ctx(START), START, "an exercise of the night")
    return engine


def test_a_new_database_is_live(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        now = show_clock(uow, Context(actor="x", authority=CONSOLE))
        assert now.mode is ClockMode.LIVE
        assert abs(now.now - datetime.now(UTC)) < timedelta(minutes=5)
        with pytest.raises(InvalidInput, match="this database is live"):
            set_clock(uow, _ctx(START), START + timedelta(days=1), "no")


def test_a_replay_lives_at_its_latest_recorded_moment(replay: Engine) -> None:
    with unit_of_work(replay) as uow:
        assert reading(uow) == reading(uow)
        assert reading(uow).now == START
        later = START + timedelta(hours=3)
        where = AssetFilter(hostnames=("A-SRV-AD-01",))
        transition_matching(uow, _ctx(later), where=where, target=AssetState.ISOLATED, reason="cut")
        assert clock_of(uow, wall=FixedClock(datetime.now(UTC))).now() == later
        # an account made today does not drag the incident into today
        add_user(
            uow, Context(actor="admin", authority=CONSOLE), "nurse", Role.OBSERVER, name="Nurse"
        )
        assert reading(uow).now == later


def test_the_clock_moves_forward_only_and_each_move_is_audited(replay: Engine) -> None:
    with unit_of_work(replay) as uow:
        ctx = _ctx(START)
        assert set_clock(uow, ctx, START + timedelta(hours=6), "morning").now == START + timedelta(
            hours=6
        )
        moved = advance_clock(uow, ctx, timedelta(hours=2), "meeting")
        assert moved.now == START + timedelta(hours=8)
        assert reading(uow).now == moved.now
        with pytest.raises(InvalidInput, match="cannot go back"):
            set_clock(uow, ctx, START + timedelta(hours=7), "oops")
        with pytest.raises(InvalidInput, match="only moves forward"):
            advance_clock(uow, ctx, timedelta(0), "no")
        rows = uow.session.scalars(
            select(AuditRow).where(AuditRow.object_type == "clock").order_by(AuditRow.id)
        ).all()
        assert [r.event_type for r in rows] == [
            "clock.replay_started",
            "clock.set",
            "clock.advanced",
        ]
        assert rows[-1].occurred_at == moved.now
        assert rows[-1].after == {
            "mode": "replay",
            "at": moved.now.isoformat(),
            "before": (START + timedelta(hours=6)).isoformat(),
        }


def test_going_live_is_refused_ahead_of_the_wall_clock_then_follows_it(replay: Engine) -> None:
    with unit_of_work(replay) as uow:
        with pytest.raises(InvalidInput, match="after the wall clock"):
            go_live(uow, _ctx(START), "too soon", wall=FixedClock(START - timedelta(days=1)))
        wall = FixedClock(START + timedelta(days=400))
        assert go_live(uow, _ctx(START), "caught up", wall=wall).mode is ClockMode.LIVE
        assert reading(uow).mode is ClockMode.LIVE
        with pytest.raises(InvalidInput, match="this database is live"):
            advance_clock(uow, _ctx(START), timedelta(hours=1), "no")


def test_a_live_database_with_facts_cannot_start_a_replay_before_them(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        load_network(uow, _ctx(START + timedelta(days=2)), SMALL, START)
        with pytest.raises(InvalidInput, match="cannot replay"):
            start_replay(uow, _ctx(START), START, "rewrite history")


def _units(engine: Engine) -> tuple[Unit, Unit]:
    return partial(unit_of_work, engine, read_only=True), partial(unit_of_work, engine)


def test_a_context_reads_its_database_clock_once_then_runs_with_the_wall_clock(
    replay: Engine,
) -> None:
    clock = DatabaseClock(partial(open_clock, *_units(replay)))
    assert clock.mode() is ClockMode.REPLAY
    assert START <= clock.now() < START + timedelta(minutes=5)  # generous: a loaded machine
    with unit_of_work(replay) as uow:
        advance_clock(uow, _ctx(START), timedelta(hours=1), "later")
    assert clock.now() < START + timedelta(minutes=5)  # read once for the request
    fresh = DatabaseClock(partial(open_clock, *_units(replay)))
    assert START + timedelta(hours=1) <= fresh.now() < START + timedelta(hours=1, minutes=5)


def test_a_replay_runs_as_the_wall_clock_goes(replay: Engine) -> None:
    wall = FixedClock(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    with unit_of_work(replay) as uow:
        clock = clock_of(uow, wall)
    assert clock.now() == START
    wall.advance(timedelta(minutes=40))  # a dispatcher's loop, a backup every 15m
    assert clock.now() == START + timedelta(minutes=40)
