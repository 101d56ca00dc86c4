"""Delivery status only moves forward, whatever order the reports arrive in, or none; a message
that may have been sent never goes back to the queue unless a person says so."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.delivery import FORWARD, SETTLED, Delivery, Verdict, from_report, moves, settle
from relance.domain.errors import InvalidInput

D = Delivery
FINAL = {D.DELIVERED, D.FAILED}
RANK = {
    D.QUEUED: 0,
    D.SENDING: 1,
    D.UNKNOWN: 2,
    D.SUBMITTED: 3,
    D.ACCEPTED: 4,
    D.UNCONFIRMED: 5,
    D.DELIVERED: 6,
    D.FAILED: 6,
}


def test_reports_map_to_statuses() -> None:
    assert from_report("1") is D.DELIVERED
    assert from_report("8") is D.ACCEPTED
    assert from_report("16") is D.FAILED
    assert from_report("4") is None  # buffered: no news
    with pytest.raises(InvalidInput, match="not a number"):
        from_report("x")


@given(st.lists(st.sampled_from([1, 2, 8, 16, 4]), max_size=8))
def test_any_sequence_of_reports_never_goes_back(reports: list[int]) -> None:
    status = D.SUBMITTED
    for report in reports:
        new = from_report(str(report))
        if new is not None and moves(status, new):
            assert RANK[new] > RANK[status]
            status = new
    if any(r in (1, 2, 16) for r in reports):
        assert status in FINAL  # a final report, early or late, always ends it


@given(st.sampled_from(D), st.lists(st.sampled_from(D), max_size=12))
def test_no_evidence_sends_a_message_twice(start: Delivery, evidence: list[Delivery]) -> None:
    """Whatever evidence comes, in whatever order: a message goes back to the queue only from a
    claim (the gateway proved nothing was sent), and only a queued message is claimed."""
    status = start
    for new in evidence:
        if not moves(status, new):
            continue
        if new is D.QUEUED:
            assert status is D.SENDING
        elif new is D.SENDING:
            assert status is D.QUEUED
        else:
            assert RANK[new] > RANK[status]
        status = new


def _reaches(start: Delivery, goal: Delivery) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for new in FORWARD[todo.pop()] - seen:
            seen.add(new)
            todo.append(new)
    return goal in seen


def test_what_may_have_been_sent_never_returns_to_the_queue_on_its_own() -> None:
    assert [s for s in D if s is not D.QUEUED and _reaches(s, D.QUEUED)] == [D.SENDING]
    assert not _reaches(D.UNKNOWN, D.QUEUED)
    backwards = [(a, b) for a, nxt in FORWARD.items() for b in nxt if RANK[b] <= RANK[a]]
    assert backwards == [(D.SENDING, D.QUEUED)]


def test_a_person_settles_only_what_may_have_been_sent() -> None:
    assert settle(D.UNKNOWN, Verdict.NOT_SENT) is D.QUEUED
    assert settle(D.UNKNOWN, Verdict.SENT) is D.SUBMITTED
    assert set(SETTLED) == set(Verdict)
    for status in set(D) - {D.UNKNOWN}:
        with pytest.raises(InvalidInput, match="only a message that may have been sent"):
            settle(status, Verdict.NOT_SENT)


def test_a_late_report_still_counts_and_never_undoes_a_final_one() -> None:
    assert not moves(D.DELIVERED, D.ACCEPTED)
    assert moves(D.UNCONFIRMED, D.DELIVERED)
    assert moves(D.UNKNOWN, D.DELIVERED)  # a report settles a message in doubt
    assert moves(D.QUEUED, D.DELIVERED)  # ...and keeps one that left from being sent again
