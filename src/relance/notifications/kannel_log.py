"""Kannel's own record of what left: bearerbox's access log, read to settle messages in doubt.

The dispatcher puts each message's id in Kannel's `account` field, and bearerbox writes it in
its access log (`[ACT:...]`, in the default format) on the line that says what became of the
SMS: `Sent SMS` when the operator's SMSC took it, `FAILED Send SMS`, `REJECTED ...`,
`DISCARDED SMS` or `EXPIRED SMS` when Kannel gave up on it. Reports (`... DLR`) carry no account.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from relance.domain.errors import N_, InvalidInput
from relance.domain.os_errors import os_reason

# The time, the event up to the first bracket, and the account anywhere after it, as in
# 2026-11-27 17:25:53 Sent SMS [SMSC:FAKE] [SVC:relance] [ACT:0f3c...] [BINF:] ...
LINE = re.compile(
    r"^(?P<when>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?P<event>[^\[]+?) (?=\[).*?\[ACT:(?P<id>[^\]]+)\]"
)
GAVE_UP = ("FAILED Send SMS", "DISCARDED SMS", "EXPIRED SMS")


class Fate(StrEnum):
    SENT = "sent"  # the operator's SMSC took it
    GAVE_UP = "gave-up"  # Kannel failed, rejected, discarded or let it expire: not sent


@dataclass(frozen=True)
class Trace:
    fate: Fate
    when: str  # as the log writes it (Kannel's access-log-time: local time by default)
    where: str  # file:line, to look at it


def fate(event: str) -> Fate | None:
    if event == "Sent SMS":
        return Fate.SENT
    if event in GAVE_UP or (event.startswith("REJECTED") and event.endswith(" SMS")):
        return Fate.GAVE_UP
    return None  # received messages, reports: nothing about what we sent


def _keep(old: Trace | None, new: Trace) -> Trace:
    """The first line found, unless a later one says it was sent: a part of a long SMS may have
    failed while another went out, and then the patient got something."""
    return new if old is None or (new.fate is Fate.SENT and old.fate is not Fate.SENT) else old


def traces(lines: Iterable[str], source: str, wanted: set[str]) -> dict[str, Trace]:
    """What the log says of each wanted message id."""
    found: dict[str, Trace] = {}
    for number, line in enumerate(lines, start=1):
        match = LINE.match(line)
        what = fate(match["event"]) if match and match["id"] in wanted else None
        if match and what:
            found[match["id"]] = _keep(
                found.get(match["id"]), Trace(what, match["when"], f"{source}:{number}")
            )
    return found


def read_traces(paths: list[Path], wanted: set[str]) -> dict[str, Trace]:
    """Every file in order (an older, rotated log first); a file that is not bearerbox's access
    log is refused with what to give instead."""
    found: dict[str, Trace] = {}
    for path in paths:
        try:
            with path.open(encoding="utf-8", errors="replace") as handle:
                head = handle.read(64_000)
                handle.seek(0)
                if "send-SMS request" in head and "[ACT:" not in head:
                    smsbox = N_(
                        "{path}: this is smsbox's access log; give bearerbox's "
                        "(access-log in Kannel's core group)"
                    )
                    raise InvalidInput(smsbox, path=str(path))
                for key, trace in traces(handle, path.name, wanted).items():
                    found[key] = _keep(found.get(key), trace)
        except OSError as error:
            unread = N_("cannot read Kannel's access log {path}: {error}")
            raise InvalidInput(unread, path=str(path), error=os_reason(error)) from None
    return found
