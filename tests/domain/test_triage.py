"""Triage rules: first match decides; an emergency is never cancelled, whatever the rules say."""

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.functioning import Functioning
from relance.domain.triage import (
    NO_RULE,
    SAFETY_RULE,
    AppointmentFacts,
    Condition,
    Decision,
    Rule,
    triage,
)
from relance.importers.triage_rules import default_rules

ACTIVITIES = ("emergency", "consultations", "surgery", "blood_sampling", "radiology", "labs")
PATHWAYS = ("routine", "pregnancy", "chemotherapy", "oncology", "diabetology", "plaster")
facts = st.builds(
    AppointmentFacts,
    st.sampled_from(ACTIVITIES),
    st.sampled_from(PATHWAYS),
    st.sampled_from(list(Functioning)),
    st.integers(0, 100),
)
rules = st.lists(
    st.builds(
        Rule,
        st.text(min_size=1, max_size=5),
        st.builds(
            Condition,
            st.frozensets(st.sampled_from(ACTIVITIES), max_size=2),
            st.frozensets(st.sampled_from(PATHWAYS), max_size=2),
            st.frozensets(st.sampled_from(list(Functioning)), max_size=2),
            st.none() | st.integers(1, 100),
        ),
        st.sampled_from(list(Decision)),
    ),
    max_size=6,
)


@given(facts, rules)
def test_an_emergency_is_never_cancelled(
    appointment: AppointmentFacts, rule_list: list[Rule]
) -> None:
    decision, rule = triage(appointment, rule_list)
    if appointment.activity == "emergency":
        assert decision is not Decision.CANCEL
    if rule == SAFETY_RULE:
        assert decision is Decision.REVIEW


@given(facts, rules)
def test_the_first_matching_rule_decides(
    appointment: AppointmentFacts, rule_list: list[Rule]
) -> None:
    decision, rule = triage(appointment, rule_list)
    matching = [r for r in rule_list if r.when.matches(appointment)]
    if not matching:
        assert (decision, rule) == (Decision.REVIEW, NO_RULE)
    elif rule != SAFETY_RULE:
        assert (decision, rule) == (matching[0].decide, matching[0].id)


@given(facts)
def test_the_shipped_rules_follow_the_vivalia_cell(appointment: AppointmentFacts) -> None:
    decision, _ = triage(appointment, default_rules().rules)
    if appointment.activity in ("emergency", "blood_sampling"):
        assert decision is Decision.MAINTAIN
    elif appointment.pathway != "routine" and appointment.functioning is not Functioning.FULLY:
        assert decision is Decision.REVIEW  # essential follow-ups: a physician confirms each
    elif appointment.functioning is Functioning.FULLY:
        assert decision is Decision.MAINTAIN
    elif appointment.activity == "surgery":
        assert decision is Decision.REVIEW
    elif appointment.functioning is Functioning.NOT:
        assert decision is Decision.CANCEL
