"""Reads of patient lists for the pages, the API and the CLI: each one leaves an audit row."""

from collections import Counter
from dataclasses import dataclass

from relance.app import access
from relance.app.appointments import review_queue
from relance.app.audit import record_event
from relance.app.context import Context
from relance.domain.audit_events import EventType
from relance.domain.roles import Permission
from relance.storage import network_store
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


@dataclass(frozen=True)
class ReviewFilter:
    site: str = ""
    activity: str = ""
    offset: int = 0
    size: int = 50


@dataclass(frozen=True)
class ReviewPage:
    """One page of the physicians' queue, with the totals a reader needs to see what is left."""

    entries: list[BookEntry]  # this page
    offset: int
    total: int  # waiting for review at the caller's sites
    matching: int  # of them, at the site and activity asked
    by_site: dict[str, int]  # the caller's whole queue, per site
    by_activity: dict[str, int]  # at the site asked (or all the caller's), per activity
    activities: dict[str, str]  # code -> name, as the scenario writes it
    names: dict[str, dict[str, str]]  # the scenario's names in other languages


def read_review_page(
    uow: UnitOfWork,
    ctx: Context,
    channel: str,
    where: ReviewFilter,
) -> ReviewPage:
    """A page of the queue at one site and activity if asked; the patients shown are audited.

    A site outside the caller's is refused, as everywhere (access.sites).
    """
    access.sites(ctx, Permission.VIEW_PATIENTS, (where.site,) if where.site else ())
    queue = review_queue(uow, ctx)
    at_site = [e for e in queue if not where.site or e.site == where.site.upper()]
    matching = [e for e in at_site if not where.activity or e.activity == where.activity]
    shown = matching[where.offset : where.offset + where.size]
    record_event(
        uow,
        ctx,
        EventType.PATIENTS_LISTED,
        "review-queue",
        channel,
        after={"patients": len({e.patient.external_id for e in shown})},
    )
    return ReviewPage(
        entries=shown,
        offset=where.offset,
        total=len(queue),
        matching=len(matching),
        by_site=dict(sorted(Counter(e.site for e in queue).items())),
        by_activity=dict(sorted(Counter(e.activity for e in at_site).items())),
        activities={a.code: a.name for a in network_store.activities(uow)},
        names=network_store.translations(uow),
    )
