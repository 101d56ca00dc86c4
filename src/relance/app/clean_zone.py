"""The clean-zone technician's phone: look a machine up, record its next step, read its label.

Steps may come late, from a queue the page kept while the Wi-Fi was down. Each says which
state the technician saw: if the machine moved since, the step is refused, never applied on
top of someone else's. Each also carries its own number, used as the audit row's request id,
so a step sent twice (the answer was lost, the page sent it again) is recorded once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.app import access
from relance.app.access import NotFound, Refused
from relance.app.assets import list_assets, transition_matching
from relance.app.context import Context
from relance.app.users import SESSION_LIFETIME
from relance.domain.errors import N_, InvalidInput, RelanceError, Word
from relance.domain.lifecycle import AssetState, next_states
from relance.domain.network import HOSTNAME, AssetFilter, AssetKind
from relance.importers.label_photo import qr_texts
from relance.storage import asset_store, audit_store
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork

LONGEST_WAIT = SESSION_LIFETIME  # a step kept longer is not from "a short loss of Wi-Fi"
# One machine in hand, its label read, its next step tapped: that is the reason, unless one is
# typed (a bulk move, by contrast, must say why).
TAPPED = "step tapped on the clean-zone phone page, machine in hand"


@dataclass(frozen=True)
class MachineAtHand:
    hostname: str
    kind: AssetKind
    site: str
    department: str | None
    role: str
    state: AssetState
    since: datetime
    by: str | None  # who made the last change, if it is recorded
    steps: tuple[AssetState, ...]


@dataclass(frozen=True)
class Step:
    hostname: str
    seen: AssetState  # the state the technician was shown
    target: AssetState
    reason: str = ""
    evidence: str | None = None
    waited: timedelta = timedelta(0)  # how long the page kept it before sending


@dataclass(frozen=True)
class StepDone:
    machine: MachineAtHand
    already: bool  # this very step had been recorded before (sent twice)


class UnknownMachine(NotFound):
    """No such machine among the caller's sites: unknown and elsewhere answer alike."""

    def __init__(self, hostname: str) -> None:
        super().__init__(N_("{host}: unknown machine on your sites"), host=hostname.upper())
        self.hostname = hostname.upper()


class UnreadableLabel(InvalidInput):
    """No QR code in the photo, several, or one that is not a machine's name."""

    def __init__(self, codes: int, text: str = "") -> None:
        if text:
            foreign = N_("the QR code in the photo is not a machine's label: {text}")
            super().__init__(foreign, text=text[:80])
        elif codes == 0:
            super().__init__(N_("no label found in the photo: photograph one label"))
        else:
            several = N_("{count} labels found in the photo: photograph one label")
            super().__init__(several, count=codes)
        self.codes = codes
        self.text = text


class StateMoved(RelanceError):
    """The machine is no longer in the state the technician saw: nothing was recorded."""

    def __init__(self, step: Step, now: MachineAtHand) -> None:
        moved = N_("{host}: not recorded, its state moved meanwhile: now {now}, not {seen}")
        super().__init__(
            moved, host=now.hostname, now=Word(now.state.label), seen=Word(step.seen.label)
        )
        self.step = step
        self.now = now


def machine_at_hand(uow: UnitOfWork, ctx: Context, hostname: str) -> MachineAtHand:
    """The machine, if it is on one of the caller's sites, with the steps it may take next."""
    return _machine(uow, ctx, hostname)


def record_step(uow: UnitOfWork, ctx: Context, step: Step) -> StepDone:
    """Move one machine from the state the technician saw to the next, audited as any move."""
    if step.waited < timedelta(0) or step.waited > LONGEST_WAIT:
        raise InvalidInput(N_("this step waited too long on the phone: look at the machine again"))
    earlier = audit_store.find(uow, AuditQuery(request_id=ctx.request_id))
    if earlier:
        if any(_is_this_step(e, ctx, step) for e in earlier):
            return StepDone(_machine(uow, ctx, step.hostname), already=True)
        raise InvalidInput(N_("this step's number is taken by another change: tap the step again"))
    machine = _machine(uow, ctx, step.hostname, for_update=True)
    if machine.state is not step.seen:
        raise StateMoved(step, machine)
    transition_matching(
        uow,
        ctx,
        where=AssetFilter(hostnames=(machine.hostname,)),
        target=step.target,
        reason=step.reason.strip() or TAPPED,
        evidence=step.evidence or None,
        occurred_at=max(ctx.clock.now() - step.waited, machine.since),
    )
    return StepDone(_machine(uow, ctx, step.hostname), already=False)


def read_label(photo: bytes) -> str:
    """The hostname on a label's photo; none or several codes are said so."""
    texts = qr_texts(photo)
    if len(texts) != 1:
        raise UnreadableLabel(len(texts))
    text = texts[0].strip()
    if not HOSTNAME.fullmatch(text):
        raise UnreadableLabel(1, text)
    return text.upper()


@dataclass(frozen=True)
class KnownState:
    """A line of the copy a phone keeps for a loss of Wi-Fi."""

    hostname: str
    site: str
    department: str | None
    state: AssetState


def offline_copy(uow: UnitOfWork, ctx: Context) -> list[KnownState]:
    """Every machine of the caller's sites and its state, to look machines up offline."""
    return [
        KnownState(a.hostname, a.site, a.department, a.state)
        for a in list_assets(uow, ctx, AssetFilter())[1]
    ]


def _machine(
    uow: UnitOfWork, ctx: Context, hostname: str, *, for_update: bool = False
) -> MachineAtHand:
    try:
        access.machine(uow, ctx, hostname)
    except Refused as refused:  # another site's: refused, answered as an unknown one
        why = refused.refusal
        raise Refused(ctx, why.message, UnknownMachine(hostname), **why.values) from None
    except NotFound:
        raise UnknownMachine(hostname) from None
    if for_update:  # lock the row: the state compared is the state moved
        asset_store.by_hostnames(uow, (hostname,), for_update=True)
    a = list_assets(uow, ctx, AssetFilter(hostnames=(hostname,)), 1)[1][0]
    last = audit_store.find(
        uow, AuditQuery(object_type="asset", object_key=a.hostname), 1, newest_first=True
    )
    return MachineAtHand(
        hostname=a.hostname,
        kind=a.kind,
        site=a.site,
        department=a.department,
        role=a.role,
        state=a.state,
        since=a.state_since,
        by=last[0].actor if last else None,
        steps=next_states(a.state),
    )


def _is_this_step(event: AuditEvent, ctx: Context, step: Step) -> bool:
    return (
        event.actor == ctx.actor
        and event.object_key == step.hostname.upper()
        and (event.after or {}).get("state") == step.target.value
    )
