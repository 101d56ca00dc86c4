"""A training exercise on a scenario: its own database, its clock, its injects, its report.

`start_exercise` makes a new database an exercise for good (app.incident_clock) and loads the
scenario's network as the record has it. Each command and page opening the database applies
the injects fallen due (`open_clock`), each exactly once: the clock row is locked, and each
inject's key is the primary key of its row, so two processes at once cannot both apply one.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import access, demo_crisis
from relance.app.assets import transition_matching
from relance.app.claims import record_claim
from relance.app.context import Context
from relance.app.demo import T0
from relance.app.incident import note_timeline
from relance.app.incident_clock import (
    check_new_exercise,
    clock_of,
    mode_of,
    open_incident_clock,
    start_exercise,
)
from relance.app.network import load_network
from relance.domain.audit_events import EventType
from relance.domain.clock import Clock, ClockMode, FixedClock, RunningClock, SystemClock
from relance.domain.delivery import Delivery
from relance.domain.errors import InvalidInput
from relance.domain.exercise import LEAD, Check, Expected, Inject, Script, Verdict, verdict
from relance.domain.incident import LogKind, Phase
from relance.domain.roles import CONSOLE, Permission
from relance.i18n import DEFAULT, INTERFACE, N_, parse_language
from relance.importers.injects import FILE_NAME, parse_injects, read_injects
from relance.reports import exercise_pdf as pdf
from relance.reports.codes import INJECT_KINDS
from relance.reports.marks import document_mark
from relance.reports.words import Words
from relance.storage import asset_store, audit_store, clock_store, exercise_store, incident_store
from relance.storage.audit_store import AuditEvent, AuditQuery
from relance.storage.database import UnitOfWork

Unit = Callable[[], AbstractContextManager[UnitOfWork]]
SCENARIO = "scenario.yaml"


@contextmanager
def scenario_files(name: str) -> Iterator[tuple[Path, Path]]:
    """The scenario and its injects file: a shipped scenario's name (vivalia-2022), or a
    directory holding scenario.yaml and injects.yaml (an exercise lead's own)."""
    own = Path(name)
    if own.is_dir():
        for needed in (SCENARIO, FILE_NAME):
            if not (own / needed).is_file():
                both = N_("{file} not found: an exercise needs both files")
                raise InvalidInput(both, file=str(own / needed))
        yield own / SCENARIO, own / FILE_NAME
        return
    folder = files("relance.scenarios") / name
    if not name.replace("-", "").isalnum() or not folder.joinpath(FILE_NAME).is_file():
        no_exercise = N_(
            "no exercise named {name}: relance ships vivalia-2022, or give a directory holding "
            "{scenario} and {script}"
        )
        raise InvalidInput(no_exercise, name=repr(name), scenario=SCENARIO, script=FILE_NAME)
    with ExitStack() as stack:
        scenario = stack.enter_context(as_file(folder / SCENARIO))
        yield scenario, stack.enter_context(as_file(folder / FILE_NAME))


def check_script(name: str) -> Script:
    """The exercise's injects file, read and checked whole (RejectedInput otherwise)."""
    with scenario_files(name) as (_, injects):
        return read_injects(injects)[0]


@cache
def _parsed(text: str, file_name: str) -> Script:
    return parse_injects(text, file_name)


def _script(uow: UnitOfWork) -> Script:
    kept = exercise_store.script(uow)
    if kept is None:
        raise InvalidInput(N_("this database is not an exercise (relance exercise start)"))
    return _parsed(kept[1], kept[0])


@dataclass(frozen=True)
class Started:
    scenario: str
    start: datetime
    speed: float
    injects: int


def start(unit: Unit, name: str, speed: float, wall: Clock | None = None) -> Started:
    """Make the new database of `unit` an exercise on scenario `name`, at `speed`."""
    wall = wall or SystemClock()
    with scenario_files(name) as (scenario, injects):
        found, text = read_injects(injects)  # the whole file valid before anything is written
        ctx = Context(LEAD, FixedClock(found.start), authority=CONSOLE)
        with unit() as uow:
            why = f"exercice {name} : {len(found.injects)} injects ({found.file_name})"
            check_new_exercise(uow, ctx)
            load_network(uow, ctx, scenario, found.start)
            schedule = {inject.key: inject.at for inject in found.injects}
            exercise_store.save_script(uow, found.file_name, text, schedule)
            start_exercise(uow, ctx, found.start, speed=speed, wall=wall, reason=why)
    return Started(found.scenario, found.start, speed, len(found.injects))


def open_clock(read: Unit, write: Unit, wall: Clock | None = None) -> Clock:
    """The database's clock for a command or a page; in an exercise, the injects fallen due
    are applied first (a write only when some are)."""
    wall = wall or SystemClock()
    with read() as uow:
        opened = open_incident_clock(uow, wall)
    if opened.injects_due:
        with write() as uow:
            apply_due(uow, wall)
    return opened.clock


def apply_due(uow: UnitOfWork, wall: Clock | None = None) -> list[Inject]:
    """Apply every inject fallen due and not yet applied; refused outside an exercise."""
    clock_store.read(uow, lock=True)  # two processes at once: the second waits, then skips
    clock = clock_of(uow, wall)
    if mode_of(clock) is not ClockMode.EXERCISE:
        raise InvalidInput(N_("this database is not an exercise: it never receives injects"))
    now = clock.now()
    applied = _pending(uow, now)
    for inject in applied:
        _apply(uow, inject, now)
    return applied


def _pending(uow: UnitOfWork, now: datetime) -> list[Inject]:
    done = exercise_store.applied(uow)
    return [i for i in _script(uow).due(now) if i.key not in done]


def _apply(uow: UnitOfWork, inject: Inject, now: datetime) -> None:
    ctx = Context(LEAD, FixedClock(now), authority=CONSOLE)
    text = f"[exercice] {inject.text} (source : {inject.source})"
    moved = 0
    for move in inject.moves:
        if asset_store.find(uow, move.where):
            report = transition_matching(
                uow,
                ctx,
                where=move.where,
                target=move.to,
                reason=inject.text,
                occurred_at=inject.at,
            )
            moved += report.moved
    if moved:
        text += f" ; {moved} machine(s) repassée(s) en « {inject.moves[0].to.value} »"
    if inject.claim is not None and incident_store.incident(uow) is None:
        text += " ; pas inscrite au registre : aucun incident n'est déclaré"
    note_timeline(uow, ctx, text, at=inject.at)
    if inject.claim is not None and incident_store.incident(uow) is not None:
        c = inject.claim
        deadline = inject.at + c.deadline if c.deadline else None
        record_claim(
            uow,
            ctx,
            group=c.group,
            seen_at=inject.at,
            where=c.where,
            volume=c.volume,
            deadline=deadline,
        )
    exercise_store.mark_applied(uow, inject.key, inject.at, now)


# Status and report


@dataclass(frozen=True)
class InjectLine:
    inject: Inject
    applied_at: datetime | None


@dataclass(frozen=True)
class Status:
    scenario: str
    start: datetime
    speed: float
    now: datetime
    injects: list[InjectLine]


def exercise_status(uow: UnitOfWork, ctx: Context, wall: Clock | None = None) -> Status:
    """Where the exercise stands (`wall`: the wall clock, for tests)."""
    access.authority(ctx, Permission.VIEW_STATUS)
    clock = clock_of(uow, wall)
    if not isinstance(clock, RunningClock) or clock.mode is not ClockMode.EXERCISE:
        raise InvalidInput(N_("this database is not an exercise (relance exercise start)"))
    found = _script(uow)
    done = exercise_store.applied(uow)
    lines = [InjectLine(i, done.get(i.key)) for i in found.injects]
    return Status(found.scenario, clock.start, clock.speed, clock.now(), lines)


@dataclass(frozen=True)
class ExpectedLine:
    expected: Expected
    done_at: datetime | None
    verdict: Verdict


@dataclass(frozen=True)
class Decision:
    at: datetime
    text: str
    by: str


@dataclass(frozen=True)
class Report:
    status: Status
    expected: list[ExpectedLine]
    decisions: list[Decision]  # the players'
    record: list[Decision]  # the real cell's, over the same hours


def exercise_report(uow: UnitOfWork, ctx: Context, wall: Clock | None = None) -> Report:
    """The players' times and decisions against the expected responses and the record."""
    found = exercise_status(uow, ctx, wall)
    lines = []
    for expected in _script(uow).expected:
        done = _first_done(uow, expected.check)
        lines.append(ExpectedLine(expected, done, verdict(expected, done)))
    played = incident_store.log_entries(uow, [LogKind.DECISION.value], None, None)
    decisions = [
        Decision(e.occurred_at, e.text, e.decided_by or e.author)
        for e in played
        if e.author != LEAD
    ]
    record = [
        Decision(e.moment(T0), e.text, e.decided_by or "")
        for e in demo_crisis.entries()
        if e.kind == LogKind.DECISION.value and e.moment(T0) <= found.now
    ]
    return Report(found, lines, decisions, record)


_SHOWN_BY: dict[Check, tuple[EventType, str, str]] = {
    # the event that shows it, and the field of `after` it needs, with its value ("": any)
    Check.DECLARED: (EventType.INCIDENT_DECLARED, "", ""),
    Check.CONTAINMENT: (EventType.PHASE_ENTERED, "phase", Phase.CONTAINMENT.value),
    Check.SMS_SENT: (EventType.NOTIFICATION_STATUS, "status", Delivery.SUBMITTED.value),
    Check.SITREP: (EventType.SITREP_APPROVED, "", ""),
    Check.PLAN: (EventType.PLAN_CREATED, "", ""),
}


def _first_done(uow: UnitOfWork, check: Check) -> datetime | None:
    """When the players first recorded what `check` expects (the exercise's time then)."""
    event, field, value = _SHOWN_BY[check]
    rows = audit_store.find(uow, AuditQuery(event_types=(event.value,)))
    done = [r.recorded_at for r in rows if r.actor != LEAD and _matches(r, field, value)]
    return min(done, default=None)


def _matches(row: AuditEvent, field: str, value: str) -> bool:
    return not field or (row.after or {}).get(field) == value


# The PDF the exercise lead hands out: French, the cell's language, or English

ZONE = ZoneInfo("Europe/Brussels")
VERDICT_INK = {Verdict.MET: "#2e7d32", Verdict.LATE: "#e65100", Verdict.MISSING: "#b71c1c"}


def _at(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(ZONE).strftime("%d/%m %H:%M")


def write_report(
    uow: UnitOfWork,
    ctx: Context,
    out: Path,
    wall: Clock | None = None,
    *,
    language: str = DEFAULT,
) -> Report:
    """Write the exercise report's PDF to `out`, in French or English; return what it says."""
    language = parse_language(language)
    if language not in INTERFACE:
        raise InvalidInput(
            N_("the exercise report is written in French or English (fr or en), not {language}"),
            language=language,
        )
    found = exercise_report(uow, ctx, wall)
    pdf.write(_document(found, Words(language, {})), out)
    return found


def _document(found: Report, w: Words) -> pdf.ExerciseDocument:
    s = found.status
    applied = sum(i.applied_at is not None for i in s.injects)
    return pdf.ExerciseDocument(
        language=w.language,
        mark=document_mark(ClockMode.EXERCISE, w),
        title=w._("Exercise report: {scenario}", scenario=s.scenario),
        lines=(
            w._(
                "Exercise started {start}; speed: {speed} times the wall clock.",
                start=_at(s.start),
                speed=w.number(s.speed),
            ),
            w._("Exercise time at this report: {now} (Brussels time).", now=_at(s.now)),
            w._("Injects applied: {applied} of {total}.", applied=applied, total=len(s.injects)),
        ),
        sections=(_expected(found, w), _injects(s, w), _decisions(found, w)),
        footer=w._(
            "relance, exercise {scenario}: an exercise document, not a real crisis",
            scenario=s.scenario,
        ),
    )


def _expected(found: Report, w: Words) -> pdf.Section:
    verdicts = {
        Verdict.MET: w.p_("exercise verdict", "met"),
        Verdict.LATE: w.p_("exercise verdict", "late"),
        Verdict.MISSING: w.p_("exercise verdict", "missing"),
    }
    return pdf.Section(
        w._("Expected responses"),
        (
            w._("expected"),
            w._("before"),
            w._("exercise"),
            w._("real record"),
            w._("verdict"),
            w._("source"),
        ),
        pdf.shares(30, 11, 11, 11, 10, 27),
        [
            (
                e.expected.text,
                _at(e.expected.by),
                _at(e.done_at),
                _at(e.expected.record),
                verdicts[e.verdict],
                e.expected.source,
            )
            for e in found.expected
        ],
        w._("No expected response in the injects file."),
        inks={verdicts[v]: ink for v, ink in VERDICT_INK.items()},
    )


def _injects(s: Status, w: Words) -> pdf.Section:
    return pdf.Section(
        w._("Injects"),
        (w._("scheduled"), w._("applied"), w._("kind"), w._("inject")),
        pdf.shares(11, 11, 12, 66),
        [
            (
                _at(i.inject.at),
                _at(i.applied_at),
                w._(INJECT_KINDS[i.inject.kind]),
                i.inject.text,
            )
            for i in s.injects
        ],
        w._("No inject."),
    )


def _decisions(found: Report, w: Words) -> pdf.Section:
    """The players' decisions and the real cell's of the same hours, in one table by time."""
    played = [(d.at, w._("{who} (players)", who=d.by), d.text) for d in found.decisions]
    real = [(d.at, w._("{who} (real cell)", who=d.by), d.text) for d in found.record]
    rows = sorted(real + played, key=lambda row: row[0])  # the record first at the same time
    return pdf.Section(
        w._("Decisions: the players' and the real cell's of the same hours (public record)"),
        (w._("time"), w._("decided by"), w._("decision")),
        pdf.shares(12, 24, 64),
        [(_at(at), who, text) for at, who, text in rows],
        w._(
            "No decision in the exercise's log, and none in the record before the exercise's time."
        ),
    )
