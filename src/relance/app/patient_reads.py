"""Reads of patient lists for the pages, the API and the CLI: each one leaves an audit row."""

from relance.app.appointments import review_queue
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.storage.clinic_store import BookEntry
from relance.storage.database import UnitOfWork


def read_review_queue(uow: UnitOfWork, ctx: Context, channel: str) -> list[BookEntry]:
    """The physicians' queue, with names and numbers; `channel` says which page or endpoint."""
    entries = review_queue(uow, ctx)
    record_event(
        uow,
        ctx,
        EventType.PATIENTS_LISTED,
        "review-queue",
        channel,
        after={"patients": len({e.patient.external_id for e in entries})},
    )
    return entries
