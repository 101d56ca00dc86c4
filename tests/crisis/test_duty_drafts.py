"""The drafts for the CCB and the APD/GBA on the demo: every fact read back from the database,
every label from the catalogue of the draft's language, drafting audited once."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from relance.app import duty_drafts
from relance.app.context import Context
from relance.app.incident_clock import clock_of
from relance.domain.roles import CONSOLE
from relance.i18n import Texts
from relance.reports import duty_draft_document as render
from relance.reports.duty_draft_model import DraftFacts, Fact, FactKind
from relance.reports.words import Words
from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import ActivityRow, AuditRow, Base, SiteRow
from tests.cli.test_cli import Relance
from tests.crisis.english import english_words
from tests.crisis.test_cli import demo  # noqa: F401 - a fixture

KEYS = tuple(duty_drafts.FORMS)
LANGUAGES = ("fr", "nl", "en", "de")
DIGIT = re.compile(r"\d")


@pytest.fixture
def engine(demo: Relance) -> Iterator[Engine]:  # noqa: F811 - the fixture
    made = make_engine(demo.url)
    yield made
    made.dispose()


def _read(engine: Engine, key: str) -> DraftFacts:
    with unit_of_work(engine) as uow:  # the demo's replay time, as the command line reads it
        ctx = Context(actor="tester", clock=clock_of(uow), authority=CONSOLE)
        return duty_drafts.read_draft(uow, ctx, key)


def _held(engine: Engine, fact: Fact) -> set[str]:
    """What the database holds where the fact says it comes from, written as facts are."""
    table = Base.metadata.tables[fact.table]
    where = []
    for pair in filter(None, fact.row.split(",")):
        column, _, value = pair.partition("=")
        where.append(table.c[column] == (int(value) if value.isdigit() else value))
    with unit_of_work(engine) as uow:
        if fact.column == "count":
            rows = uow.session.execute(select(table).where(*where)).all()
            return {str(len(rows))}
        values = uow.session.execute(select(table.c[fact.column]).where(*where)).scalars()
        return {_as_fact(v) for v in values}


def _as_fact(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(second=0, microsecond=0).isoformat()
    return str(value)


def _value(fact: Fact) -> str:
    if fact.kind is FactKind.TIME:
        return datetime.fromisoformat(fact.value).astimezone(UTC).isoformat()
    return fact.value


def test_every_fact_of_the_drafts_is_held_by_the_database(engine: Engine) -> None:
    for key in KEYS:
        _check_facts(engine, _read(engine, key))
        _check_words(_read(engine, key))


def _check_facts(engine: Engine, facts: DraftFacts) -> None:
    key = facts.key
    checked = 0
    for field in facts.fields:
        for row in field.rows:
            for fact in row:
                assert _value(fact) in _held(engine, fact), (field.label, fact)
                checked += 1
    assert checked >= 8  # the demo's records answer most questions
    with unit_of_work(engine) as uow:
        sites = {
            r.code: {r.name, r.short_name, r.public_name}
            for r in uow.session.scalars(select(SiteRow))
        }
        activities: dict[str, set[str]] = {}
        for a in uow.session.scalars(select(ActivityRow)):
            activities.setdefault(a.code, set()).add(a.name)
    assert all(name in sites[code] for code, name in facts.sites.items())
    assert all(name in activities[code] for code, name in facts.activities.items())
    if key == "nis2_notification":  # no indicator is recorded in relance: the field says so
        assert [f.rows for f in facts.fields if f.label == "Indicators of compromise"] == [[]]


def _check_words(facts: DraftFacts) -> None:
    """In every language: labels from the catalogue, no number but the facts', and no
    English in the French draft outside the cell's own words."""
    for language in LANGUAGES:
        _check_language(facts, language)


def _check_language(facts: DraftFacts, language: str) -> None:
    w = Words(language, facts.names)
    doc = render.document(facts, w)
    texts = Texts(language)
    assert [a.label for a in doc.answers] == [texts._(f.label) for f in facts.fields]
    for field, answer in zip(facts.fields, doc.answers, strict=True):
        if not field.rows:
            assert answer.lines == [
                texts._(render.NOT_RECORDED) + (f" ({field.hint})" if field.hint else "")
            ]
            continue
        for row, line in zip(field.rows, answer.lines, strict=True):
            rest = line
            for fact in row:
                rest = rest.replace(render.written(fact, facts, w), "", 1)
            assert not DIGIT.search(rest), (line, rest)  # the separators only
    if language == "fr":  # no English word outside the cell's own words
        own = {
            f.value
            for field in facts.fields
            for row in field.rows
            for f in row
            if f.kind is FactKind.TEXT
        } | {field.hint for field in facts.fields}  # the commands, as typed
        words = set(re.findall(r"[a-zà-ÿ']+", _without(render.text(doc), own).lower()))
        assert sorted(words & english_words()) == []


def _without(text: str, own: set[str]) -> str:
    flat = " ".join(text.split())
    for value in sorted(own, key=len, reverse=True):
        flat = flat.replace(" ".join(value.split()), "")
    return flat


def test_drafting_writes_the_files_and_moves_a_duty_to_do_once(
    demo: Relance,  # noqa: F811 - the fixture
    engine: Engine,
    tmp_path: Path,
) -> None:
    text = demo("duties", "draft", "nis2_early_warning", "--lang", "nl")
    assert "NIS2: vroegtijdige waarschuwing aan het CCB" in text
    assert "niet geregistreerd in relance" in text  # the cross-border impact: no record
    assert all(len(line) <= render.WIDTH for line in text.splitlines()[1:])  # the banner aside
    demo("duties", "draft", "nis2_early_warning", "--out", str(tmp_path / "ew.pdf"))
    assert (tmp_path / "ew.pdf").read_bytes().startswith(b"%PDF")
    demo("duties", "draft", "gdpr_dpa", "--lang", "en", "--out", str(tmp_path / "dpa.txt"))
    assert "Contact point (data-protection officer)" in (tmp_path / "dpa.txt").read_text()
    out = demo("duties", "draft", "gdpr_dpa", "--out", str(tmp_path / "dpa.docx"), code=2)
    assert ".txt" in out
    (tmp_path / "taken.txt").mkdir()  # a folder where the file should go: nothing is recorded
    out = demo("duties", "draft", "nis2_notification", "--out", str(tmp_path / "taken.txt"), code=2)
    assert "impossible de lire ou d'écrire" in out
    with unit_of_work(engine) as uow:
        moves = uow.session.execute(
            select(AuditRow.event_type, AuditRow.object_key).where(AuditRow.object_type == "duty")
        ).all()
    assert sorted(tuple(m) for m in moves) == [
        ("duty.drafted", "gdpr_dpa"),
        ("duty.drafted", "nis2_early_warning"),
    ]  # drafted once each, however many times the draft is written
