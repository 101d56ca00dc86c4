"""The crisis cell's own records: incident phases, log entries, sitreps and messages.

Each status has one literal table of allowed moves and one check function, as for machines.
"""

import re
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from relance.domain.errors import N_, InvalidInput

SHA256 = re.compile(r"[0-9a-fA-F]{64}")
T = TypeVar("T", bound=StrEnum)


class Phase(StrEnum):
    """NIST SP 800-61 phases of the incident, in the crisis cell's order."""

    DETECTION = "detection"
    CONTAINMENT = "containment"
    ERADICATION = "eradication"
    RECOVERY = "recovery"
    POST_INCIDENT = "post_incident"

    @property
    def label(self) -> str:
        return _PHASE_LOOK[self][0]

    @property
    def colour(self) -> str:
        return _PHASE_LOOK[self][1]

    @property
    def entry_criteria(self) -> str:
        return _PHASE_LOOK[self][2]


def criteria_said(criteria: str, translate: Callable[[str], str]) -> str:
    """Entry criteria for a reader: a phase's own default (recorded in English when nobody typed
    any) in the reader's language, criteria a person typed as typed."""
    defaults = {look[2] for look in _PHASE_LOOK.values()}
    return translate(criteria) if criteria in defaults else criteria


P = Phase
_PHASE_LOOK: dict[Phase, tuple[str, str, str]] = {
    P.DETECTION: ("Detection", "#b71c1c", N_("an alert or a report is confirmed as an attack")),
    P.CONTAINMENT: (
        "Containment",
        "#e65100",
        N_("the attack is confirmed; the network is being cut"),
    ),
    P.ERADICATION: (
        "Eradication",
        "#f9a825",
        N_(
            "the network is isolated and forensic copies are kept; "
            "rebuilding from clean media starts"
        ),
    ),
    P.RECOVERY: (
        "Recovery",
        "#2e7d32",
        N_("clean infrastructure is back; services are redeployed to the care units"),
    ),
    P.POST_INCIDENT: (
        "Post-incident",
        "#1565c0",
        N_("care runs on restored systems; lessons learned and closing report"),
    ),
}

# Why the backward edges exist: a machine found infected again sends the cell back to
# containment from eradication or recovery. Post-incident is final: a new attack is a new incident.
PHASE_TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    P.DETECTION: frozenset({P.CONTAINMENT}),
    P.CONTAINMENT: frozenset({P.ERADICATION}),
    P.ERADICATION: frozenset({P.RECOVERY, P.CONTAINMENT}),
    P.RECOVERY: frozenset({P.POST_INCIDENT, P.CONTAINMENT}),
    P.POST_INCIDENT: frozenset(),
}


def check_phase(current: Phase | None, target: Phase) -> Phase:
    """`target` if the incident may enter it now; an incident starts in detection."""
    allowed = PHASE_TRANSITIONS[current] if current is not None else frozenset({P.DETECTION})
    if target not in allowed:
        names = ", ".join(p.value for p in Phase if p in allowed)
        if current is None:
            first = N_("cannot go from no phase to {target} (allowed: {allowed})")
            raise InvalidInput(first, allowed=names, target=target.value)
        if not names:
            final = N_("the incident is in {current}: no phase follows it")
            raise InvalidInput(final, current=current.value)
        move = N_("cannot go from {current} to {target} (allowed: {allowed})")
        raise InvalidInput(move, current=current.value, target=target.value, allowed=names)
    return target


class LogKind(StrEnum):
    """HICS 214 activity log entry types."""

    DECISION = "decision"
    SITUATION = "situation"
    ACTION = "action"
    REQUEST = "request"
    COMMUNICATION = "communication"


class Priority(StrEnum):
    ROUTINE = "routine"
    IMPORTANT = "important"
    URGENT = "urgent"


class Measure(StrEnum):
    """What a decision sets for the activities it links to (every site, or the sites it links
    to), in force until a later decision sets another measure on them; `lifted` ends it."""

    MAINTAINED = "maintained"  # runs: come as planned
    CANCELLED = "cancelled"  # planned appointments cancelled
    CANCELLED_BY_SMS = "cancelled_by_sms"  # cancelled, each patient told by SMS; a physician
    # may keep one and then calls the patient
    CASE_BY_CASE = "case_by_case"  # each patient called; kept or not case by case
    STOPPED = "stopped"  # the activity is stopped
    LIFTED = "lifted"  # back to normal: the measure in force ends


class SitrepState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


R = SitrepState
# approved -> draft: the approver withdraws before publication. Published is final: a
# correction is a new version.
SITREP_TRANSITIONS: dict[SitrepState, frozenset[SitrepState]] = {
    R.DRAFT: frozenset({R.APPROVED}),
    R.APPROVED: frozenset({R.PUBLISHED, R.DRAFT}),
    R.PUBLISHED: frozenset(),
}


class Audience(StrEnum):
    STAFF = "staff"
    CERT = "cert"  # the national CERT (CCB / CERT.be in Belgium)
    DPA = "dpa"  # the data-protection authority (APD/GBA), 72 hours for a breach
    POLICE = "police"
    PRESS = "press"
    PUBLIC = "public"


class MessageState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"


M = MessageState
MESSAGE_TRANSITIONS: dict[MessageState, frozenset[MessageState]] = {
    M.DRAFT: frozenset({M.APPROVED}),
    M.APPROVED: frozenset({M.SENT}),
    M.SENT: frozenset(),
}


def check_move(table: dict[T, frozenset[T]], what: str, current: T, target: T) -> T:
    """`target` if `table` allows the move, else a message naming what is allowed."""
    if target not in table[current]:
        names = ", ".join(s.value for s in table if s in table[current])
        if not names:
            final = N_("{what} is {current}: cannot make it {target} (allowed: none)")
            raise InvalidInput(final, what=what, current=current.value, target=target.value)
        move = N_("{what} is {current}: cannot make it {target} (allowed: {allowed})")
        raise InvalidInput(
            move, what=what, current=current.value, target=target.value, allowed=names
        )
    return target


def check_sha256(text: str) -> str:
    """A SHA-256 in lower case, or an error saying what is expected."""
    if not SHA256.fullmatch(text.strip()):
        raise InvalidInput(N_("--sha256 must be the 64 hexadecimal characters of a SHA-256"))
    return text.strip().lower()


def parse_choice(kind: type[T], text: str, option: str) -> T:
    """The member of `kind` named by `text` (any case), or an error listing the names."""
    try:
        return kind(text.strip().lower())
    except ValueError:
        names = ", ".join(m.value for m in kind)
        not_one = N_("{option} {value} is not one of: {names}")
        raise InvalidInput(not_one, option=option, value=repr(text), names=names) from None
