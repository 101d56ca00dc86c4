"""The inventory import through the app, on SQLite and PostgreSQL: dry run writes nothing, the
apply is whole and audited per machine, a second import changes nothing."""

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from relance.app.access import Refused
from relance.app.context import Context
from relance.app.inventory import InventoryPlan, import_inventory, read_inventory
from relance.app.status import network_status
from relance.domain.errors import InvalidInput, RejectedInput
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind
from relance.domain.roles import CONSOLE, Authority, Role
from relance.importers import inventory_samples
from relance.importers.inventory_samples import SampleMachine
from relance.storage.database import UnitOfWork, unit_of_work
from relance.storage.tables import AssetRow, AuditRow

CTX = Context(actor="it-lead", authority=CONSOLE)


@pytest.fixture
def hospital(tmp_path: Path) -> tuple[list[SampleMachine], list[Path], Path]:
    machines = inventory_samples.hospital(120)
    return machines, inventory_samples.write(tmp_path, machines), tmp_path / "mapping.yaml"


def _import(
    uow: UnitOfWork, files: list[Path], mapping: Path, ctx: Context = CTX, dry_run: bool = False
) -> InventoryPlan:
    read = read_inventory(ctx, paths=files, mapping=mapping)
    return import_inventory(uow, ctx, read, dry_run=dry_run)


def _rows(engine: Engine) -> tuple[int, int]:
    with unit_of_work(engine) as uow:
        assets = uow.session.scalar(select(func.count()).select_from(AssetRow)) or 0
        audit = uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0
    return assets, audit


def test_dry_run_then_apply_builds_the_network_of_the_exports(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    machines, files, mapping = hospital
    with unit_of_work(engine) as uow:
        plan = _import(uow, files, mapping, dry_run=True)
    assert _rows(engine) == (0, 0)
    assert len(plan.added) == len(machines)
    assert len(plan.isolated) == sum(m.isolated for m in machines)
    assert [c.message for c in plan.to_check] == ["a server the inventory does not know"] * 2
    with unit_of_work(engine) as uow:
        applied = _import(uow, files, mapping)
        status = network_status(uow)
    assert applied.applied
    expected = Counter(
        (m.site, m.kind, AssetState.ISOLATED if m.isolated else AssetState.COMPROMISED)
        for m in machines
    )
    shown = Counter(
        {
            (site.code, kind, state): n
            for site in status.sites
            for kind, counts in site.machines.items()
            for state, n in counts.items()
            if n
        }
    )
    assert shown == expected


def test_the_apply_is_audited_per_machine_with_the_edr_time_and_evidence(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    machines, files, mapping = hospital
    with unit_of_work(engine) as uow:
        _import(uow, files, mapping)
    with unit_of_work(engine) as uow:
        kinds = Counter(uow.session.scalars(select(AuditRow.event_type)).all())
        isolated = uow.session.scalars(
            select(AuditRow).where(AuditRow.event_type == "asset.transitioned")
        ).all()
    assert kinds["asset.imported"] == len(machines)
    assert kinds["inventory.imported"] == 1
    assert len(isolated) == sum(m.isolated for m in machines)
    first = min(isolated, key=lambda e: e.occurred_at)
    assert first.occurred_at == inventory_samples.ISOLATED_AT
    assert first.evidence is not None
    assert first.evidence.startswith("sha256:")
    assert first.evidence.endswith(" defender-machineactions.json")


def _states(engine: Engine) -> dict[str, tuple[str, datetime]]:
    with unit_of_work(engine) as uow:
        rows = uow.session.execute(select(AssetRow.hostname, AssetRow.state, AssetRow.state_since))
        return {h: (s, since) for h, s, since in rows}


def test_a_new_machine_the_edr_isolated_is_isolated_since_the_edr_action(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    machines, files, mapping = hospital
    with unit_of_work(engine) as uow:
        _import(uow, files, mapping)
    states = _states(engine)
    isolated = {h for h, (s, _) in states.items() if s == AssetState.ISOLATED.value}
    assert isolated == {m.hostname for m in machines if m.isolated}
    assert min(since for h, (_, since) in states.items() if h in isolated) == (
        inventory_samples.ISOLATED_AT
    )
    compromised = {since for h, (_, since) in states.items() if h not in isolated}
    assert len(compromised) == 1  # the import's time, after every EDR action
    assert min(compromised) > max(since for h, (_, since) in states.items() if h in isolated)


def test_a_known_machine_is_isolated_when_the_edr_actions_come_later(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    machines, files, mapping = hospital
    actions = next(f for f in files if f.name == "defender-machineactions.json")
    with unit_of_work(engine) as uow:
        first = _import(uow, [f for f in files if f != actions], mapping)
    assert not first.isolated
    assert {s for s, _ in _states(engine).values()} == {AssetState.COMPROMISED.value}
    with unit_of_work(engine) as uow:
        later = _import(uow, files, mapping)
    assert not later.added
    assert len(later.isolated) == sum(m.isolated for m in machines)
    states = _states(engine)
    for move in later.isolated:
        assert states[move.hostname] == (AssetState.ISOLATED.value, move.at)
    with unit_of_work(engine) as uow:
        audited = uow.session.scalars(
            select(AuditRow.object_key).where(AuditRow.event_type == "asset.transitioned")
        ).all()
    assert sorted(audited) == sorted(m.hostname for m in later.isolated)
    with unit_of_work(engine) as uow:
        assert _import(uow, files, mapping).changes_nothing


def test_importing_the_same_files_again_changes_nothing(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    _, files, mapping = hospital
    with unit_of_work(engine) as uow:
        _import(uow, files, mapping)
    before = _rows(engine)
    with unit_of_work(engine) as uow:
        again = _import(uow, list(reversed(files)), mapping)
    assert not again.applied
    assert again.changes_nothing
    assert _rows(engine) == before


def test_a_machine_moved_in_the_inventory_is_reclassified(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path], tmp_path: Path
) -> None:
    machines, files, mapping = hospital
    with unit_of_work(engine) as uow:
        _import(uow, files, mapping)
    moved = next(m for m in machines if m.kind is AssetKind.MEDICAL_DEVICE and m.site == "ARLON")
    glpi = files[0].read_text(encoding="utf-8-sig")
    before = f'"{moved.hostname}";"CHR > Arlon"'
    assert before in glpi
    line = next(x for x in glpi.splitlines() if x.startswith(f'"{moved.hostname}"'))
    files[0].write_text(glpi.replace(line, line.replace("Arlon", "Marche")), encoding="utf-8")
    with unit_of_work(engine) as uow:
        plan = _import(uow, files, mapping)
    assert [(k.site, a.site) for k, a in plan.changed] == [("ARLON", "MARCHE")]
    assert not plan.added


def test_a_conflict_stops_the_apply_and_writes_nothing(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    machines, files, mapping = hospital
    victim = next(m for m in machines if m.kind is AssetKind.WORKSTATION and m.site == "ARLON")
    glpi = files[0].read_text(encoding="utf-8-sig")
    line = next(x for x in glpi.splitlines() if x.startswith(f'"{victim.hostname}"'))
    files[0].write_text(glpi.replace(line, line.replace("Arlon >", "Marche >")), encoding="utf-8")
    with unit_of_work(engine) as uow, pytest.raises(RejectedInput) as caught:
        _import(uow, files, mapping)
    (problem,) = caught.value.problems
    assert problem.field == victim.hostname
    assert problem.message.startswith("two sites: ARLON (ad-computers.csv:")
    assert _rows(engine) == (0, 0)
    settled = (
        mapping.read_text(encoding="utf-8") + f"machines:\n  {victim.hostname}: {{site: ARLON}}\n"
    )
    mapping.write_text(settled, encoding="utf-8")
    with unit_of_work(engine) as uow:
        assert _import(uow, files, mapping).applied


def test_only_the_whole_network_it_roles_may_import(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    _, files, mapping = hospital
    refused = [
        Authority(Role.TECHNICIAN),
        Authority(Role.OBSERVER),
        Authority(Role.IT_LEAD, ("ARLON",)),
    ]
    for authority in refused:
        with unit_of_work(engine) as uow, pytest.raises(Refused):
            _import(uow, files, mapping, Context("x", authority=authority), dry_run=True)
    it_lead = Context("it", authority=Authority(Role.IT_LEAD))
    with unit_of_work(engine) as uow:
        assert _import(uow, files, mapping, it_lead).applied


def test_a_new_database_needs_the_network_named(
    engine: Engine, hospital: tuple[list[SampleMachine], list[Path], Path]
) -> None:
    _, files, mapping = hospital
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text[text.index("sites:") :], encoding="utf-8")
    with unit_of_work(engine) as uow, pytest.raises(InvalidInput, match="network: section"):
        _import(uow, files, mapping)
