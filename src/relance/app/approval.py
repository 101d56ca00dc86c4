"""Four eyes: whoever drafted a sitrep or a message does not approve it, however they spell
their name.

Who is who is decided by account: the web and the API act as the signed-in login; the command
line as its actor (`--actor`, RELANCE_ACTOR or the operating-system user), which is the account
whose login or name it matches. Names are compared after Unicode normalisation, case-folded,
with spaces collapsed: "Communications Officer" is "communications  officer".
"""

import os
import unicodedata

from relance.app.context import Context
from relance.app.incident import audit
from relance.domain.audit_events import EventType
from relance.domain.errors import N_, InvalidInput
from relance.storage import users_store
from relance.storage.database import UnitOfWork

ONE_PERSON_CELL = "RELANCE_ONE_PERSON_CELL"


def _normal(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def identity(uow: UnitOfWork, who: str) -> str:
    """The account a login or a name belongs to, or the normalised name if no account has it."""
    key = _normal(who)
    for account in users_store.all_accounts(uow):
        if key in (_normal(account.login), _normal(account.name)):
            return f"account {_normal(account.login)}"
    return key


def account_name(uow: UnitOfWork, who: str) -> str:
    """The name of the account a login or name belongs to, as documents print it; else `who`."""
    key = _normal(who)
    for account in users_store.all_accounts(uow):
        if key in (_normal(account.login), _normal(account.name)):
            return account.name or account.login
    return who


def one_person_cell() -> bool:
    return bool(os.environ.get(ONE_PERSON_CELL))


def check_four_eyes(
    uow: UnitOfWork, ctx: Context, drafted_by: str, what: str, obj: tuple[str, str]
) -> None:
    """Refuse the drafter as approver, unless the cell is one person (then audited)."""
    if identity(uow, drafted_by) != identity(uow, ctx.actor):
        return
    if not one_person_cell():
        four_eyes = N_(
            "{what} was drafted by {drafted_by}: another person approves it "
            "({setting}=1 lets a cell of one person approve its own, audited)"
        )
        raise InvalidInput(four_eyes, what=what, drafted_by=drafted_by, setting=ONE_PERSON_CELL)
    audit(
        uow,
        ctx,
        EventType.SELF_APPROVED,
        obj,
        ctx.clock.now(),
        after={"drafted_by": drafted_by, "approved_by": ctx.actor},
        reason=f"{ONE_PERSON_CELL} is set: a cell of one person",
    )
