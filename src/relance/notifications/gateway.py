"""The SMS gateway as the dispatcher sees it: send one message, learn what became of it."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the gateway took it (Kannel: accepted or queued for delivery)
    NOT_SENT = "not-sent"  # the gateway refused it or could not be reached: nothing was sent
    UNKNOWN = "unknown"  # the request may have reached the gateway: it may have been sent


@dataclass(frozen=True)
class Outgoing:
    id: str  # our notification id, carried back by delivery reports
    to: str
    text: str


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    detail: str = ""  # the same words for the same cause, so that a summary can count them


class Gateway(Protocol):
    def send(self, message: Outgoing) -> SendResult: ...


class RecordingGateway:
    """A gateway for tests and dry runs: keeps what it was given, sends nothing."""

    def __init__(self, answer: Outcome | Callable[[Outgoing], Outcome] = Outcome.ACCEPTED) -> None:
        self.answer = answer
        self.sent: list[Outgoing] = []

    def send(self, message: Outgoing) -> SendResult:
        self.sent.append(message)
        outcome = self.answer(message) if callable(self.answer) else self.answer
        return SendResult(outcome, f"recorded as {outcome.value}")
