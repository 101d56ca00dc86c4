"""The extortion claims register: what a group says on its leak site about the hospital.

A claim is evidence (its screenshots go to the evidence register by their SHA-256) and weighs on
the GDPR assessment: data said to be stolen is a possible breach of personal data. Each change
is one audit row, on the timeline.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from relance.app import access
from relance.app.context import Context
from relance.app.incident import audit, current_incident, event_time, register_evidence
from relance.domain.audit_events import EventType
from relance.domain.duties import CLAIM_TRANSITIONS, ClaimStatus
from relance.domain.errors import N_, InvalidInput
from relance.domain.incident import check_move, check_sha256
from relance.domain.text import checked_name, checked_text
from relance.storage import duty_store
from relance.storage.database import UnitOfWork
from relance.storage.duty_store import Claim

SCREENSHOT = "capture d'écran"


def record_claim(
    uow: UnitOfWork,
    ctx: Context,
    *,
    group: str,
    seen_at: datetime,
    where: str,
    volume: str = "",
    deadline: datetime | None = None,
    personal_data: bool = True,
    screenshots: Sequence[str] = (),
) -> Claim:
    """A claim seen on a leak site; each screenshot (its SHA-256) enters the evidence register."""
    access.manage_duties(ctx)
    found = current_incident(uow, for_update=True)
    group = checked_name(group, N_("the group (--group)"), required=True)
    where = checked_name(where, N_("where it was seen (--where)"), required=True)
    volume = checked_name(volume, N_("the volume claimed (--volume)"))
    seen = event_time(ctx, seen_at, N_("the claim"))
    if deadline is not None and (deadline.tzinfo is None or deadline < seen):
        raise InvalidInput(N_("the claim's deadline needs a timezone and comes after it was seen"))
    digests = [check_sha256(s) for s in screenshots]
    if len(set(digests)) != len(digests):
        raise InvalidInput(N_("the same screenshot is given twice (--screenshot)"))
    reference = f"CL-{duty_store.next_claim_number(uow):04d}"
    kept = [
        register_evidence(
            uow,
            ctx,
            sha256=digest,
            kind=SCREENSHOT,
            description=f"revendication {reference} de {group} ({where})",
            at=seen,
        ).reference
        for digest in digests
    ]
    claim = Claim(
        reference, group, seen, where, volume, personal_data, deadline, [], "live", kept, ctx.actor
    )
    duty_store.add_claim(uow, found.id, claim)
    audit(
        uow,
        ctx,
        EventType.CLAIM_RECORDED,
        ("claim", reference),
        seen,
        after={
            "group": group,
            "where": where,
            "volume": volume,
            "deadline": deadline.isoformat() if deadline else None,
            "personal_data": personal_data,
            "evidence": kept,
        },
    )
    return duty_store.claims(uow, reference)[0]


def extend_claim(
    uow: UnitOfWork, ctx: Context, reference: str, deadline: datetime, at: datetime | None = None
) -> Claim:
    """The group moved its deadline; the earlier one stays in the claim's extensions."""
    access.manage_duties(ctx)
    claim = _claim(uow, reference)
    if deadline.tzinfo is None:
        raise InvalidInput(N_("the new deadline needs a timezone"))
    if claim.deadline_at is not None and deadline <= claim.deadline_at:
        until = N_("{claim} runs until {until}: later")
        raise InvalidInput(until, claim=claim.reference, until=claim.deadline_at.isoformat())
    when = event_time(ctx, at, N_("the extension"))
    earlier = claim.deadline_at.isoformat() if claim.deadline_at else ""
    extensions = [*claim.extensions, {"deadline": earlier, "noted_at": when.isoformat()}]
    duty_store.update_claim(
        uow, claim.reference, {"deadline_at": deadline, "extensions": extensions}
    )
    audit(
        uow,
        ctx,
        EventType.CLAIM_UPDATED,
        ("claim", claim.reference),
        when,
        before={"deadline": earlier or None},
        after={"deadline": deadline.isoformat()},
    )
    return replace(claim, deadline_at=deadline, extensions=extensions)


def set_claim_status(
    uow: UnitOfWork,
    ctx: Context,
    reference: str,
    status: ClaimStatus,
    *,
    at: datetime | None = None,
    reason: str = "",
) -> Claim:
    """The claim expired (its deadline passed) or was removed from the leak site, or is back."""
    access.manage_duties(ctx)
    claim = _claim(uow, reference)
    check_move(CLAIM_TRANSITIONS, claim.reference, ClaimStatus(claim.status), status)
    when = event_time(ctx, at, N_("the change"))
    reason = checked_text(reason, N_("the reason (--reason)"))
    duty_store.update_claim(uow, claim.reference, {"status": status.value})
    audit(
        uow,
        ctx,
        EventType.CLAIM_UPDATED,
        ("claim", claim.reference),
        when,
        before={"status": claim.status},
        after={"status": status.value},
        reason=reason,
    )
    return replace(claim, status=status.value)


def list_claims(uow: UnitOfWork, ctx: Context) -> list[Claim]:
    access.duties(ctx)
    return duty_store.claims(uow)


def _claim(uow: UnitOfWork, reference: str) -> Claim:
    current_incident(uow, for_update=True)
    found = duty_store.claims(uow, reference.strip(), for_update=True)
    if not found:
        known = ", ".join(c.reference for c in duty_store.claims(uow))
        if not known:
            raise InvalidInput(N_("no claim {reference} (none yet)"), reference=repr(reference))
        no_claim = N_("no claim {reference} (claims: {known})")
        raise InvalidInput(no_claim, reference=repr(reference), known=known)
    return found[0]
