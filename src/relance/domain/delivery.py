"""An SMS's delivery status: it only moves forward, whatever order reports arrive in.

A message is sent at most once. Once its request may have reached the gateway it never goes
back to the queue on its own: only evidence (a report, the gateway's log) moves it on, or a
person who checked decides that it was not sent.
"""

from enum import StrEnum

from relance.domain.errors import N_, InvalidInput


class Delivery(StrEnum):
    QUEUED = "queued"  # in the outbox, written with the decision
    SENDING = "sending"  # claimed by the dispatcher; the request is under way
    UNKNOWN = "unknown"  # the request may have reached the gateway: sent or not, nobody knows
    SUBMITTED = "submitted"  # the gateway took it
    ACCEPTED = "accepted"  # the operator's SMSC took it (report type 8)
    DELIVERED = "delivered"  # on the patient's phone (report type 1)
    FAILED = "failed"  # refused by the operator (report types 2, 16) or given up by the gateway
    UNCONFIRMED = "unconfirmed"  # no final report before the timeout: someone should check


class Verdict(StrEnum):
    """What a person who checked says about a message that may have been sent."""

    SENT = "sent"
    NOT_SENT = "not-sent"


D = Delivery
# Moves made on evidence, with no person deciding. SENDING -> QUEUED is the one step back: taken
# only when the gateway's answer proves nothing was sent (refused, or not reachable at all).
# Any sign that a message went out (a report, even for a queued message) moves it on, so that
# it is not sent again. UNCONFIRMED is provisional: a late final report still says what happened.
FORWARD: dict[Delivery, frozenset[Delivery]] = {
    D.QUEUED: frozenset({D.SENDING, D.ACCEPTED, D.DELIVERED, D.FAILED}),
    D.SENDING: frozenset({D.QUEUED, D.UNKNOWN, D.SUBMITTED, D.ACCEPTED, D.DELIVERED, D.FAILED}),
    D.UNKNOWN: frozenset({D.SUBMITTED, D.ACCEPTED, D.DELIVERED, D.FAILED}),
    D.SUBMITTED: frozenset({D.ACCEPTED, D.DELIVERED, D.FAILED, D.UNCONFIRMED}),
    D.ACCEPTED: frozenset({D.DELIVERED, D.FAILED, D.UNCONFIRMED}),
    D.UNCONFIRMED: frozenset({D.DELIVERED, D.FAILED}),
    D.DELIVERED: frozenset(),
    D.FAILED: frozenset(),
}

# A person's decision about a message that may have been sent: "not sent" puts it back in the
# queue (it will be sent), "sent" counts it as handed to the gateway.
SETTLED: dict[Verdict, Delivery] = {Verdict.SENT: D.SUBMITTED, Verdict.NOT_SENT: D.QUEUED}

# Kannel's report types (the dlr-mask bits)
REPORT_TYPES: dict[int, Delivery] = {1: D.DELIVERED, 2: D.FAILED, 8: D.ACCEPTED, 16: D.FAILED}


def moves(current: Delivery, reported: Delivery) -> bool:
    """True when evidence brings news; a late or repeated report changes nothing."""
    return reported in FORWARD[current]


def settle(current: Delivery, verdict: Verdict) -> Delivery:
    """The status a person's verdict gives; only a message that may have been sent is settled."""
    if current is not D.UNKNOWN:
        settled = N_(
            "it is {status}, not unknown: only a message that may have been sent is settled "
            "by a person"
        )
        raise InvalidInput(settled, status=current.value)
    return SETTLED[verdict]


def from_report(report_type: str) -> Delivery | None:
    """The status a Kannel report type means; None for types that bring no news (buffered)."""
    try:
        return REPORT_TYPES.get(int(report_type))
    except ValueError:
        raise InvalidInput(
            N_("report type {type} is not a number"), type=repr(report_type)
        ) from None
