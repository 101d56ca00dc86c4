"""The sitrep as Markdown, with its two charts written as PNG files beside it."""

from pathlib import Path

from relance.domain.functioning import Functioning
from relance.reports import sitrep_charts
from relance.reports.sitrep_model import Header, SitrepFacts, short


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def title(facts: SitrepFacts) -> str:
    day = f"day {facts.day_number}, " if facts.day_number is not None else ""
    return f"Situation report: {facts.network}, {day}{facts.day}"


def render(facts: SitrepFacts, head: Header, curve: str, matrix: str) -> str:
    """The report; `curve` and `matrix` are the file names of its pictures."""
    lines = [f"# {title(facts)}", ""]
    lines += [
        f"Version {head.version}, **{head.state}**. Drafted by {head.drafted_by} "
        f"({short(head.drafted_at)})"
        + (
            f"; approved by {head.approved_by} ({short(head.approved_at)})"
            if head.approved_by
            else ""
        )
        + (
            f"; published by {head.published_by} ({short(head.published_at)})"
            if head.published_by
            else ""
        )
        + f". Covers {short(facts.starts_at)} to {short(facts.ends_at)} ({facts.zone}), "
        f"data as of {short(facts.built_at)}.",
        "",
        "## Situation",
        "",
    ]
    lines += [f"- {s}" for s in facts.summary]
    if head.note:
        lines += ["", f"Note of the crisis cell: {head.note}"]
    lines += ["", "## Clinical activities by site", ""]
    marks = {f.value: f.label.split()[0].lower() for f in Functioning}
    lines += _table(
        ["site", *[a.name for a in facts.activities]],
        [
            [row.site, *[f"{marks[c.functioning]} {c.capacity} %" if c else "" for c in row.cells]]
            for row in facts.matrix
        ],
    )
    lines += [f"![site x activity matrix]({matrix})", ""]
    lines += ["## Restoration progress", ""]
    lines += _table(
        ["state", "machines"], [[state, str(n)] for state, n in facts.machines.items() if n]
    )
    lines += [f"![machines per lifecycle state, plan against reported]({curve})", ""]
    lines += ["## Forecast of reopenings", ""]
    if facts.plan is None:
        lines += ["No restoration plan had been computed: no forecast.", ""]
    elif not facts.forecast:
        lines += [f"Plan {facts.plan.version}: every activity is at full capacity.", ""]
    else:
        lines += [f"From plan {facts.plan.version} ({facts.plan.method}).", ""]
        lines += _table(
            ["site", "activity", "now", "first gain", "fully back", "waits for"],
            [
                [
                    f.site,
                    f.name,
                    f"{f.capacity_now} %",
                    short(f.partial_at),
                    short(f.full_at),
                    f.waits_for,
                ]
                for f in facts.forecast
            ],
        )
    lines += ["## Appointments and patients", ""]
    if facts.clinic is None:
        lines += ["No appointment book imported: no triage and no SMS to report.", ""]
    else:
        c = facts.clinic
        lines += _table(
            ["", "triaged during the day", "current decisions"],
            [
                [d, str(c.decided_today.get(d, 0)), str(c.current.get(d, 0))]
                for d in sorted(set(c.decided_today) | set(c.current))
            ],
        )
        lines += _table(
            ["SMS status", "during the day", "as of the report"],
            [
                [s, str(c.sms_today.get(s, 0)), str(c.sms_now.get(s, 0))]
                for s in sorted(set(c.sms_today) | set(c.sms_now))
            ],
        )
    lines += ["## Decisions of the day", ""]
    if not facts.decisions:
        lines += ["No decision recorded in the log for this day.", ""]
    for d in facts.decisions:
        lines += [f"- {short(d.at)}, {d.decided_by}: {d.text} (why: {d.rationale})"]
    lines += ["", f"Log entries of the day: {facts.log_entries}.", ""]
    lines += ["## Objectives for the next period", ""]
    if facts.objectives_period is None:
        lines += ["No next operational period opened yet.", ""]
    elif not facts.objectives:
        lines += [f"Period {facts.objectives_period}: no objective set yet.", ""]
    else:
        lines += [f"Period {facts.objectives_period}:", ""]
        lines += [
            f"- {text}" + (f" ({owner})" if owner else "") for text, owner in facts.objectives
        ]
        lines += [""]
    return "\n".join(lines)


def write(facts: SitrepFacts, head: Header, out: Path) -> list[Path]:
    curve = out.with_name(f"{out.stem}-curve.png")
    matrix = out.with_name(f"{out.stem}-matrix.png")
    sitrep_charts.curve(facts, curve)
    sitrep_charts.matrix(facts, matrix)
    out.write_text(render(facts, head, curve.name, matrix.name), encoding="utf-8")
    return [out, curve, matrix]
