"""Delivery status only moves forward, whatever order the reports arrive in, or none."""

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.delivery import FORWARD, Delivery, from_report, moves

FINAL = {Delivery.DELIVERED, Delivery.FAILED}
RANK = {
    Delivery.QUEUED: 0,
    Delivery.SENDING: 1,
    Delivery.SUBMITTED: 2,
    Delivery.ACCEPTED: 3,
    Delivery.UNCONFIRMED: 4,
    Delivery.DELIVERED: 5,
    Delivery.FAILED: 5,
}


def test_reports_map_to_statuses() -> None:
    assert from_report("1") is Delivery.DELIVERED
    assert from_report("8") is Delivery.ACCEPTED
    assert from_report("16") is Delivery.FAILED
    assert from_report("4") is None  # buffered: no news


@given(st.lists(st.sampled_from([1, 2, 8, 16, 4]), max_size=8))
def test_any_sequence_of_reports_never_goes_back(reports: list[int]) -> None:
    status = Delivery.SUBMITTED
    for report in reports:
        new = from_report(str(report))
        if new is not None and moves(status, new):
            assert RANK[new] > RANK[status]
            status = new
    if any(r in (1, 2, 16) for r in reports):
        assert status in FINAL  # a final report, early or late, always ends it


def test_a_late_accepted_report_does_not_undo_delivered() -> None:
    assert not moves(Delivery.DELIVERED, Delivery.ACCEPTED)
    assert moves(Delivery.UNCONFIRMED, Delivery.DELIVERED)


def test_the_only_step_back_is_a_claim_returned_to_the_queue() -> None:
    backwards = [(a, b) for a, nxt in FORWARD.items() for b in nxt if RANK[b] <= RANK[a]]
    assert backwards == [(Delivery.SENDING, Delivery.QUEUED)]
