"""The banner every page shows from 6 hours before a legal deadline, and once it is overdue.

Read once per request (kept on request.state) for the page and for the key of the kept pages,
so a page kept before a deadline came near is not served after it.
"""

from fastapi import Request

from relance.app import duties
from relance.app.duties import Duty
from relance.domain.errors import InvalidInput
from relance.domain.roles import Permission
from relance.web.auth import Caller, transaction


def alarms(request: Request, who: Caller | None) -> list[Duty]:
    """The duties in alarm for this reader; none before an incident or without the right."""
    if who is None or not who.authority.allows(Permission.VIEW_STATUS):
        return []
    found: list[Duty] | None = getattr(request.state, "duty_alarms", None)
    if found is None:
        with transaction(request, writes=False) as uow:
            try:
                found = duties.alarms(uow, who.ctx)
            except InvalidInput:  # no incident declared: no deadline runs
                found = []
        request.state.duty_alarms = found
    return found


def state(request: Request, who: Caller | None) -> tuple[tuple[str, str], ...]:
    """What the banner says, for the key of kept pages."""
    return tuple((d.key, d.urgency.value) for d in alarms(request, who))
