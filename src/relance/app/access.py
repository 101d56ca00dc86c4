"""Who may see or change what: decided here, once, for the pages, the API and the command line.

In the manner of Zulip's access_*_by_id helpers: for each kind of record one function answers
"may this caller see or change it", and every read and write of a site's records goes through
one of them; routes and commands never filter by role or site themselves. The rules are the
domain's table (relance.domain.roles); the caller is the Context's authority.

A refusal is `Refused`, audited (access.refused) by whoever answers the caller. Where existence
itself must not leak (a machine or an appointment of another site), the caller is told what an
unknown one would get, and the refusal is audited all the same.
"""

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from relance.app.context import Context
from relance.domain.audit_events import ACCOUNT_OBJECTS, PATIENT_OBJECTS
from relance.domain.duties import DutyStatus
from relance.domain.errors import N_, InvalidInput, RelanceError, Word
from relance.domain.network import AssetFilter
from relance.domain.roles import Authority, Forbidden, Permission, allows
from relance.storage import asset_store
from relance.storage.asset_store import AssetRecord
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork

if TYPE_CHECKING:
    from relance.storage.clinic_store import BookEntry

P = Permission


class Refused(Forbidden):
    """Refused to this caller, nothing done: a 403, or `shown` where existence must not leak."""

    def __init__(
        self, ctx: Context, why: str, shown: InvalidInput | None = None, /, **values: object
    ) -> None:
        self.refusal = RelanceError(why, **values)  # what the trail keeps, to say it per reader
        if shown is None:
            super().__init__(why, **values)
        else:
            super().__init__(shown.message, **shown.values)
        self.actor, self.request_id, self.clock = ctx.actor, ctx.request_id, ctx.clock
        self.why, self.shown = str(self.refusal), shown


class NotFound(InvalidInput):
    """No such record, or none this caller may know of: the same answer for both."""


def authority(ctx: Context, permission: Permission) -> Authority:
    """The caller's authority, if its role has `permission`."""
    granted = ctx.authority
    if granted is None:
        why = N_("{actor} acts without an account: may not {deed}")
        raise Refused(ctx, why, actor=ctx.actor, deed=permission.deed)
    if not allows(granted.role, permission):
        why = N_("the role {role} may not {deed}")
        raise Refused(ctx, why, role=Word(granted.role.label), deed=permission.deed)
    if not granted.allows(permission):
        why = N_("this account is limited to {sites}: only a whole-network account may {deed}")
        raise Refused(ctx, why, sites=", ".join(granted.sites), deed=permission.deed)
    return granted


def sites(ctx: Context, permission: Permission, asked: Sequence[str] = ()) -> tuple[str, ...]:
    """The sites a read or a write is about: those asked, within the caller's (none: all)."""
    granted = authority(ctx, permission)
    wanted = tuple(dict.fromkeys(s.upper() for s in asked))
    if not granted.sites:
        return wanted
    outside = sorted(set(wanted) - set(granted.sites))
    if outside:
        why = N_("this account is limited to {sites}: not {outside}")
        raise Refused(ctx, why, sites=", ".join(granted.sites), outside=", ".join(outside))
    return wanted or granted.sites


def whole_network(ctx: Context, permission: Permission) -> Authority:
    """The caller's authority, for an act on every site at once (importing a whole book)."""
    granted = authority(ctx, permission)
    if granted.sites:
        why = N_("this account is limited to {sites}: not every site")
        raise Refused(ctx, why, sites=", ".join(granted.sites))
    return granted


# Machines


def inventory_import(ctx: Context) -> Authority:
    """An inventory import adds and moves machines of every site: the whole network's IT only."""
    return whole_network(ctx, P.IMPORT_INVENTORY)


def machines(
    ctx: Context, where: AssetFilter, permission: Permission = P.VIEW_STATUS
) -> AssetFilter:
    """The machines a listing is about: `where`, within the caller's sites."""
    return replace(where, sites=sites(ctx, permission, where.sites))


def machines_to_move(ctx: Context, where: AssetFilter, everything: bool) -> AssetFilter:
    """The machines a bulk move is about; nothing selected moves nothing, for everyone."""
    authority(ctx, P.TRANSITION_ASSETS)
    if where.is_empty() and not everything:
        raise InvalidInput(N_("no machine selected: name hostnames or a filter, or say --all"))
    return machines(ctx, where, P.TRANSITION_ASSETS)


def machine(uow: UnitOfWork, ctx: Context, hostname: str) -> AssetRecord:
    """One machine the caller may see; another site's gets the answer of an unknown one."""
    granted = authority(ctx, P.VIEW_STATUS)
    found = asset_store.find(uow, AssetFilter(hostnames=(hostname,)))
    unknown = NotFound(N_("unknown host {host}"), host=hostname.upper())
    if not found:
        raise unknown
    if not granted.covers(found[0].site):
        why = N_("machine {what}: outside this account's sites ({sites})")
        raise Refused(ctx, why, unknown, what=found[0].hostname, sites=_sites(granted))
    return found[0]


def unknown_machines(
    uow: UnitOfWork, ctx: Context, missing: Collection[str], error: InvalidInput
) -> RelanceError:
    """`error` about machines not found within the caller's sites; a refusal if some exist."""
    granted = ctx.authority
    if granted is None or not granted.sites or not missing:
        return error
    elsewhere = sorted(asset_store.by_hostnames(uow, missing))
    if not elsewhere:
        return error
    named = ", ".join(elsewhere[:5]) + (f" (+{len(elsewhere) - 5})" if elsewhere[5:] else "")
    why = N_("machines {what}: outside this account's sites ({sites})")
    return Refused(ctx, why, error, what=named, sites=_sites(granted))


# Appointments and their patients


def appointment(uow: UnitOfWork, ctx: Context, reference: str) -> "BookEntry":
    """A booked appointment the caller may decide; another site's gets an unknown one's answer."""
    # the appointment book (and its tables) imported by those who decide: not by `status`
    from relance.storage import clinic_store  # noqa: PLC0415

    granted = authority(ctx, P.DECIDE_APPOINTMENTS)
    found = clinic_store.book(uow, reference=reference)
    unknown = NotFound(N_("no booked appointment {reference}"), reference=repr(reference))
    if not found:
        raise unknown
    if not granted.covers(found[0].site):
        why = N_("appointment {what}: outside this account's sites ({sites})")
        raise Refused(ctx, why, unknown, what=reference, sites=_sites(granted))
    return found[0]


def patient_sites(ctx: Context) -> tuple[str, ...]:
    """The sites whose patients the caller may read (none: every site)."""
    return sites(ctx, P.VIEW_PATIENTS)


# The after-action review


def review_reader(ctx: Context) -> Authority:
    """The review covers every site: for an account of the whole network (the permission is
    not one of a site's records, so an account limited to sites does not have it)."""
    return authority(ctx, P.VIEW_REVIEW)


def review_recorder(ctx: Context) -> Authority:
    """Findings and improvement actions are the cell's own, for the whole network."""
    return authority(ctx, P.RECORD_REVIEW)


# The audit trail and the timeline


def trail(ctx: Context, query: AuditQuery, permission: Permission) -> AuditQuery:
    """The part of the trail the caller may read: its sites' records and the network's.

    Accounts, sign-ins (with their addresses) and refusals (naming what was asked, at any
    site): for account administrators only (of the whole network, as every administrator).
    """
    granted = authority(ctx, permission)
    hidden = () if granted.allows(P.MANAGE_USERS) else tuple(sorted(ACCOUNT_OBJECTS))
    return replace(query, sites=granted.sites, hidden_objects=hidden)


def shown(ctx: Context, events: list[AuditEvent]) -> list[AuditEvent]:
    """The events as the caller may read them: a decision's text is patient data."""
    if ctx.authority is not None and ctx.authority.allows(P.VIEW_PATIENTS):
        return events
    return [
        replace(e, reason="", evidence=None) if e.object_type in PATIENT_OBJECTS else e
        for e in events
    ]


def _sites(granted: Authority) -> str:
    return ", ".join(granted.sites)


# The legal duties register


def duties(ctx: Context) -> Authority:
    """Who may read the register: whoever reads the status (it holds no patient data)."""
    return authority(ctx, P.VIEW_STATUS)


def manage_duties(ctx: Context) -> Authority:
    """Approving, submitting, adding a duty, naming its officer, moving the deadlines: the
    crisis lead, who answers for the hospital to the authorities."""
    return authority(ctx, P.MANAGE_DUTIES)


def duty_move(ctx: Context, officer: str, target: DutyStatus) -> None:
    """Who may move a duty to `target`: the register's keepers; and the person the cell named
    for it (the data-protection officer for the GDPR notification), who drafts and submits it
    once approved but never approves it: four eyes on what goes to an authority."""
    granted = ctx.authority
    if granted is not None and granted.allows(P.MANAGE_DUTIES):
        return
    named = bool(officer) and identity_of(ctx.actor) == identity_of(officer)
    if named and granted is not None and target is not DutyStatus.APPROVED:
        return
    manage_duties(ctx)


def identity_of(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
