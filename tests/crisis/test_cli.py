"""`relance demo` then the crisis cell's commands, as the cell would type them."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.domain.incident import Phase
from relance.reports.duty_draft_document import written
from relance.reports.duty_draft_model import DraftFacts, Fact, FactKind
from relance.reports.words import Words
from tests.cli.test_cli import Relance
from tests.crisis.english import english_words

DAY3 = "2022-05-17"
POLICE = "police judiciaire fédérale (enquête judiciaire du parquet)"


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Relance:
    relance = Relance(database_url, tmp_path)
    relance("demo", "--dir", str(tmp_path))
    return relance


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


def test_the_demo_timeline_tells_the_night_in_order(demo: Relance) -> None:
    lines = json.loads(demo("timeline", "--limit", "5000", "--json"))
    times = [line["occurred_at"] for line in lines]
    assert times == sorted(times)
    what = [(line["occurred_at"][:16], line["what"]) for line in lines]
    night = [w for w in what if w[0] < "2022-05-14T04:30"]
    texts = " | ".join(w for _, w in night)
    for expected in (
        "Le système informatique se paralyse",
        "Alerte des systèmes de surveillance",
        "incident Vivalia 2022 declared",
        "Attaque confirmée ; son origine est inconnue",
        "phase detection -> containment",
        "compromised -> isolated",
    ):
        assert expected in texts
    assert "LockBit" not in texts  # the claim came on 18 May, not that night
    assert any("QG de crise à Marche" in w for _, w in what)
    # the demo's clock stops on day 3: the claim of 18 May is still to come
    assert not any("LockBit" in w for _, w in what)
    assert max(times) <= "2022-05-17T16:30"
    assert any(w == "phase eradication -> recovery" for _, w in what)
    moves = [line for line in lines if line["event_type"] == "asset.transitioned"]
    assert len(moves) >= 30  # every step of the replay, each bulk move on one line
    evidence = demo.json("evidence", "list")
    assert isinstance(evidence, list)
    images = [e for e in evidence if e["kind"] == "disk image"]
    assert len(images) == 10
    assert all(e["holder"] == POLICE for e in images)
    assert [e for e in evidence if e not in images] == []  # the claim's screenshot comes on day 4
    custody = demo("evidence", "list")
    assert "demo:securite-informatique -> police judiciaire" in custody  # the first holder too


def test_the_day3_sitrep_in_french_then_dutch_and_a_published_version_stays_as_it_went(
    demo: Relance,
) -> None:
    out = demo.directory
    demo("sitrep", "--date", DAY3, "--format", "pdf", "--out", str(out / "s.pdf"))
    text = pdf_text(out / "s.pdf")
    assert pdf_pages(out / "s.pdf") >= 2
    for expected in (
        "Vivalia : rapport de situation",
        "Incident Vivalia 2022, J3, mardi 17 mai 2022",
        "Données arrêtées au mardi 17 mai 2022",  # the incident's clock, not the wall clock
        "Depuis la veille",
        "Mesures en vigueur",
        "annulé, chaque patient prévenu par SMS",  # a measure of day 1, still in force on day 3
        "Prévision des réouvertures, par site",
        "Marche",
        "REJEU",  # the demo is a replay: each page says so
    ):
        assert expected in " ".join(text.split()), expected
    assert "vivalia-2022" not in text
    words = set(re.findall(r"[a-zà-ÿ']+", text.lower()))
    assert sorted(words & english_words()) == []
    demo("sitrep", "--date", DAY3, "--format", "md", "--lang", "nl", "--out", str(out / "s.md"))
    dutch = (out / "s.md").read_text(encoding="utf-8")
    assert "# Vivalia: situatierapport" in dutch
    assert "Geldende maatregelen" in dutch
    assert "](sitrep-2022-05-17-v1-nl-machines.png)" in dutch
    assert (out / "sitrep-2022-05-17-v1-nl-machines.png").stat().st_size > 10_000

    assert "aucun sitrep approuvé" in demo("comms", "communique", "--date", DAY3, code=2)
    assert "une autre personne l'approuve" in demo("sitrep", "approve", "--date", DAY3, code=2)
    demo("sitrep", "approve", "--date", DAY3, "--actor", "directeur médical")
    demo("sitrep", "publish", "--date", DAY3)
    assert "published : impossible de le passer à approved" in demo(
        "sitrep", "approve", "--date", DAY3, code=2
    )
    published = {}
    for fmt in ("pdf", "md"):
        name = out / f"v1.{fmt}"
        demo("sitrep", "--date", DAY3, "--version", "1", "--format", fmt, "--out", str(name))
        published[fmt] = name.read_bytes()
    demo("sitrep", "edit", "--date", DAY3, "--note", "Bastogne : imagerie en retard")
    versions = demo.json("sitrep", "list")
    assert isinstance(versions, list)
    assert [(v["version"], v["state"]) for v in versions] == [(1, "published"), (2, "draft")]
    for fmt in ("pdf", "md"):
        again = out / f"again.{fmt}"
        demo("sitrep", "--date", DAY3, "--version", "1", "--format", fmt, "--out", str(again))
        assert again.read_bytes() == published[fmt]
    assert "aucune version 3" in demo(
        "sitrep", "--date", DAY3, "--version", "3", "--out", str(out / "x.pdf"), code=2
    )
    communique = demo("comms", "communique", "--date", DAY3, "--actor", "press")
    assert "Vivalia\u00a0: cyberattaque, point de situation du mardi 17 mai 2022" in communique
    events = demo.json("audit", "--type", "sitrep.approved", "--type", "sitrep.published")
    assert isinstance(events, dict)
    assert events["total"] == 2


def test_errors_are_one_line_and_change_nothing(demo: Relance) -> None:
    before = demo.snapshot()
    assert "n'est pas un jour comme" in demo("sitrep", "--date", "17/05", "--out", "x.pdf", code=2)
    assert "--lang 'es' is not one of" in demo(
        "sitrep", "--date", DAY3, "--lang", "es", "--out", "x.pdf", code=2
    )
    assert "qui a décidé" in demo("log", "add", "cancel", "--kind", "decision", code=2)
    assert "--kind 'memo' is not one of" in demo("log", "add", "x", "--kind", "memo", code=2)
    assert "seule une décision fixe une mesure" in demo(
        "log", "add", "x", "--measure", "stopped", "--link", "activity:covid_centre", code=2
    )
    assert "activité nope inconnue" in demo(
        "log",
        "add",
        "x",
        "--kind",
        "decision",
        "--decided-by",
        "a",
        "--why",
        "b",
        "--measure",
        "stopped",
        "--link",
        "activity:nope",
        code=2,
    )
    assert "SHA-256" in demo("evidence", "add", "--sha256", "x", "--description", "d", code=2)
    assert "de recovery à detection" in demo("incident", "phase", "detection", code=2)
    assert "déjà déclaré" in demo(
        "incident", "declare", "--name", "x", "--detected", "2022-05-14T03:00", code=2
    )
    assert demo.snapshot() == before
    demo("timeline", "add", "la presse demande une déclaration", "--at", "2022-05-17T09:00")
    demo("log", "add", "besoin de 20 portables", "--kind", "request", "--priority", "urgent")
    demo("timeline", "--format", "csv", "--out", str(demo.directory / "t.csv"))
    assert "la presse demande" in (demo.directory / "t.csv").read_text(encoding="utf-8")


def test_a_phase_s_own_criteria_read_in_the_reader_s_language(demo: Relance) -> None:
    """The demo declared detection with the phase's default criteria (kept in English) and typed
    its own for containment: the default is said in French or English, the typed ones as typed."""
    french = demo("incident", "show")
    english = (
        CliRunner()
        .invoke(
            app,
            ["incident", "show"],
            env={"RELANCE_DATABASE_URL": demo.url, "RELANCE_LANG": "en", "COLUMNS": "200"},
        )
        .output
    )
    assert "une alerte ou un signalement est confirmé comme une attaque" in french
    assert "an alert or a report is confirmed as an attack" not in french
    assert "an alert or a report is confirmed as an attack" in english
    assert "réseau coupé, chaque machine éteinte et isolée" in french
    assert "réseau coupé, chaque machine éteinte et isolée" in english
    # the timeline gives a phase change's criteria as its reason: worded the same way
    timeline = demo("timeline", "--all", "--wide")
    assert "une alerte ou un signalement est confirmé comme une attaque" in timeline
    assert "an alert or a report is confirmed as an attack" not in timeline
    demo("timeline", "--format", "md", "--out", str(demo.directory / "t.md"))
    written_out = (demo.directory / "t.md").read_text(encoding="utf-8")
    assert "une alerte ou un signalement est confirmé comme une attaque" in written_out


def test_a_draft_says_a_phase_s_default_criteria_in_its_own_language() -> None:
    fact = Fact(FactKind.CRITERIA, Phase.DETECTION.entry_criteria, "incident_phases", "criteria")
    facts = DraftFacts("k", "t", "a", "b", "2022-05-14T03:29:00+02:00", "Europe/Brussels", [])
    dutch = written(fact, facts, Words("nl", {}))
    assert dutch == "een waarschuwing of melding is bevestigd als aanval"
    typed = Fact(FactKind.CRITERIA, "réseau coupé", "incident_phases", "criteria")
    assert written(typed, facts, Words("de", {})) == "réseau coupé"
