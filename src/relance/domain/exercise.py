"""An exercise's script: the record's injects as they fall due, and the responses expected.

Pure data and rules; the importer reads them from the scenario's injects file, the app
applies them and compares what the players did.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter

LEAD = "exercice"  # the exercise lead: the actor of every inject in the audit trail


class InjectKind(StrEnum):
    ALERT = "alert"  # what the night staff or monitoring report
    FINDING = "finding"  # what technicians find on the machines
    PRESS = "press"  # a journalist calling, an article
    CLAIM = "claim"  # an extortion group's claim
    SITUATION = "situation"  # any other fact of the record


@dataclass(frozen=True)
class MachineMove:
    """A state change of the machines matching `where` (those that may move to `to`)."""

    where: AssetFilter
    to: AssetState


@dataclass(frozen=True)
class ClaimInject:
    group: str
    where: str
    volume: str
    deadline: timedelta | None


@dataclass(frozen=True)
class Inject:
    key: str
    at: datetime
    kind: InjectKind
    text: str  # French: the timeline entry
    source: str  # a seed file or a row of the notes
    moves: tuple[MachineMove, ...] = ()
    claim: ClaimInject | None = None


class Check(StrEnum):
    """What the players are expected to have done: each names the audit event that shows it."""

    DECLARED = "declared"  # the incident declared
    CONTAINMENT = "containment"  # the incident in its containment phase
    SMS_SENT = "sms_sent"  # an SMS handed to the gateway
    SITREP = "sitrep"  # a situation report approved
    PLAN = "plan"  # a restoration plan computed


@dataclass(frozen=True)
class Expected:
    key: str
    check: Check
    by: datetime  # the deadline the exercise sets
    text: str  # French: what is expected
    source: str
    record: datetime | None = None  # when the real cell did it, if the record says


@dataclass(frozen=True)
class Script:
    scenario: str
    start: datetime  # the exercise clock's start
    injects: tuple[Inject, ...]  # in the order they fall due
    expected: tuple[Expected, ...]
    file_name: str

    def due(self, now: datetime) -> tuple[Inject, ...]:
        return tuple(i for i in self.injects if i.at <= now)


class Verdict(StrEnum):
    MET = "met"
    LATE = "late"
    MISSING = "missing"


def verdict(expected: Expected, done_at: datetime | None) -> Verdict:
    if done_at is None:
        return Verdict.MISSING
    return Verdict.MET if done_at <= expected.by else Verdict.LATE
