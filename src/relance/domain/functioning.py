"""What a service and a clinical activity can do now, derived from the machines (HICS 251 words)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind, ClinicalActivity, ItService


class Functioning(StrEnum):
    """HICS 251 facility status words, with the colour the forms use."""

    FULLY = "fully"
    PARTIALLY = "partially"
    NOT = "not"

    @property
    def label(self) -> str:
        return _LOOK[self][0]

    @property
    def colour(self) -> str:
        return _LOOK[self][1]


_LOOK: dict[Functioning, tuple[str, str]] = {
    Functioning.FULLY: ("Fully functional", "#2e7d32"),
    Functioning.PARTIALLY: ("Partially functional", "#f9a825"),
    Functioning.NOT: ("Not functional", "#b71c1c"),
}


@dataclass(frozen=True)
class Shortfall:
    """Machines of one kind still missing in one department."""

    kind: AssetKind
    department: str
    have: int
    need: int


@dataclass(frozen=True)
class ActivityStatus:
    """What an activity can do, and why: the services down and the machines missing, kept as
    data so that each page and document words them in its reader's language."""

    functioning: Functioning
    capacity: int  # percent of normal capacity
    services_down: tuple[str, ...] = ()
    short: tuple[Shortfall, ...] = ()
    on_paper: bool = False  # runs on paper at its paper capacity

    @property
    def reason(self) -> str:
        """The reason in English, as the history, the API and the triage decisions keep it."""
        if self.functioning is Functioning.FULLY:
            return "all systems and machines back"
        if self.services_down:
            detail = f"{', '.join(self.services_down)} down"
        else:
            detail = "; ".join(
                f"{s.have} of {s.need} {s.kind.value} in {s.department}" for s in self.short
            )
        return f"on paper at {self.capacity} %: {detail}" if self.on_paper else detail


def services_up(
    services: Iterable[ItService], servers: Mapping[str, Mapping[AssetState, int]]
) -> set[str]:
    """Codes of the services that run: every live server redeployed, every dependency up.

    `servers[code]` counts the servers hosting the service by state. A service with no server
    in the inventory (the network core, say) has nothing to rebuild and counts as up; one whose
    servers were all decommissioned has nothing left to run on and is down.
    """
    by_code = {s.code: s for s in services}
    own_ready = {code: _own_servers_ready(servers.get(code, {})) for code in by_code}
    up: set[str] = set()
    changed = True
    while changed:  # a fixed point: the dependency graph is a DAG, so this ends
        changed = False
        for code, service in by_code.items():
            if code not in up and own_ready[code] and all(d in up for d in service.depends_on):
                up.add(code)
                changed = True
    return up


def _own_servers_ready(counts: Mapping[AssetState, int]) -> bool:
    live = {state: n for state, n in counts.items() if n and state is not AssetState.DECOMMISSIONED}
    if not live:
        return not any(counts.values())  # no server at all: up; all decommissioned: down
    return set(live) == {AssetState.REDEPLOYED}


def activity_status(
    activity: ClinicalActivity,
    up: set[str],
    redeployed: Mapping[tuple[AssetKind, str], int],
) -> ActivityStatus:
    """The activity's functioning and capacity, with the reason a person can check.

    Capacity follows the scarcest machine need once the services run; an activity whose
    services are down runs on paper at its paper capacity if it can, else not at all.
    """
    down = tuple(code for code in activity.services if code not in up)
    paper = activity.paper_capacity if activity.paper_mode else 0
    if down:
        if paper:
            return ActivityStatus(Functioning.PARTIALLY, paper, down, on_paper=True)
        return ActivityStatus(Functioning.NOT, 0, down)
    capacity, short = 100, []
    for need in activity.machines:
        have = min(redeployed.get((need.kind, need.department), 0), need.count)
        share = have * 100 // need.count if need.count else 100
        if have < need.count:
            short.append(Shortfall(need.kind, need.department, have, need.count))
        capacity = min(capacity, share)
    if capacity >= 100:
        return ActivityStatus(Functioning.FULLY, 100)
    if capacity == 0 and paper:
        return ActivityStatus(Functioning.PARTIALLY, paper, short=tuple(short), on_paper=True)
    if capacity == 0:
        return ActivityStatus(Functioning.NOT, 0, short=tuple(short))
    return ActivityStatus(Functioning.PARTIALLY, max(capacity, paper), short=tuple(short))
