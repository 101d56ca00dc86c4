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
class ActivityStatus:
    functioning: Functioning
    capacity: int  # percent of normal capacity
    reason: str


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
    down = [code for code in activity.services if code not in up]
    if down:
        missing = ", ".join(down)
        if activity.paper_mode and activity.paper_capacity:
            return ActivityStatus(
                Functioning.PARTIALLY,
                activity.paper_capacity,
                f"on paper at {activity.paper_capacity} %: {missing} down",
            )
        return ActivityStatus(Functioning.NOT, 0, f"{missing} down")
    capacity, reasons = 100, []
    for need in activity.machines:
        have = min(redeployed.get((need.kind, need.department), 0), need.count)
        share = have * 100 // need.count if need.count else 100
        if have < need.count:
            reasons.append(f"{have} of {need.count} {need.kind.value} in {need.department}")
        capacity = min(capacity, share)
    if capacity >= 100:
        return ActivityStatus(Functioning.FULLY, 100, "all systems and machines back")
    detail = "; ".join(reasons)
    if capacity == 0 and activity.paper_mode and activity.paper_capacity:
        return ActivityStatus(
            Functioning.PARTIALLY,
            activity.paper_capacity,
            f"on paper at {activity.paper_capacity} %: {detail}",
        )
    if capacity == 0:
        return ActivityStatus(Functioning.NOT, 0, detail)
    capacity = max(capacity, activity.paper_capacity if activity.paper_mode else 0)
    return ActivityStatus(Functioning.PARTIALLY, capacity, detail)
