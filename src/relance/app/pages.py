"""A page of a long list and the sites a list is narrowed to: one definition for every caller."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from relance.app import access
from relance.app.context import Context
from relance.domain.errors import N_, InvalidInput
from relance.domain.roles import Permission
from relance.storage import network_store
from relance.storage.database import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """`items`, from the `offset`-th (0-based), of `total` matching."""

    total: int
    offset: int
    items: list[T]


def page_of(items: list[T], limit: int | None, offset: int = 0) -> Page[T]:
    """`limit` items from `offset` (None: all of them)."""
    end = None if limit is None else offset + limit
    return Page(len(items), offset, items[offset:end])


def asked_sites(
    uow: UnitOfWork, ctx: Context, permission: Permission, asked: Sequence[str]
) -> tuple[str, ...]:
    """The sites asked (any case), each one of the network's, within the caller's (none: all)."""
    known = [s.code for s in network_store.sites(uow)]
    unknown = sorted({s.upper() for s in asked} - set(known))
    if unknown:
        no_site = N_("unknown site {site} (sites: {known})")
        raise InvalidInput(no_site, site=", ".join(unknown), known=", ".join(known))
    return access.sites(ctx, permission, asked)
