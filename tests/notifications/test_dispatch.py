"""The dispatcher and what settles an SMS, without a gateway: at most once, and never lost.

The gateway here is the recording one, answering as each test needs; tests/notifications/
test_kannel.py runs the same against real Kannel.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from relance.app.access import Refused
from relance.app.appointments import import_book, triage_book
from relance.app.context import Context
from relance.app.delivery_reports import expire_reports, record_reports
from relance.app.in_doubt import in_doubt, reconcile, settle_in_doubt
from relance.app.network import load_network
from relance.app.notify import DispatcherBusy, DispatchOptions, Process, dispatch
from relance.domain.audit_events import EventType
from relance.domain.clock import FixedClock
from relance.domain.delivery import Verdict
from relance.domain.errors import InvalidInput, RejectedInput
from relance.domain.roles import CONSOLE, Authority, Role
from relance.importers.triage_rules import default_rules
from relance.notifications.gateway import Outcome, Outgoing, RecordingGateway
from relance.storage import outbox_store
from relance.storage.database import unit_of_work
from relance.storage.outbox_store import Dispatcher
from relance.storage.tables import AuditRow, NotificationRow
from tests.notifications.conftest import BOOK_HEADER, SMALL, TODAY, ZONE, book_rows

CTX = Context(actor="cell", authority=CONSOLE)
FAST = DispatchOptions(rate=10_000, workers=4)  # fewer under way than queued: several rounds
ELSEWHERE = Process(4242, "another-machine")


@pytest.fixture
def outbox(engine: Engine, tmp_path: Path) -> Engine:
    """Ten SMS queued."""
    with unit_of_work(engine) as uow:
        load_network(uow, CTX, SMALL)
    (tmp_path / "book.csv").write_text(BOOK_HEADER + "\n".join(book_rows(10)) + "\n")
    with unit_of_work(engine) as uow:
        import_book(uow, CTX, [tmp_path / "book.csv"], ZONE)
        triage_book(uow, CTX, default_rules(), sender="Test", zone=ZONE, today=TODAY)
    return engine


def _statuses(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as uow:
        rows = uow.session.execute(select(NotificationRow.id, NotificationRow.status)).all()
    return dict(rows)


def _count(engine: Engine) -> Counter[str]:
    return Counter(_statuses(engine).values())


def test_each_message_goes_once_and_reports_only_move_it_forward(outbox: Engine) -> None:
    gateway = RecordingGateway()
    report = dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST)
    assert (report.sent, report.not_sent, report.unknown, report.complete) == (10, 0, 0, True)
    assert len({m.id for m in gateway.sent}) == len(gateway.sent) == 10
    assert _count(outbox) == {"submitted": 10}
    first, second = gateway.sent[0].id, gateway.sent[1].id
    with unit_of_work(outbox) as uow:
        # delivered then a late "accepted" in one batch: no going back
        assert record_reports(uow, CTX, [(first, "1"), (first, "8"), ("nobody", "1")]) == [
            "",
            "",
            "no message 'nobody'",
        ]
        assert record_reports(uow, CTX, [(first, "x")]) == ["report type 'x' is not a number"]
    later = Context("cell", FixedClock(datetime.now(UTC) + timedelta(hours=2)), authority=CONSOLE)
    with unit_of_work(outbox) as uow:
        assert expire_reports(uow, later, timedelta(hours=1)) == 9  # the others never reported
        assert record_reports(uow, CTX, [(second, "1")]) == [""]  # a late report still counts
    assert _count(outbox) == {"delivered": 2, "unconfirmed": 8}
    assert dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST).sent == 0


def test_a_gateway_that_sends_nothing_leaves_the_queue_and_says_why_once(outbox: Engine) -> None:
    gateway = RecordingGateway(Outcome.NOT_SENT)
    report = dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST)
    assert (report.sent, report.not_sent, report.complete) == (0, FAST.workers, False)
    assert report.stopped.startswith("the gateway sent none of them")
    assert report.problems == {"recorded as not-sent": FAST.workers}  # one line, its count
    assert _count(outbox) == {"queued": 10}
    assert dispatch(lambda: unit_of_work(outbox), CTX, RecordingGateway(), FAST).sent == 10


def test_a_message_refused_alone_waits_and_the_others_go(outbox: Engine) -> None:
    bad: list[str] = []

    def answer(message: Outgoing) -> Outcome:
        if not bad:
            bad.append(message.id)
        return Outcome.NOT_SENT if message.id in bad else Outcome.ACCEPTED

    gateway = RecordingGateway(answer)
    report = dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST)
    assert (report.sent, report.not_sent, report.stopped) == (9, 1, "")
    assert [m.id for m in gateway.sent].count(bad[0]) == 1  # not claimed again in the same run
    assert _statuses(outbox)[bad[0]] == "queued"


def test_a_lost_answer_is_never_resent_and_evidence_settles_it(outbox: Engine) -> None:
    lost = RecordingGateway(Outcome.UNKNOWN)
    report = dispatch(lambda: unit_of_work(outbox), CTX, lost, DispatchOptions(limit=3))
    assert (report.unknown, report.complete) == (3, False)
    gateway = RecordingGateway()
    assert dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST).sent == 7
    doubtful = {m.id for m in lost.sent}
    assert not doubtful & {m.id for m in gateway.sent}
    assert _count(outbox) == {"submitted": 7, "unknown": 3}
    one, two, three = sorted(doubtful)
    with unit_of_work(outbox) as uow:
        record_reports(uow, CTX, [(one, "1")])  # a report proves it went
        listed = in_doubt(uow, CTX, "test")
    assert sorted(m.id for m in listed) == [two, three]
    assert {m.appointment for m in listed} <= {f"R{i}" for i in range(10)}
    assert _statuses(outbox)[one] == "delivered"


def test_a_person_settles_what_may_have_been_sent(outbox: Engine) -> None:
    dispatch(lambda: unit_of_work(outbox), CTX, RecordingGateway(Outcome.UNKNOWN), FAST)
    ids = sorted(_statuses(outbox))
    nurse = Context(actor="nurse", authority=CONSOLE)
    at_a = Context(actor="clinician-a", authority=Authority(Role.CLINICIAN, ("A",)))
    with pytest.raises(Refused, match="limited to A"), unit_of_work(outbox) as uow:
        settle_in_doubt(uow, at_a, ids[:1], Verdict.NOT_SENT, "checked")  # SMS of every site
    with pytest.raises(Refused, match="limited to A"), unit_of_work(outbox) as uow:
        in_doubt(uow, at_a, "test")
    with pytest.raises(InvalidInput, match="--reason"), unit_of_work(outbox) as uow:
        settle_in_doubt(uow, nurse, ids[:2], Verdict.NOT_SENT, " ")
    with pytest.raises(RejectedInput, match="no such message"), unit_of_work(outbox) as uow:
        settle_in_doubt(uow, nurse, [ids[0], "nobody"], Verdict.NOT_SENT, "checked")
    with unit_of_work(outbox) as uow:
        assert settle_in_doubt(uow, nurse, ids[:2], Verdict.NOT_SENT, "no trace at Kannel") == 2
        assert settle_in_doubt(uow, nurse, ids[2:3], Verdict.SENT, "the patient got it") == 1
    with (
        pytest.raises(RejectedInput, match="it is queued, not unknown"),
        unit_of_work(outbox) as uow,
    ):
        settle_in_doubt(uow, nurse, ids[:1], Verdict.SENT, "twice")  # nothing of it applied
    assert Counter(_statuses(outbox)[i] for i in ids[:3]) == {"queued": 2, "submitted": 1}
    gateway = RecordingGateway()
    dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST)
    assert sorted(m.id for m in gateway.sent) == ids[:2]  # sent again because a person said so
    with unit_of_work(outbox) as uow:
        settled = uow.session.scalars(
            select(AuditRow).where(AuditRow.event_type == EventType.NOTIFICATION_SETTLED.value)
        ).all()
    assert sorted((a.actor, a.object_key) for a in settled) == [("nurse", i) for i in ids[:3]]
    assert {a.reason for a in settled} == {
        "not-sent: no trace at Kannel",
        "sent: the patient got it",
    }


def _hold(engine: Engine, who: Process, seen: datetime, claims: int) -> list[str]:
    """A dispatcher `who`, last seen at `seen`, with `claims` messages under way."""
    with unit_of_work(engine) as uow:
        outbox_store.hold_dispatcher(
            uow, Dispatcher("run-1", who.label, who.host, who.pid, seen, seen)
        )
        return [i for i, _, _ in outbox_store.claim(uow, claims, seen, who.label)]


def test_a_dispatcher_that_died_leaves_its_claims_in_doubt_not_resent(outbox: Engine) -> None:
    here = Process(4242, "this-machine")
    gone = Process(_no_such_pid(), here.host)
    claimed = _hold(outbox, gone, datetime.now(UTC), 3)
    gateway = RecordingGateway()
    report = dispatch(lambda: unit_of_work(outbox), CTX, gateway, FAST, me=here)
    assert report.found is not None
    assert (report.found.holder, report.found.in_doubt) == (gone.label, 3)
    assert report.found.why_stopped == "its process is gone"
    assert report.sent == 7
    assert not set(claimed) & {m.id for m in gateway.sent}
    assert {_statuses(outbox)[i] for i in claimed} == {"unknown"}
    with unit_of_work(outbox) as uow:
        assert {m.claimed_by for m in outbox_store.in_doubt(uow)} == {gone.label}
        assert outbox_store.dispatcher(uow) is None  # released at the end


def test_one_dispatcher_at_a_time(outbox: Engine) -> None:
    now = datetime.now(UTC)
    _hold(outbox, ELSEWHERE, now, 2)
    with pytest.raises(DispatcherBusy) as busy:
        dispatch(lambda: unit_of_work(outbox), CTX, RecordingGateway(), FAST)
    assert (busy.value.holder.holder, busy.value.in_flight) == (ELSEWHERE.label, 2)
    assert busy.value.retry_after == now + FAST.lease
    assert _count(outbox) == {"queued": 8, "sending": 2}  # nothing touched
    later = Context("cell", FixedClock(now + FAST.lease + timedelta(seconds=1)), authority=CONSOLE)
    report = dispatch(lambda: unit_of_work(outbox), later, RecordingGateway(), FAST)
    assert report.found is not None
    assert report.found.why_stopped == f"not seen for {int(FAST.lease.total_seconds()) + 1} s"
    assert _count(outbox) == {"submitted": 8, "unknown": 2}


def test_a_dispatcher_that_lost_its_turn_stops(outbox: Engine) -> None:
    def answer(message: Outgoing) -> Outcome:
        _hold(outbox, ELSEWHERE, datetime.now(UTC), 0)  # another took over meanwhile
        return Outcome.ACCEPTED

    report = dispatch(lambda: unit_of_work(outbox), CTX, RecordingGateway(answer), FAST)
    assert report.stopped == "another dispatcher took over: this one stopped"
    assert report.sent == FAST.workers  # what was under way is recorded, nothing more claimed
    assert _count(outbox) == {"submitted": FAST.workers, "queued": 10 - FAST.workers}


def test_reconcile_settles_on_kannels_access_log(outbox: Engine, tmp_path: Path) -> None:
    dispatch(lambda: unit_of_work(outbox), CTX, RecordingGateway(Outcome.UNKNOWN), FAST)
    ids = sorted(_statuses(outbox))
    sent, failed = ids[0], ids[1]
    log = tmp_path / "access.log"
    log.write_text(
        "2026-11-27 17:25:52 Log begins\n"
        f"2026-11-27 17:25:53 Sent SMS [SMSC:FAKE] [SVC:relance] [ACT:{sent}] [BINF:] [msg:2:hi]\n"
        "2026-11-27 17:25:53 Receive DLR [SMSC:FAKE] [SVC:relance] [ACT:] [BINF:]\n"
        f"2026-11-27 17:25:54 FAILED Send SMS [SMSC:FAKE] [SVC:relance] [ACT:{failed}]\n"
        "2026-11-27 17:25:55 Sent SMS [SMSC:FAKE] [SVC:relance] [ACT:someone-else]\n"
    )
    done = reconcile(lambda: unit_of_work(outbox), CTX, [log])
    assert (done.sent, done.gave_up, done.still_unknown) == (1, 1, 8)
    assert (_statuses(outbox)[sent], _statuses(outbox)[failed]) == ("submitted", "failed")
    smsbox = tmp_path / "smsbox-access.log"
    smsbox.write_text("2026-11-27 17:25:53 send-SMS request added - sender:u:V 127.0.0.1\n")
    with pytest.raises(InvalidInput, match="this is smsbox's access log"):
        reconcile(lambda: unit_of_work(outbox), CTX, [smsbox])
    with pytest.raises(InvalidInput, match="cannot read Kannel's access log"):
        reconcile(lambda: unit_of_work(outbox), CTX, [tmp_path / "none.log"])


def _no_such_pid() -> int:
    """A process id that no process has on this machine."""
    pid = 4_000_000
    while Path(f"/proc/{pid}").exists():
        pid += 1
    return pid
