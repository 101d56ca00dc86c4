"""Backups taken while two writers work restore to a database whose audit and states agree."""

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from relance.app.appointments import decide_appointment
from relance.app.assets import transition_matching
from relance.app.backup import BackupInfo, backup_name, backups_every, take_backup
from relance.app.context import Context
from relance.app.restore import restore_backup
from relance.domain.audit_events import EventType
from relance.domain.clock import FixedClock
from relance.domain.delivery import Delivery
from relance.domain.errors import InvalidInput, RejectedInput
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.domain.roles import CONSOLE
from relance.domain.triage import Decision
from relance.storage import backup as store
from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import (
    AppointmentRow,
    AssetRow,
    AuditRow,
    NotificationRow,
    TriageDecisionRow,
)
from tests.backup.conftest import APPOINTMENTS, ZONE

# Around the lifecycle and back: every machine can take these steps for ever.
ROUND = {
    AssetState.COMPROMISED: AssetState.ISOLATED,
    AssetState.ISOLATED: AssetState.REIMAGED,
    AssetState.REIMAGED: AssetState.VALIDATED,
    AssetState.VALIDATED: AssetState.CLEAN_ZONE,
    AssetState.CLEAN_ZONE: AssetState.REDEPLOYED,
    AssetState.REDEPLOYED: AssetState.COMPROMISED,
}
MACHINES = 18  # in tests/data/small.yaml
DEADLINE = 180.0  # seconds: generous, the machine running CI is loaded


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"waited {DEADLINE} s for {what}"
        time.sleep(0.01)


@dataclass
class Writer:
    """A thread committing one change after another; remembers the request id of each commit."""

    name: str
    step: Callable[[Context, int], None]
    committed: list[str] = field(default_factory=list)
    failure: BaseException | None = None

    def run(self, stop: threading.Event) -> None:
        try:
            n = 0
            while not stop.is_set():
                request = f"{self.name}-{uuid.uuid4().hex[:12]}"
                self.step(Context(self.name, request_id=request, authority=CONSOLE), n)
                self.committed.append(request)  # after the commit only
                n += 1
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            self.failure = error


def technicians(url: str) -> Writer:
    """Move every machine one step around the lifecycle, in one transaction each time."""
    engine = make_engine(url)
    state = [AssetState.COMPROMISED]

    def step(ctx: Context, _: int) -> None:
        with unit_of_work(engine) as uow:
            transition_matching(
                uow,
                ctx,
                where=AssetFilter(),
                target=ROUND[state[0]],
                reason="round",
                everything=True,
            )
        state[0] = ROUND[state[0]]

    return Writer("technicians", step)


def physicians(url: str) -> Writer:
    """Decide the appointments one at a time, maintain and cancel in turn (SMS queued)."""
    engine = make_engine(url)

    def step(ctx: Context, n: int) -> None:
        decision = Decision.CANCEL if (n // APPOINTMENTS) % 2 == 0 else Decision.MAINTAIN
        with unit_of_work(engine) as uow:
            decide_appointment(
                uow, ctx, f"R{n % APPOINTMENTS}", decision, "test", sender="Test", zone=ZONE
            )

    return Writer("physicians", step)


def backup_while_working(url: str, directory: Path) -> tuple[BackupInfo, list[Writer]]:
    """Back up until one backup had commits land while it was taken; the writers go on after."""
    writers = [technicians(url), physicians(url)]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: all(len(w.committed) >= 5 or w.failure for w in writers), "writers")
        for attempt in range(50):
            before = [len(w.committed) for w in writers]
            taken = take_backup(Context(actor="backup"), url, directory / f"b{attempt}.tar")
            after = [len(w.committed) for w in writers]
            if before != after:  # a commit landed while the copy was being taken
                break
        else:
            pytest.fail("no backup overlapped a commit in 50 tries")
        goals = {w.name: a + 3 for w, a in zip(writers, after, strict=True)}
        wait_for(
            lambda: all(len(w.committed) >= goals[w.name] or w.failure for w in writers),
            "the writers to go on after the backup",
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join(DEADLINE)
    for writer in writers:
        if writer.failure:
            raise writer.failure
    return taken, writers


def test_a_backup_taken_while_the_cell_works_restores_whole(
    working_url: str, empty_place: str, tmp_path: Path
) -> None:
    taken, writers = backup_while_working(working_url, tmp_path)
    restored = restore_backup(Context(actor="restorer"), taken.path, empty_place)
    assert restored.counts == taken.counts
    assert restored.held > 0  # the physicians' cancellations queued SMS
    postgres = empty_place.startswith("postgresql")
    url = empty_place if postgres else f"sqlite:///{Path(empty_place) / 'relance.db'}"
    _check_agreement(url, writers, taken, restored.held)


def _check_agreement(url: str, writers: list[Writer], taken: BackupInfo, held: int) -> None:
    engine = make_engine(url)
    try:
        with unit_of_work(engine, read_only=True) as uow:
            audit = uow.session.execute(select(AuditRow).order_by(AuditRow.id)).scalars().all()
            machines = dict(uow.session.execute(select(AssetRow.hostname, AssetRow.state)).all())
            current = dict(
                uow.session.execute(
                    select(AppointmentRow.external_id, TriageDecisionRow.decision)
                    .join(TriageDecisionRow, TriageDecisionRow.appointment_id == AppointmentRow.id)
                    .where(TriageDecisionRow.current)
                ).all()
            )
            decisions = len(uow.session.execute(select(TriageDecisionRow.id)).all())
            messages = Counter(uow.session.execute(select(NotificationRow.status)).scalars())
    finally:
        engine.dispose()
    if url.startswith("sqlite"):
        assert store.describe_sqlite(Path(url.removeprefix("sqlite:///"))).details == {
            "integrity_check": "ok"
        }
    # Every machine's state is the `after` of its newest audit row; every decision likewise.
    newest: dict[tuple[str, str], dict[str, str]] = {}
    for row in audit:
        if row.after is not None:
            newest[(row.event_type, row.object_key)] = row.after
    assert len(machines) == MACHINES
    for hostname, state in machines.items():
        moved = newest.get((EventType.ASSET_TRANSITIONED, hostname))
        assert (moved or {"state": "compromised"})["state"] == state, hostname
    for appointment, decision in current.items():
        assert newest[(EventType.APPOINTMENT_DECIDED, appointment)]["decision"] == decision
    decided = [r for r in audit if r.event_type == EventType.APPOINTMENT_DECIDED]
    assert len(decided) == decisions
    # Each writer's commits are in the copy whole and in order: a prefix, every row of each.
    by_request = {row.request_id for row in audit}
    for writer, rows in zip(writers, (MACHINES, 1), strict=True):
        present = [r for r in writer.committed if r in by_request]
        assert 0 < len(present) < len(writer.committed), writer.name  # taken mid-work
        assert present == writer.committed[: len(present)], writer.name
        kind = {"technicians": EventType.ASSET_TRANSITIONED}.get(
            writer.name, EventType.APPOINTMENT_DECIDED
        )
        per_request = Counter(a.request_id for a in audit if a.event_type == kind)
        assert {per_request[r] for r in present} == {rows}, writer.name
    # The restoration's own row, and one for each SMS it held: they may have gone out since.
    assert taken.counts["audit_events"] == len(audit) - 1 - held
    assert messages[Delivery.UNKNOWN] == held
    assert messages[Delivery.QUEUED] == messages[Delivery.SENDING] == 0
    assert Counter(r.event_type for r in audit[-held - 1 :]) == {
        EventType.DATABASE_RESTORED: 1,
        EventType.NOTIFICATION_STATUS: held,
    }


def test_backups_every_interval_keep_the_newest_and_survive_a_failed_turn(
    working_url: str, tmp_path: Path
) -> None:
    clock = FixedClock(datetime(2022, 5, 17, 1, 0, tzinfo=UTC))
    slept: list[float] = []

    def sleep(seconds: float) -> None:  # time passes only when the loop sleeps
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    out = tmp_path / "backups"
    out.mkdir()
    (out / "notes.txt").write_text("kept")  # not a backup of the loop: never removed
    (out / ".relance-backup-2022-05-17T004500Z.tar.part").write_text("a turn cut short")
    ctx = Context(actor="laptop", clock=clock)
    turns = backups_every(ctx, working_url, out, every=timedelta(minutes=15), keep=3, sleep=sleep)
    first = [next(turns) for _ in range(4)]
    assert [c.error for c in first] == [None] * 4
    assert [c.kept for c in first] == [1, 2, 3, 3]
    assert first[3].pruned == ("relance-backup-2022-05-17T010000Z.tar",)
    assert slept == [900.0] * 3
    clock.advance(timedelta(minutes=20))  # the last turn overran its 15 minutes
    overran = next(turns)
    assert slept[-1] == 0.0  # the next turn at once, and only one
    assert overran.at == datetime(2022, 5, 17, 2, 5, tzinfo=UTC)
    database = _sqlite_file(working_url)
    if database is not None:  # the database is gone for one turn: that turn fails, no harm
        database.rename(database.with_name("away.db"))
        failed = next(turns)
        database.with_name("away.db").rename(database)
        assert failed.backup is None
        assert "no relance database" in str(failed.error)
        assert failed.kept == 3
    assert next(turns).error is None
    names = sorted(p.name for p in out.iterdir())
    assert "notes.txt" in names
    assert not [n for n in names if n.endswith(".part")]
    backups = [n for n in names if n.startswith("relance-backup-")]
    assert len(backups) == 3
    assert backups[-1] == backup_name(clock.now())
    engine = make_engine(working_url)
    with unit_of_work(engine, read_only=True) as uow:
        recorded = uow.session.execute(
            select(AuditRow.object_key).where(AuditRow.event_type == "database.backed_up")
        )
        assert len(recorded.all()) == 6  # each backup taken, not the failed turn
    engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None


def test_an_encrypted_backup_needs_a_recipients_key(
    working_url: str, empty_place: str, tmp_path: Path
) -> None:
    from tests.snapshots.conftest import make_keys  # noqa: PLC0415 - keys of the snapshot tests

    keys, stranger = make_keys(tmp_path / "keys"), make_keys(tmp_path / "other", "other")
    ctx = Context(actor="cell", authority=CONSOLE)
    taken = take_backup(ctx, working_url, tmp_path / "b.tar", keys.recipients)
    assert taken.encrypted
    with pytest.raises(InvalidInput, match="--identity"):
        restore_backup(ctx, taken.path, empty_place)
    with pytest.raises(RejectedInput, match="cannot be decrypted"):
        restore_backup(ctx, taken.path, empty_place, stranger.identity)
    assert_empty(empty_place)
    restored = restore_backup(ctx, taken.path, empty_place, keys.identity)
    assert restored.counts == taken.counts


def assert_empty(place: str) -> None:
    """Nothing was left where a refused restoration was to go."""
    if place.startswith("postgresql"):
        assert store.postgres_relations(place) == []
    else:
        assert not Path(place).exists()
