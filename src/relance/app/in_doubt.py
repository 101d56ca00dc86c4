"""SMS that may have been sent: listed, settled on Kannel's own record, or by a person.

A message becomes unknown when its request may have reached the gateway but no answer was
recorded (the dispatcher died, the answer was lost). It is never sent again on its own: sending
it twice is worse than a delay, since the patient may act on both. A delivery report settles it
when one comes (app/delivery_reports.py); so does bearerbox's access log (reconcile); otherwise
a person who checked says sent or not sent (settle), and not sent puts it back in the queue.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.sms_status import Change, change
from relance.domain.audit_events import EventType
from relance.domain.delivery import SETTLED, Delivery, Verdict, settle
from relance.domain.errors import N_, InvalidInput, Problem, RejectedInput
from relance.domain.roles import Permission
from relance.notifications.kannel_log import Fate, read_traces
from relance.storage import outbox_store
from relance.storage.database import UnitOfWork
from relance.storage.outbox_store import InDoubt

Transaction = Callable[[], AbstractContextManager[UnitOfWork]]
AFTER = {Fate.SENT: Delivery.SUBMITTED, Fate.GAVE_UP: Delivery.FAILED}


@dataclass(frozen=True)
class Reconciled:
    sent: int  # Kannel's log shows the SMSC took them
    gave_up: int  # Kannel's log shows it failed, rejected, discarded or let them expire
    still_unknown: int  # no trace: the request may not have reached Kannel, or is still queued


def in_doubt(uow: UnitOfWork, ctx: Context, purpose: str) -> list[InDoubt]:
    """Messages that may have been sent, with their appointments: reading them is audited."""
    access.whole_network(ctx, Permission.VIEW_PATIENTS)
    found = outbox_store.in_doubt(uow)
    record_event(
        uow, ctx, EventType.PATIENTS_LISTED, "sms-in-doubt", purpose, after={"messages": len(found)}
    )
    return found


def reconcile(transaction: Transaction, ctx: Context, logs: Sequence[Path]) -> Reconciled:
    """Settle the unknown messages that bearerbox's access log traces. The log is read outside
    any transaction: the delivery reports keep being recorded meanwhile."""
    if not logs:
        raise InvalidInput(
            N_(
                "give bearerbox's access log: --access-log FILE or RELANCE_KANNEL_ACCESS_LOG "
                "(access-log in Kannel's core group)"
            )
        )
    with transaction() as uow:
        wanted = {m.id for m in outbox_store.in_doubt(uow)}
    found = read_traces(list(logs), wanted) if wanted else {}
    changes = [
        Change(i, AFTER[t.fate], f"Kannel's access log: {t.fate.value} at {t.when} ({t.where})")
        for i, t in sorted(found.items())
    ]
    with transaction() as uow:
        change(uow, ctx, changes)
    sent = sum(1 for t in found.values() if t.fate is Fate.SENT)
    return Reconciled(sent, len(found) - sent, len(wanted) - len(found))


def settle_in_doubt(
    uow: UnitOfWork, ctx: Context, ids: Sequence[str], verdict: Verdict, reason: str
) -> int:
    """A person's decision about messages that may have been sent, all or none: "not sent"
    puts them back in the queue, "sent" counts them as handed to the gateway."""
    access.whole_network(ctx, Permission.DECIDE_APPOINTMENTS)
    why = reason.strip()
    if not why:
        raise InvalidInput(N_("say why with --reason: what was checked, with whom"))
    wanted = list(dict.fromkeys(ids))
    current = outbox_store.statuses(uow, wanted, for_update=True)
    problems = []
    for i in wanted:
        if i not in current:
            problems.append(Problem(i, None, "", N_("no such message")))
            continue
        try:
            settle(current[i], verdict)
        except InvalidInput as error:
            problems.append(Problem(i, None, "", "{error}", error=error))
    if problems:
        raise RejectedInput(problems)
    to = SETTLED[verdict]
    return change(
        uow,
        ctx,
        [Change(i, to, f"{verdict.value}: {why}") for i in wanted],
        allowed=lambda before, _: before is Delivery.UNKNOWN,
        event=EventType.NOTIFICATION_SETTLED,
        current=current,
    )
