"""The after-action review as a document in one language, drawn by the sitrep's PDF writer.

For the board, the minister and the regulator a month later: what happened when, what was
decided and what came of it, the plans against what was reported, the SMS, the legal duties,
and what the cell itself found and will change.
"""

from datetime import datetime

from relance.domain.incident import Measure, criteria_said
from relance.domain.review import ActionStatus, FindingKind
from relance.i18n import N_
from relance.reports.codes import ACTION_STATUSES
from relance.reports.marks import document_mark
from relance.reports.review_model import ActionLine, KeyTime, ReviewFacts
from relance.reports.sitrep_document import Block, Document, Picture, Section, Table
from relance.reports.words import Words

KEY_TIMES = {
    "first_signs": N_("First signs"),
    "alert": N_("Alert (detection)"),
    "confirmation": N_("Attack confirmed"),
    "containment": N_("Containment"),
    "first_service": N_("First IT service back"),
}
DELIVERY_ORDER = (
    "delivered",
    "accepted",
    "submitted",
    "unconfirmed",
    "failed",
    "sending",
    "queued",
)


def document(facts: ReviewFacts, w: Words, clock_mode: str = "live") -> Document:
    title = w._("{organisation}: after-action review", organisation=facts.organisation)
    subtitle = w._("Incident {name}", name=facts.incident)
    now = datetime.fromisoformat(facts.now)
    byline = w._(
        "Built on {date} at {time} ({zone}) from the crisis cell's records.",
        date=w.t.long_date(now.date()),
        time=w.t.time(now),
        zone=facts.zone,
    )
    sections = [
        Section(w._("Key times"), [_key_times(facts, w)]),
        Section(w._("Activities back, by site"), [_activities(facts, w)]),
        Section(w._("Plans against reality"), _plans(facts, w), new_page=True),
        Section(w._("Decisions and their outcome"), [_decisions(facts, w)], new_page=True),
        Section(w._("SMS to patients"), _sms(facts, w)),
        Section(w._("Legal duties"), [_duties(facts, w)]),
        Section(w._("Findings of the crisis cell"), _findings(facts, w), new_page=True),
        Section(w._("Improvement plan"), [_actions(facts, w)]),
    ]
    return Document(
        language=w.language,
        organisation=facts.organisation,
        title=title,
        subtitle=subtitle,
        byline=byline,
        sections=sections,
        footer=w._("{title}, {subtitle}", title=title, subtitle=subtitle),
        draft_mark=None,
        clock_mark=document_mark(clock_mode, w),
    )


def _when(moment: str | None, facts: ReviewFacts, w: Words) -> str:
    """'J2, lun. 16/05, 14:00'; a dash when nothing was recorded."""
    if moment is None:
        return "\u2013"
    return f"{w.day_of(moment, facts.day0)}, {w.at(moment)}"


def _key_times(facts: ReviewFacts, w: Words) -> Block:
    return Table(
        [w._("moment"), w._("when"), w._("as recorded")],
        [[w._(KEY_TIMES[k.key]), _when(k.at, facts, w), _recorded(k, w)] for k in facts.key_times],
        [45, 45, 180],
    )


def _recorded(k: KeyTime, w: Words) -> str:
    if k.at is None:
        return w._("not recorded")
    return criteria_said(k.what, w._) if k.key == "containment" else k.what


def _activity(facts: ReviewFacts, code: str, w: Words) -> str:
    return w.name(facts.activities.get(code, code))


def _activities(facts: ReviewFacts, w: Words) -> Block:
    """One row per site and pair of times: the activities that went down and came back
    together are named together."""
    if not facts.activities_back:
        return w._("No clinical activity was recorded below full capacity.")
    rows: dict[tuple[str, str, str | None], list[str]] = {}
    for a in facts.activities_back:
        rows.setdefault((a.site, a.down_at, a.back_at), []).append(_activity(facts, a.activity, w))
    return Table(
        [w._("site"), w._("activities"), w._("below full capacity from"), w._("fully back")],
        [
            [
                w.name(facts.sites.get(site, site)),
                ", ".join(names),
                _when(down, facts, w),
                _when(back, facts, w) if back else w._("not yet"),
            ]
            for (site, down, back), names in rows.items()
        ],
        [35, 135, 50, 50],
    )


def _plans(facts: ReviewFacts, w: Words) -> list[Block]:
    if not facts.plans:
        return [w._("No restoration plan was computed.")]
    caption = w._("Machines redeployed: each plan version's forecast against what was reported")
    table = Table(
        [
            w._("plan"),
            w._("method"),
            w._("start"),
            w._("machines back as planned"),
            w._("last machine expected"),
            w._("as many machines really back"),
        ],
        [
            [
                str(p.version),
                w.method(p.method),
                _when(p.start_at, facts, w),
                w.number(p.expected[-1][1]),
                _when(p.last_at, facts, w),
                _when(p.reached_at, facts, w) if p.reached_at else w._("not yet"),
            ]
            for p in facts.plans
        ],
        [20, 35, 50, 40, 50, 55],
    )
    back = facts.redeployed[-1][1] if facts.redeployed else 0
    reported = w._(
        "{back} of {total} machines redeployed at the time of the review.",
        back=w.number(back),
        total=w.number(facts.machines),
    )
    return [Picture("plans", caption), table, reported]


def _decisions(facts: ReviewFacts, w: Words) -> Block:
    if not facts.decisions:
        return w._("No decision was recorded in the log.")
    return Table(
        [w._("when"), w._("decision"), w._("decided by"), w._("measure"), w._("outcome")],
        [
            [
                _when(d.at, facts, w),
                d.text,
                d.decided_by,
                w.measure(d.measure) if d.measure else "\u2013",
                _outcome(d.measure, d.ended_at, d.ended_by, facts, w),
            ]
            for d in facts.decisions
        ],
        [38, 110, 40, 45, 50],
    )


def _outcome(
    measure: str | None, ended_at: str | None, ended_by: str | None, facts: ReviewFacts, w: Words
) -> str:
    if measure is None or measure == Measure.LIFTED:
        return "\u2013"
    if ended_at is None or ended_by is None:
        return w._("still in force")
    return w._(
        "replaced on {when}: {measure}",
        when=_when(ended_at, facts, w),
        measure=w.measure(ended_by),
    )


def _sms(facts: ReviewFacts, w: Words) -> list[Block]:
    if not facts.sms_now and not facts.sms_handed:
        return [w._("No SMS to patients is recorded in relance.")]
    told = w._(
        "{handed} SMS handed to the gateway; {delivered} delivered to the patient's phone.",
        handed=w.number(facts.sms_handed),
        delivered=w.number(facts.sms_now.get("delivered", 0)),
    )
    order = {s: i for i, s in enumerate(DELIVERY_ORDER)}
    states = sorted(facts.sms_now, key=lambda s: order.get(s, len(order)))
    table = Table(
        [w._("status at the review"), w._("SMS")],
        [[w.delivery(s), w.number(facts.sms_now[s])] for s in states],
        [60, 30],
    )
    return [told, table]


def _duties(facts: ReviewFacts, w: Words) -> Block:
    if not facts.duties:
        return w._("No legal duty is recorded in the register.")
    return Table(
        [w._("duty"), w._("due"), w._("submitted"), w._("status")],
        [
            [
                w._(d.title),  # an added duty's title, not a message, reads as typed
                _when(d.due_at, facts, w),
                _when(d.submitted_at, facts, w) if d.submitted_at else w._("not submitted"),
                _duty_status(d.due_at, d.submitted_at, facts.now, w),
            ]
            for d in facts.duties
        ],
        [110, 55, 55, 50],
    )


def _duty_status(due: str, submitted: str | None, now: str, w: Words) -> str:
    """Met or late from the register's own times: the same words for every duty."""
    deadline = datetime.fromisoformat(due)
    if submitted is not None:
        return w._("met") if datetime.fromisoformat(submitted) <= deadline else w._("late")
    return w._("late") if datetime.fromisoformat(now) > deadline else w._("not yet due")


def _findings(facts: ReviewFacts, w: Words) -> list[Block]:
    out: list[Block] = []
    for kind, heading in (
        (FindingKind.WENT_WELL, w._("What went well")),
        (FindingKind.TO_IMPROVE, w._("What did not go well")),
    ):
        found = [f"{f.text} (#{f.id}, {f.recorded_by})" for f in facts.findings if f.kind == kind]
        out += [heading, found or [w._("No finding recorded.")]]
    return out


def _actions(facts: ReviewFacts, w: Words) -> Block:
    if not facts.actions:
        return w._("No improvement action recorded.")
    return Table(
        [w._("no."), w._("action"), w._("finding"), w._("owner"), w._("due"), w._("status")],
        [
            [
                str(a.id),
                a.text,
                f"#{a.finding_id}" if a.finding_id else "\u2013",
                a.owner,
                w.t.numeric_date(datetime.fromisoformat(a.due_on).date()),
                _status(a, w),
            ]
            for a in facts.actions
        ],
        [12, 120, 20, 50, 35, 35],
    )


def _status(a: ActionLine, w: Words) -> str:
    shown = w._(ACTION_STATUSES[ActionStatus(a.status)])
    return w._("{status}, late", status=shown) if a.late else shown
