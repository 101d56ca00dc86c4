"""Transitions through the app services, on SQLite and PostgreSQL: all or nothing, audited once."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from relance.app.assets import import_states, show_asset, transition_matching
from relance.app.audit import timeline
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.status import network_status
from relance.domain.errors import InvalidInput, RejectedInput
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.domain.moments import OutOfRange
from relance.domain.network import AssetFilter, AssetKind
from relance.domain.roles import CONSOLE
from relance.storage import asset_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from relance.storage.tables import AssetRow, AuditRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
S = AssetState
CTX = Context(actor="tech", authority=CONSOLE)


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, Context(actor="lead"), SMALL)
    return engine


def _states(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as uow:
        return dict(uow.session.execute(select(AssetRow.hostname, AssetRow.state)).all())


def _audit_count(engine: Engine) -> int:
    """Audit rows of machines and network (activity status changes are counted apart)."""
    with unit_of_work(engine) as uow:
        query = select(func.count()).where(
            AuditRow.event_type.in_(["network.loaded", "asset.transitioned"])
        )
        return uow.session.scalar(query) or 0


def _move(engine: Engine, target: AssetState, **where: tuple[str, ...]) -> int:
    with unit_of_work(engine) as uow:
        report = transition_matching(
            uow,
            CTX,
            where=AssetFilter(**where),  # type: ignore[arg-type]
            target=target,
            reason="test",
        )
    return report.moved


def test_loading_writes_the_network_and_one_audit_row(loaded: Engine) -> None:
    states = _states(loaded)
    assert len(states) == 18
    assert set(states.values()) == {"compromised"}
    assert _audit_count(loaded) == 1


def test_loading_twice_is_refused(loaded: Engine) -> None:
    with (
        pytest.raises(InvalidInput, match="already holds the network 'small'"),
        unit_of_work(loaded) as uow,
    ):
        load_network(uow, CTX, SMALL)


def test_each_change_has_exactly_one_audit_row(loaded: Engine) -> None:
    assert _move(loaded, S.ISOLATED, sites=("A",)) == 12
    assert _audit_count(loaded) == 1 + 12
    with unit_of_work(loaded) as uow:
        detail = show_asset(uow, CTX, "a-srv-ad-01")
    assert detail.asset.services == ("AD",)
    (event,) = detail.history
    assert (event.actor, event.before, event.after) == (
        "tech",
        {"state": "compromised"},
        {"state": "isolated"},
    )
    assert event.occurred_at.tzinfo is not None


def test_one_illegal_move_refuses_the_whole_batch(loaded: Engine) -> None:
    _move(loaded, S.ISOLATED, hostnames=("A-SRV-AD-01",))
    before, audits = _states(loaded), _audit_count(loaded)
    with pytest.raises(RejectedInput) as caught:
        _move(loaded, S.REIMAGED, sites=("A",))
    assert len(caught.value.problems) == 11  # every machine still compromised, each reported
    assert "cannot go from Compromised to Reimaged" in str(caught.value.problems[0])
    assert _states(loaded) == before
    assert _audit_count(loaded) == audits


def test_an_empty_selection_needs_all(loaded: Engine) -> None:
    with pytest.raises(InvalidInput, match="say --all"), unit_of_work(loaded) as uow:
        transition_matching(uow, CTX, where=AssetFilter(), target=S.ISOLATED, reason="cut")
    with unit_of_work(loaded) as uow:
        report = transition_matching(
            uow, CTX, where=AssetFilter(), target=S.ISOLATED, reason="cut", everything=True
        )
    assert report.moved == 18


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_move_without_a_reason_is_refused(loaded: Engine, reason: str) -> None:
    before = _states(loaded)
    with pytest.raises(InvalidInput, match="say why"), unit_of_work(loaded) as uow:
        transition_matching(
            uow, CTX, where=AssetFilter(sites=("B",)), target=S.ISOLATED, reason=reason
        )
    assert _states(loaded) == before


def test_a_time_in_the_future_is_refused(loaded: Engine) -> None:
    future = datetime.now(UTC) + timedelta(hours=2)
    with pytest.raises(InvalidInput, match="in the future"), unit_of_work(loaded) as uow:
        transition_matching(
            uow,
            CTX,
            where=AssetFilter(sites=("B",)),
            target=S.ISOLATED,
            reason="cut",
            occurred_at=future,
        )


def test_a_time_out_of_range_is_refused(loaded: Engine) -> None:
    year_one = datetime.fromisoformat("0001-01-01T00:00:00+14:00")  # UTC cannot hold it
    with pytest.raises(OutOfRange, match="out of range"), unit_of_work(loaded) as uow:
        transition_matching(
            uow,
            CTX,
            where=AssetFilter(sites=("B",)),
            target=S.ISOLATED,
            reason="cut",
            occurred_at=year_one,
        )


def test_a_technicians_report_is_applied_whole(loaded: Engine, tmp_path: Path) -> None:
    _move(loaded, S.ISOLATED, everything_sites=()) if False else _move(
        loaded, S.ISOLATED, sites=("A", "B")
    )
    report = tmp_path / "report.csv"
    report.write_text(
        f"hostname,state,evidence\na-srv-ad-01,imaged,{'ab' * 32}\nA-SRV-AD-02,reimaged,\n"
    )
    with unit_of_work(loaded) as uow:
        result = import_states(uow, CTX, path=report, default_target=None, reason="night shift")
    assert result.by_target == {"imaged": 1, "reimaged": 1}
    with unit_of_work(loaded) as uow:
        (event,) = show_asset(uow, CTX, "A-SRV-AD-01").history[-1:]
    assert (event.evidence, event.reason) == ("ab" * 32, "night shift")


def test_a_report_with_an_unknown_host_changes_nothing(loaded: Engine, tmp_path: Path) -> None:
    report = tmp_path / "scan.txt"
    report.write_text("A-SRV-AD-01\nA-SRV-XX-99\n\nA-SRV-AD-01\n")
    before = _states(loaded)
    with pytest.raises(RejectedInput) as caught, unit_of_work(loaded) as uow:
        import_states(uow, CTX, path=report, default_target=S.ISOLATED, reason="scan")
    assert [str(p) for p in caught.value.problems] == [
        "scan.txt:2: hostname: unknown host A-SRV-XX-99",
        "scan.txt:4: hostname: A-SRV-AD-01 already on line 1",
    ]
    assert _states(loaded) == before


def test_a_report_needs_a_reason_for_every_move(loaded: Engine, tmp_path: Path) -> None:
    report = tmp_path / "scan.csv"
    report.write_text("hostname,state,reason\nA-SRV-AD-01,isolated,cut\nA-SRV-AD-02,isolated,\n")
    before = _states(loaded)
    with pytest.raises(RejectedInput) as caught, unit_of_work(loaded) as uow:
        import_states(uow, CTX, path=report, default_target=None)
    assert [str(p) for p in caught.value.problems] == [
        "scan.csv:3: reason: A-SRV-AD-02: say why (--reason): every move is kept in the audit "
        "trail with its reason"
    ]
    assert _states(loaded) == before


def test_status_follows_the_machines(loaded: Engine) -> None:
    with unit_of_work(loaded) as uow:
        status = network_status(uow)
    site_a = next(s for s in status.sites if s.code == "A")
    emergency = next(a for a in site_a.activities if a.code == "emergency")
    assert (emergency.status.functioning, emergency.status.capacity) == (Functioning.PARTIALLY, 70)
    for target in (S.ISOLATED, S.REIMAGED, S.VALIDATED, S.CLEAN_ZONE, S.REDEPLOYED):
        _move(loaded, target, sites=("A",))
    with unit_of_work(loaded) as uow:
        status = network_status(uow)
    assert {s.code for s in status.services if s.up} == {"NET", "AD", "DPI", "PACS"}
    assert status.totals[AssetKind.SERVER][S.REDEPLOYED] == 6
    site_a = next(s for s in status.sites if s.code == "A")
    assert all(a.status.functioning is Functioning.FULLY for a in site_a.activities)
    site_b = next(s for s in status.sites if s.code == "B")
    assert (
        site_b.activities[0].status.capacity == 80
    )  # no service needed, nothing redeployed: paper


def test_timeline_groups_a_bulk_change_into_one_line(loaded: Engine) -> None:
    _move(loaded, S.ISOLATED, sites=("A",))
    _move(loaded, S.ISOLATED, sites=("B",))
    with unit_of_work(loaded) as uow:
        machines = AuditQuery(event_types=("network.loaded", "asset.transitioned"))
        entries = timeline(uow, CTX, machines, limit=None)
    assert [e.event_type for e in entries] == [
        "network.loaded",
        "asset.transitioned",
        "asset.transitioned",
    ]
    assert [len(e.objects) for e in entries] == [1, 12, 6]


def test_lookups_are_chunked_beyond_the_parameter_limit(loaded: Engine) -> None:
    names = [f"NOPE-{i}" for i in range(asset_store.LOOKUP_CHUNK * 2 + 1)] + ["A-SRV-AD-01"]
    with unit_of_work(loaded) as uow:
        assert list(asset_store.by_hostnames(uow, names)) == ["A-SRV-AD-01"]
