"""Reads of patient lists for the pages, the API and the CLI: each one leaves an audit row."""

from collections.abc import Sequence

from relance.app.appointments import review_queue
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.pages import Page, asked_sites, page_of
from relance.domain.audit_events import EventType
from relance.domain.roles import Permission
from relance.storage.clinic_store import BookEntry
from relance.storage.database import UnitOfWork


def read_review_queue(uow: UnitOfWork, ctx: Context, channel: str) -> list[BookEntry]:
    """The physicians' queue, with names and numbers; `channel` says which page or endpoint."""
    return read_review_page(uow, ctx, channel).items


def read_review_page(
    uow: UnitOfWork,
    ctx: Context,
    channel: str,
    *,
    sites: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
) -> Page[BookEntry]:
    """A page of the queue at `sites` (all the caller's if none); the patients on it are the
    ones recorded as read."""
    chosen = asked_sites(uow, ctx, Permission.VIEW_PATIENTS, sites)
    queue = review_queue(uow, ctx)
    page = page_of([e for e in queue if not chosen or e.site in chosen], limit, offset)
    entries = page.items
    record_event(
        uow,
        ctx,
        EventType.PATIENTS_LISTED,
        "review-queue",
        channel,
        after={"patients": len({e.patient.external_id for e in entries})},
    )
    return page
