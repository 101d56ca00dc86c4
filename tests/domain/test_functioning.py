"""Services up and activity functioning (HICS 251) derived from the machines."""

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.functioning import Functioning, activity_status, services_up
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind, ClinicalActivity, ItService, MachineNeed

S = AssetState
W = AssetKind.WORKSTATION
SERVICES = [
    ItService("NET", "Network", 4),
    ItService("AD", "Directory", 8, ("NET",)),
    ItService("DPI", "Patient record", 16, ("AD",)),
]


def test_a_service_is_up_when_its_servers_and_dependencies_are() -> None:
    servers = {
        "NET": {S.REDEPLOYED: 1},
        "AD": {S.REDEPLOYED: 2, S.DECOMMISSIONED: 1},
        "DPI": {S.REDEPLOYED: 1, S.CLEAN_ZONE: 1},
    }
    assert services_up(SERVICES, servers) == {"NET", "AD"}


def test_a_dependency_down_keeps_a_rebuilt_service_down() -> None:
    servers = {"NET": {S.ISOLATED: 1}, "AD": {S.REDEPLOYED: 2}, "DPI": {S.REDEPLOYED: 1}}
    assert services_up(SERVICES, servers) == set()


def test_a_service_without_servers_has_nothing_to_rebuild() -> None:
    assert services_up([ItService("NET", "Network", 4)], {}) == {"NET"}


EMERGENCY = ClinicalActivity(
    "A", "emergency", "Emergency", 100, True, 70, ("DPI",), (MachineNeed(W, "URG", 10),)
)
SURGERY = ClinicalActivity(
    "A", "surgery", "Surgery", 40, False, 0, ("DPI",), (MachineNeed(W, "BOP", 4),)
)


def test_services_down_means_paper_or_nothing() -> None:
    paper = activity_status(EMERGENCY, set(), {})
    assert (paper.functioning, paper.capacity) == (Functioning.PARTIALLY, 70)
    assert "DPI down" in paper.reason
    stopped = activity_status(SURGERY, set(), {})
    assert (stopped.functioning, stopped.capacity) == (Functioning.NOT, 0)


def test_capacity_follows_the_machines_back() -> None:
    status = activity_status(SURGERY, {"DPI"}, {(W, "BOP"): 1})
    assert (status.functioning, status.capacity) == (Functioning.PARTIALLY, 25)
    assert status.reason == "1 of 4 workstation in BOP"
    full = activity_status(SURGERY, {"DPI"}, {(W, "BOP"): 9})
    assert (full.functioning, full.capacity) == (Functioning.FULLY, 100)


def test_paper_capacity_is_a_floor_once_systems_return() -> None:
    status = activity_status(EMERGENCY, {"DPI"}, {(W, "URG"): 3})
    assert (status.functioning, status.capacity) == (Functioning.PARTIALLY, 70)


@given(st.integers(0, 30), st.booleans())
def test_more_machines_never_lower_capacity(redeployed: int, dpi_up: bool) -> None:
    up = {"DPI"} if dpi_up else set()
    now = activity_status(EMERGENCY, up, {(W, "URG"): redeployed})
    later = activity_status(EMERGENCY, up, {(W, "URG"): redeployed + 1})
    assert 0 <= now.capacity <= later.capacity <= 100
    assert (now.capacity == 100) == (now.functioning is Functioning.FULLY)


def test_a_service_whose_servers_were_all_decommissioned_is_down() -> None:
    net = [ItService("NET", "Network", 4)]
    assert services_up(net, {"NET": {S.DECOMMISSIONED: 2}}) == set()
    assert services_up(net, {"NET": {S.DECOMMISSIONED: 1, S.REDEPLOYED: 1}}) == {"NET"}


def test_paper_mode_at_zero_capacity_is_not_functional() -> None:
    none_on_paper = ClinicalActivity("A", "x", "X", 1, True, 0, ("DPI",), ())
    assert activity_status(none_on_paper, set(), {}).functioning is Functioning.NOT
