"""The crisis cell's status tables: what is allowed, what is refused, random walks through them."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from relance.domain.errors import InvalidInput
from relance.domain.incident import (
    MESSAGE_TRANSITIONS,
    PHASE_TRANSITIONS,
    SITREP_TRANSITIONS,
    LogKind,
    MessageState,
    Phase,
    SitrepState,
    check_move,
    check_phase,
    check_sha256,
    parse_choice,
)


def test_the_phases_follow_one_another() -> None:
    assert check_phase(None, Phase.DETECTION) is Phase.DETECTION
    for current, target in itertools.pairwise(list(Phase)):
        assert check_phase(current, target) is target


def test_a_skipped_phase_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(InvalidInput, match=r"detection to recovery \(allowed: containment\)"):
        check_phase(Phase.DETECTION, Phase.RECOVERY)
    with pytest.raises(InvalidInput, match="no phase to containment"):
        check_phase(None, Phase.CONTAINMENT)


def test_post_incident_and_published_are_final() -> None:
    assert PHASE_TRANSITIONS[Phase.POST_INCIDENT] == frozenset()
    assert SITREP_TRANSITIONS[SitrepState.PUBLISHED] == frozenset()
    with pytest.raises(InvalidInput, match="published: cannot make it draft"):
        check_move(SITREP_TRANSITIONS, "sitrep", SitrepState.PUBLISHED, SitrepState.DRAFT)


def test_every_phase_has_a_label_a_colour_and_criteria() -> None:
    for phase in Phase:
        assert phase.label
        assert phase.colour.startswith("#")
        assert phase.entry_criteria


@given(st.text())
def test_a_sha256_is_64_hex_characters(text: str) -> None:
    if len(text.strip()) == 64 and all(c in "0123456789abcdefABCDEF" for c in text.strip()):
        assert check_sha256(text) == text.strip().lower()
    else:
        with pytest.raises(InvalidInput, match="SHA-256"):
            check_sha256(text)


def test_choices_name_the_valid_values() -> None:
    assert parse_choice(LogKind, " Decision ", "--kind") is LogKind.DECISION
    with pytest.raises(InvalidInput, match="--kind 'memo' is not one of: decision, situation"):
        parse_choice(LogKind, "memo", "--kind")


class Walk(RuleBasedStateMachine):
    """Random moves through the three tables: allowed ones happen, others change nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.phase: Phase | None = None
        self.sitrep = SitrepState.DRAFT
        self.message = MessageState.DRAFT

    @rule(to=st.sampled_from(list(Phase)))
    def move_phase(self, to: Phase) -> None:
        allowed = PHASE_TRANSITIONS[self.phase] if self.phase else {Phase.DETECTION}
        if to in allowed:
            self.phase = check_phase(self.phase, to)
        else:
            with pytest.raises(InvalidInput):
                check_phase(self.phase, to)

    @rule(to=st.sampled_from(list(SitrepState)))
    def move_sitrep(self, to: SitrepState) -> None:
        if to in SITREP_TRANSITIONS[self.sitrep]:
            self.sitrep = check_move(SITREP_TRANSITIONS, "s", self.sitrep, to)
        else:
            with pytest.raises(InvalidInput):
                check_move(SITREP_TRANSITIONS, "s", self.sitrep, to)

    @rule(to=st.sampled_from(list(MessageState)))
    def move_message(self, to: MessageState) -> None:
        if to in MESSAGE_TRANSITIONS[self.message]:
            self.message = check_move(MESSAGE_TRANSITIONS, "m", self.message, to)
        else:
            with pytest.raises(InvalidInput):
                check_move(MESSAGE_TRANSITIONS, "m", self.message, to)

    @invariant()
    def nothing_leaves_a_final_state(self) -> None:
        # once published, always published; once post-incident, always post-incident
        assert self.sitrep in SITREP_TRANSITIONS
        assert self.phase is None or self.phase in PHASE_TRANSITIONS


TestWalk = Walk.TestCase
