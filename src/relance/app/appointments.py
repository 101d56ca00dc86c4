"""The appointment book: import it, triage it by rules, let physicians decide case by case.

A decision that tells the patient writes its SMS to the outbox in the same transaction; the
dispatcher sends it after the commit, so a crash can delay a message, never lose or double it.
"""

import os
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import access
from relance.app.audit import record_event
from relance.app.context import Context
from relance.app.organisation import identity
from relance.app.status import network_status
from relance.domain.appointments import BookedAppointment
from relance.domain.audit_events import EventType
from relance.domain.delivery import Delivery
from relance.domain.errors import N_, InvalidInput, Problem, RejectedInput
from relance.domain.functioning import ActivityStatus, Functioning
from relance.domain.functioning_forecast import status_on
from relance.domain.moments import OutOfRange, checked
from relance.domain.roles import Permission
from relance.domain.text import checked_text
from relance.domain.triage import AppointmentFacts, Decision, RuleSet, triage
from relance.importers import appointments_csv, appointments_fhir
from relance.importers.book_generator import generate_book
from relance.notifications.templates import MessageFacts, language_of, render
from relance.storage import audit_store, clinic_store, network_store
from relance.storage.audit_store import AuditEvent
from relance.storage.clinic_store import PHYSICIAN, BookEntry, NewDecision, QueuedMessage
from relance.storage.database import UnitOfWork

HORIZON_SETTING = "RELANCE_RESCHEDULE_HORIZON_DAYS"
DEFAULT_HORIZON_DAYS = 90


@dataclass(frozen=True)
class ImportReport:
    appointments: int
    created: int
    updated: int


@dataclass(frozen=True)
class TriageReport:
    appointments: int
    changed: int
    by_decision: dict[str, int]
    messages_queued: int
    to_phone: int  # decisions to tell patients who have no mobile: the call list
    rules_version: str


def import_book(
    uow: UnitOfWork, ctx: Context, paths: Sequence[Path], zone: ZoneInfo
) -> ImportReport:
    """CSV or FHIR (JSON bundle, NDJSON): all rows valid, or nothing imported."""
    access.whole_network(ctx, Permission.DECIDE_APPOINTMENTS)
    entries: list[tuple[str, BookedAppointment]] = []
    problems: list[Problem] = []
    fhir = [p for p in paths if p.suffix.lower() in (".json", ".ndjson")]
    for path in paths:
        if path.suffix.lower() == ".csv":
            found, bad = appointments_csv.read(path, zone)
            entries += found
            problems += bad
        elif path not in fhir:
            problems.append(Problem(path.name, None, "", "give a .csv, .json or .ndjson file"))
    if fhir:
        found, bad = appointments_fhir.read(fhir)
        entries += found
        problems += bad
    offered = {(a.site, a.code) for a in network_store.activities(uow)}
    sites = [s.code for s in network_store.sites(uow)]
    seen: dict[str, str] = {}
    for where, appointment in entries:
        if appointment.site not in sites:
            no_site = N_("unknown site {site} (sites: {known})")
            site, known = repr(appointment.site), ", ".join(sites)
            problems.append(Problem(where, None, "site", no_site, site=site, known=known))
        elif (appointment.site, appointment.activity) not in offered:
            not_here = N_("{activity} is not an activity of site {site}")
            activity, site = repr(appointment.activity), repr(appointment.site)
            problems.append(
                Problem(where, None, "activity", not_here, activity=activity, site=site)
            )
        if appointment.external_id in seen:
            problems.append(
                Problem(
                    where,
                    None,
                    "appointment",
                    N_("{appointment} already at {where}"),
                    appointment=appointment.external_id,
                    where=seen[appointment.external_id],
                )
            )
        seen[appointment.external_id] = where
    if problems:
        raise RejectedInput(problems)
    if not entries:
        names = ", ".join(p.name for p in paths)
        raise RejectedInput([Problem(names, None, "", N_("no appointment in the file"))])
    book = [a for _, a in entries]
    created, updated = clinic_store.upsert_book(uow, book, clinic_store.site_ids(uow))
    record_event(
        uow,
        ctx,
        EventType.BOOK_IMPORTED,
        "book",
        ", ".join(p.name for p in paths)[:253],  # the audit's object key: many files make it long
        after={"appointments": len(book), "created": created, "updated": updated},
    )
    return ImportReport(len(book), created, updated)


def triage_book(
    uow: UnitOfWork,
    ctx: Context,
    rules: RuleSet,
    *,
    sender: str | None,
    zone: ZoneInfo,
    today: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TriageReport:
    """Decide every booked appointment in [since, until) whose decision changes (at the caller's
    sites).

    The activity's status on the appointment's date comes from the newest plan's forecast
    (from now for today); a physician's decision stands; an unchanged decision sends nothing.
    `sender` overrides the scenario's SMS sender.
    """
    sites = access.sites(ctx, Permission.DECIDE_APPOINTMENTS)
    entries = clinic_store.book(uow, since, until, sites=sites)
    now_status = _statuses(uow)
    levels = clinic_store.plan_levels(uow)
    decided_at = ctx.clock.now()
    decisions: list[tuple[BookEntry, NewDecision]] = []
    # Appointments share slots: the status of an activity at a site at a time, and the
    # decision for the same facts, are worked out once.
    on_date: dict[tuple[str, str, datetime], tuple[Functioning, int, str]] = {}
    decided: dict[tuple[str, str, Functioning, int], tuple[Decision, str]] = {}
    for entry in entries:
        if entry.by_physician:
            continue
        slot = (entry.site, entry.activity, entry.starts_at)
        if slot not in on_date:
            current = now_status[(entry.site, entry.activity)]
            functioning, capacity = status_on(
                current, levels.get((entry.site, entry.activity), []), entry.starts_at, today
            )
            why = f"{entry.activity} at {entry.site}: {functioning.value} functioning, {capacity} %"
            on_date[slot] = functioning, capacity, why
        functioning, capacity, reason = on_date[slot]
        facts = (entry.activity, entry.pathway, functioning, capacity)
        if facts not in decided:
            decided[facts] = triage(AppointmentFacts(*facts), rules.rules)
        decision, rule = decided[facts]
        if decision is entry.decision:
            continue
        decisions.append(
            (
                entry,
                NewDecision(entry.id, decision, rule, rules.version, ctx.actor, reason, decided_at),
            )
        )
    queued, to_phone = _record(uow, ctx, decisions, sender, zone)
    by_decision = Counter(d.decision.value for _, d in decisions)
    return TriageReport(
        len(entries), len(decisions), dict(by_decision), queued, to_phone, rules.version
    )


def decide_appointment(
    uow: UnitOfWork,
    ctx: Context,
    appointment: str,
    decision: Decision,
    reason: str,
    *,
    sender: str | None,
    zone: ZoneInfo,
    new_start: datetime | None = None,
) -> Decision:
    """A physician's decision on one appointment (from the review queue or not).

    A new time lies after the decision and within the horizon (RELANCE_RESCHEDULE_HORIZON_DAYS):
    the patient is told it by SMS, so a slip of the keyboard must not reach them.
    """
    entry = access.appointment(uow, ctx, appointment)
    if decision is Decision.REVIEW:
        raise InvalidInput(N_("a physician decides: maintain, cancel, reschedule or phone"))
    if decision is Decision.RESCHEDULE and new_start is None:
        raise InvalidInput(N_("a rescheduled appointment needs its new time (--reschedule)"))
    if decision is not Decision.RESCHEDULE and new_start is not None:
        alone = N_("a new time goes with a reschedule, not with {decision}")
        raise InvalidInput(alone, decision=decision.value)
    reason = checked_text(reason, N_("the reason (--reason)"))
    if not reason:
        raise InvalidInput(N_("say why (--reason): it is kept with the decision"))
    decided_at = ctx.clock.now()
    if new_start is not None:
        _check_new_time(ctx, new_start, zone)
    made = NewDecision(entry.id, decision, PHYSICIAN, "", ctx.actor, reason, decided_at, new_start)
    _record(uow, ctx, [(entry, made)], sender, zone)
    return decision


def reschedule_horizon() -> timedelta:
    """How far ahead an appointment may be moved: RELANCE_RESCHEDULE_HORIZON_DAYS (90 days)."""
    text = os.environ.get(HORIZON_SETTING, "").strip()
    if not text:
        return timedelta(days=DEFAULT_HORIZON_DAYS)
    days = int(text) if text.isdigit() else 0
    if not 1 <= days <= 3650:
        horizon = N_("{setting}={value}: give a number of days from 1 to 3650")
        raise InvalidInput(horizon, setting=HORIZON_SETTING, value=repr(text))
    return timedelta(days=days)


def reschedule_window(ctx: Context) -> tuple[datetime, datetime]:
    """(now, the latest new time): a rescheduled appointment lies in between."""
    now = ctx.clock.now()
    return now, now + reschedule_horizon()


def _check_new_time(ctx: Context, new_start: datetime, zone: ZoneInfo) -> None:
    checked(new_start, N_("the new time"))
    decided_at, latest = reschedule_window(ctx)
    if not decided_at < new_start <= latest:
        days = (latest - decided_at).days
        window = N_(
            "the new time {at} must lie after now ({now}) and at most {days} days ahead ({setting})"
        )
        raise OutOfRange(
            window,
            at=f"{new_start.astimezone(zone):%Y-%m-%d %H:%M}",
            now=f"{decided_at.astimezone(zone):%Y-%m-%d %H:%M}",
            days=days,
            setting=HORIZON_SETTING,
        )


def _statuses(uow: UnitOfWork) -> dict[tuple[str, str], ActivityStatus]:
    return {(s.code, a.code): a.status for s in network_status(uow).sites for a in s.activities}


def _record(
    uow: UnitOfWork,
    ctx: Context,
    decisions: Sequence[tuple[BookEntry, NewDecision]],
    sender: str | None,
    zone: ZoneInfo,
) -> tuple[int, int]:
    """Write the decisions, one audit row each, and the SMS of those that tell the patient."""
    if not decisions:
        return 0, 0
    who = identity(uow)
    signed = sender or who.organisation.sms_sender
    places: dict[tuple[str, str], str] = {}  # (site, language) -> the site's short name
    superseded = [e.decision_id for e, _ in decisions if e.decision_id is not None]
    ids = clinic_store.record_decisions(uow, [d for _, d in decisions], superseded)
    now = ctx.clock.now()
    messages: list[QueuedMessage] = []
    to_phone = 0
    queued = Delivery.QUEUED.value
    for (entry, made), decision_id in zip(decisions, ids, strict=True):
        if not made.decision.tells_the_patient:
            to_phone += made.decision is Decision.PHONE
            continue
        if entry.patient.mobile is None:
            to_phone += 1
            continue
        place = (entry.site, language_of(entry.patient.language))
        if place not in places:
            places[place] = who.site_short(*place)
        facts = MessageFacts(
            signed, places[place], who.organisation.patient_line, entry.starts_at, made.new_start
        )
        messages.append(
            QueuedMessage(
                secrets.token_hex(16),  # in the delivery-report URL: unguessable
                entry.id,
                decision_id,
                entry.patient.mobile,
                entry.patient.language,
                render(made.decision, entry.patient.language, facts, zone),
                queued,
                now,
                now,
            )
        )
    clinic_store.queue_notifications(uow, messages)
    # One dict per distinct detail: the bulk insert serialises each distinct object once.
    befores: dict[Decision | None, dict[str, str] | None] = {None: None}
    afters: dict[tuple[Decision, str, str], dict[str, str]] = {}
    for entry, made in decisions:
        if entry.decision is not None and entry.decision not in befores:
            befores[entry.decision] = {"decision": entry.decision.value}
        key = (made.decision, made.rule, made.rules_version)
        if key not in afters:
            afters[key] = {"decision": key[0].value, "rule": key[1], "rules_version": key[2]}

    audit_store.record(
        uow,
        [
            AuditEvent(
                ctx.request_id,
                ctx.actor,
                made.decided_at,
                now,
                EventType.APPOINTMENT_DECIDED,
                "appointment",
                entry.external_id,
                before=befores[entry.decision],
                after=afters[(made.decision, made.rule, made.rules_version)],
                reason=made.reason,
            )
            for entry, made in decisions
        ],
    )
    return len(messages), to_phone


def review_queue(uow: UnitOfWork, ctx: Context) -> list[BookEntry]:
    """The appointments waiting for a physician, at the sites whose patients the caller reads."""
    return clinic_store.review_queue(uow, access.patient_sites(ctx))


def generate_week(
    uow: UnitOfWork, week_start: date, zone: ZoneInfo, seed: int = 2022, scale: float = 1.0
) -> list[BookedAppointment]:
    """A realistic week of appointments for the activities this network offers."""
    offered = [(a.site, a.code) for a in network_store.activities(uow)]
    return generate_book(offered, week_start, zone, seed, scale)
