"""One path for every change of an SMS's status, each with its audit row, in the caller's unit."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery, moves
from relance.storage import audit_store, outbox_store
from relance.storage.audit_store import AuditEvent
from relance.storage.database import UnitOfWork

# One object per status for the audit rows' before and after: a batch of a thousand reports
# writes a handful of distinct values, each converted to JSON once (storage/bulk.py).
_AS_AUDITED = {d: {"status": d.value} for d in Delivery}


@dataclass(frozen=True)
class Change:
    id: str
    status: Delivery
    reason: str = ""


def change(
    uow: UnitOfWork,
    ctx: Context,
    changes: Sequence[Change],
    *,
    allowed: Callable[[Delivery, Delivery], bool] = moves,
    event: EventType = EventType.NOTIFICATION_STATUS,
    current: dict[str, Delivery] | None = None,
) -> int:
    """Apply the changes in their order, each only if `allowed` from the message's status at
    that point (two reports about one message in one batch go one after the other); the rest
    are ignored. `current`: the statuses already read and locked by the caller."""
    status = dict(
        current
        if current is not None
        else outbox_store.statuses(uow, [c.id for c in changes], for_update=True)
    )
    now = ctx.clock.now()
    last: dict[str, Change] = {}
    events = []
    for c in changes:
        before = status.get(c.id)
        if before is None or not allowed(before, c.status):
            continue
        status[c.id], last[c.id] = c.status, c
        events.append(
            AuditEvent(
                ctx.request_id,
                ctx.actor,
                now,
                now,
                event,
                "notification",
                c.id,
                before=_AS_AUDITED[before],
                after=_AS_AUDITED[c.status],
                reason=c.reason,
            )
        )
    outbox_store.set_statuses(uow, [(i, c.status, c.reason) for i, c in last.items()], now)
    audit_store.record(uow, events)
    return len(events)
