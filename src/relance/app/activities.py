"""What each site can do, now and over time (HICS 251 facility status)."""

from dataclasses import dataclass
from datetime import datetime

from relance.app import access
from relance.app.context import Context
from relance.app.status import network_status, status_for
from relance.domain.audit_events import EventType
from relance.domain.functioning import Functioning
from relance.domain.roles import Permission
from relance.storage import activity_store, audit_store
from relance.storage.activity_store import StatusSince
from relance.storage.audit_store import AuditEvent
from relance.storage.database import UnitOfWork


@dataclass(frozen=True)
class ActivityLine:
    site: str
    activity: str
    name: str
    functioning: Functioning
    capacity: int
    reason: str
    since: datetime | None  # when it took this status, if recorded


def record_status_changes(uow: UnitOfWork, ctx: Context, at: datetime) -> int:
    """Write the activities whose status changed since last recorded, one audit row each."""
    last = activity_store.latest(uow)
    changed = []
    for site in network_status(uow).sites:
        for a in site.activities:
            before = last.get((site.code, a.code))
            now = (a.status.functioning.value, a.status.capacity)
            if before is None or (before.functioning, before.capacity) != now:
                changed.append((site.code, a.code, a.status, before))
    if not changed:
        return 0
    activity_store.add(
        uow,
        [
            StatusSince(s, c, st.functioning.value, st.capacity, st.reason, at)
            for s, c, st, _ in changed
        ],
    )
    recorded = ctx.clock.now()
    audit_store.record(
        uow,
        [
            AuditEvent(
                ctx.request_id,
                ctx.actor,
                at,
                recorded,
                EventType.ACTIVITY_STATUS_CHANGED,
                "activity",
                f"{site}/{code}",
                before={"functioning": b.functioning, "capacity": b.capacity} if b else None,
                after={"functioning": st.functioning.value, "capacity": st.capacity},
                reason=st.reason,
            )
            for site, code, st, b in changed
        ],
    )
    return len(changed)


def activity_board(
    uow: UnitOfWork, ctx: Context, sites: tuple[str, ...] = ()
) -> list[ActivityLine]:
    """Every activity of the sites asked (within the caller's), its status and since when."""
    last = activity_store.latest(uow)
    return [
        ActivityLine(
            s.code,
            a.code,
            a.name,
            a.status.functioning,
            a.status.capacity,
            a.status.reason,
            last[(s.code, a.code)].since if (s.code, a.code) in last else None,
        )
        for s in status_for(uow, ctx, sites).sites
        for a in s.activities
    ]


def activity_history(uow: UnitOfWork, ctx: Context, site: str, activity: str) -> list[StatusSince]:
    (site,) = access.sites(ctx, Permission.VIEW_STATUS, (site,))
    return activity_store.history(uow, site, activity)
