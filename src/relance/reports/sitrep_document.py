"""The sitrep as a document in one language: titles, sentences and tables, before any layout.

The PDF and the Markdown draw the same document, so they say the same thing in the same words.
"""

from dataclasses import dataclass
from datetime import date, datetime

from relance.domain.duties import STANDARD_KEYS, DutyStatus
from relance.domain.functioning import Functioning
from relance.domain.lifecycle import PATH, AssetState
from relance.domain.network import SiteKind
from relance.i18n import N_
from relance.reports.marks import document_mark
from relance.reports.sitrep_model import ForecastLine, Header, MeasureLine, SitrepFacts
from relance.reports.words import Words


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative widths of the columns


@dataclass(frozen=True)
class Matrix:
    """The site x activity table: its cells are coloured by status where the format can."""

    head: list[str]
    rows: list[tuple[str, list[tuple[str, str] | None]]]  # (site, [(functioning, text)])
    legend: list[tuple[str, str]]  # (functioning, label)


@dataclass(frozen=True)
class Picture:
    name: str  # "sites" or "machines": the chart of that question
    caption: str


Block = str | list[str] | Table | Matrix | Picture  # a paragraph, bullets, or a figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block]
    new_page: bool = False  # a figure's question gets a page of its own


@dataclass(frozen=True)
class Document:
    language: str
    organisation: str
    title: str
    subtitle: str
    byline: str
    sections: list[Section]
    footer: str
    draft_mark: str | None  # across every page of a draft
    clock_mark: str | None = None  # atop every page of an exercise's or a replay's (marks.py)


STATES_SHOWN = (*PATH, AssetState.DECOMMISSIONED)


def document(facts: SitrepFacts, head: Header, words: Words) -> Document:
    w = words
    day = date.fromisoformat(facts.day)
    when = w.t.long_date(day)
    if facts.day_number is not None:
        when = f"{w.day(facts.day_number)}, {when}"
    subtitle = when
    if facts.incident:
        subtitle = w._("Incident {name}, {day}", name=facts.incident, day=when)
    title = w._("{organisation}: situation report", organisation=facts.organisation)
    sections = [
        Section(w._("Situation"), [_situation(facts, w), *_note(head, w)]),
        Section(w._("Since the day before"), [_since(facts, w)]),
        Section(w._("Decisions of the day"), _decisions(facts, w)),
        Section(w._("Measures in force"), [_measures(facts, w)]),
        Section(w._("Legal duties"), [_duties(facts, w)]),
        Section(
            w._("Clinical activities by site at the end of the day"),
            _activities(facts, w),
            new_page=True,
        ),
        Section(w._("Machines back, against the plan"), _machines(facts, w), new_page=True),
        Section(w._("Appointments and patients"), _clinic(facts, w)),
        Section(w._("Objectives for the next period"), _objectives(facts, w)),
        Section(w._("Forecast of reopenings, by site"), _forecast(facts, w), new_page=True),
    ]
    state = _state(head.state, w)
    return Document(
        language=w.language,
        organisation=facts.organisation,
        title=title,
        subtitle=subtitle,
        byline=_byline(facts, head, w),
        sections=sections,
        footer=w._(
            "{title}, {day}, version {version} ({state})",
            title=title,
            day=when,
            version=head.version,
            state=state,
        ),
        draft_mark=w._("DRAFT") if head.state == "draft" else None,
        clock_mark=document_mark(head.clock_mode, w),
    )


def _state(value: str, w: Words) -> str:
    states = {"draft": w._("draft"), "approved": w._("approved"), "published": w._("published")}
    return states.get(value, value)


def _byline(facts: SitrepFacts, head: Header, w: Words) -> str:
    """Who drafted, approved and published the version, and the time of its data."""
    parts = [w._("Version {version}, {state}.", version=head.version, state=_state(head.state, w))]
    signed = (
        (N_("Drafted by {who} on {when}."), head.drafted_by, head.drafted_at),
        (N_("Approved by {who} on {when}."), head.approved_by, head.approved_at),
        (N_("Published by {who} on {when}."), head.published_by, head.published_at),
    )
    for message, who, at in signed:
        if who and at:
            moment = datetime.fromisoformat(at)
            when = w._("{date} at {time}", date=w.t.numeric_date(moment), time=w.t.time(moment))
            parts.append(w._(message, who=who, when=when))
    if facts.as_of is None:
        parts.append(w._("No data recorded up to the end of the day."))
    else:
        moment = datetime.fromisoformat(facts.as_of)
        parts.append(
            w._(
                "Data as of {date} at {time} ({zone}).",
                date=w.t.long_date(moment.date()),
                time=w.t.time(moment),
                zone=facts.zone,
            )
        )
    return " ".join(parts)


def _note(head: Header, w: Words) -> list[Block]:
    return [w._("Note of the crisis cell: {note}", note=head.note)] if head.note else []


def _activity(facts: SitrepFacts, code: str, w: Words) -> str:
    names = {c.code: c.name for c in facts.activities}
    return w.name(names.get(code, code))


def _site(facts: SitrepFacts, code: str, w: Words) -> str:
    return w.name(facts.sites.get(code, code))


def _situation(facts: SitrepFacts, w: Words) -> list[str]:
    out = []
    if facts.incident and facts.phase and facts.day_number is not None:
        since = w.at(facts.phase_since) if facts.phase_since else ""
        out.append(
            w._(
                "{day} of the incident {name}; phase: {phase} since {since}.",
                day=w.day(facts.day_number),
                name=facts.incident,
                phase=w.phase(facts.phase),
                since=since,
            )
        )
    else:
        out.append(w._("No incident has been declared in relance."))
    total = sum(facts.machines.values())
    if total:
        m = facts.machines
        back = m.get(AssetState.REDEPLOYED.value, 0)
        rebuilding = sum(
            m.get(s.value, 0)
            for s in (AssetState.REIMAGED, AssetState.VALIDATED, AssetState.CLEAN_ZONE)
        )
        down = sum(m.get(s.value, 0) for s in (AssetState.COMPROMISED, AssetState.ISOLATED))
        out.append(
            w._(
                "{back} of {total} machines redeployed ({share}); {rebuilding} being rebuilt, "
                "{down} still compromised or isolated, {imaged} kept as forensic copies.",
                back=w.number(back),
                total=w.number(total),
                share=w.percent(round(100 * back / total)),
                rebuilding=w.number(rebuilding),
                down=w.number(down),
                imaged=w.number(m.get(AssetState.IMAGED.value, 0)),
            )
        )
    cells = [c.functioning for row in facts.matrix for c in row.cells if c is not None]
    out.append(
        w._(
            "Clinical activities at the end of the day: {fully} fully, {partially} partially "
            "and {not_} not functional, across {sites} sites.",
            fully=cells.count(Functioning.FULLY.value),
            partially=cells.count(Functioning.PARTIALLY.value),
            not_=cells.count(Functioning.NOT.value),
            sites=len(facts.matrix),
        )
    )
    if facts.plan is None:
        out.append(w._("No restoration plan computed yet: no forecast of reopenings."))
    elif facts.plan.last_at:
        out.append(
            w._(
                "Plan {version} ({method}) expects the last machine back on {when}.",
                version=facts.plan.version,
                method=w.method(facts.plan.method),
                when=w.on_day(facts.plan.last_at, facts.day0),
            )
        )
    if facts.clinic is None:
        out.append(w._("No appointment book imported: no triage and no SMS to report."))
    else:
        out.append(
            w._(
                "{triaged} appointments triaged during the day; {told} patients told by SMS "
                "so far.",
                triaged=w.number(sum(facts.clinic.decided_today.values())),
                told=w.number(facts.clinic.sms_now.get("delivered", 0)),
            )
        )
    return out


def _since(facts: SitrepFacts, w: Words) -> list[str]:
    s = facts.since
    out = []
    if not s.changes:
        out.append(w._("No clinical activity changed status."))
    for c in s.changes:
        before = w.percent(c.before.capacity) if c.before else "\u2013"
        out.append(
            w._(
                "{activity} at {site}: {before} to {after} ({status})",
                activity=_activity(facts, c.activity, w),
                site=_site(facts, c.site, w),
                before=before,
                after=w.percent(c.after.capacity),
                status=w.functioning(c.after.functioning),
            )
        )
    back = facts.machines.get(AssetState.REDEPLOYED.value, 0)
    out.append(
        w._(
            "Machines: {n} more redeployed ({total} in all); {moves} moves recorded.",
            n=w.number(s.redeployed),
            total=w.number(back),
            moves=w.number(s.moves),
        )
    )
    out.append(w._("Decisions taken: {n}.", n=s.decisions))
    out.append(w._("SMS handed to the gateway: {n}.", n=w.number(s.sms_sent)))
    return out


def _measures(facts: SitrepFacts, w: Words) -> Block:
    if not facts.measures:
        return w._("No standing measure is in force.")
    return Table(
        [w._("since"), w._("activities"), w._("where"), w._("measure"), w._("decided by")],
        [
            [
                w.on_day(m.at, facts.day0),
                ", ".join(_activity(facts, a, w) for a in m.activities),
                _where(facts, m, w),
                w.measure(m.measure),
                m.decided_by,
            ]
            for m in facts.measures
        ],
        [28, 50, 40, 120, 40],
    )


def _duties(facts: SitrepFacts, w: Words) -> Block:
    if not facts.duties:
        return w._("No legal deadline runs: the cell is not aware of an attack.")
    zone = f" ({facts.zone})"
    return Table(
        [w._("duty"), w._("authority"), w._("due") + zone, w._("status"), w._("time left")],
        [
            [
                w.duty(d.title, d.key in STANDARD_KEYS),
                d.authority,
                w.at(d.due_at) if d.due_at else "\u2013",
                w.duty_status(d.status),
                _left(d.status, d.left_minutes, w),
            ]
            for d in facts.duties
        ],
        [120, 35, 50, 35, 38],
    )


def _left(status: str, minutes: int | None, w: Words) -> str:
    if minutes is None or DutyStatus(status).done:
        return "\u2013"
    if minutes < 0:
        return w._("late by {time}", time=w.span(-minutes))
    return w.span(minutes)


def _where(facts: SitrepFacts, m: MeasureLine, w: Words) -> str:
    columns = [c.code for c in facts.activities]
    offered = {
        row.site
        for row in facts.matrix
        for code, cell in zip(columns, row.cells, strict=True)
        if cell is not None and code in m.activities
    }
    if offered <= set(m.sites):
        return w._("every site")
    return w.t.join(_site(facts, s, w) for s in m.sites)


def site_label(facts: SitrepFacts, code: str, kind: str, w: Words) -> str:
    name = _site(facts, code, w)
    if kind == SiteKind.HOSPITAL.value:
        return name
    return f"{name} ({w.site_kind(kind)})"


def _activities(facts: SitrepFacts, w: Words) -> list[Block]:
    matrix = Matrix(
        [w._("site"), *[w.name(a.name) for a in facts.activities]],
        [
            (
                site_label(facts, row.site, row.kind, w),
                [(c.functioning, w.percent(c.capacity)) if c else None for c in row.cells],
            )
            for row in facts.matrix
        ],
        [(f.value, w.functioning(f.value)) for f in Functioning],
    )
    return [matrix, Picture("sites", w._("Activities per site, by status"))]


def _machines(facts: SitrepFacts, w: Words) -> list[Block]:
    before = facts.days[-2].counts if len(facts.days) > 1 else {}
    rows = [
        [w.state(s.value), w.number(n), _signed_number(n - before.get(s.value, 0), w)]
        for s in STATES_SHOWN
        if (n := facts.machines.get(s.value, 0)) or before.get(s.value, 0)
    ]
    table = Table(
        [w._("state"), w._("end of the day"), w._("since the day before")], rows, [70, 40, 40]
    )
    caption = w._("Machines redeployed at the end of each day, against the plan")
    return [Picture("machines", caption), table]


def _signed_number(n: int, w: Words) -> str:
    return f"+{w.number(n)}" if n > 0 else w.number(n) if n < 0 else "0"


def _forecast(facts: SitrepFacts, w: Words) -> list[Block]:
    if facts.plan is None:
        return [w._("No restoration plan computed yet: no forecast.")]
    made = w._(
        "From plan {version} ({method}), starting {when}. Each cell gives the day an activity "
        "first gains capacity, then the day it is fully back (day number from day 0, {day0}, "
        "and date); empty: fully functional already, or not at the site.",
        version=facts.plan.version,
        method=w.method(facts.plan.method),
        when=w.on_day(facts.plan.start_at, facts.day0),
        day0=w.t.short_date(date.fromisoformat(facts.day0)) if facts.day0 else "",
    )
    if not facts.forecast:
        return [made, w._("Every activity is at full capacity.")]
    codes = [c.code for c in facts.activities if any(f.activity == c.code for f in facts.forecast)]
    by_site: dict[str, dict[str, ForecastLine]] = {}
    for f in facts.forecast:
        by_site.setdefault(f.site, {})[f.activity] = f
    kinds = {row.site: row.kind for row in facts.matrix}
    rows = [
        [site_label(facts, site, kinds[site], w), *(_when(facts, lines.get(c), w) for c in codes)]
        for site, lines in by_site.items()
    ]
    matrix = Table(
        [w._("site"), *(_activity(facts, c, w) for c in codes)],
        rows,
        [44, *[225 / len(codes)] * len(codes)],
    )
    blockers = Table(
        [w._("site"), w._("waits for (what is still down at the end of the day)")],
        [
            [site_label(facts, site, kinds[site], w), _blockers(facts, site, lines, w)]
            for site, lines in by_site.items()
        ],
        [44, 225],
    )
    return [made, matrix, blockers]


def _when(facts: SitrepFacts, f: ForecastLine | None, w: Words) -> str:
    """'J8 → J10' over '22/05 → 24/05': first gain, then fully back."""
    if f is None:
        return ""
    days = [at for at in (f.partial_at, f.full_at) if at]
    if len(days) == 2 and days[0][:10] == days[1][:10]:
        days = days[1:]
    if not days:
        return "\u2013"
    numbers = "\u2192".join(w.day_of(at, facts.day0) for at in days)
    dates = "\u2192".join(w.t.day_month(datetime.fromisoformat(at)) for at in days)
    return f"{numbers}\n{dates}"


def _blockers(facts: SitrepFacts, site: str, lines: dict[str, ForecastLine], w: Words) -> str:
    """What the site's activities wait for, each chain once: the machines of several
    departments waiting for the same team are named together."""
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for f in lines.values():
        items = list(f.waits_for)
        machines = items.pop(0)[1] if items and items[0][0] == "machines" else None
        named = groups.setdefault(tuple(items), [])
        if machines is not None:
            named.append(_machines_of(facts, machines, site, w))
    out = []
    for rest, departments in groups.items():
        links = (
            [w._("machines of {department}", department=", ".join(departments))]
            if departments
            else []
        )
        links += [_link(facts, kind, key, site, w) for kind, key in rest]
        out.append(" \u2190 ".join(links) if links else w._("nothing still down"))
    return "; ".join(dict.fromkeys(out))


def _machines_of(facts: SitrepFacts, group: str, site: str, w: Words) -> str:
    where, _, _ = group.partition("/")
    name = w.name(facts.departments.get(group, group))
    return name if where == site else f"{name} ({_site(facts, where, w)})"


def _link(facts: SitrepFacts, kind: str, key: str, site: str, w: Words) -> str:
    if kind == "team":
        return w._("team {code}", code=key)
    if kind == "machines":
        return w._("machines of {department}", department=_machines_of(facts, key, site, w))
    return key


def _clinic(facts: SitrepFacts, w: Words) -> list[Block]:
    c = facts.clinic
    if c is None:
        return [w._("No appointment book imported: no triage and no SMS to report.")]
    decisions = sorted(set(c.decided_today) | set(c.current))
    statuses = sorted(set(c.sms_today) | set(c.sms_now))
    return [
        Table(
            [w._("decision"), w._("triaged during the day"), w._("current decisions")],
            [
                [w.decision(d), w.number(c.decided_today.get(d, 0)), w.number(c.current.get(d, 0))]
                for d in decisions
            ],
            [50, 45, 45],
        ),
        Table(
            [w._("SMS status"), w._("during the day"), w._("as of the report")],
            [
                [w.delivery(s), w.number(c.sms_today.get(s, 0)), w.number(c.sms_now.get(s, 0))]
                for s in statuses
            ],
            [50, 45, 45],
        ),
    ]


def _decisions(facts: SitrepFacts, w: Words) -> list[Block]:
    count = w._("Log entries of the day: {n}.", n=facts.log_entries)
    if not facts.decisions:
        return [w._("No decision recorded in the log for this day."), count]
    table = Table(
        [w._("when"), w._("decided by"), w._("decision"), w._("why")],
        [[w.at(d.at), d.decided_by, d.text, d.rationale] for d in facts.decisions],
        [25, 40, 110, 90],
    )
    return [table, count]


def _objectives(facts: SitrepFacts, w: Words) -> list[Block]:
    if facts.objectives_period is None:
        return [w._("No next operational period opened yet.")]
    if not facts.objectives:
        return [w._("Period {n}: no objective set yet.", n=facts.objectives_period)]
    return [
        w._("Period {n}:", n=facts.objectives_period),
        [text + (f" ({owner})" if owner else "") for text, owner in facts.objectives],
    ]
