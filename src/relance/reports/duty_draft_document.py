"""A draft for an authority in one language: the form's questions and the answers from the
records, as text the officer pastes field by field (80 columns) and as an A4 PDF.

Labels come from the catalogue; facts are written as the cell's other documents write them
(dates, numbers, statuses in the reader's language; the cell's own words as recorded).
"""

import io
import textwrap
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from relance.domain.incident import criteria_said
from relance.i18n import N_
from relance.reports.duty_draft_model import DraftFacts, Fact, FactKind
from relance.reports.marks import document_mark
from relance.reports.page_frame import PageFrame, build
from relance.reports.words import Words

WIDTH = 80
K = FactKind
NOT_RECORDED = N_("not recorded in relance")


@dataclass(frozen=True)
class Answer:
    label: str
    lines: list[str]  # one per row of facts; an empty field: the one line saying so
    recorded: bool


@dataclass(frozen=True)
class DraftDocument:
    language: str
    title: str
    subtitle: str
    warning: str
    answers: list[Answer]
    mark: str | None = None  # EXERCICE/REJEU: never taken for a real notification


def written(fact: Fact, facts: DraftFacts, w: Words) -> str:
    """A fact in the reader's language."""
    v = fact.value
    if fact.kind is K.TIME:
        moment = datetime.fromisoformat(v)
        return w._("{date} at {time}", date=w.t.numeric_date(moment), time=w.t.time(moment))
    simple = {
        K.COUNT: lambda: w.number(int(v)),
        K.PERCENT: lambda: w.percent(int(v)),
        K.SITE: lambda: w.name(facts.sites.get(v, v)),
        K.ACTIVITY: lambda: w.name(facts.activities.get(v, v)),
        K.FUNCTIONING: lambda: w.functioning(v),
        K.MEASURE: lambda: w.measure(v),
        K.PHASE: lambda: w.phase(v),
        K.STATE: lambda: w.state(v),
        K.CRITERIA: lambda: criteria_said(v, w._),
    }
    return simple[fact.kind]() if fact.kind in simple else v


def line(row: list[Fact], facts: DraftFacts, w: Words) -> str:
    """'Marche : Urgences, partiellement fonctionnel, 50 %': the first fact, then the others."""
    first, *rest = [written(f, facts, w) for f in row]
    return w._("{name}: {value}", name=first, value=", ".join(rest)) if rest else first


def document(facts: DraftFacts, w: Words) -> DraftDocument:
    answers = []
    for f in facts.fields:
        if f.rows:
            answers.append(Answer(w._(f.label), [line(r, facts, w) for r in f.rows], True))
        else:
            empty = w._(NOT_RECORDED) + (f" ({f.hint})" if f.hint else "")
            answers.append(Answer(w._(f.label), [empty], False))
    moment = datetime.fromisoformat(facts.drafted_at)
    when = w._("{date} at {time}", date=w.t.numeric_date(moment), time=w.t.time(moment))
    return DraftDocument(
        language=w.language,
        title=w._(facts.title),
        subtitle=w._(
            "Draft for {authority}, from the records of relance on {when} ({zone}).",
            authority=facts.authority,
            when=when,
            zone=facts.zone,
        ),
        warning=w._(
            "Each answer comes from a record of the crisis cell; check it, complete what is "
            "not recorded, and paste it into the authority's form."
        ),
        answers=answers,
        mark=document_mark(facts.clock_mode, w),
    )


def text(doc: DraftDocument) -> str:
    """The draft at 80 columns: each field's label, then its answer indented."""
    wrap = textwrap.TextWrapper(WIDTH, break_long_words=False, break_on_hyphens=False)
    marked = [doc.mark, ""] if doc.mark else []
    out = [*marked, *wrap.wrap(doc.title), "", *wrap.wrap(doc.subtitle), *wrap.wrap(doc.warning)]
    for a in doc.answers:
        out += ["", *wrap.wrap(a.label)]
        for entry in a.lines:
            out += textwrap.wrap(
                entry,
                WIDTH,
                initial_indent="  - " if len(a.lines) > 1 else "  ",
                subsequent_indent="    " if len(a.lines) > 1 else "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    return "\n".join(out) + "\n"


def pdf(doc: DraftDocument) -> bytes:
    """The draft on portrait A4: the title, then one row per field (label, answer)."""
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11.5)
    label = ParagraphStyle("label", parent=body, fontName="Helvetica-Bold")
    empty = ParagraphStyle("empty", parent=body, textColor=colors.HexColor("#b71c1c"))
    h1 = ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19)

    def para(value: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(value), style)

    rows: list[list[Paragraph | str]] = []
    firsts = []  # a field's first row: the line above it separates the fields
    for a in doc.answers:
        firsts.append(len(rows))
        dash = "\u2013 " if len(a.lines) > 1 else ""
        for i, entry in enumerate(a.lines):  # one row per line: a long answer spans pages
            style = body if a.recorded else empty
            rows.append([para(a.label, label) if i == 0 else "", para(dash + entry, style)])
    width = A4[0] - 30 * mm
    table = Table(rows, colWidths=[0.3 * width, 0.7 * width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                *[("LINEABOVE", (0, i), (-1, i), 0.4, colors.HexColor("#b0bec5")) for i in firsts],
                *[("TOPPADDING", (0, i), (-1, i), 5) for i in firsts],
            ]
        )
    )
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=doc.title,
        lang=doc.language,
        invariant=True,  # the same records give the same bytes
    )
    story = [
        para(doc.title, h1),
        Spacer(0, 3 * mm),
        para(doc.subtitle, body),
        para(doc.warning, body),
        Spacer(0, 4 * mm),
        table,
    ]
    build(template, story, PageFrame(doc.language, doc.title, doc.mark, margin=15 * mm))
    return out.getvalue()
