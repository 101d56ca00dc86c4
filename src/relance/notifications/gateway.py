"""The SMS gateway as the dispatcher sees it: send one message, learn whether it was taken."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the gateway took it (Kannel: accepted or queued for delivery)
    REJECTED = "rejected"  # the gateway refused it for good (bad number, bad credentials)
    UNREACHABLE = "unreachable"  # nothing was handed over: safe to try again later


@dataclass(frozen=True)
class Outgoing:
    id: str  # our notification id, carried back by delivery reports
    to: str
    text: str


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    detail: str = ""


class Gateway(Protocol):
    def send(self, message: Outgoing) -> SendResult: ...


class RecordingGateway:
    """A gateway for tests and dry runs: keeps what it was given, sends nothing."""

    def __init__(self, outcome: Outcome = Outcome.ACCEPTED) -> None:
        self.outcome = outcome
        self.sent: list[Outgoing] = []

    def send(self, message: Outgoing) -> SendResult:
        self.sent.append(message)
        return SendResult(self.outcome, "recorded")
