"""Reads of patient lists for the pages, the API and the CLI: each one leaves an audit row."""

from collections import Counter
from dataclasses import dataclass

from relance.app.appointments import review_queue
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.pages import asked_sites
from relance.domain.audit_events import EventType
from relance.domain.roles import Permission
from relance.storage import network_store
from relance.storage.clinic_store import BookEntry
from relance.storage.database import UnitOfWork


def read_review_queue(uow: UnitOfWork, ctx: Context, channel: str) -> list[BookEntry]:
    """The physicians' queue, with names and numbers; `channel` says which page or endpoint."""
    return read_review_page(uow, ctx, channel, ReviewFilter(size=None)).entries


@dataclass(frozen=True)
class ReviewFilter:
    sites: tuple[str, ...] = ()  # none: all the caller's
    activity: str = ""
    offset: int = 0
    size: int | None = 50  # None: the whole queue

    @property
    def site(self) -> str:
        """The one site asked, for a form's choice ('' for all or several)."""
        return self.sites[0].upper() if len(self.sites) == 1 else ""


@dataclass(frozen=True)
class ReviewPage:
    """One page of the physicians' queue, with the totals a reader needs to see what is left."""

    entries: list[BookEntry]  # this page
    offset: int
    total: int  # waiting for review at the caller's sites
    matching: int  # of them, at the sites and activity asked
    by_site: dict[str, int]  # the caller's whole queue, per site
    by_activity: dict[str, int]  # at the sites asked (or all the caller's), per activity
    activities: dict[str, str]  # code -> name, as the scenario writes it
    names: dict[str, dict[str, str]]  # the scenario's names in other languages


def read_review_page(
    uow: UnitOfWork,
    ctx: Context,
    channel: str,
    where: ReviewFilter,
) -> ReviewPage:
    """A page of the queue at the sites and activity asked; the patients shown are audited.

    An unknown site, or one outside the caller's, is refused, as everywhere (pages.asked_sites).
    """
    chosen = asked_sites(uow, ctx, Permission.VIEW_PATIENTS, where.sites) if where.sites else ()
    queue = review_queue(uow, ctx)
    at_sites = [e for e in queue if not chosen or e.site in chosen]
    matching = [e for e in at_sites if not where.activity or e.activity == where.activity]
    end = None if where.size is None else where.offset + where.size
    shown = matching[where.offset : end]
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
        by_activity=dict(sorted(Counter(e.activity for e in at_sites).items())),
        activities={a.code: a.name for a in network_store.activities(uow)},
        names=network_store.translations(uow),
    )
