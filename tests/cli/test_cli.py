"""The command line as a crisis cell uses it: demo, status, transitions, errors with exit code 2."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from relance.cli.main import app
from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import AssetRow, AuditRow

SMALL = Path(__file__).parent.parent / "data/small.yaml"


class Relance:
    """Runs `relance` in a directory against one database URL."""

    def __init__(self, url: str, directory: Path) -> None:
        self.url, self.directory = url, directory
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> str:
        result = self.runner.invoke(
            app,
            list(args),
            env={"RELANCE_DATABASE_URL": self.url, "RELANCE_ACTOR": "tester", "COLUMNS": "200"},
        )
        assert result.exit_code == code, (result.output, result.exception)
        return result.output

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json"))

    def snapshot(self) -> tuple[list[tuple[str, str]], int]:
        """Every machine's state and the number of audit rows: 'exactly as it was'."""
        engine = make_engine(self.url)
        with unit_of_work(engine) as uow:
            states = list(
                uow.session.execute(
                    select(AssetRow.hostname, AssetRow.state).order_by(AssetRow.hostname)
                ).all()
            )
            audits = len(uow.session.execute(select(AuditRow.id)).all())
        engine.dispose()
        return [tuple(r) for r in states], audits


@pytest.fixture
def relance(database_url: str, tmp_path: Path) -> Iterator[Relance]:
    return Relance(database_url, tmp_path)


@pytest.fixture
def small(relance: Relance) -> Relance:
    relance("init", "--scenario", str(SMALL))
    return relance


def test_demo_then_status_reports_the_vivalia_network(relance: Relance) -> None:
    out = relance("demo", "--dir", str(relance.directory))
    assert "réseau coupé" in out
    status = relance.json("status")
    assert isinstance(status, dict)
    totals = status["totals"]
    assert sum(totals["server"].values()) == 200
    assert sum(totals["workstation"].values()) == 1500
    hospitals = [s for s in status["sites"] if s["kind"] == "hospital"]
    assert [s["code"] for s in hospitals] == ["ARL", "MAR", "LIB", "BAS", "VIR"]
    for kind, by_state in totals.items():
        per_site = sum(sum(s["machines"].get(kind, {}).values()) for s in status["sites"])
        assert per_site == sum(by_state.values())
    assert totals["server"]["redeployed"] > 0
    assert totals["workstation"]["isolated"] < 1500
    plans = relance.json("plan", "list")  # the crisis cell's own plan, for the optimised to beat
    assert isinstance(plans, list)
    assert [(p["method"], p["start_at"][:10]) for p in plans] == [("tiers", "2022-05-17")]


def test_demo_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--dir", str(tmp_path)], env={"RELANCE_DATABASE_URL": ""})
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["demo", "--dir", str(tmp_path)], env={"RELANCE_DATABASE_URL": ""})
    assert again.exit_code == 2
    assert "contient déjà le réseau 'vivalia-2022'" in again.output
    forced = runner.invoke(
        app, ["demo", "--dir", str(tmp_path), "--force"], env={"RELANCE_DATABASE_URL": ""}
    )
    assert forced.exit_code == 0, forced.output


def test_an_illegal_transition_changes_nothing(small: Relance) -> None:
    before = small.snapshot()
    out = small(
        "assets", "transition", "A-SRV-AD-01", "--to", "redeployed", "--reason", "x", code=2
    )
    assert "A-SRV-AD-01: passage impossible de « Compromise » à « Redéployée »" in out
    assert small.snapshot() == before


def test_an_unknown_host_in_a_report_changes_nothing(small: Relance, tmp_path: Path) -> None:
    report = tmp_path / "scan.csv"
    report.write_text("hostname\nA-SRV-AD-01\nA-SRV-AD-77\n")
    before = small.snapshot()
    out = small(
        "assets", "import-states", str(report), "--to", "isolated", "--reason", "scan", code=2
    )
    assert "scan.csv:3: hostname: machine inconnue : A-SRV-AD-77" in out
    assert small.snapshot() == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    name: Hospital A\n", "", "sites[0].name: champ obligatoire"),
        ("depends_on: [NET]}", "depends_on: [DPI]}", "dépendance circulaire AD -> DPI -> AD"),
        ("sites: [B]", "sites: [C]", "activities[2].sites[0]: site inconnu 'C'"),
    ],
)
def test_a_malformed_scenario_leaves_the_database_as_it_was(
    small: Relance, tmp_path: Path, old: str, new: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace(old, new, 1))
    before = small.snapshot()
    out = small("init", "--scenario", str(bad), code=2)
    assert message in out
    assert "bad.yaml:" in out
    assert small.snapshot() == before


def test_a_malformed_scenario_creates_no_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: relance-scenario/1\nname: x\n")
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    result = CliRunner().invoke(
        app, ["init", "--scenario", str(bad)], env={"RELANCE_DATABASE_URL": url}
    )
    assert result.exit_code == 2
    assert "bad.yaml:1: effort: champ obligatoire" in result.output
    assert not (tmp_path / "relance.db").exists()


def test_no_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relance.db'}"
    result = CliRunner().invoke(app, ["status"], env={"RELANCE_DATABASE_URL": url})
    assert result.exit_code == 2
    assert "relance init --scenario FICHIER" in result.output
    assert not (tmp_path / "relance.db").exists()


def test_every_change_shows_once_in_the_audit(small: Relance) -> None:
    small(
        "assets",
        "transition",
        "--site",
        "A",
        "--kind",
        "server",
        "--to",
        "isolated",
        "--reason",
        "network cut",
    )
    audit = small.json("audit", "--type", "asset.transitioned", "--limit", "1000")
    assert isinstance(audit, dict)
    keys = [e["object_key"] for e in audit["events"]]
    assert sorted(keys) == sorted(set(keys))
    assert len(keys) == audit["total"] == 6
    assert {e["actor"] for e in audit["events"]} == {"tester"}
    assert {e["reason"] for e in audit["events"]} == {"network cut"}
    shown = small.json("assets", "show", "a-srv-net-01")
    assert isinstance(shown, dict)
    assert [h["after"]["state"] for h in shown["history"]] == ["isolated"]


def test_listing_filters_and_pages(small: Relance) -> None:
    listing = small.json("assets", "list", "--site", "B", "--limit", "4")
    assert isinstance(listing, dict)
    assert listing["total"] == 6
    assert len(listing["assets"]) == 4
    assert "6 machines" in small("assets", "list", "--site", "B")


def test_timeline_and_status_render(small: Relance) -> None:
    small(
        "assets",
        "transition",
        "--all",
        "--to",
        "isolated",
        "--at",
        "2022-05-14T04:15",
        "--reason",
        "network cut",
    )
    out = small("timeline")
    assert "2022-05-14 04:15" in out
    assert "compromises -> isolées" in out  # French by default, the states too
    assert "non fonctionnelle" in small("status", "--site", "A")
    assert "Emergency" in small("status")  # the scenario's own name


def test_a_bad_time_is_refused(small: Relance) -> None:
    move = ("assets", "transition", "--all", "--to", "isolated", "--reason", "cut")
    out = small(*move, "--at", "yesterday", code=2)
    assert "--at 'yesterday' n'est pas une heure" in out


@pytest.mark.parametrize("moment", ["0001-01-01T00:00+14:00", "1999-12-31T23:00+00:00"])
def test_a_time_out_of_range_is_refused_before_anything_is_read(
    small: Relance, moment: str
) -> None:
    before = small.snapshot()
    out = small(
        "assets",
        "transition",
        "--all",
        "--to",
        "isolated",
        "--reason",
        "cut",
        "--at",
        moment,
        code=2,
    )
    assert "--at " in out
    assert "est hors limites : donnez une heure entre 2000 et 2099" in out
    assert "Traceback" not in out
    assert small.snapshot() == before


@pytest.mark.parametrize(
    "command", [("sitrep", "--out", "s.pdf"), ("sitrep", "approve"), ("comms", "communique")]
)
def test_a_day_out_of_range_is_refused(small: Relance, command: tuple[str, ...]) -> None:
    for day in ("0001-01-01", "9999-12-31"):
        out = small(*command, "--date", day, code=2)
        assert f"--date {day} est hors limites : donnez un jour entre 2000 et 2099" in out
        assert "Traceback" not in out


def test_a_bulk_move_needs_its_reason_and_its_target(small: Relance) -> None:
    before = small.snapshot()
    assert "--reason" in small("assets", "transition", "--site", "B", "--to", "isolated", code=2)
    assert "--to" in small("assets", "transition", "--site", "B", "--reason", "cut", code=2)
    out = small("assets", "transition", "--site", "B", "--to", "isolated", "--reason", " ", code=2)
    assert "dites pourquoi (--reason)" in out
    assert small.snapshot() == before


def test_a_named_unknown_host_refuses_the_whole_transition(small: Relance) -> None:
    before = small.snapshot()
    out = small(
        "assets",
        "transition",
        "A-SRV-AD-01",
        "A-SRV-AD-99",
        "--to",
        "isolated",
        "--reason",
        "x",
        code=2,
    )
    assert "machine inconnue : A-SRV-AD-99" in out
    assert small.snapshot() == before


def test_status_of_an_unknown_site_is_an_error(small: Relance) -> None:
    assert "site Z inconnu (sites : A, B)" in small("status", "--site", "Z", code=2)


def test_audit_finds_the_network_by_its_name_in_any_case(small: Relance) -> None:
    audit = small.json("audit", "--object", "SMALL")
    assert isinstance(audit, dict)
    assert [e["event_type"] for e in audit["events"]] == ["network.loaded"]


def test_plan_commands(small: Relance, tmp_path: Path) -> None:
    out = small("plan", "--method", "tiers", "--reason", "as the cell would by hand")
    assert "plan 1 (par paliers" in out
    small("plan", "--time-limit", "1")
    shown = small.json("plan", "show")
    assert isinstance(shown, dict)
    assert shown["version"]["id"] == 2
    assert {f["activity"] for f in shown["forecasts"]} == {"emergency", "radiology", "care"}
    listed = small.json("plan", "list")
    assert isinstance(listed, list)
    assert [v["method"] for v in listed] == ["tiers", "cpsat"]
    small("plan", "compare", "--from", "1", "--to", "2")
    small("plan", "delay", "PACS", "--until", "2099-01-01T00:00", "--reason", "vendor", code=0)
    small("plan", "gantt", "--out", str(tmp_path / "g.png"))
    small("plan", "curve", "--out", str(tmp_path / "c.svg"))
    assert (tmp_path / "g.png").exists()
    assert (tmp_path / "c.svg").exists()
    assert "pas de version 9 du plan" in small("plan", "show", "--version", "9", code=2)


def test_appointments_and_notify_commands(small: Relance, tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    small("appointments", "generate", "--week", "2022-05-16", "--out", str(book), "--scale", "0.01")
    assert "nouveaux" in small("appointments", "import", str(book))
    assert "0 nouveaux" in small("appointments", "import", str(book))  # again: no duplicate
    triaged = small.json("appointments", "triage")
    assert isinstance(triaged, dict)
    assert triaged["changed"] == triaged["appointments"] > 0
    assert "seraient envoyés" in small("notify", "send", "--dry-run")
    out = small("notify", "send", code=2)
    assert "RELANCE_KANNEL_URL" in out
    status = small.json("notify", "status")
    assert isinstance(status, dict)
    assert set(status["counts"]) <= {"queued"}
    small("notify", "call-list", "--out", str(tmp_path / "calls.csv"))
    calls = (tmp_path / "calls.csv").read_text().splitlines()
    assert calls[0].startswith("site,date,time,patient")
    first = calls[1].split(",")
    assert f"{first[1]} {first[2]}" in small("notify", "call-list")  # local time, as printed
    small("notify", "call-list", "--out", str(tmp_path / "calls.pdf"), "--lang", "en")
    assert (tmp_path / "calls.pdf").read_bytes().startswith(b"%PDF")
    refused = small("notify", "call-list", "--out", str(tmp_path / "calls.txt"), code=2)
    assert "écrivez la liste d'appels dans un fichier .csv ou .pdf" in refused
    assert not (tmp_path / "calls.txt").exists()
    assert small.json("activities", "--site", "A")
    assert "site Z inconnu" in small("activities", "--site", "Z", code=2)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "appointment,patient,name,site,activity,start\nR1,P1,Anne,A,dialysis,2022-05-16T09:00\n"
    )
    assert "bad.csv:2: activity: 'dialysis' n'est pas une activité du site 'A'" in small(
        "appointments", "import", str(bad), code=2
    )


def test_a_reschedule_is_checked_and_the_review_read_is_audited(
    small: Relance, tmp_path: Path
) -> None:
    book = tmp_path / "book.csv"
    book.write_text(
        "appointment,patient,name,language,mobile,phone,site,activity,pathway,start\n"
        "A1,P1,Anne Thiry,fr,0470 00 00 01,,A,radiology,oncology,2022-05-16T09:00\n"
    )
    small("appointments", "import", str(book))
    small("appointments", "triage")
    assert "Anne Thiry" in small("appointments", "review")
    listed = small.json("audit", "--type", "patients.listed")
    assert [e["object_key"] for e in listed["events"]] == ["cli appointments review"]  # type: ignore[index]
    before = small.snapshot()
    decide = ("appointments", "decide", "A1", "--reason", "seen", "--reschedule")
    for moment, message in (
        ("1999-01-01T09:00", "--reschedule 1999-01-01T09:00+01:00 est hors limites"),
        ("0001-01-01T00:00+14:00", "--reschedule 0001-01-01T00:00+14:00 est hors limites"),
        ("2022-05-20T09:00", "doit suivre maintenant"),
    ):
        out = small(*decide, moment, code=2)
        assert message in out, out
        assert "Traceback" not in out
    assert small.snapshot() == before  # nothing decided, no SMS, no audit row
    assert small.json("notify", "status")["counts"] == {}  # type: ignore[index]


def test_error_texts_name_what_is_wrong(small: Relance, tmp_path: Path) -> None:
    week = small("appointments", "generate", "--week", "16-05-2022", "--out", "x.csv", code=2)
    assert "--week '16-05-2022' n'est pas un jour comme" in week
    state = small("assets", "list", "--state", "broken", code=2)
    assert "'broken' ne fait pas partie de 'compromised'" in " ".join(state.split())
    assert "Value error" not in state
    book = tmp_path / "book.csv"
    small("appointments", "generate", "--week", "2022-05-16", "--out", str(book), "--scale", "0.01")
    lines = book.read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("site")] = "ZZZ"
    (tmp_path / "bad.csv").write_text(f"{lines[0]}\n{','.join(first)}\n", encoding="utf-8")
    refused = small("appointments", "import", str(tmp_path / "bad.csv"), code=2)
    assert "bad.csv:2: site: site 'ZZZ' inconnu (sites : A, B)" in refused


def test_an_error_is_said_in_the_operators_language(small: Relance) -> None:
    """French by default, English on asking; exit 2 and nothing written in both."""
    asked = ["assets", "transition", "--to", "isolated", "--reason", "x"]
    env = {"RELANCE_DATABASE_URL": small.url, "RELANCE_ACTOR": "tester", "COLUMNS": "200"}
    before = small.snapshot()
    french = small.runner.invoke(app, asked, env=env)
    english = small.runner.invoke(app, asked, env=env | {"RELANCE_LANG": "en"})
    assert (french.exit_code, english.exit_code) == (2, 2)
    assert "aucune machine choisie : donnez des noms de machines ou un filtre" in french.output
    assert "no machine selected" not in french.output
    assert "no machine selected: name hostnames or a filter, or say --all" in english.output
    assert small.snapshot() == before
