"""Delivery reports from the gateway, and messages whose final report never came."""

from collections.abc import Sequence
from datetime import timedelta

from relance.app.context import Context
from relance.app.sms_status import Change, change
from relance.domain.delivery import Delivery, from_report
from relance.domain.errors import InvalidInput
from relance.storage import outbox_store
from relance.storage.database import UnitOfWork


def record_reports(uow: UnitOfWork, ctx: Context, reports: Sequence[tuple[str, str]]) -> list[str]:
    """(message id, Kannel report type) in the order they came. For each: "" when recorded (a
    late or repeated report is recorded as no news), else why it was refused."""
    current = outbox_store.statuses(uow, [i for i, _ in reports], for_update=True)
    answers, changes = [], []
    for notification, report_type in reports:
        try:
            status = from_report(report_type)
        except InvalidInput as error:
            answers.append(str(error))
            continue
        if notification not in current:
            answers.append(f"no message {notification!r}")
            continue
        answers.append("")
        if status is not None:
            changes.append(Change(notification, status, f"report type {report_type}"))
    change(uow, ctx, changes, current=current)
    return answers


def expire_reports(uow: UnitOfWork, ctx: Context, timeout: timedelta) -> int:
    """Messages with no final report after `timeout` become unconfirmed: someone should check."""
    waiting = outbox_store.older_than(
        uow, [Delivery.SUBMITTED, Delivery.ACCEPTED], ctx.clock.now() - timeout
    )
    reason = f"no final report after {timeout}"
    return change(uow, ctx, [Change(i, Delivery.UNCONFIRMED, reason) for i in waiting])
