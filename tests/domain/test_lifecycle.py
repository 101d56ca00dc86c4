"""The lifecycle table: what is allowed, what is refused, and random walks through it."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from relance.domain.errors import IllegalTransition
from relance.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    PATH,
    AssetState,
    check_transition,
    parse_state,
)

S = AssetState
HASH = "a" * 64


def test_the_recovery_path_is_allowed_step_by_step() -> None:
    path = [
        S.COMPROMISED,
        S.ISOLATED,
        S.IMAGED,
        S.REIMAGED,
        S.VALIDATED,
        S.CLEAN_ZONE,
        S.REDEPLOYED,
    ]
    for current, target in itertools.pairwise(path):
        assert check_transition(current, target, HASH) is target


def test_a_skipped_step_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition, match=r"Compromised to Redeployed \(allowed: Isolated"):
        check_transition(S.COMPROMISED, S.REDEPLOYED)


def test_imaging_needs_the_sha256_of_the_copy() -> None:
    with pytest.raises(IllegalTransition, match="SHA-256"):
        check_transition(S.ISOLATED, S.IMAGED)
    with pytest.raises(IllegalTransition, match="SHA-256"):
        check_transition(S.ISOLATED, S.IMAGED, "EVD-0042")
    assert check_transition(S.ISOLATED, S.IMAGED, "0123456789abcdef" * 4) is S.IMAGED


def test_decommissioned_is_final_and_reachable_from_every_live_state() -> None:
    assert ALLOWED_TRANSITIONS[S.DECOMMISSIONED] == frozenset()
    for state in PATH[:-1]:
        assert S.DECOMMISSIONED in ALLOWED_TRANSITIONS[state]


def test_every_state_is_in_the_table_and_the_path() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S) == set(PATH)


def test_states_carry_a_label_and_a_colour() -> None:
    for state in S:
        assert state.label
        assert state.colour.startswith("#")


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_check_transition_agrees_with_the_table(current: AssetState, target: AssetState) -> None:
    if target in ALLOWED_TRANSITIONS[current]:
        assert check_transition(current, target, HASH) is target
    else:
        with pytest.raises(IllegalTransition):
            check_transition(current, target, HASH)


@given(st.text())
def test_parse_state_accepts_only_state_names(text: str) -> None:
    if text.strip().lower() in set(S):
        assert parse_state(text).value == text.strip().lower()
    else:
        with pytest.raises(IllegalTransition, match="one of: compromised"):
            parse_state(text)


class MachineWalk(RuleBasedStateMachine):
    """A machine pushed around at random: illegal moves never change it; legal ones always do."""

    def __init__(self) -> None:
        super().__init__()
        self.state = S.COMPROMISED

    @rule(goal=st.sampled_from(list(S)), evidence=st.sampled_from([None, HASH]))
    def move(self, goal: AssetState, evidence: str | None) -> None:
        before = self.state
        try:
            self.state = check_transition(self.state, goal, evidence)
        except IllegalTransition:
            assert self.state is before
            assert goal not in ALLOWED_TRANSITIONS[before] or (goal is S.IMAGED and not evidence)
        else:
            assert goal in ALLOWED_TRANSITIONS[before]

    @invariant()
    def decommissioned_stays(self) -> None:
        if self.state is S.DECOMMISSIONED:
            assert not ALLOWED_TRANSITIONS[self.state]


TestMachineWalk = MachineWalk.TestCase
