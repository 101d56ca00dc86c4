"""The crisis cell's services on SQLite and PostgreSQL: each change audited once, errors clear."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from relance.app import comms, duties, incident, sitrep, sitrep_facts
from relance.app.assets import transition_matching
from relance.app.audit import timeline
from relance.app.choices import ExportFormat
from relance.app.context import Context
from relance.app.network import load_network
from relance.app.timeline_export import write_timeline
from relance.app.users import add_user
from relance.domain.clock import FixedClock
from relance.domain.duties import DutyStatus
from relance.domain.errors import InvalidInput
from relance.domain.incident import Audience, LogKind, Measure, Phase, SitrepState
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter
from relance.domain.roles import CONSOLE, Role
from relance.reports.words import Words
from relance.storage import asset_store, audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import unit_of_work
from relance.storage.tables import AuditRow, EvidenceRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"
ZONE = ZoneInfo("Europe/Brussels")
T0 = datetime(2022, 5, 14, 3, 29, tzinfo=ZONE)
NOW = FixedClock(datetime(2022, 5, 20, 12, tzinfo=UTC))
HASH = "ab" * 32


def ctx(actor: str = "cell") -> Context:
    return Context(actor=actor, clock=NOW, authority=CONSOLE)


def _audits(engine: Engine) -> int:
    with unit_of_work(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(AuditRow)) or 0


@pytest.fixture
def declared(engine: Engine) -> Engine:
    with unit_of_work(engine) as uow:
        load_network(uow, ctx("lead"), SMALL, T0)
        incident.declare_incident(
            uow, ctx(), name="test", detected_at=T0, confirmed_at=T0 + timedelta(minutes=13)
        )
    return engine


def test_declaring_enters_detection_and_phases_follow_the_table(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        incident.enter_phase(uow, ctx(), Phase.CONTAINMENT, T0 + timedelta(hours=1), "cut")
        view = incident.show_incident(uow)
    assert [p.phase for p in view.phases] == ["detection", "containment"]
    assert view.phases[1].criteria == "cut"
    assert view.phases[0].criteria == Phase.DETECTION.entry_criteria
    before = _audits(declared)
    with (
        pytest.raises(InvalidInput, match="containment to post_incident"),
        unit_of_work(declared) as uow,
    ):
        incident.enter_phase(uow, ctx(), Phase.POST_INCIDENT)
    with pytest.raises(InvalidInput, match="already declared"), unit_of_work(declared) as uow:
        incident.declare_incident(uow, ctx(), name="again", detected_at=T0)
    assert _audits(declared) == before


def test_a_decision_needs_who_and_why_and_edits_keep_history(declared: Engine) -> None:
    with pytest.raises(InvalidInput, match="who decided"), unit_of_work(declared) as uow:
        incident.add_log_entry(uow, ctx(), kind=LogKind.DECISION, text="cancel all")
    with unit_of_work(declared) as uow:
        entry = incident.add_log_entry(
            uow,
            ctx(),
            kind=LogKind.DECISION,
            text="cancel consultations",
            decided_by="medical director",
            rationale="no agenda",
            at=T0 + timedelta(days=1),
            links=["site:A"],
        )
        edited = incident.edit_log_entry(
            uow, ctx("editor"), entry.id, {"text": "cancel Monday's consultations"}, "typo"
        )
        history = incident.log_history(uow, entry.id)
    assert edited.version == 2
    assert [e.event_type for e in history] == ["log.added", "log.edited"]
    assert history[1].before == {"text": "cancel consultations", "version": 1}
    with pytest.raises(InvalidInput, match="unknown site Z"), unit_of_work(declared) as uow:
        incident.add_log_entry(uow, ctx(), kind=LogKind.ACTION, text="x", links=["site:Z"])


def test_evidence_keeps_its_chain_of_custody(declared: Engine) -> None:
    with unit_of_work(declared) as uow:
        host = asset_store.states(uow, AssetFilter())[0].hostname
        item = incident.register_evidence(
            uow, ctx("forensic"), sha256=HASH.upper(), description="disk", asset=host, at=T0
        )
        moved = incident.transfer_evidence(
            uow, ctx("forensic"), item.reference, to="CERT", at=T0 + timedelta(hours=2)
        )
    assert item.reference == "EV-0001"
    assert item.sha256 == HASH
    assert item.asset == host
    assert moved.holder == "CERT"
    assert [(t.from_holder, t.to_holder) for t in moved.transfers] == [("forensic", "CERT")]
    before = _audits(declared)
    with pytest.raises(InvalidInput, match="already registered"), unit_of_work(declared) as uow:
        incident.register_evidence(uow, ctx(), sha256=HASH, description="again")
    with pytest.raises(InvalidInput, match="later only"), unit_of_work(declared) as uow:
        incident.transfer_evidence(uow, ctx(), "EV-0001", to="police", at=T0)
    assert _audits(declared) == before
    with unit_of_work(declared) as uow:
        assert uow.session.scalar(select(func.count()).select_from(EvidenceRow)) == 1


def test_the_timeline_has_manual_entries_in_order_and_exports(
    declared: Engine, tmp_path: Path
) -> None:
    with unit_of_work(declared) as uow:
        incident.note_timeline(uow, ctx(), "systems failing", T0 - timedelta(hours=2))
        transition_matching(
            uow,
            ctx("tech"),
            where=AssetFilter(),
            target=AssetState.ISOLATED,
            reason="network cut",
            occurred_at=T0 + timedelta(hours=1),
            everything=True,
        )
        entries = timeline(uow, ctx(), AuditQuery(), None)
        only = timeline(uow, ctx(), AuditQuery(event_types=("timeline.noted",)), None)
    assert entries[0].what == "systems failing"
    assert [e.occurred_at for e in entries] == sorted(e.occurred_at for e in entries)
    moves = [e for e in entries if e.event_type == "asset.transitioned"]
    assert len(moves) == 1
    assert moves[0].what == "compromised -> isolated"
    assert [e.what for e in only] == ["systems failing"]
    french = Words("fr", {})
    assert write_timeline(entries, ExportFormat.CSV, tmp_path / "t.csv", ZONE, french) == len(
        entries
    )
    write_timeline(entries, ExportFormat.MD, tmp_path / "t.md", ZONE, french)
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("occurred_at,recorded_at")  # codes for spreadsheets
    assert "2022-05-14T01:29+02:00" in text
    assert "compromises -> isolées" in text  # the lines in the reader's language
    markdown = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Chronologie de l'incident")
    assert "| systems failing |" in markdown
    assert "compromised" not in markdown


def test_a_sitrep_without_plan_nor_appointments_says_so(declared: Engine, tmp_path: Path) -> None:
    day = date(2022, 5, 15)
    with unit_of_work(declared) as uow:
        version = sitrep.produce_sitrep(uow, ctx(), day, ZONE)
        md = sitrep.sitrep_files(uow, version, ZONE, sitrep.Format.MD, "fr")
        pdf = sitrep.sitrep_files(uow, version, ZONE, sitrep.Format.PDF, "en")
    files = sitrep.write_files(md, tmp_path / "s.md")
    sitrep.write_files(pdf, tmp_path / "s.pdf")
    text = files[0].read_text(encoding="utf-8")
    assert "Pas encore de plan de rétablissement" in text
    assert "Aucun agenda de rendez-vous importé" in text
    assert "J1 de l'incident test" in text
    assert "Small hospitals" in text  # the organisation, never the scenario's code
    assert [p.name for p in files[1:]] == [
        "sitrep-2022-05-15-v1-fr-machines.png",
        "sitrep-2022-05-15-v1-fr-sites.png",
    ]
    assert all(p.stat().st_size > 1000 for p in files)
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")


def test_a_published_sitrep_is_frozen_and_an_edit_makes_a_new_version(declared: Engine) -> None:
    day = date(2022, 5, 15)
    with unit_of_work(declared) as uow:
        sitrep.produce_sitrep(uow, ctx("drafter"), day, ZONE)
        again = sitrep.produce_sitrep(uow, ctx("drafter"), day, ZONE)  # a draft is rebuilt
        assert again.version == 1
        approved = sitrep.approve_sitrep(uow, ctx("director"), day)
        published = sitrep.publish_sitrep(uow, ctx("director"), day, ZONE)
    assert approved.approved_by == "director"
    assert published.state == SitrepState.PUBLISHED
    with (
        pytest.raises(InvalidInput, match="published: cannot make it approved"),
        unit_of_work(declared) as uow,
    ):
        sitrep.approve_sitrep(uow, ctx(), day)
    with unit_of_work(declared) as uow:
        same = sitrep.produce_sitrep(uow, ctx(), day, ZONE)
        assert (same.version, same.facts) == (1, published.facts)
        new = sitrep.edit_sitrep(uow, ctx(), day, ZONE, "correction")
        events = [e.event_type for e in audit_store.find(uow, AuditQuery(object_type="sitrep"))]
    assert (new.version, new.state, new.note) == (2, "draft", "correction")
    assert events == [
        "sitrep.drafted",
        "sitrep.updated",
        "sitrep.approved",
        "sitrep.published",
        "sitrep.drafted",
    ]


def test_the_communique_needs_an_approved_sitrep_and_another_approver(declared: Engine) -> None:
    day = date(2022, 5, 15)
    with unit_of_work(declared) as uow:
        sitrep.produce_sitrep(uow, ctx(), day, ZONE)
    with pytest.raises(InvalidInput, match="no approved sitrep"), unit_of_work(declared) as uow:
        comms.draft_communique(uow, ctx(), day)
    with unit_of_work(declared) as uow:
        sitrep.approve_sitrep(uow, ctx("director"), day)
        message = comms.draft_communique(uow, ctx("press officer"), day)
        dutch = comms.draft_communique(uow, ctx("press officer"), day, "nl")
    assert message.audience == Audience.PUBLIC
    assert (message.language, dutch.language) == ("fr", "nl")
    assert message.subject.startswith("Small hospitals\u00a0: cyberattaque")
    assert "n'appeler l'hôpital qu'en cas de réelle nécessité\u00a0: 081 00 00 00" in message.body
    assert "alleen als het echt nodig is: 081 00 00 00" in dutch.body
    with pytest.raises(InvalidInput, match="another person"), unit_of_work(declared) as uow:
        comms.approve_message(uow, ctx("Press  Officer"), message.id)  # the same person
    with unit_of_work(declared) as uow:
        comms.approve_message(uow, ctx("director"), message.id)
        sent = comms.mark_sent(uow, ctx("press officer"), message.id)
    assert sent.state == "sent"


def test_the_drafter_cannot_approve_whatever_the_spelling_or_the_interface(
    declared: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(2022, 5, 15)
    monkeypatch.delenv("RELANCE_ONE_PERSON_CELL", raising=False)
    with unit_of_work(declared) as uow:
        add_user(uow, ctx(), "c.officer", Role.CRISIS_LEAD, name="Communications Officer")
        sitrep.produce_sitrep(uow, ctx("c.officer"), day, ZONE)  # drafted on the web
    for same in ("communications  officer", "C.OFFICER", "Communications Officer"):
        with pytest.raises(InvalidInput, match="another person"), unit_of_work(declared) as uow:
            sitrep.approve_sitrep(uow, ctx(same), day)  # on the command line, by name or login
    monkeypatch.setenv("RELANCE_ONE_PERSON_CELL", "1")
    with unit_of_work(declared) as uow:
        approved = sitrep.approve_sitrep(uow, ctx("communications officer"), day)
        waived = audit_store.find(uow, AuditQuery(event_types=("approval.self_approved",)))
    assert approved.state == SitrepState.APPROVED
    assert [(e.object_key, e.after) for e in waived] == [
        (
            "2022-05-15 v1",
            {"drafted_by": "c.officer", "approved_by": "communications officer"},
        )
    ]


def test_a_measure_stands_until_another_replaces_or_lifts_it(declared: Engine) -> None:
    def decide(at: datetime, measure: Measure, *links: str) -> None:
        with unit_of_work(declared) as uow:
            incident.add_log_entry(
                uow,
                ctx(),
                kind=LogKind.DECISION,
                text=f"{measure.value} {links}",
                decided_by="direction médicale",
                rationale="test",
                at=at,
                measure=measure,
                links=links,
            )

    def in_force(at: datetime) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        with unit_of_work(declared) as uow:
            return [(m.measure.value, m.where) for m in incident.measures_in_force(uow, at)]

    day1 = T0 + timedelta(days=1)
    decide(day1, Measure.CANCELLED, "activity:radiology")
    assert in_force(day1 - timedelta(minutes=1)) == []
    assert in_force(day1) == [("cancelled", (("radiology", "A"),))]
    assert in_force(day1 + timedelta(days=3)) == [("cancelled", (("radiology", "A"),))]
    decide(day1 + timedelta(days=4), Measure.LIFTED, "activity:radiology", "site:A")
    assert in_force(day1 + timedelta(days=4)) == []
    with pytest.raises(InvalidInput, match="link at least one"), unit_of_work(declared) as uow:
        incident.add_log_entry(
            uow,
            ctx(),
            kind=LogKind.DECISION,
            text="x",
            decided_by="y",
            rationale="z",
            measure=Measure.STOPPED,
            links=["site:A"],
        )


def test_the_sitrep_lists_the_duties_as_they_stood_at_the_end_of_its_day(
    declared: Engine,
) -> None:
    aware = T0 + timedelta(minutes=13)  # confirmed at 03:42: the early warning is due at 03:42
    with unit_of_work(declared) as uow:
        duties.move_duty(uow, ctx(), "nis2_early_warning", DutyStatus.DRAFTED)  # on 20 May
        facts = sitrep_facts.build_facts(uow, ctx(), date(2022, 5, 14), ZONE)
        later = sitrep_facts.build_facts(uow, ctx(), date(2022, 5, 20), ZONE)
    lines = {d.key: d for d in facts.duties}
    warning = lines["nis2_early_warning"]
    assert warning.due_at == (aware + timedelta(hours=24)).isoformat(timespec="minutes")
    assert warning.status == "to_do"  # drafted on 20 May: not yet on the 14th
    end_of_14 = datetime(2022, 5, 15, tzinfo=ZONE)
    assert warning.left_minutes == (aware + timedelta(hours=24) - end_of_14) // timedelta(minutes=1)
    assert {d.key: d.status for d in later.duties}["nis2_early_warning"] == "drafted"
    assert lines["nis2_final_report"].due_at == "2022-06-17T03:42+02:00"
    with unit_of_work(declared) as uow:
        version = sitrep.produce_sitrep(uow, ctx(), date(2022, 5, 14), ZONE)
        texts = {
            lang: sitrep.sitrep_files(uow, version, ZONE, sitrep.Format.MD, lang).content
            for lang in ("fr", "nl", "de", "en")
        }
    read = {
        lang: b"".join(files.values()).decode("utf-8", "replace") for lang, files in texts.items()
    }
    assert (
        "| NIS2 : alerte précoce au CCB | CCB | dim. 15/05, 03:42 | à faire | 3 h 42 |"
        in read["fr"]
    )
    assert "NIS2: vroegtijdige waarschuwing aan het CCB" in read["nl"]
    assert "| NIS2: early warning to the CCB | CCB |" in read["en"]
