"""Who acts, and when: passed to every app service so the audit trail can say it."""

import uuid
from dataclasses import dataclass, field

from relance.domain.clock import Clock, SystemClock
from relance.domain.roles import Authority


@dataclass(frozen=True)
class Context:
    actor: str
    clock: Clock = field(default_factory=SystemClock)
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # What the actor may see and change (app.access decides with it); None: no account, so
    # every access helper refuses (a gateway's report, a sign-in not yet made).
    authority: Authority | None = None
