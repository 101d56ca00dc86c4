"""The public communiqué, from an approved sitrep and the measures in force, in one language.

It says only what the sitrep holds, grouped by what patients come for (emergencies, hospitalised
patients, consultations, surgery, imaging, blood sampling, Covid centres), each with what to do.
An activity "works" at a site at half its capacity or more. It names the organisation by its
public name and never prints a machine, a code, the attacker, a ransom, a patient or a date other
than the incident's first day and the report's own (the checklist in docs/crisis-cell.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from relance.domain.functioning import Functioning
from relance.domain.incident import Measure
from relance.domain.network import Organisation, PublicService
from relance.i18n import N_
from relance.reports.sitrep_model import MeasureLine, SitrepFacts
from relance.reports.words import Words

WORKS = 50  # percent of capacity from which an activity is said to work
SECTIONS = {
    PublicService.EMERGENCIES: N_("Emergencies"),
    PublicService.INPATIENTS: N_("Hospitalised patients"),
    PublicService.CONSULTATIONS: N_("Consultations"),
    PublicService.SURGERY: N_("Surgery"),
    PublicService.IMAGING: N_("Medical imaging"),
    PublicService.BLOOD_SAMPLING: N_("Blood sampling"),
    PublicService.COVID: N_("Covid centres"),
}
# What patients are told of a measure; {activities} names the activities (and sites) it covers.
MEASURES = {
    Measure.MAINTAINED: N_("{activities}: maintained."),
    Measure.CANCELLED: N_("{activities}: planned appointments are cancelled; do not come."),
    Measure.CANCELLED_BY_SMS: N_(
        "{activities}: appointments are cancelled and each patient receives an SMS. Your "
        "physician may keep an appointment: you will then be called."
    ),
    Measure.CASE_BY_CASE: N_(
        "{activities}: each patient is called; the appointment is kept or not case by case."
    ),
    Measure.STOPPED: N_("{activities}: stopped."),
}


@dataclass(frozen=True)
class Communique:
    language: str
    subject: str
    body: str


def communique(facts: SitrepFacts, org: Organisation, w: Words) -> Communique:
    day = w.t.long_date(date.fromisoformat(facts.day))
    subject = w._(
        "{organisation}: cyberattack, situation on {date}", organisation=org.name, date=day
    )
    text = [_opening(facts, org, w, day)]
    for service, title in SECTIONS.items():
        lines = _section(facts, service, w)
        if lines:
            text += ["", w._(title), *lines]
    text += ["", *_closing(facts, org, w)]
    return Communique(w.language, subject, "\n".join(text))


def _opening(facts: SitrepFacts, org: Organisation, w: Words, day: str) -> str:
    if facts.day0 is None:
        return w._("Situation of {organisation} on {date}.", organisation=org.name, date=day)
    return w._(
        "Since {start}, {organisation} has been facing a cyberattack. Here is the situation "
        "on {date}.",
        start=w.t.long_date(date.fromisoformat(facts.day0)),
        organisation=org.name,
        date=day,
    )


def _section(facts: SitrepFacts, service: PublicService, w: Words) -> list[str]:
    codes = [c.code for c in facts.activities if c.public == service.value]
    if not codes:
        return []
    measured: dict[tuple[str, str], MeasureLine] = {}
    for m in facts.measures:
        for a in m.activities:
            for s in m.sites:
                measured[(a, s)] = m
    lines = _working(facts, codes, measured, w)
    lines += _measures(facts, codes, measured, w)
    lines += _unmeasured(facts, codes, measured, w)
    if service is PublicService.EMERGENCIES and lines:
        lines.append(w._("In a life-threatening emergency, call 112."))
    return lines


def _cells(facts: SitrepFacts, code: str) -> list[tuple[str, Functioning, int]]:
    """(site, functioning, capacity) of an activity wherever it runs."""
    index = [c.code for c in facts.activities].index(code)
    return [
        (row.site, Functioning(cell.functioning), cell.capacity)
        for row in facts.matrix
        if (cell := row.cells[index]) is not None
    ]


def _grouped(items: Sequence[tuple[str, tuple[str, ...]]]) -> dict[tuple[str, ...], list[str]]:
    """Activities that share the same sites, together: sites -> activities."""
    out: dict[tuple[str, ...], list[str]] = {}
    for code, sites in items:
        if sites:
            out.setdefault(sites, []).append(code)
    return out


def _names(facts: SitrepFacts, codes: Sequence[str], w: Words) -> str:
    names = {c.code: c.name for c in facts.activities}
    return w.t.join(w.name(names[c]) for c in codes)


def _places(facts: SitrepFacts, sites: Sequence[str], w: Words) -> str:
    return w.t.join(w.name(facts.sites.get(s, s)) for s in sites)


def _works(m: MeasureLine | None, f: Functioning, capacity: int) -> bool:
    """Said to work: half its capacity or more, and no measure other than `maintained`."""
    kept = m is None or m.measure == Measure.MAINTAINED.value
    return kept and capacity >= WORKS and f is not Functioning.NOT


def _working(
    facts: SitrepFacts,
    codes: list[str],
    measured: dict[tuple[str, str], MeasureLine],
    w: Words,
) -> list[str]:
    """What works, where; "in degraded mode" when it is everywhere partially functional."""
    items, degraded = [], {}
    for code in codes:
        works = [(s, f) for s, f, c in _cells(facts, code) if _works(measured.get((code, s)), f, c)]
        items.append((code, tuple(s for s, _ in works)))
        degraded[code] = all(f is Functioning.PARTIALLY for _, f in works)
    out = []
    for sites, group in _grouped(items).items():
        message = (
            N_("{activities}: running in degraded mode at {sites}.")
            if all(degraded[c] for c in group)
            else N_("{activities}: running at {sites}.")
        )
        out.append(w._(message, activities=_names(facts, group, w), sites=_places(facts, sites, w)))
    return out


def _measures(
    facts: SitrepFacts,
    codes: list[str],
    measured: dict[tuple[str, str], MeasureLine],
    w: Words,
) -> list[str]:
    """The measures in force on these activities, as patients are told them, where they are
    in force (a maintained activity that works is already said to work)."""
    out = []
    for m in facts.measures:
        mine = [a for a in codes if a in m.activities]
        cells = [
            (a, s, f, c)
            for a in mine
            for s, f, c in _cells(facts, a)
            if measured.get((a, s)) is m and not _works(m, f, c)
        ]
        if not cells:
            continue
        sites = [s for s in facts.sites if any(s == site for _, site, _, _ in cells)]
        offered = {s for a in mine for s, _, _ in _cells(facts, a)}
        label = _names(facts, [a for a in mine if any(a == x for x, _, _, _ in cells)], w)
        if set(sites) != offered:
            label = f"{label} ({_places(facts, sites, w)})"
        out.append(w._(MEASURES[Measure(m.measure)], activities=label))
    return out


def _unmeasured(
    facts: SitrepFacts,
    codes: list[str],
    measured: dict[tuple[str, str], MeasureLine],
    w: Words,
) -> list[str]:
    """Activities below half their capacity that no measure speaks for: reduced or closed."""
    reduced, closed = [], []
    for code in codes:
        cells = [(s, c) for s, _, c in _cells(facts, code) if (code, s) not in measured]
        reduced.append((code, tuple(s for s, c in cells if 0 < c < WORKS)))
        closed.append((code, tuple(s for s, c in cells if c == 0)))
    out = [
        w._(
            "{activities}: strongly reduced at {sites}; call before coming.",
            activities=_names(facts, group, w),
            sites=_places(facts, sites, w),
        )
        for sites, group in _grouped(reduced).items()
    ]
    out += [
        w._(
            "{activities}: not available at {sites}.",
            activities=_names(facts, group, w),
            sites=_places(facts, sites, w),
        )
        for sites, group in _grouped(closed).items()
    ]
    return out


def _closing(facts: SitrepFacts, org: Organisation, w: Words) -> list[str]:
    out = []
    if facts.clinic is not None and (told := facts.clinic.sms_now.get("delivered", 0)):
        out.append(w._("So far, {n} patients have been told by SMS.", n=w.number(told)))
    out.append(
        w._("Please call the hospital only when really needed: {phone}.", phone=org.patient_line)
    )
    if org.website:
        out.append(w._("Updates: {website}.", website=org.website))
    return out
