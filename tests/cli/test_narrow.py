"""The demo read on an 80-column terminal: no line wider, no id cut, every list says N of M."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from relance.cli.main import app
from relance.cli.tables import key_column, table, text_column

KEY = re.compile(r"RDV-[\w-]+|\b[A-Z][A-Z0-9]{1,3}-[A-Z][\w-]*")  # appointments, hostnames
N_OF_M = re.compile(r"\b(\d+) (?:of|sur) (\d+) ")  # English or French


class Demo:
    def __init__(self, directory: Path) -> None:
        self.url = f"sqlite:///{directory / 'relance.db'}"
        self.runner = CliRunner()

    def __call__(self, *args: str, columns: int = 80, lang: str = "") -> str:
        env = {"RELANCE_DATABASE_URL": self.url, "RELANCE_ACTOR": "tester", "RELANCE_LANG": lang}
        result = self.runner.invoke(app, list(args), env={**env, "COLUMNS": str(columns)})
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.stdout  # the replay's clock line goes to stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Demo, set[str]]:
    """The demo with a triaged week of appointments (1,631 to review), and every key in it."""
    directory = tmp_path_factory.mktemp("demo")
    run = Demo(directory)
    run("demo", "--dir", str(directory))
    book = directory / "book.csv"
    run("appointments", "generate", "--week", "2022-05-16", "--out", str(book))
    run("appointments", "import", str(book))
    run("appointments", "triage")
    with book.open(encoding="utf-8") as f:
        keys = {row["appointment"] for row in csv.DictReader(f)}
    machines = json.loads(run("assets", "list", "--limit", "100000", "--json"))
    keys |= {m["hostname"] for m in machines["assets"]}
    keys |= {s["code"] for s in json.loads(run("status", "--json"))["services"]}
    return run, keys


def check_narrow(out: str, keys: set[str]) -> None:
    for line in out.splitlines():
        assert cell_len(line) <= 80, line
        assert "…" not in line, line
    for key in KEY.findall(out):
        assert key in keys, f"{key!r} is not a whole id"


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("status", "--site", "MAR"),
        ("audit",),
        ("audit", "--object", "MAR-SRV-AD-01"),
        ("timeline",),
        ("appointments", "review"),
        ("notify", "call-list"),
    ],
)
def test_the_demo_fits_80_columns_with_every_id_whole(
    demo: tuple[Demo, set[str]], command: tuple[str, ...]
) -> None:
    run, keys = demo
    check_narrow(run(*command), keys)


@pytest.mark.parametrize(
    ("command", "total"),
    [
        (("audit",), None),
        (("timeline",), None),
        (("appointments", "review"), 1631),
        (("notify", "call-list"), 885),
    ],
)
def test_every_long_list_says_how_many_of_how_many(
    demo: tuple[Demo, set[str]], command: tuple[str, ...], total: int | None
) -> None:
    run, _ = demo
    first = run(*command).splitlines()[0]
    counted = N_OF_M.search(first)
    assert counted, first
    assert int(counted[1]) < int(counted[2])
    if total is not None:
        assert int(counted[2]) == total
    everything = run(*command, "--all").splitlines()[0]
    assert not N_OF_M.search(everything), everything  # every line shown: just the number


def test_review_pages_cover_the_queue_once(demo: tuple[Demo, set[str]]) -> None:
    run, _ = demo
    seen: list[str] = []
    page, total = 1, None
    while total is None or len(seen) < total:
        found = json.loads(
            run(
                "appointments",
                "review",
                "--site",
                "mar",
                "--limit",
                "200",
                "--page",
                str(page),
                "--json",
            )
        )
        total = found["total"]
        assert found["appointments"], (page, total, len(seen))
        seen += [a["external_id"] for a in found["appointments"]]
        page += 1
    assert len(seen) == len(set(seen)) == total
    assert 0 < total < 1631
    assert {a["site"] for a in found["appointments"]} == {"MAR"}


def test_the_matrix_is_transposed_split_when_narrower_and_whole_with_wide(
    demo: tuple[Demo, set[str]],
) -> None:
    run, _ = demo
    sites = ["ARL", "MAR", "LIB", "BAS", "VIR", "POL", "MR1", "MR2", "MR3", "MR4"]
    header = next(line for line in run("status").splitlines() if line.split()[:1] == ["activité"])
    assert header.split()[1:] == sites  # activities are rows, sites columns: 10 sites fit 80
    narrower = run("status", columns=60)
    assert "sites 1/2" in narrower
    assert "sites 2/2" in narrower
    wide = run("status", "--wide")
    assert "sites 1/" not in wide
    assert "retirées du service" in wide.splitlines()[1]  # each state in full, in French
    assert max(cell_len(line) for line in wide.splitlines()) > 80


@pytest.mark.parametrize(
    ("command", "french", "english"),
    [
        (("status",), ["machines par état", "tous", "services à l'arrêt"], ["machines per"]),
        (("status", "--site", "MAR"), ["activités cliniques à", "pourquoi"], ["why"]),
        (("assets", "list", "--site", "MAR"), ["sur 523 machines", "nom d'hôte"], ["hostname"]),
        (("activities", "--site", "MAR"), ["capacité", "Partiellement"], ["capacity"]),
        (("plan", "show"), ["prévision", "jour"], ["forecast", "waits for"]),
        (("plan", "list"), ["versions du plan", "pourquoi"], ["plan versions"]),
    ],
)
def test_french_by_default_english_on_demand(
    demo: tuple[Demo, set[str]], command: tuple[str, ...], french: list[str], english: list[str]
) -> None:
    """Headers, states and counts in one language: French unless RELANCE_LANG=en."""
    run, keys = demo
    fr, en = run(*command), run(*command, lang="en")
    # a plan's teams (WS-ARL) look like hostnames without being one: widths only
    check_narrow(fr, keys if command[0] != "plan" else keys | set(KEY.findall(fr)))
    assert all(word in fr for word in french), fr
    assert all(word in en for word in english), en
    assert not any(word in fr for word in english), fr
    header = next(i for i, line in enumerate(fr.splitlines()) if line.startswith("─")) - 1
    fr_words = set(fr.splitlines()[header].split())
    en_words = set(en.splitlines()[header].split())
    assert fr_words != en_words
    # the English header's words appear in the French one only where both languages spell them so
    assert fr_words & en_words <= {
        "site",
        "total",
        "comp",
        "isol",
        "imag",
        "valid",
        "pc",
        "srv",
        "gain",
    }


def test_a_code_column_never_cuts_a_word() -> None:
    """A code's words (a method, a state) wrap at spaces, never inside a word."""
    shown = table("plans")
    key_column(shown, "made", ["2022-05-17 16:30"])
    text_column(shown, "by", min_width=8)
    text_column(shown, "method", min_width=6, cells=["par paliers\nheuristique"])
    text_column(shown, "why", ratio=2)
    shown.add_row("2022-05-17 16:30", "démonstration", "par paliers\nheuristique", "ordre " * 30)
    narrow = Console(width=50, file=io.StringIO(), color_system=None)
    narrow.print(shown)
    assert "heuristique" in narrow.file.getvalue()  # type: ignore[attr-defined]  # a StringIO


def test_plan_list_keeps_its_words_whole(demo: tuple[Demo, set[str]]) -> None:
    run, _ = demo
    assert "heuristique" in run("plan", "list")
    assert "heuristic" in run("plan", "list", lang="en")


def test_assets_list_words_the_generated_roles(demo: tuple[Demo, set[str]]) -> None:
    """The role the generator stored for want of one (in English) reads in the reader's words."""
    run, keys = demo
    pcs = run("assets", "list", "--kind", "workstation", "--limit", "3")
    check_narrow(pcs, keys)
    assert "poste de travail" in pcs
    assert "workstation" not in pcs
    assert "workstation" in run("assets", "list", "--kind", "workstation", lang="en")
    servers = run("assets", "list", "--kind", "server", "--site", "MAR", "--limit", "200")
    assert "serveur AD" in servers
    assert " server" not in servers
    assert "AD server" in run("assets", "show", "MAR-SRV-AD-01", lang="en")
