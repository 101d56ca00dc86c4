"""Drafts for the authorities, filled from the cell's records: the NIS2 early warning,
notification and final report for the CCB, the GDPR notification for the APD/GBA.

Each field of the authority's form is answered with facts read from one record each (see
reports/duty_draft_model.py); a question no record answers is left empty, and the document
says so rather than guess. Writing a draft moves a duty still to do to drafted (audited).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from relance.app import access
from relance.app.context import Context
from relance.app.duties import Duty, cell_zone, duty_register, move_duty
from relance.app.incident import current_incident, measures_in_force
from relance.app.incident_clock import reading
from relance.app.organisation import identity
from relance.app.sitrep_facts import iso
from relance.domain.duties import (
    GDPR_DPA,
    NIS2_EARLY_WARNING,
    NIS2_FINAL_REPORT,
    NIS2_NOTIFICATION,
    DutyStatus,
)
from relance.domain.errors import InvalidInput
from relance.domain.functioning import Functioning
from relance.domain.incident import LogKind, Phase
from relance.i18n import N_
from relance.reports.duty_draft_document import DraftDocument, document
from relance.reports.duty_draft_model import DraftFacts, Fact, FactKind, Field
from relance.reports.words import Words
from relance.storage import asset_store, duty_store, incident_store, network_store
from relance.storage.database import UnitOfWork
from relance.storage.incident_store import Incident

K = FactKind


class Records:
    """The records a draft answers from, read once, each fact naming its row."""

    def __init__(self, uow: UnitOfWork, found: Incident, now: datetime) -> None:
        self.uow, self.found, self.now, self.zone = uow, found, now, cell_zone()
        self.row = f"id={found.id}"

    def time(self, moment: datetime, table: str, column: str, row: str) -> Fact:
        return Fact(K.TIME, str(iso(moment, self.zone)), table, column, row)

    def entity(self) -> Field:
        name = identity(self.uow).organisation.name
        return Field(N_("Entity"), [[Fact(K.TEXT, name, "network", "public_name")]])

    def incident(self) -> Field:
        return Field(
            N_("Incident"), [[Fact(K.TEXT, self.found.name, "incidents", "name", self.row)]]
        )

    def detected(self) -> Field:
        at = self.time(self.found.detected_at, "incidents", "detected_at", self.row)
        return Field(N_("Detected"), [[at]])

    def aware(self) -> Field:
        """When the cell became aware, from the record the register counts from."""
        clock = duty_store.clock(self.uow, self.found.id)
        if clock is not None:
            rows = [
                [
                    self.time(
                        clock.aware_at, "duty_clocks", "aware_at", f"incident_id={self.found.id}"
                    )
                ]
            ]
        elif self.found.confirmed_at is not None:
            rows = [[self.time(self.found.confirmed_at, "incidents", "confirmed_at", self.row)]]
        else:
            rows = [
                [self.time(p.entered_at, "incident_phases", "entered_at", f"phase={p.phase}")]
                for p in incident_store.phases(self.uow, self.found.id)[:3]
                if p.phase == Phase.CONTAINMENT.value
            ]
        return Field(N_("Became aware of the incident"), rows, "relance duties aware")

    def confirmed(self) -> Field:
        at = self.found.confirmed_at
        rows = [[self.time(at, "incidents", "confirmed_at", self.row)]] if at else []
        return Field(N_("Attack confirmed by the cell (suspected malicious act)"), rows)

    def description(self) -> Field:
        text = self.found.summary
        rows = [[Fact(K.TEXT, text, "incidents", "summary", self.row)]] if text else []
        return Field(N_("Description, as recorded"), rows)

    def claims(self, with_volume: bool = False) -> Field:
        rows = []
        for c in duty_store.claims(self.uow):
            row = f"reference={c.reference}"
            line = [
                Fact(K.TEXT, c.group_name, "extortion_claims", "group_name", row),
                self.time(c.seen_at, "extortion_claims", "seen_at", row),
                Fact(K.TEXT, c.seen_where, "extortion_claims", "seen_where", row),
            ]
            if with_volume and c.volume:
                line.append(Fact(K.TEXT, c.volume, "extortion_claims", "volume", row))
            rows.append(line)
        return Field(N_("Claimed by (extortion claims register)"), rows, "relance claims add")

    def impact(self, label: str) -> Field:
        """Each activity of each site not fully functional now, and its capacity."""
        rows = []
        statuses = incident_store.statuses_at(self.uow, self.now)
        for (site, activity), (functioning, capacity) in sorted(statuses.items()):
            if functioning == Functioning.FULLY.value:
                continue
            row = f"site={site},activity={activity}"
            rows.append(
                [
                    Fact(K.SITE, site, "activity_status_history", "site", row),
                    Fact(K.ACTIVITY, activity, "activity_status_history", "activity", row),
                    Fact(K.FUNCTIONING, functioning, "activity_status_history", "functioning", row),
                    Fact(K.PERCENT, str(capacity), "activity_status_history", "capacity", row),
                ]
            )
        return Field(label, rows)

    def machines(self) -> Field:
        counts: dict[str, int] = {}
        for _site, _kind, state, n in asset_store.state_counts(self.uow):
            counts[state.value] = counts.get(state.value, 0) + n
        rows = [
            [
                Fact(K.STATE, state, "assets", "state", f"state={state}"),
                Fact(K.COUNT, str(n), "assets", "count", f"state={state}"),
            ]
            for state, n in sorted(counts.items())
        ]
        return Field(N_("Machines by state"), rows)

    def phase(self) -> Field:
        phases = incident_store.phases(self.uow, self.found.id)
        rows = [self._phase(p) for p in phases[-1:]]
        return Field(N_("Phase of the incident"), rows)

    def timeline(self) -> Field:
        rows = [self._phase(p) for p in incident_store.phases(self.uow, self.found.id)]
        return Field(N_("Timeline: phases and their entry criteria"), rows)

    def _phase(self, p: incident_store.PhaseEntry) -> list[Fact]:
        row = f"phase={p.phase}"
        line = [
            Fact(K.PHASE, p.phase, "incident_phases", "phase", row),
            self.time(p.entered_at, "incident_phases", "entered_at", row),
        ]
        if p.criteria:
            line.append(Fact(K.CRITERIA, p.criteria, "incident_phases", "criteria", row))
        return line

    def measures(self, label: str) -> Field:
        rows = []
        for m in measures_in_force(self.uow, self.now):
            row = f"id={m.entry.id}"
            rows.append(
                [
                    self.time(m.entry.occurred_at, "log_entries", "occurred_at", row),
                    Fact(K.MEASURE, m.measure.value, "log_entries", "measure", row),
                    Fact(K.TEXT, m.entry.text, "log_entries", "text", row),
                ]
            )
        return Field(label, rows, "relance log add")

    def decisions(self) -> Field:
        """The cell's decisions that set no standing measure (those are under the measures)."""
        entries = incident_store.log_entries(self.uow, [LogKind.DECISION.value])
        rows = [
            [
                self.time(e.occurred_at, "log_entries", "occurred_at", f"id={e.id}"),
                Fact(K.TEXT, e.text, "log_entries", "text", f"id={e.id}"),
            ]
            for e in entries
            if not e.measure and e.occurred_at <= self.now
        ]
        return Field(N_("Other decisions of the cell"), rows, "relance log add")

    def evidence(self) -> list[Field]:
        items = incident_store.evidence(self.uow)
        count = Field(
            N_("Items in the evidence register"),
            [[Fact(K.COUNT, str(len(items)), "evidence", "count")]] if items else [],
        )
        rows = [
            [
                Fact(K.TEXT, e.reference, "evidence", "reference", f"reference={e.reference}"),
                Fact(K.TEXT, e.kind, "evidence", "kind", f"reference={e.reference}"),
                self.time(e.acquired_at, "evidence", "acquired_at", f"reference={e.reference}"),
                Fact(K.TEXT, e.holder, "evidence", "holder", f"reference={e.reference}"),
            ]
            for e in items
        ]
        return [count, Field(N_("Evidence: reference, kind, acquired, held by"), rows)]

    def empty(self, label: str) -> Field:
        return Field(label, [])

    def officer(self) -> Field:
        rows = [
            [Fact(K.TEXT, r.officer, "legal_duties", "officer", f"key={r.key}")]
            for r in duty_store.duties(self.uow, self.found.id)
            if r.key == GDPR_DPA.key and r.officer
        ]
        return Field(N_("Contact point (data-protection officer)"), rows, "relance duties officer")

    def patients(self) -> list[Field]:
        patients = incident_store.patient_count(self.uow)
        booked = incident_store.appointment_count(self.uow)
        return [
            Field(
                N_("Data subjects: patients in the appointment book kept in relance"),
                [[Fact(K.COUNT, str(patients), "patients", "count")]] if patients else [],
            ),
            Field(
                N_("Records: appointments in the book kept in relance"),
                [[Fact(K.COUNT, str(booked), "appointments", "count")]] if booked else [],
            ),
        ]


def _early_warning(r: Records) -> list[Field]:
    return [
        r.entity(),
        r.incident(),
        r.detected(),
        r.aware(),
        r.confirmed(),
        r.claims(),
        r.description(),
        r.impact(N_("Sites and activities affected")),
        r.empty(N_("Possible cross-border impact")),
    ]


def _notification(r: Records) -> list[Field]:
    return [
        r.entity(),
        r.incident(),
        r.detected(),
        r.aware(),
        r.confirmed(),
        r.claims(),
        r.description(),
        r.phase(),
        r.impact(N_("Severity and impact: clinical activities not fully functional")),
        r.machines(),
        r.empty(N_("Indicators of compromise")),
        r.measures(N_("Measures taken: standing measures in force")),
        r.decisions(),
        *r.evidence(),
        r.empty(N_("Possible cross-border impact")),
    ]


def _final_report(r: Records) -> list[Field]:
    return [
        r.entity(),
        r.incident(),
        r.detected(),
        r.aware(),
        r.confirmed(),
        r.timeline(),
        r.description(),
        r.claims(),
        r.empty(N_("Type of threat or root cause")),
        r.measures(N_("Mitigation measures applied and ongoing")),
        r.decisions(),
        r.impact(N_("Impact at the time of the report: clinical activities not fully functional")),
        r.machines(),
        *r.evidence(),
        r.empty(N_("Cross-border impact")),
    ]


def _gdpr(r: Records) -> list[Field]:
    return [
        r.entity(),
        r.officer(),
        r.incident(),
        r.detected(),
        r.aware(),
        r.description(),
        r.claims(with_volume=True),
        r.empty(N_("Categories of personal data concerned")),
        *r.patients(),
        r.impact(N_("Likely consequences: clinical activities not fully functional")),
        r.measures(N_("Measures taken or proposed")),
    ]


FORMS: dict[str, Callable[[Records], list[Field]]] = {
    NIS2_EARLY_WARNING.key: _early_warning,
    NIS2_NOTIFICATION.key: _notification,
    NIS2_FINAL_REPORT.key: _final_report,
    GDPR_DPA.key: _gdpr,
}


def _may_draft(uow: UnitOfWork, ctx: Context, key: str) -> None:
    """Who may read a draft is who may write it: the register's keepers and the duty's
    officer (it tells the state of every site, for the cell and the authority)."""
    found = incident_store.incident(uow)
    records = duty_store.duties(uow, found.id) if found is not None else []
    officer = next((r.officer for r in records if r.key == key), "")
    access.duty_move(ctx, officer, DutyStatus.DRAFTED)


def read_draft(uow: UnitOfWork, ctx: Context, key: str) -> DraftFacts:
    """The draft of a standard duty from the records as they are now; nothing is written."""
    key = key.strip().lower()
    _may_draft(uow, ctx, key)
    form = FORMS.get(key)
    if form is None:
        no_form = N_("relance drafts {forms}; {key} has no form to fill")
        raise InvalidInput(no_form, forms=", ".join(FORMS), key=repr(key))
    duty = next(d for d in duty_register(uow, ctx).duties if d.key == key)
    found = current_incident(uow)
    records = Records(uow, found, ctx.clock.now())
    sites = {s.code: s.short for s in network_store.sites(uow)}
    activities = {a.code: a.name for a in network_store.activities(uow)}
    return DraftFacts(
        key=key,
        title=duty.title,
        authority=duty.authority,
        basis=duty.basis,
        drafted_at=str(iso(records.now, records.zone)),
        zone=str(records.zone),
        fields=form(records),
        sites=sites,
        activities=activities,
        names=network_store.translations(uow),
        clock_mode=reading(uow).mode.value,
    )


@dataclass(frozen=True)
class Drafted:
    duty: Duty  # as it stands after the drafting
    document: DraftDocument | None  # None: a duty the cell added has no form relance knows


def draft_in(
    uow: UnitOfWork, ctx: Context, key: str, language: str
) -> tuple[DraftFacts, DraftDocument]:
    """The draft's facts and its document in one language, read only (the API shows both)."""
    facts = read_draft(uow, ctx, key)
    return facts, document(facts, Words(language, facts.names))


def draft_document(uow: UnitOfWork, ctx: Context, key: str, language: str) -> DraftDocument:
    return draft_in(uow, ctx, key, language)[1]


def draft_duty(
    uow: UnitOfWork, ctx: Context, key: str, language: str, *, take_back: bool = False
) -> Drafted:
    """The draft, and the duty drafted if it was to do (one audit row). A duty further on
    keeps its status (printing a draft again withdraws no approval) unless `take_back`
    asks to take its approval back. A duty the cell added is only marked drafted."""
    key = key.strip().lower()
    found = next((d for d in duty_register(uow, ctx).duties if d.key == key), None)
    written = draft_document(uow, ctx, key, language) if key in FORMS else None
    if found is None or found.status is DutyStatus.TO_DO or take_back or written is None:
        duty = move_duty(uow, ctx, key, DutyStatus.DRAFTED)  # says why if it cannot
    else:
        access.duty_move(ctx, found.officer, DutyStatus.DRAFTED)  # the drafter's right
        duty = found
    return Drafted(duty, written)
