"""Who is calling: a session cookie (with its CSRF token) or an API token; and what they may do."""

import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated

from fastapi import Depends, Request

from relance.app import access, exercise, tokens, users
from relance.app.context import Context
from relance.app.incident_clock import DatabaseClock
from relance.app.users import Principal
from relance.domain.clock import Clock, SystemClock
from relance.domain.roles import Authority, Permission
from relance.storage.database import UnitOfWork, unit_of_work

SESSION_COOKIE = "relance_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotSignedIn(Exception):
    """No valid session or token: the API answers 401, the pages send to the sign-in form."""


@dataclass(frozen=True)
class Caller:
    principal: Principal
    csrf: str  # empty for a token: scripts send no cookie, so there is nothing to forge
    # The database's clock (the wall clock, or a replay's time), read once for the request
    clock: Clock = field(default_factory=SystemClock)
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def authority(self) -> Authority:
        return Authority(self.principal.role, self.principal.sites)

    @property
    def ctx(self) -> Context:
        return Context(self.principal.login, self.clock, self.request_id, self.authority)


def database_clock(request: Request) -> Clock:
    """The clock of the app's database, as every command reads it (app.incident_clock)."""
    engine = request.app.state.engine
    read, write = partial(unit_of_work, engine, read_only=True), partial(unit_of_work, engine)
    # an exercise's injects fallen due are applied as the request opens, as for a command:
    # before the page reads anything (or the page cache its version of the data)
    clock = DatabaseClock(partial(exercise.open_clock, read, write))
    clock.mode()
    return clock


@contextmanager
def transaction(request: Request, *, writes: bool | None = None) -> Iterator[UnitOfWork]:
    """The request's unit of work: read-only for GET and HEAD unless it `writes` (an audit row).

    Readers never queue for the write lock, so fifty people watching the overview do not
    wait behind one technician's transition.
    """
    if writes is None:
        writes = request.method not in SAFE_METHODS
    with unit_of_work(request.app.state.engine, read_only=not writes) as uow:
        yield uow


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def sent_csrf(request: Request) -> str:
    """The CSRF token of a form post or of a script's header ("" if none)."""
    if request.method in SAFE_METHODS:
        return ""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get("csrf")
        return value if isinstance(value, str) else ""
    return ""


def caller(request: Request, csrf: Annotated[str, Depends(sent_csrf)]) -> Caller:
    anonymous = Context(actor="anonymous", clock=database_clock(request))
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with transaction(request) as uow:
            used = tokens.token_user(uow, anonymous, header[7:].strip())
        if used is None:
            raise NotSignedIn
        if used.record and used.principal.token is not None:
            with transaction(request, writes=True) as uow:  # a few minutes apart, not per request
                tokens.record_use(uow, anonymous, used.principal.token)
        request.state.account_language = used.principal.language
        return Caller(used.principal, "", database_clock(request))
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotSignedIn
    with transaction(request) as uow:
        found = users.session_principal(uow, anonymous, token)
    if found is None:
        raise NotSignedIn
    who = Caller(*found, database_clock(request))
    request.state.account_language = who.principal.language  # web.language: the account's first
    if request.method not in SAFE_METHODS and not secrets.compare_digest(csrf, who.csrf):
        raise access.Refused(who.ctx, "missing or wrong CSRF token")  # audited by the app's handler
    return who


def signed_in(request: Request) -> Caller | None:
    """The reader of a session cookie, if any: an error page keeps the reader's menu."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    # The database's clock, as caller(): a replay's sessions live in the incident's time
    anonymous = Context(actor="anonymous", clock=database_clock(request))
    with transaction(request) as uow:
        found = users.session_principal(uow, anonymous, token)
    if found is None:
        return None
    request.state.account_language = found[0].language
    return Caller(*found, database_clock(request))


def audit_refusal(request: Request, error: access.Refused) -> None:
    """The refusal in the audit trail, in a transaction of its own (the request's was rolled
    back): who asked, for what, and why not."""
    ctx = Context(error.actor, database_clock(request), error.request_id)
    with transaction(request, writes=True) as uow:
        users.refuse_access(uow, ctx, f"{request.method} {request.url.path}", error.refusal)


def require(permission: Permission) -> Callable[..., Caller]:
    """The route's permission, decided by the app's access policy (refusals audited)."""

    def dependency(who: Annotated[Caller, Depends(caller)]) -> Caller:
        access.authority(who.ctx, permission)
        return who

    return dependency


Viewer = Annotated[Caller, Depends(require(Permission.VIEW_STATUS))]
Auditor = Annotated[Caller, Depends(require(Permission.VIEW_AUDIT))]
Technician = Annotated[Caller, Depends(require(Permission.TRANSITION_ASSETS))]
PatientReader = Annotated[Caller, Depends(require(Permission.VIEW_PATIENTS))]
Decider = Annotated[Caller, Depends(require(Permission.DECIDE_APPOINTMENTS))]
Planner = Annotated[Caller, Depends(require(Permission.MANAGE_PLAN))]
SitrepEditor = Annotated[Caller, Depends(require(Permission.EDIT_SITREP))]
SitrepApprover = Annotated[Caller, Depends(require(Permission.APPROVE_SITREP))]
ReviewReader = Annotated[Caller, Depends(require(Permission.VIEW_REVIEW))]
Administrator = Annotated[Caller, Depends(require(Permission.MANAGE_USERS))]
Anyone = Annotated[Caller, Depends(caller)]
