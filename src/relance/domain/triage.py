"""Appointment triage: rules are data (YAML), the first rule that matches decides.

One rule is not data: an emergency is never cancelled. Whatever a rules file says, a cancel
of an emergency appointment becomes a review by a physician.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from relance.domain.functioning import Functioning

NEVER_CANCELLED = frozenset({"emergency"})
ESSENTIAL_PATHWAYS = frozenset({"pregnancy", "chemotherapy", "oncology", "diabetology", "plaster"})


class Decision(StrEnum):
    MAINTAIN = "maintain"
    CANCEL = "cancel"
    REVIEW = "review"  # a physician decides, case by case
    RESCHEDULE = "reschedule"
    PHONE = "phone"  # the physician or the secretariat phones the patient

    @property
    def tells_the_patient(self) -> bool:
        """Decisions an SMS announces; a review waits for the physician, a phone call is made."""
        return self in (Decision.MAINTAIN, Decision.CANCEL, Decision.RESCHEDULE)


@dataclass(frozen=True)
class Condition:
    """Empty fields match everything; all given fields must match."""

    activities: frozenset[str] = frozenset()
    pathways: frozenset[str] = frozenset()
    functioning: frozenset[Functioning] = frozenset()
    capacity_below: int | None = None

    def matches(self, facts: "AppointmentFacts") -> bool:
        return (
            (not self.activities or facts.activity in self.activities)
            and (not self.pathways or facts.pathway in self.pathways)
            and (not self.functioning or facts.functioning in self.functioning)
            and (self.capacity_below is None or facts.capacity < self.capacity_below)
        )


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    decide: Decision


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str  # name, version and digest of the file: recorded with every decision
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class AppointmentFacts:
    activity: str
    pathway: str
    functioning: Functioning  # of the activity at the appointment's site on its date
    capacity: int


SAFETY_RULE = "safety: an emergency is never cancelled"
NO_RULE = "no rule matched"


def triage(facts: AppointmentFacts, rules: Sequence[Rule]) -> tuple[Decision, str]:
    """(decision, id of the rule that made it). No match means a physician reviews it."""
    for rule in rules:
        if rule.when.matches(facts):
            if rule.decide is Decision.CANCEL and facts.activity in NEVER_CANCELLED:
                return Decision.REVIEW, SAFETY_RULE
            return rule.decide, rule.id
    return Decision.REVIEW, NO_RULE
