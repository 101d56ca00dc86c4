"""An SMS's delivery status: it only moves forward, whatever order reports arrive in."""

from enum import StrEnum

from relance.domain.errors import InvalidInput


class Delivery(StrEnum):
    QUEUED = "queued"  # in the outbox, written with the decision
    SENDING = "sending"  # claimed by the dispatcher; the request may be under way
    SUBMITTED = "submitted"  # the gateway took it
    ACCEPTED = "accepted"  # the operator's SMSC took it (report type 8)
    DELIVERED = "delivered"  # on the patient's phone (report type 1)
    FAILED = "failed"  # refused by the gateway or the operator (report types 2, 16)
    UNCONFIRMED = "unconfirmed"  # no final report before the timeout: someone should check


D = Delivery
# SENDING -> QUEUED is the one step back: taken only when nothing reached the gateway (it was
# unreachable), or when no report came for a claim left by a dispatcher that died.
# UNCONFIRMED is provisional: a late final report still says what happened.
FORWARD: dict[Delivery, frozenset[Delivery]] = {
    D.QUEUED: frozenset({D.SENDING}),
    D.SENDING: frozenset({D.QUEUED, D.SUBMITTED, D.ACCEPTED, D.DELIVERED, D.FAILED}),
    D.SUBMITTED: frozenset({D.ACCEPTED, D.DELIVERED, D.FAILED, D.UNCONFIRMED}),
    D.ACCEPTED: frozenset({D.DELIVERED, D.FAILED, D.UNCONFIRMED}),
    D.UNCONFIRMED: frozenset({D.DELIVERED, D.FAILED}),
    D.DELIVERED: frozenset(),
    D.FAILED: frozenset(),
}

# Kannel's report types (the dlr-mask bits)
REPORT_TYPES: dict[int, Delivery] = {1: D.DELIVERED, 2: D.FAILED, 8: D.ACCEPTED, 16: D.FAILED}


def moves(current: Delivery, reported: Delivery) -> bool:
    """True when a report brings news; a late or repeated report changes nothing."""
    return reported in FORWARD[current]


def from_report(report_type: str) -> Delivery | None:
    """The status a Kannel report type means; None for types that bring no news (buffered)."""
    try:
        return REPORT_TYPES.get(int(report_type))
    except ValueError:
        raise InvalidInput(f"report type {report_type!r} is not a number") from None
