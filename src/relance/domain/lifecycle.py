"""The path of every machine from compromised to redeployed: one table, one transition()."""

import re
from enum import StrEnum

from relance.domain.errors import IllegalTransition


class AssetState(StrEnum):
    """Lifecycle state of a machine; value, label and colour travel together."""

    label: str
    colour: str

    def __new__(cls, value: str, label: str, colour: str) -> "AssetState":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.colour = colour
        return member

    COMPROMISED = ("compromised", "Compromised", "#b71c1c")
    ISOLATED = ("isolated", "Isolated", "#e65100")
    IMAGED = ("imaged", "Imaged (forensic copy kept)", "#f9a825")
    REIMAGED = ("reimaged", "Reimaged", "#9e9d24")
    VALIDATED = ("validated", "Validated (scanned clean)", "#558b2f")
    CLEAN_ZONE = ("clean_zone", "In the clean zone", "#2e7d32")
    REDEPLOYED = ("redeployed", "Redeployed", "#1565c0")
    DECOMMISSIONED = ("decommissioned", "Decommissioned", "#616161")


S = AssetState
SHA256 = re.compile(r"[0-9a-fA-F]{64}")

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
        names = ", ".join(state.value for state in PATH)
        raise IllegalTransition(f"unknown lifecycle state {text!r} (one of: {names})") from None


def check_transition(
    current: AssetState, target: AssetState, evidence: str | None = None
) -> AssetState:
    """Return `target` if the move is allowed, else raise an error saying what is allowed.

    Imaging keeps a forensic copy: its evidence reference (the image's SHA-256) is mandatory.
    """
    if target not in ALLOWED_TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in PATH if s in ALLOWED_TRANSITIONS[current])
        raise IllegalTransition(
            f"cannot go from {current.value} to {target.value} (allowed: {allowed or 'none'})"
        )
    if target is S.IMAGED and not (evidence and SHA256.fullmatch(evidence)):
        raise IllegalTransition(
            "imaged needs the SHA-256 of the forensic copy (64 hexadecimal characters) as evidence"
        )
    return target
