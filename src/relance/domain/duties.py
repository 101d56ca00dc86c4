"""The legal duties an incident sets running, their deadlines, and their one status table.

A Belgian hospital is an essential entity under the NIS2 law of 26 April 2024: for a significant
incident it owes the CCB an early warning within 24 hours of becoming aware of it, an incident
notification within 72 hours, and a final report no later than one month after the notification.
If personal data may have leaked, GDPR article 33 adds a notification to the data-protection
authority (APD/GBA) within 72 hours. docs/duties.md cites the texts.

Hours are elapsed time (24 hours across a change to summer time are 24 real hours, not a day on
the wall clock); a month is on the crisis cell's calendar (14 May 10:00 -> 14 June 10:00, 31 May
-> 30 June), in its time zone.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from relance.domain.errors import InvalidInput


def N_(message: str) -> str:  # noqa: N802 - the gettext marker, found by the extractor
    """A message of the catalogue (the domain imports no i18n): translated where it is shown."""
    return message


ALARM_BEFORE = timedelta(hours=6)  # the banner and `relance duties --check` go off this early


class AwarenessSource(StrEnum):
    """Where the moment the cell became aware of the attack comes from (worded when read)."""

    CORRECTED = "corrected"  # set by hand, with who and why (relance duties aware)
    CONFIRMED = "confirmed"  # the incident's confirmation, at its declaration
    CONTAINMENT = "containment"  # the containment phase's start: the attack was confirmed


class DutyStatus(StrEnum):
    TO_DO = "to_do"
    DRAFTED = "drafted"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def done(self) -> bool:
        """Nothing left to do: the alarm stays silent."""
        return self in (DutyStatus.SUBMITTED, DutyStatus.NOT_APPLICABLE)


S = DutyStatus
_STATUS_LABELS = {
    S.TO_DO: N_("to do"),
    S.DRAFTED: N_("drafted"),
    S.APPROVED: N_("approved"),
    S.SUBMITTED: N_("submitted"),
    S.NOT_APPLICABLE: N_("not applicable"),
}

# approved -> drafted: the approver withdraws before submission. Not applicable -> to do: the
# cell learns more (data did leak after all). Submitted is final: a correction is a new duty.
DUTY_TRANSITIONS: dict[DutyStatus, frozenset[DutyStatus]] = {
    S.TO_DO: frozenset({S.DRAFTED, S.NOT_APPLICABLE}),
    S.DRAFTED: frozenset({S.APPROVED, S.NOT_APPLICABLE}),
    S.APPROVED: frozenset({S.SUBMITTED, S.DRAFTED}),
    S.SUBMITTED: frozenset(),
    S.NOT_APPLICABLE: frozenset({S.TO_DO}),
}


class Anchor(StrEnum):
    """What a duty's deadline counts from."""

    AWARE = "aware"  # the moment the cell became aware of the incident
    NOTIFICATION = "notification"  # the submission of the NIS2 incident notification
    FIXED = "fixed"  # a deadline the cell typed (an authority's request, a police appointment)


@dataclass(frozen=True)
class DutyKind:
    """A duty the law sets for every incident of this kind, with how its deadline is counted."""

    key: str
    title: str  # a message of the catalogue (English): shown in the reader's language
    authority: str
    basis: str  # the text that sets it
    anchor: Anchor
    hours: int = 0
    months: int = 0


NIS2_EARLY_WARNING = DutyKind(
    "nis2_early_warning",
    N_("NIS2: early warning to the CCB"),
    "CCB",
    "loi NIS2 du 26 avril 2024 ; directive (UE) 2022/2555, art. 23.4.a",
    Anchor.AWARE,
    hours=24,
)
NIS2_NOTIFICATION = DutyKind(
    "nis2_notification",
    N_("NIS2: incident notification to the CCB"),
    "CCB",
    "loi NIS2 du 26 avril 2024 ; directive (UE) 2022/2555, art. 23.4.b",
    Anchor.AWARE,
    hours=72,
)
NIS2_FINAL_REPORT = DutyKind(
    "nis2_final_report",
    N_("NIS2: final report to the CCB"),
    "CCB",
    "loi NIS2 du 26 avril 2024 ; directive (UE) 2022/2555, art. 23.4.d",
    Anchor.NOTIFICATION,
    months=1,
)
GDPR_DPA = DutyKind(
    "gdpr_dpa",
    N_("GDPR: notification of the data breach to the APD/GBA"),
    "APD/GBA",
    "RGPD, art. 33",
    Anchor.AWARE,
    hours=72,
)
STANDARD_DUTIES: tuple[DutyKind, ...] = (
    NIS2_EARLY_WARNING,
    NIS2_NOTIFICATION,
    NIS2_FINAL_REPORT,
    GDPR_DPA,
)
STANDARD_KEYS = frozenset(d.key for d in STANDARD_DUTIES)


def after_hours(start: datetime, hours: int) -> datetime:
    """`hours` of elapsed time after `start` (counted in UTC: a DST change adds or removes none)."""
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


def after_months(start: datetime, months: int, zone: ZoneInfo) -> datetime:
    """The same wall time `months` later on the calendar of `zone`, on the month's last day
    when it is shorter; a wall time that does not exist that day (the spring change) is read
    with the offset before the change, that is an hour later on the clock."""
    local = start.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    moved = local.replace(year=year, month=month, day=day, fold=0)
    return moved.astimezone(UTC).astimezone(zone)


def due_at(
    kind: DutyKind, aware: datetime, notification: datetime | None, zone: ZoneInfo
) -> datetime:
    """The deadline of a standard duty: from awareness, or from the notification (its
    submission, or its own deadline while it is not submitted)."""
    if kind.anchor is Anchor.AWARE:
        return after_hours(aware, kind.hours).astimezone(zone)
    start = notification or after_hours(aware, NIS2_NOTIFICATION.hours)
    return after_months(start, kind.months, zone)


class Urgency(StrEnum):
    DONE = "done"
    ON_TIME = "on_time"
    ALARM = "alarm"  # less than ALARM_BEFORE left
    OVERDUE = "overdue"


def urgency(status: DutyStatus, due: datetime, now: datetime) -> Urgency:
    if status.done:
        return Urgency.DONE
    if now >= due:
        return Urgency.OVERDUE
    return Urgency.ALARM if due - now <= ALARM_BEFORE else Urgency.ON_TIME


def check_duty_move(current: DutyStatus, target: DutyStatus) -> DutyStatus:
    if target not in DUTY_TRANSITIONS[current]:
        names = ", ".join(s.value for s in DUTY_TRANSITIONS[current])
        if not names:
            final = N_("the duty is {current}: cannot make it {target} (allowed: none)")
            raise InvalidInput(final, current=current.value, target=target.value)
        move = N_("the duty is {current}: cannot make it {target} (allowed: {allowed})")
        raise InvalidInput(move, current=current.value, target=target.value, allowed=names)
    return target


@dataclass(frozen=True)
class DutyOutcome:
    """Whether a duty was met: what the after-action review says of it."""

    key: str
    title: str  # a standard duty's: a message of the catalogue; an added one's: as typed
    due_at: datetime
    submitted_at: datetime | None
    status: str  # a DutyStatus value

    @property
    def late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at


class ClaimStatus(StrEnum):
    """An extortion claim on a leak site: live, its deadline passed, or taken down."""

    LIVE = "live"
    EXPIRED = "expired"
    REMOVED = "removed"


CLAIM_TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.LIVE: frozenset({ClaimStatus.EXPIRED, ClaimStatus.REMOVED}),
    ClaimStatus.EXPIRED: frozenset({ClaimStatus.REMOVED, ClaimStatus.LIVE}),
    ClaimStatus.REMOVED: frozenset({ClaimStatus.LIVE}),  # the group puts it back
}
