"""The clean-zone steps through the app service, on SQLite and PostgreSQL: late, twice, moved."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from relance.app.access import Refused
from relance.app.clean_zone import (
    LONGEST_WAIT,
    StateMoved,
    Step,
    UnknownMachine,
    machine_at_hand,
    offline_copy,
    record_step,
)
from relance.app.context import Context
from relance.app.network import load_network
from relance.domain.clock import FixedClock
from relance.domain.errors import InvalidInput
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.domain.roles import Authority, Role
from relance.storage import asset_store, audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work

SMALL = Path(__file__).parent.parent / "data/small.yaml"
S = AssetState
NOW = datetime(2022, 5, 15, 9, 0, tzinfo=UTC)
EVERY_SITE = Authority(Role.TECHNICIAN, ())
ONLY_B = Authority(Role.TECHNICIAN, ("B",))


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, Context(actor="lead", clock=FixedClock(NOW - timedelta(days=1))), SMALL)
    return engine


def _host(engine: Engine, site: str) -> str:
    with unit_of_work(engine) as uow:
        return asset_store.find(uow, AssetFilter(sites=(site,)), 1)[0].hostname


def _ctx(actor: str = "tech", who: Authority = EVERY_SITE) -> Context:
    return Context(actor, FixedClock(NOW), str(uuid.uuid4()), who)


def _record(engine: Engine, ctx: Context, step: Step) -> bool:
    with unit_of_work(engine) as uow:
        return record_step(uow, ctx, step).already


def _moves(engine: Engine, hostname: str) -> list[audit_store.AuditEvent]:
    with unit_of_work(engine) as uow:
        return audit_store.find(uow, AuditQuery(object_type="asset", object_key=hostname))


def test_a_step_sent_late_is_dated_when_it_was_tapped_and_audited_under_its_number(
    loaded: Engine,
) -> None:
    host = _host(loaded, "A")
    ctx = _ctx()
    step = Step(host, S.COMPROMISED, S.ISOLATED, "cable pulled", waited=timedelta(minutes=7))
    assert _record(loaded, ctx, step) is False
    [move] = _moves(loaded, host)
    assert move.request_id == ctx.request_id
    assert move.occurred_at == NOW - timedelta(minutes=7)
    assert move.recorded_at == NOW
    assert (move.before, move.after, move.reason) == (
        {"state": "compromised"},
        {"state": "isolated"},
        "cable pulled",
    )
    with unit_of_work(loaded) as uow:
        machine = machine_at_hand(uow, _ctx(), host.lower())
    assert (machine.state, machine.by) == (S.ISOLATED, "tech")
    assert machine.steps == (S.IMAGED, S.REIMAGED, S.DECOMMISSIONED)


def test_a_step_sent_twice_is_recorded_once(loaded: Engine) -> None:
    host = _host(loaded, "A")
    ctx = _ctx()
    step = Step(host, S.COMPROMISED, S.ISOLATED)
    assert _record(loaded, ctx, step) is False
    assert _record(loaded, ctx, step) is True  # the answer was lost; the phone sent it again
    assert len(_moves(loaded, host)) == 1
    with pytest.raises(InvalidInput, match="number is taken"):  # the same number, another step
        _record(loaded, ctx, Step(_host(loaded, "B"), S.COMPROMISED, S.ISOLATED))
    with pytest.raises(InvalidInput, match="number is taken"):  # or another person
        _record(loaded, Context("someone", FixedClock(NOW), ctx.request_id, EVERY_SITE), step)


def test_a_step_on_a_machine_that_moved_meanwhile_is_refused_and_changes_nothing(
    loaded: Engine,
) -> None:
    host = _host(loaded, "A")
    _record(loaded, _ctx("other"), Step(host, S.COMPROMISED, S.ISOLATED))
    late = Step(host, S.COMPROMISED, S.DECOMMISSIONED, "scrapped")  # allowed from isolated too
    with pytest.raises(StateMoved) as refused:
        _record(loaded, _ctx(), late)
    assert refused.value.now.state is S.ISOLATED
    assert refused.value.now.by == "other"
    assert "now Isolated, not Compromised" in str(refused.value)
    assert [m.after for m in _moves(loaded, host)] == [{"state": "isolated"}]


def test_another_sites_machine_answers_as_an_unknown_one(loaded: Engine) -> None:
    elsewhere = _host(loaded, "A")
    at_b = _ctx("tech-b", ONLY_B)
    with unit_of_work(loaded) as uow:
        with pytest.raises(Refused) as other:  # refused (the web app audits it)...
            machine_at_hand(uow, at_b, elsewhere)
        with pytest.raises(UnknownMachine) as unknown:
            machine_at_hand(uow, at_b, "A-NO-SUCH-HOST")
        copy = offline_copy(uow, at_b)
    assert isinstance(other.value.shown, UnknownMachine)  # ...but answered as an unknown one
    assert str(other.value.shown).replace(elsewhere, "X") == str(unknown.value).replace(
        "A-NO-SUCH-HOST", "X"
    )
    with pytest.raises(Refused):
        _record(loaded, _ctx("tech-b", ONLY_B), Step(elsewhere, S.COMPROMISED, S.ISOLATED))
    assert _moves(loaded, elsewhere) == []
    assert {k.site for k in copy} == {"B"}
    assert len(copy) > 0


def test_a_step_kept_longer_than_a_session_is_refused(loaded: Engine) -> None:
    host = _host(loaded, "A")
    old = Step(host, S.COMPROMISED, S.ISOLATED, waited=LONGEST_WAIT + timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="waited too long"):
        _record(loaded, _ctx(), old)
    assert _moves(loaded, host) == []


def test_a_late_step_is_never_dated_before_the_change_it_follows(loaded: Engine) -> None:
    host = _host(loaded, "A")
    _record(loaded, _ctx(), Step(host, S.COMPROMISED, S.ISOLATED))
    _record(loaded, _ctx(), Step(host, S.ISOLATED, S.REIMAGED, waited=timedelta(hours=2)))
    first, second = _moves(loaded, host)
    assert first.occurred_at == second.occurred_at == NOW
