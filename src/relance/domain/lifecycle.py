"""The path of every machine from compromised to redeployed: one table, one transition()."""

import re
from enum import StrEnum

from relance.domain.errors import N_, IllegalTransition, Word, Words


class AssetState(StrEnum):
    """Lifecycle state of a machine; its label and colour travel with it."""

    COMPROMISED = "compromised"
    ISOLATED = "isolated"
    IMAGED = "imaged"
    REIMAGED = "reimaged"
    VALIDATED = "validated"
    CLEAN_ZONE = "clean_zone"
    REDEPLOYED = "redeployed"
    DECOMMISSIONED = "decommissioned"

    @property
    def label(self) -> str:
        return _LOOK[self][0]

    @property
    def colour(self) -> str:
        return _LOOK[self][1]


S = AssetState
SHA256 = re.compile(r"[0-9a-fA-F]{64}")
NEEDS_EVIDENCE = frozenset({S.IMAGED})  # the forensic copy's SHA-256

# Why each edge exists:
# - isolated -> reimaged: the forensic team images a sample, not 1,500 workstations;
#   the others are wiped without a copy on the crisis cell's decision.
# - reimaged/validated/clean_zone/redeployed -> compromised: a scan or the EDR finds the
#   machine infected again; it goes back to the start of the path.
# - any live state -> decommissioned: the machine is scrapped or replaced.
ALLOWED_TRANSITIONS: dict[AssetState, frozenset[AssetState]] = {
    S.COMPROMISED: frozenset({S.ISOLATED, S.DECOMMISSIONED}),
    S.ISOLATED: frozenset({S.IMAGED, S.REIMAGED, S.DECOMMISSIONED}),
    S.IMAGED: frozenset({S.REIMAGED, S.DECOMMISSIONED}),
    S.REIMAGED: frozenset({S.VALIDATED, S.COMPROMISED, S.DECOMMISSIONED}),
    S.VALIDATED: frozenset({S.CLEAN_ZONE, S.COMPROMISED, S.DECOMMISSIONED}),
    S.CLEAN_ZONE: frozenset({S.REDEPLOYED, S.COMPROMISED, S.DECOMMISSIONED}),
    S.REDEPLOYED: frozenset({S.COMPROMISED, S.DECOMMISSIONED}),
    S.DECOMMISSIONED: frozenset(),
}

_LOOK: dict[AssetState, tuple[str, str]] = {
    S.COMPROMISED: ("Compromised", "#b71c1c"),
    S.ISOLATED: ("Isolated", "#e65100"),
    S.IMAGED: ("Imaged (forensic copy kept)", "#f9a825"),
    S.REIMAGED: ("Reimaged", "#9e9d24"),
    S.VALIDATED: ("Validated (scanned clean)", "#558b2f"),
    S.CLEAN_ZONE: ("In the clean zone", "#2e7d32"),
    S.REDEPLOYED: ("Redeployed", "#1565c0"),
    S.DECOMMISSIONED: ("Decommissioned", "#616161"),
}

# The order of the recovery path, used to sort and to count progress.
PATH: tuple[AssetState, ...] = (
    S.COMPROMISED,
    S.ISOLATED,
    S.IMAGED,
    S.REIMAGED,
    S.VALIDATED,
    S.CLEAN_ZONE,
    S.REDEPLOYED,
    S.DECOMMISSIONED,
)


def parse_state(text: str) -> AssetState:
    """The state named by `text` (its value, any case), or an error listing the valid names."""
    try:
        return AssetState(text.strip().lower())
    except ValueError:
        names = ", ".join(state.value for state in PATH)  # the names one types: not translated
        unknown = N_("unknown lifecycle state {text} (one of: {names})")
        raise IllegalTransition(unknown, text=repr(text), names=names) from None


def next_states(current: AssetState) -> tuple[AssetState, ...]:
    """The states a machine may go to from `current`, in the order of the path."""
    return tuple(s for s in PATH if s in ALLOWED_TRANSITIONS[current])


def check_transition(
    current: AssetState, target: AssetState, evidence: str | None = None
) -> AssetState:
    """Return `target` if the move is allowed, else raise an error saying what is allowed.

    Imaging keeps a forensic copy: its evidence reference (the image's SHA-256) is mandatory.
    """
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = next_states(current)
        raise IllegalTransition(
            N_("cannot go from {before} to {after} (allowed: {allowed})"),
            before=Word(current.label),
            after=Word(target.label),
            allowed=Words(Word(s.label) for s in allowed) if allowed else Word(N_("none")),
        )
    if target in NEEDS_EVIDENCE and not (evidence and SHA256.fullmatch(evidence)):
        raise IllegalTransition(
            N_(
                "imaged needs the SHA-256 of the forensic copy (64 hexadecimal characters) "
                "as evidence"
            )
        )
    return target


# Share of a machine's rebuild effort still to do in each state, for planning: reimaging is
# most of the work; validation, the clean-zone move and redeployment the rest.
REMAINING_WORK: dict[AssetState, float] = {
    S.COMPROMISED: 1.0,
    S.ISOLATED: 1.0,
    S.IMAGED: 1.0,
    S.REIMAGED: 0.4,
    S.VALIDATED: 0.25,
    S.CLEAN_ZONE: 0.1,
    S.REDEPLOYED: 0.0,
    S.DECOMMISSIONED: 0.0,
}
