"""`relance demo` then the crisis cell's commands, as the cell would type them."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import Relance

DAY3 = "2022-05-17"


@pytest.fixture
def demo(database_url: str, tmp_path: Path) -> Relance:
    relance = Relance(database_url, tmp_path)
    relance("demo", "--dir", str(tmp_path))
    return relance


def test_the_demo_timeline_tells_the_night_in_order(demo: Relance) -> None:
    lines = json.loads(demo("timeline", "--limit", "5000", "--json"))
    times = [line["occurred_at"] for line in lines]
    assert times == sorted(times)
    what = [(line["occurred_at"][:16], line["what"]) for line in lines]
    night = [w for w in what if w[0] < "2022-05-14T04:30"]
    texts = " | ".join(w for _, w in night)
    for expected in (
        "systems failing",
        "monitoring alert",
        "incident vivalia-2022 declared",
        "attack confirmed",
        "phase detection -> containment",
        "compromised -> isolated",
    ):
        assert expected in texts
    assert any("crisis cell convened at Marche" in w for _, w in what)
    assert any(w == "phase eradication -> recovery" for _, w in what)
    moves = [line for line in lines if line["event_type"] == "asset.transitioned"]
    assert len(moves) >= 30  # every step of the replay, each bulk move on one line
    evidence = demo.json("evidence", "list")
    assert isinstance(evidence, list)
    assert len(evidence) == 10
    assert all(e["holder"] == "federal CERT (CCB) investigators" for e in evidence)


def test_sitrep_pdf_and_markdown_then_approval_and_communique(demo: Relance) -> None:
    out = demo.directory
    demo("sitrep", "--date", DAY3, "--format", "pdf", "--out", str(out / "s.pdf"))
    demo("sitrep", "--date", DAY3, "--format", "md", "--out", str(out / "s.md"))
    md = (out / "s.md").read_text(encoding="utf-8")
    assert "day 3, 2022-05-17" in md
    assert "phase recovery" in md
    assert "| MAR |" in md
    assert "Redeployment order" in md
    assert (out / "s-curve.png").stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(out / "s.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Situation report: vivalia-2022, day 3" in text
        assert "Marche" in text
        assert "Redeployment order" in text
    assert "no approved sitrep" in demo("comms", "communique", "--date", DAY3, code=2)
    demo("sitrep", "approve", "--date", DAY3, "--actor", "medical director")
    demo("sitrep", "publish", "--date", DAY3)
    assert "published: cannot make it approved" in demo("sitrep", "approve", "--date", DAY3, code=2)
    demo("sitrep", "edit", "--date", DAY3, "--note", "Bastogne imaging slipped")
    versions = demo.json("sitrep", "list")
    assert isinstance(versions, list)
    assert [(v["version"], v["state"]) for v in versions] == [(1, "published"), (2, "draft")]
    communique = demo("comms", "communique", "--date", DAY3, "--actor", "press")
    assert "Ce qui fonctionne" in communique
    assert "urgences" in communique
    events = demo.json("audit", "--type", "sitrep.approved", "--type", "sitrep.published")
    assert isinstance(events, dict)
    assert events["total"] == 2


def test_errors_are_one_line_and_change_nothing(demo: Relance) -> None:
    before = demo.snapshot()
    assert "not a day like" in demo("sitrep", "--date", "17/05", "--out", "x.pdf", code=2)
    assert "who decided" in demo("log", "add", "cancel", "--kind", "decision", code=2)
    assert "--kind 'memo' is not one of" in demo("log", "add", "x", "--kind", "memo", code=2)
    assert "SHA-256" in demo("evidence", "add", "--sha256", "x", "--description", "d", code=2)
    assert "recovery to detection" in demo("incident", "phase", "detection", code=2)
    assert "already declared" in demo(
        "incident", "declare", "--name", "x", "--detected", "2022-05-14T03:00", code=2
    )
    assert demo.snapshot() == before
    demo("timeline", "add", "press asks for a statement", "--at", "2022-05-17T09:00")
    demo("log", "add", "need 20 laptops", "--kind", "request", "--priority", "urgent")
    demo("timeline", "--format", "csv", "--out", str(demo.directory / "t.csv"))
    assert "press asks for a statement" in (demo.directory / "t.csv").read_text(encoding="utf-8")
