"""Moving machines along their lifecycle: one, many by filter, or a technician's CSV report."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from relance.app import access
from relance.app.activities import record_status_changes
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.errors import (
    N_,
    IllegalTransition,
    InvalidInput,
    Problem,
    RejectedInput,
    Word,
)
from relance.domain.lifecycle import AssetState, check_transition
from relance.domain.moments import checked
from relance.domain.network import AssetFilter
from relance.domain.roles import Permission
from relance.domain.text import checked_text
from relance.importers import state_report
from relance.importers.state_report import ReportedMove
from relance.storage import asset_store, audit_store
from relance.storage.asset_store import AssetRecord, MachineState
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork

CLOCK_TOLERANCE = timedelta(minutes=5)  # a laptop clock a little behind is not a typo
EVIDENCE_MAX = 200  # the audit column's size
NO_REASON = N_("say why (--reason): every move is kept in the audit trail with its reason")


@dataclass(frozen=True)
class TransitionReport:
    moved: int
    by_target: dict[str, int]
    request_id: str


def transition_assets(
    uow: UnitOfWork,
    ctx: Context,
    moves: Sequence[ReportedMove],
    source: str,
    occurred_at: datetime | None = None,
) -> TransitionReport:
    """Apply every move or none: unknown hosts and illegal moves are all reported together.

    A machine outside the caller's sites is an unknown host to it (and the attempt audited).
    """
    sites = access.sites(ctx, Permission.TRANSITION_ASSETS)
    at = _event_time(ctx, occurred_at)
    found = asset_store.by_hostnames(uow, (m.hostname for m in moves), for_update=True, sites=sites)
    return _apply(uow, ctx, moves=moves, found=found, source=source, at=at)


def _apply(
    uow: UnitOfWork,
    ctx: Context,
    *,
    moves: Sequence[ReportedMove],
    found: dict[str, MachineState],
    source: str,
    at: datetime,
) -> TransitionReport:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    missing: list[str] = []
    changes: list[tuple[MachineState, ReportedMove]] = []
    for move in moves:
        asset = found.get(move.hostname)
        if asset is None:
            unknown = N_("unknown host {host}")
            problems.append(Problem(source, move.line, "hostname", unknown, host=move.hostname))
            missing.append(move.hostname)
            continue
        if not move.reason.strip():
            no_reason = Problem(
                source,
                move.line,
                "reason",
                "{host}: {why}",
                host=move.hostname,
                why=Word(NO_REASON),
            )
            problems.append(no_reason)
            continue
        if move.hostname in seen:
            again = N_("{host} already on line {line}")
            problems.append(
                Problem(
                    source,
                    move.line,
                    "hostname",
                    again,
                    host=move.hostname,
                    line=seen[move.hostname],
                )
            )
            continue
        seen[move.hostname] = move.line
        if move.evidence and len(move.evidence) > EVIDENCE_MAX:
            long = N_("{host}: evidence reference longer than {limit} characters")
            problems.append(
                Problem(source, move.line, "evidence", long, host=move.hostname, limit=EVIDENCE_MAX)
            )
            continue
        try:
            check_transition(asset.state, move.target, move.evidence)
        except IllegalTransition as error:
            said = "{host}: {error}"  # no words of its own: nothing to translate
            problems.append(
                Problem(source, move.line, "state", said, host=move.hostname, error=error)
            )
            continue
        changes.append((asset, move))
    if problems:
        raise access.unknown_machines(uow, ctx, missing, RejectedInput(problems))
    asset_store.set_states(uow, [(a.id, m.target) for a, m in changes], at)
    now = ctx.clock.now()
    audit_store.record(
        uow,
        [
            AuditEvent(
                request_id=ctx.request_id,
                actor=ctx.actor,
                occurred_at=at,
                recorded_at=now,
                event_type=EventType.ASSET_TRANSITIONED,
                object_type="asset",
                object_key=a.hostname,
                before={"state": a.state.value},
                after={"state": m.target.value},
                reason=m.reason,
                evidence=m.evidence,
            )
            for a, m in changes
        ],
    )
    record_status_changes(uow, ctx, at)
    by_target: dict[str, int] = {}
    for _, m in changes:
        by_target[m.target.value] = by_target.get(m.target.value, 0) + 1
    return TransitionReport(len(changes), by_target, ctx.request_id)


def transition_matching(
    uow: UnitOfWork,
    ctx: Context,
    *,
    where: AssetFilter,
    target: AssetState,
    reason: str = "",
    evidence: str | None = None,
    occurred_at: datetime | None = None,
    everything: bool = False,
) -> TransitionReport:
    """Move every machine matching the filter, within the caller's sites; an empty filter needs
    `everything` said aloud, and every move its reason."""
    where = access.machines_to_move(ctx, where, everything)
    reason = checked_text(reason, N_("the reason (--reason)"))
    if not reason:
        raise InvalidInput(NO_REASON)
    if evidence is not None:
        evidence = checked_text(evidence, N_("--evidence"), limit=EVIDENCE_MAX, one_line=True)
    at = _event_time(ctx, occurred_at)
    matched = asset_store.states(uow, where, for_update=True)
    unknown = sorted({h.upper() for h in where.hostnames} - {m.hostname for m in matched})
    if unknown:
        said = N_("unknown host {host}")
        problems = [Problem("selection", None, "hostname", said, host=h) for h in unknown]
        raise access.unknown_machines(uow, ctx, unknown, RejectedInput(problems))
    if not matched:
        raise InvalidInput(N_("no machine matches the filter"))
    moves = [ReportedMove(0, a.hostname, target, evidence, reason) for a in matched]
    found = {a.hostname: a for a in matched}
    return _apply(uow, ctx, moves=moves, found=found, source="selection", at=at)


def import_states(
    uow: UnitOfWork,
    ctx: Context,
    *,
    path: Path,
    default_target: AssetState | None,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> TransitionReport:
    """A technician's CSV report, applied whole or not at all."""
    reason = checked_text(reason, N_("the reason (--reason)"))
    moves = state_report.read(path, default_target)
    if reason:
        moves = [
            m if m.reason else ReportedMove(m.line, m.hostname, m.target, m.evidence, reason)
            for m in moves
        ]
    return transition_assets(uow, ctx, moves, path.name, occurred_at)


@dataclass(frozen=True)
class AssetDetail:
    asset: AssetRecord
    history: list[AuditEvent]


def show_asset(uow: UnitOfWork, ctx: Context, hostname: str) -> AssetDetail:
    """One machine the caller may see, with its services and every step of its path."""
    asset = access.machine(uow, ctx, hostname)
    services = asset_store.services_by_asset(uow, [asset.id]).get(asset.id, ())
    history = audit_store.find(uow, AuditQuery(object_type="asset", object_key=asset.hostname))
    return AssetDetail(replace(asset, services=services), history)


def list_assets(
    uow: UnitOfWork, ctx: Context, where: AssetFilter, limit: int | None = None, offset: int = 0
) -> tuple[int, list[AssetRecord]]:
    """(total matching, the page asked for, with the services each machine hosts), within the
    caller's sites."""
    where = access.machines(ctx, where)
    page = asset_store.find(uow, where, limit, offset)
    hosted = asset_store.services_by_asset(uow, [a.id for a in page])
    page = [replace(a, services=hosted.get(a.id, ())) for a in page]
    return asset_store.count(uow, where), page


def _event_time(ctx: Context, occurred_at: datetime | None) -> datetime:
    now = ctx.clock.now()
    if occurred_at is None:
        return now
    checked(occurred_at, N_("the time of the change"))
    if occurred_at > now + CLOCK_TOLERANCE:
        future = N_("the time of the change {at} is in the future")
        raise InvalidInput(future, at=occurred_at.isoformat())
    return occurred_at
