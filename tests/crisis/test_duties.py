"""The legal duties and claims registers on SQLite and PostgreSQL: deadlines from the incident's
own records, one audit row per change, refusals that change nothing."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from relance.app import claims, duties, incident
from relance.app.access import Refused
from relance.app.audit import timeline
from relance.app.context import Context
from relance.app.network import load_network
from relance.domain.clock import FixedClock
from relance.domain.duties import ClaimStatus, DutyStatus, Urgency
from relance.domain.errors import InvalidInput
from relance.domain.incident import Phase
from relance.domain.roles import CONSOLE, Authority, Role
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from relance.storage.tables import AuditRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
ZONE = ZoneInfo("Europe/Brussels")
DETECTED = datetime(2022, 5, 14, 3, 29, tzinfo=ZONE)
AWARE = datetime(2022, 5, 14, 3, 42, tzinfo=ZONE)
HASH = "cd" * 32
S = DutyStatus


def ctx(actor: str = "lead", now: datetime = AWARE + timedelta(hours=1), **kw: object) -> Context:
    authority = kw.get("authority", CONSOLE)
    assert authority is None or isinstance(authority, Authority)
    return Context(actor=actor, clock=FixedClock(now.astimezone(UTC)), authority=authority)


def _audits(engine: Engine) -> int:
    with unit_of_work(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0


@pytest.fixture
def declared(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, ctx(), SMALL, DETECTED)
        incident.declare_incident(uow, ctx(), name="test", detected_at=DETECTED, confirmed_at=AWARE)
    return engine


def _duty(engine: Engine, key: str, at: datetime = AWARE + timedelta(hours=1)) -> duties.Duty:
    with unit_of_work(engine) as uow:
        return next(d for d in duties.duty_register(uow, ctx(now=at)).duties if d.key == key)


def test_the_deadlines_count_from_the_confirmation_of_the_attack(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        register = duties.duty_register(uow, ctx())
    assert register.awareness is not None
    assert register.awareness.at == AWARE
    due = {d.key: d.due_at for d in register.duties}
    assert due["nis2_early_warning"] == AWARE + timedelta(hours=24)
    assert due["nis2_notification"] == AWARE + timedelta(hours=72)
    assert due["gdpr_dpa"] == AWARE + timedelta(hours=72)
    assert due["nis2_final_report"] == datetime(2022, 6, 17, 3, 42, tzinfo=ZONE)
    assert register.duties[0].key == "nis2_early_warning"  # soonest first
    assert {d.status for d in register.duties} == {S.TO_DO}
    assert register.alarms == []


def test_without_a_confirmation_the_clock_starts_at_containment(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        load_network(uow, ctx(), SMALL, DETECTED)
        incident.declare_incident(uow, ctx(), name="test", detected_at=DETECTED)
        assert duties.duty_register(uow, ctx()).awareness is None
        assert all(d.due_at is None for d in duties.duty_register(uow, ctx()).duties)
        incident.enter_phase(uow, ctx(), Phase.CONTAINMENT, AWARE + timedelta(minutes=5))
        register = duties.duty_register(uow, ctx())
    assert register.awareness is not None
    assert register.awareness.at == AWARE + timedelta(minutes=5)


def test_correcting_awareness_moves_every_deadline_and_is_audited(declared: Engine) -> None:
    before = _audits(declared)
    with pytest.raises(InvalidInput, match="reason"), unit_of_work(declared) as uow:
        duties.set_awareness(uow, ctx(), AWARE - timedelta(minutes=10), "")
    with pytest.raises(InvalidInput, match="detected"), unit_of_work(declared) as uow:
        duties.set_awareness(uow, ctx(), DETECTED - timedelta(minutes=1), "earlier")
    assert _audits(declared) == before
    earlier = AWARE - timedelta(minutes=10)
    with unit_of_work(declared) as uow:
        duties.set_awareness(uow, ctx(), earlier, "the on-call engineer knew at 03:32")
    assert _duty(declared, "nis2_early_warning").due_at == earlier + timedelta(hours=24)
    with unit_of_work(declared) as uow:
        rows = audit_store.find(uow, AuditQuery(event_types=("duties.awareness_set",)))
    assert [(r.before, r.reason) for r in rows] == [
        ({"aware_at": AWARE.astimezone(UTC).isoformat()}, "the on-call engineer knew at 03:32")
    ]


def test_draft_approve_submit_each_audited_once_with_four_eyes(declared: Engine) -> None:
    key = "nis2_notification"
    with pytest.raises(InvalidInput, match="allowed"), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx(), key, S.SUBMITTED, reference="CCB-1")
    with unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("ciso"), key, S.DRAFTED)
    with pytest.raises(InvalidInput, match="another person"), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("CISO"), key, S.APPROVED)
    with unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("director"), key, S.APPROVED)
    with pytest.raises(InvalidInput, match="reference"), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("ciso"), key, S.SUBMITTED)
    sent = AWARE + timedelta(hours=30)
    with unit_of_work(declared) as uow:
        done = duties.move_duty(
            uow, ctx("ciso", now=sent), key, S.SUBMITTED, reference="CCB-2022-0042", at=sent
        )
    assert (done.status, done.reference, done.submitted_at) == (S.SUBMITTED, "CCB-2022-0042", sent)
    assert done.urgency is Urgency.DONE
    final = _duty(declared, "nis2_final_report")
    assert final.due_at == sent + timedelta(days=31)  # 15 June 09:42 + 1 month, no DST change
    assert not final.provisional
    with unit_of_work(declared) as uow:
        rows = audit_store.find(uow, AuditQuery(object_type="duty", object_key=key))
        outcomes = duties.outcomes(uow, ctx())
    assert [r.event_type for r in rows] == ["duty.drafted", "duty.approved", "duty.submitted"]
    assert rows[-1].after == {
        "status": "submitted",
        "reference": "CCB-2022-0042",
        "submitted_at": sent.isoformat(),
    }
    met = next(o for o in outcomes if o.key == key)
    assert (met.submitted_at, met.status, met.late) == (sent, "submitted", False)
    assert met.title == "NIS2: incident notification to the CCB"


def test_not_applicable_needs_a_reason_and_reopening_one_too(declared: Engine) -> None:
    before = _audits(declared)
    with pytest.raises(InvalidInput, match="reason"), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx(), "gdpr_dpa", S.NOT_APPLICABLE)
    assert _audits(declared) == before
    with unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx(), "gdpr_dpa", S.NOT_APPLICABLE, reason="no personal data")
        duties.move_duty(uow, ctx(), "gdpr_dpa", S.TO_DO, reason="a leak site claims 400 GB")
    assert _duty(declared, "gdpr_dpa").status is S.TO_DO
    assert _audits(declared) == before + 2


def test_the_alarm_goes_off_six_hours_before_a_deadline(declared: Engine) -> None:
    due = AWARE + timedelta(hours=24)
    with unit_of_work(declared) as uow:
        assert duties.alarms(uow, ctx(now=due - timedelta(hours=6, minutes=1))) == []
        ringing = duties.alarms(uow, ctx(now=due - timedelta(hours=6)))
        assert [d.key for d in ringing] == ["nis2_early_warning"]
        late = duties.alarms(uow, ctx(now=due + timedelta(hours=50)))
    assert [d.urgency for d in late] == [Urgency.OVERDUE] * 3


def test_the_cell_adds_a_duty_with_its_own_deadline(declared: Engine) -> None:
    due = AWARE + timedelta(days=2)
    with unit_of_work(declared) as uow:
        added = duties.add_duty(
            uow, ctx(), key="police_complaint", title="Plainte", authority="police", due=due
        )
    assert (added.due_at, added.standard) == (due, False)
    with pytest.raises(InvalidInput, match="already"), unit_of_work(declared) as uow:
        duties.add_duty(uow, ctx(), key="gdpr_dpa", title="x", authority="y", due=due)
    with pytest.raises(InvalidInput, match="lower-case"), unit_of_work(declared) as uow:
        duties.add_duty(uow, ctx(), key="Bad Key!", title="x", authority="y", due=due)
    with pytest.raises(InvalidInput, match="no duty"), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx(), "nope", S.DRAFTED)


def test_only_the_crisis_lead_and_the_named_officer_act_and_the_officer_never_approves(
    declared: Engine,
) -> None:
    observer = Authority(Role.OBSERVER)
    clinician = Authority(Role.CLINICIAN)
    with unit_of_work(declared) as uow:
        assert duties.duty_register(uow, ctx("obs", authority=observer)).duties
    before = _audits(declared)
    for refused in (
        lambda uow: duties.move_duty(uow, ctx("dpo", authority=clinician), "gdpr_dpa", S.DRAFTED),
        lambda uow: duties.name_officer(uow, ctx("obs", authority=observer), "gdpr_dpa", "obs"),
        lambda uow: duties.set_awareness(uow, ctx("obs", authority=observer), AWARE, "why"),
    ):
        with pytest.raises(Refused), unit_of_work(declared) as uow:
            refused(uow)
    assert _audits(declared) == before
    with unit_of_work(declared) as uow:
        duties.name_officer(uow, ctx(), "gdpr_dpa", "DPO")
        duties.move_duty(uow, ctx("dpo", authority=clinician), "gdpr_dpa", S.DRAFTED)
    with pytest.raises(Refused), unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("dpo", authority=clinician), "gdpr_dpa", S.APPROVED)
    with unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx("lead"), "gdpr_dpa", S.APPROVED)
        done = duties.move_duty(
            uow, ctx("dpo", authority=clinician), "gdpr_dpa", S.SUBMITTED, reference="APD-7"
        )
    assert (done.officer, done.status) == ("DPO", S.SUBMITTED)


def test_a_claim_registers_its_screenshot_as_evidence_and_tells_the_timeline(
    declared: Engine,
) -> None:
    seen = datetime(2022, 5, 18, 12, tzinfo=ZONE)
    later = seen + timedelta(days=11)
    with unit_of_work(declared) as uow:
        claim = claims.record_claim(
            uow,
            ctx(now=later),
            group="LockBit 2.0",
            seen_at=seen,
            where="leak site",
            volume="400 GB",
            deadline=seen + timedelta(days=8),
            screenshots=[HASH.upper()],
        )
        evidence = incident.list_evidence(uow)
    assert claim.reference == "CL-0001"
    assert [(e.reference, e.sha256, e.kind) for e in evidence] == [
        ("EV-0001", HASH, "capture d'écran")
    ]
    assert claim.evidence == ["EV-0001"]
    with pytest.raises(InvalidInput, match="later"), unit_of_work(declared) as uow:
        claims.extend_claim(uow, ctx(now=later), "CL-0001", seen + timedelta(days=7))
    with unit_of_work(declared) as uow:
        claims.extend_claim(uow, ctx(now=later), "cl-0001", seen + timedelta(days=10))
        claims.set_claim_status(uow, ctx(now=later), "CL-0001", ClaimStatus.EXPIRED)
        claims.set_claim_status(uow, ctx(now=later), "CL-0001", ClaimStatus.REMOVED, at=later)
    with pytest.raises(InvalidInput, match="allowed"), unit_of_work(declared) as uow:
        claims.set_claim_status(uow, ctx(now=later), "CL-0001", ClaimStatus.EXPIRED)
    with unit_of_work(declared) as uow:
        (kept,) = claims.list_claims(uow, ctx(now=later))
        told = timeline(uow, ctx(now=later), AuditQuery(object_type="claim"), None)
    assert (kept.status, kept.deadline_at) == ("removed", seen + timedelta(days=10))
    assert datetime.fromisoformat(kept.extensions[0]["deadline"]) == seen + timedelta(days=8)
    assert [line.event_type for line in told] == ["claim.recorded"] + ["claim.updated"] * 3
    with unit_of_work(declared) as uow:
        register = duties.duty_register(uow, ctx(now=later))
    assert register.claims == [kept]  # the GDPR assessment sees the claim


def test_a_claim_with_a_bad_screenshot_hash_writes_nothing(declared: Engine) -> None:
    before = _audits(declared)
    seen = datetime(2022, 5, 18, 12, tzinfo=ZONE)
    for bad in (["not-a-hash"], [HASH, HASH]):
        with pytest.raises(InvalidInput), unit_of_work(declared) as uow:
            claims.record_claim(
                uow,
                ctx(now=seen + timedelta(days=1)),
                group="g",
                seen_at=seen,
                where="w",
                screenshots=bad,
            )
    assert _audits(declared) == before
