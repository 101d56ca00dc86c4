"""Findings and improvement actions on SQLite and PostgreSQL: audited once, access decided
once, bad input refused with nothing written."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from relance.app import incident, review
from relance.app.access import Refused
from relance.app.context import Context
from relance.app.network import load_network
from relance.domain.audit_events import EventType
from relance.domain.clock import FixedClock
from relance.domain.errors import InvalidInput
from relance.domain.incident import LogKind, Measure
from relance.domain.review import ActionStatus, FindingKind
from relance.domain.roles import CONSOLE, Authority, Role
from relance.storage.database import UnitOfWork, unit_of_work
from relance.storage.tables import AuditRow
from tests.crisis.test_app import SMALL

ZONE = ZoneInfo("Europe/Brussels")
T0 = datetime(2022, 5, 14, 3, 29, tzinfo=ZONE)
JUNE = FixedClock(datetime(2022, 6, 20, 12, tzinfo=UTC))


def ctx(authority: Authority = CONSOLE, clock: FixedClock = JUNE) -> Context:
    return Context(actor="lead", clock=clock, authority=authority)


def _audits(engine: Engine, event: EventType) -> int:
    with unit_of_work(engine) as uow:
        query = select(func.count()).select_from(AuditRow).where(AuditRow.event_type == event)
        return uow.session.scalar(query) or 0


@pytest.fixture
def declared(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, ctx(), SMALL, T0)
        incident.declare_incident(uow, ctx(), name="test", detected_at=T0)
    return engine


def test_findings_and_actions_are_recorded_and_audited_once(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        found = review.add_finding(uow, ctx(), FindingKind.TO_IMPROVE, "  no offline patient list ")
        action = review.add_action(
            uow,
            ctx(),
            text="nightly export",
            owner="IT",
            due_on=date(2022, 7, 31),
            finding=found.id,
        )
    assert (found.kind, found.text) == ("to_improve", "no offline patient list")
    assert (action.status, action.finding_id, action.due_on) == ("planned", found.id, "2022-07-31")
    assert _audits(declared, EventType.FINDING_ADDED) == 1
    assert _audits(declared, EventType.ACTION_ADDED) == 1
    with unit_of_work(declared) as uow:
        moved = review.update_action(
            uow, ctx(), action.id, review.ActionChange(ActionStatus.IN_PROGRESS, note="script")
        )
        done = review.update_action(uow, ctx(), action.id, review.ActionChange(ActionStatus.DONE))
    assert (moved.status, moved.note, done.status) == ("in_progress", "script", "done")
    assert _audits(declared, EventType.ACTION_UPDATED) == 2
    with pytest.raises(InvalidInput, match="closed"), unit_of_work(declared) as uow:
        review.update_action(uow, ctx(), action.id, review.ActionChange(owner="someone else"))
    with pytest.raises(InvalidInput, match="cannot make it planned"), unit_of_work(declared) as uow:
        review.update_action(uow, ctx(), action.id, review.ActionChange(ActionStatus.PLANNED))
    assert _audits(declared, EventType.ACTION_UPDATED) == 2


def test_an_open_action_past_its_due_date_is_late_by_the_incident_clock(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        review.add_action(uow, ctx(), text="drill", owner="board", due_on=date(2022, 6, 19))
        review.add_action(uow, ctx(), text="export", owner="IT", due_on=date(2022, 6, 20))
        review.add_action(uow, ctx(), text="done", owner="IT", due_on=date(2022, 6, 1))
        review.update_action(uow, ctx(), 3, review.ActionChange(ActionStatus.DONE))
        listed = review.list_actions(uow, ctx(), ZONE)
        earlier = review.list_actions(
            uow, ctx(clock=FixedClock(datetime(2022, 6, 1, tzinfo=UTC))), ZONE
        )
    assert [a.late for a in listed] == [True, False, False]
    assert [a.late for a in earlier] == [False, False, False]


def test_bad_input_writes_nothing(declared: Engine) -> None:
    cases: list[tuple[Callable[[UnitOfWork], object], str]] = [
        (lambda uow: review.add_finding(uow, ctx(), FindingKind.WENT_WELL, "   "), "finding"),
        (
            lambda uow: review.add_action(
                uow, ctx(), text="x", owner="IT", due_on=date(2022, 7, 1), finding=99
            ),
            "no finding 99",
        ),
        (
            lambda uow: review.add_action(uow, ctx(), text="x", owner=" ", due_on=date(2022, 7, 1)),
            "owner",
        ),
        (lambda uow: review.update_action(uow, ctx(), 7, review.ActionChange()), "no improvement"),
    ]
    for call, message in cases:
        with pytest.raises(InvalidInput, match=message), unit_of_work(declared) as uow:
            call(uow)
    with unit_of_work(declared) as uow:
        assert review.list_findings(uow, ctx()) == []
        assert review.list_actions(uow, ctx(), ZONE) == []
    assert (
        _audits(declared, EventType.FINDING_ADDED) + _audits(declared, EventType.ACTION_ADDED) == 0
    )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.CRISIS_LEAD])
def test_only_a_crisis_lead_records_findings(declared: Engine, role: Role) -> None:
    with pytest.raises(Refused), unit_of_work(declared) as uow:
        review.add_finding(uow, ctx(Authority(role)), FindingKind.WENT_WELL, "fast")
    with unit_of_work(declared) as uow:
        assert review.list_findings(uow, ctx(Authority(role))) == []  # but every role reads


def test_the_review_is_for_an_account_of_the_whole_network(declared: Engine) -> None:
    one_site = ctx(Authority(Role.CRISIS_LEAD, ("A",)))
    with unit_of_work(declared) as uow:
        for call in (
            lambda: review.review_facts(uow, one_site, ZONE),
            lambda: review.list_findings(uow, one_site),
            lambda: review.add_finding(uow, one_site, FindingKind.WENT_WELL, "fast"),
        ):
            with pytest.raises(Refused):
                call()
    with pytest.raises(Refused), unit_of_work(declared) as uow:
        review.review_facts(uow, Context(actor="nobody", clock=JUNE), ZONE)


def test_without_an_incident_the_review_says_what_to_do(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="no incident declared"), unit_of_work(engine) as uow:
        review.review_facts(uow, ctx(), ZONE)


def test_a_decision_replaced_everywhere_has_an_outcome(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        activity = next(iter(review.review_facts(uow, ctx(), ZONE).activities))
        for hours, measure in ((1, Measure.CANCELLED), (30, Measure.LIFTED)):
            incident.add_log_entry(
                uow,
                ctx(),
                kind=LogKind.DECISION,
                text=f"{measure.value} {activity}",
                at=T0 + timedelta(hours=hours),
                decided_by="medical director",
                rationale="test",
                links=(f"activity:{activity}",),
                measure=measure,
            )
        facts = review.review_facts(uow, ctx(), ZONE)
    first, lift = facts.decisions
    assert first.measure == "cancelled"
    assert first.ended_at == (T0 + timedelta(hours=30)).isoformat(timespec="minutes")
    assert first.ended_by == "lifted"
    assert lift.ended_at is None
