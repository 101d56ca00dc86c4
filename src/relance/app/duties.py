"""The legal duties register: what the hospital owes the authorities, by when, and how far it is.

Deadlines count from the moment the cell became aware of the incident: the confirmation of the
attack recorded at its declaration, else its entry into containment (whose criteria say the
attack is confirmed), unless a person corrected it with a reason. Every change is one audit row.
"""

import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from relance.app import access
from relance.app.approval import check_four_eyes
from relance.app.context import Context
from relance.app.incident import audit, current_incident, event_time
from relance.domain.audit_events import EventType
from relance.domain.duties import (
    NIS2_NOTIFICATION,
    STANDARD_DUTIES,
    STANDARD_KEYS,
    AwarenessSource,
    DutyKind,
    DutyOutcome,
    DutyStatus,
    Urgency,
    check_duty_move,
    due_at,
    urgency,
)
from relance.domain.errors import N_, InvalidInput
from relance.domain.incident import Phase
from relance.domain.roles import Permission
from relance.domain.text import checked_name, checked_text
from relance.storage import duty_store, incident_store
from relance.storage.database import UnitOfWork
from relance.storage.duty_store import AwareClock, Claim, DutyRecord
from relance.storage.incident_store import Incident

P = Permission
S = DutyStatus
KEY = re.compile(r"[a-z][a-z0-9_]{1,39}")
MOVE_EVENTS = {
    S.TO_DO: EventType.DUTY_REOPENED,
    S.DRAFTED: EventType.DUTY_DRAFTED,
    S.APPROVED: EventType.DUTY_APPROVED,
    S.SUBMITTED: EventType.DUTY_SUBMITTED,
    S.NOT_APPLICABLE: EventType.DUTY_NOT_APPLICABLE,
}


def cell_zone() -> ZoneInfo:
    """The crisis cell's time zone (RELANCE_TIMEZONE): a month is counted on its calendar."""
    name = os.environ.get("RELANCE_TIMEZONE", "Europe/Brussels")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = N_("RELANCE_TIMEZONE={name} is not a known time zone (for example Europe/Brussels)")
        raise InvalidInput(zone, name=repr(name)) from None


@dataclass(frozen=True)
class Awareness:
    at: datetime
    source: AwarenessSource  # a code: each reader words it in its own language
    set_by: str = ""  # a corrected moment's author and reason, as they were typed
    reason: str = ""


@dataclass(frozen=True)
class Duty:
    key: str
    title: str
    authority: str
    basis: str
    due_at: datetime | None  # None: the cell is not aware of the incident yet
    provisional: bool  # counted from the notification's deadline: it is not submitted yet
    status: DutyStatus
    urgency: Urgency
    left: timedelta | None  # negative: overdue
    officer: str
    reference: str
    submitted_at: datetime | None
    reason: str
    updated_by: str
    standard: bool


@dataclass(frozen=True)
class Register:
    awareness: Awareness | None
    duties: list[Duty]
    claims: list[Claim]  # what the GDPR assessment weighs: data said to be stolen
    now: datetime

    @property
    def alarms(self) -> list[Duty]:
        """The duties due within the alarm's margin or overdue, soonest first."""
        late = [d for d in self.duties if d.urgency in (Urgency.ALARM, Urgency.OVERDUE)]
        return sorted(late, key=lambda d: d.due_at or self.now)


def awareness(uow: UnitOfWork, found: Incident) -> Awareness | None:
    clock = duty_store.clock(uow, found.id)
    if clock is not None:
        return Awareness(clock.aware_at, AwarenessSource.CORRECTED, clock.set_by, clock.reason)
    if found.confirmed_at is not None:
        return Awareness(found.confirmed_at, AwarenessSource.CONFIRMED)
    for entry in incident_store.phases(uow, found.id):
        if entry.phase == Phase.CONTAINMENT.value:
            return Awareness(entry.entered_at, AwarenessSource.CONTAINMENT)
    return None


def duty_register(uow: UnitOfWork, ctx: Context) -> Register:
    """Every duty of the incident with its deadline and the time left, soonest first."""
    access.duties(ctx)
    found = current_incident(uow)
    aware = awareness(uow, found)
    zone, now = cell_zone(), ctx.clock.now()
    records = {r.key: r for r in duty_store.duties(uow, found.id)}
    notified = records.get(NIS2_NOTIFICATION.key)
    sent = notified.submitted_at if notified is not None else None
    duties = [
        _standard(k, records.get(k.key), aware=aware, notified=sent, zone=zone, now=now)
        for k in STANDARD_DUTIES
    ]
    duties += [_added(r, now) for r in records.values() if r.key not in STANDARD_KEYS]
    duties.sort(key=lambda d: (d.due_at is None, d.due_at or now, d.key))
    return Register(aware, duties, duty_store.claims(uow), now)


def _standard(
    kind: DutyKind,
    record: DutyRecord | None,
    *,
    aware: Awareness | None,
    notified: datetime | None,
    zone: ZoneInfo,
    now: datetime,
) -> Duty:
    due = due_at(kind, aware.at, notified, zone) if aware is not None else None
    status = S(record.status) if record is not None else S.TO_DO
    return Duty(
        kind.key,
        kind.title,
        kind.authority,
        kind.basis,
        due,
        kind.key == "nis2_final_report" and notified is None,
        status,
        urgency(status, due, now) if due is not None else Urgency.ON_TIME,
        due - now if due is not None else None,
        record.officer if record else "",
        record.reference if record else "",
        record.submitted_at if record else None,
        record.reason if record else "",
        record.updated_by if record else "",
        standard=True,
    )


def _added(record: DutyRecord, now: datetime) -> Duty:
    status = S(record.status)
    due = record.due_at
    return Duty(
        record.key,
        record.title,
        record.authority,
        record.basis,
        due,
        False,
        status,
        urgency(status, due, now) if due is not None else Urgency.ON_TIME,
        due - now if due is not None else None,
        record.officer,
        record.reference,
        record.submitted_at,
        record.reason,
        record.updated_by,
        standard=False,
    )


def alarms(uow: UnitOfWork, ctx: Context) -> list[Duty]:
    """What `relance duties --check` and the banner of every page warn about."""
    return duty_register(uow, ctx).alarms


def set_awareness(uow: UnitOfWork, ctx: Context, at: datetime, reason: str) -> Awareness:
    """Correct when the cell became aware of the incident: every deadline moves with it."""
    access.manage_duties(ctx)
    found = current_incident(uow, for_update=True)
    reason = checked_text(reason, N_("the reason (--reason)"))
    if not reason:
        raise InvalidInput(N_("moving the legal deadlines needs a reason (--reason)"))
    when = event_time(ctx, at, N_("awareness"))
    if when < found.detected_at:
        earlier = N_(
            "the incident was detected at {at}: the cell cannot have become aware of it earlier"
        )
        raise InvalidInput(earlier, at=found.detected_at.isoformat())
    before = awareness(uow, found)
    duty_store.set_clock(uow, found.id, AwareClock(when, reason, ctx.actor))
    audit(
        uow,
        ctx,
        EventType.AWARENESS_SET,
        ("incident", str(found.id)),
        ctx.clock.now(),
        before={"aware_at": before.at.isoformat()} if before else None,
        after={"aware_at": when.isoformat()},
        reason=reason,
    )
    return Awareness(when, AwarenessSource.CORRECTED, ctx.actor, reason)


def add_duty(
    uow: UnitOfWork,
    ctx: Context,
    *,
    key: str,
    title: str,
    authority: str,
    due: datetime,
    basis: str = "",
) -> Duty:
    """A duty the law sets for this incident only, or an authority's request (an intermediate
    report for the CCB, a complaint to the police, telling the patients under GDPR art. 34)."""
    access.manage_duties(ctx)
    found = current_incident(uow, for_update=True)
    key = key.strip().lower()
    if not KEY.fullmatch(key):
        bad_key = N_(
            "duty key {key}: 2 to 40 lower-case letters, digits or _, starting with a letter"
        )
        raise InvalidInput(bad_key, key=repr(key))
    if key in STANDARD_KEYS or any(r.key == key for r in duty_store.duties(uow, found.id)):
        raise InvalidInput(N_("the register already has a duty {key}"), key=key)
    if due.tzinfo is None:
        raise InvalidInput(N_("the deadline needs a timezone"))
    now = ctx.clock.now()
    record = DutyRecord(
        key,
        checked_name(title, N_("the duty's title (--title)"), required=True),
        checked_name(authority, N_("the authority (--authority)"), required=True),
        checked_text(basis, N_("the legal basis (--basis)")),
        due,
        S.TO_DO.value,
        "",
        "",
        None,
        "",
        ctx.actor,
        now,
    )
    duty_store.save_duty(uow, found.id, record)
    audit(
        uow,
        ctx,
        EventType.DUTY_ADDED,
        ("duty", key),
        now,
        after={"title": record.title, "authority": record.authority, "due_at": due.isoformat()},
        reason=record.basis,
    )
    return _added(record, now)


def name_officer(uow: UnitOfWork, ctx: Context, key: str, officer: str) -> Duty:
    """Name who drafts and submits a duty (the data-protection officer for the GDPR one)."""
    access.manage_duties(ctx)
    found = current_incident(uow, for_update=True)
    record = _record(uow, found.id, key, ctx.clock.now())
    officer = checked_name(officer, N_("the officer (--to)"), required=True)
    saved = replace(record, officer=officer)
    duty_store.save_duty(uow, found.id, saved)
    audit(
        uow,
        ctx,
        EventType.DUTY_OFFICER_NAMED,
        ("duty", record.key),
        ctx.clock.now(),
        before={"officer": record.officer} if record.officer else None,
        after={"officer": officer},
    )
    return _view(uow, ctx, record.key)


def move_duty(
    uow: UnitOfWork,
    ctx: Context,
    key: str,
    target: DutyStatus,
    *,
    reference: str = "",
    at: datetime | None = None,
    reason: str = "",
) -> Duty:
    """The one path of a duty's status: drafted, approved (by another person than the
    drafter), submitted with the authority's reference and time, or not applicable with a
    reason; back to drafted (approval withdrawn) or to do (with a reason)."""
    found = current_incident(uow, for_update=True)
    record = _record(uow, found.id, key, ctx.clock.now())
    current = S(record.status)
    access.duty_move(ctx, record.officer, target)
    check_duty_move(current, target)
    reason = checked_text(reason, N_("the reason (--reason)"))
    reference = checked_name(reference, N_("the authority's reference (--reference)"))
    if target is S.APPROVED:
        check_four_eyes(uow, ctx, record.updated_by, f"duty {record.key}", ("duty", record.key))
    if target is S.SUBMITTED and not reference:
        raise InvalidInput(N_("a submission needs the authority's reference (--reference)"))
    if target in (S.NOT_APPLICABLE, S.TO_DO) and not reason:
        why = N_("making duty {key} {status} needs a reason (--reason)")
        raise InvalidInput(why, key=record.key, status=target.value)
    submitted = event_time(ctx, at, N_("the submission")) if target is S.SUBMITTED else None
    now = ctx.clock.now()
    saved = replace(
        record,
        status=target.value,
        reference=reference if submitted else record.reference,
        submitted_at=submitted or record.submitted_at,
        reason=reason if target is S.NOT_APPLICABLE else record.reason,
        updated_by=ctx.actor,
        updated_at=now,
    )
    duty_store.save_duty(uow, found.id, saved)
    after: dict[str, str] = {"status": target.value}
    if submitted is not None:
        after |= {"reference": reference, "submitted_at": submitted.isoformat()}
    audit(
        uow,
        ctx,
        MOVE_EVENTS[target],
        ("duty", record.key),
        submitted or now,
        before={"status": current.value},
        after=after,
        reason=reason,
    )
    return _view(uow, ctx, record.key)


def _record(uow: UnitOfWork, incident_id: int, key: str, now: datetime) -> DutyRecord:
    """The duty's row; a standard duty that never moved gets its first one, to do."""
    key = key.strip().lower()
    for record in duty_store.duties(uow, incident_id, for_update=True):
        if record.key == key:
            return record
    kind = next((k for k in STANDARD_DUTIES if k.key == key), None)
    if kind is None:
        known = ", ".join([*(k.key for k in STANDARD_DUTIES), *_added_keys(uow, incident_id)])
        no_duty = N_("no duty {key} in the register (duties: {known})")
        raise InvalidInput(no_duty, key=repr(key), known=known)
    return DutyRecord(
        kind.key,
        kind.title,
        kind.authority,
        kind.basis,
        due_at=None,
        status=S.TO_DO.value,
        officer="",
        reference="",
        submitted_at=None,
        reason="",
        updated_by="",
        updated_at=now,
    )


def _added_keys(uow: UnitOfWork, incident_id: int) -> list[str]:
    return [r.key for r in duty_store.duties(uow, incident_id) if r.key not in STANDARD_KEYS]


def _view(uow: UnitOfWork, ctx: Context, key: str) -> Duty:
    return next(d for d in duty_register(uow, ctx).duties if d.key == key)


def outcomes(uow: UnitOfWork, ctx: Context) -> list[DutyOutcome]:
    """Each duty with a deadline: when it was due, when it was submitted, its status; what the
    after-action review says was met or late."""
    return [
        DutyOutcome(d.key, d.title, d.due_at, d.submitted_at, d.status.value)
        for d in duty_register(uow, ctx).duties
        if d.due_at is not None
    ]
