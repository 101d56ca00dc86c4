"""The last commands to speak French: demo, serve, duties and claims, read on 80 columns in one
language (French unless RELANCE_LANG=en)."""

import re
import socket
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from relance.cli.main import app

# The English of each command's own lines (the record's data and the scenario's names are the
# cell's words, in French in either language).
ENGLISH = re.compile(
    r"\b(servers|workstations|medical-device|declared|entries|periods|replaying|working hours"
    r"|Dashboard|sign in|Next|Database|legal duties|due|left|provisional|officer|aware since"
    r"|alarm|claims?|extension|where|seen|deadline|evidence|recorded|taken down|leak site"
    r"|weigh|cannot listen|another|choose)\b"
)

COMMAND = re.compile(r"`[^`]*`")  # a command to type is the same in every language


class Cli:
    def __init__(self, directory: Path) -> None:
        self.url = f"sqlite:///{directory / 'relance.db'}"
        self.runner = CliRunner()

    def __call__(self, *args: str, lang: str = "", code: int = 0) -> str:
        env = {
            "RELANCE_DATABASE_URL": self.url,
            "RELANCE_ACTOR": "tester",
            "RELANCE_LANG": lang,
            "COLUMNS": "80",
        }
        result = self.runner.invoke(app, list(args), env=env)
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output


def one_language(french: str, english: str, *, error: bool = False) -> None:
    """French fits 80 columns (an error is one line, for a log to keep whole) and has none of the
    English output's own words."""
    for line in french.splitlines():
        assert error or cell_len(line) <= 80, line
    french, english = COMMAND.sub("", french), COMMAND.sub("", english)
    assert ENGLISH.search(english), english  # the check can fail
    assert not ENGLISH.search(french), (ENGLISH.search(french), french)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str, str]:
    """The demo, built once in French and once in English (each its own database)."""
    outputs = []
    for lang in ("", "en"):
        directory = tmp_path_factory.mktemp(f"demo{lang}")
        run = Cli(directory)
        outputs.append(run("demo", "--dir", str(directory), lang=lang))
    return run, outputs[0], outputs[1]


def test_the_demo_speaks_french(cli: tuple[Cli, str, str]) -> None:
    _run, french, english = cli
    assert "200 serveurs" in french
    assert "1\u202f500 postes de travail" in french  # a narrow no-break space
    assert "Tableau de bord" in french
    assert "1,500 workstations" in english
    one_language(french, english)


def test_duties_and_claims_speak_french(cli: tuple[Cli, str, str]) -> None:
    run, _french, _english = cli
    added = run(
        "claims",
        "add",
        "--group",
        "LockBit",
        "--seen",
        "2022-05-16T10:00",
        "--where",
        "Tor",
        "--deadline",
        "2022-05-27T10:00",
    )
    assert "revendication CL-0001 enregistrée" in added
    extended = run("claims", "extend", "CL-0001", "--deadline", "2022-05-29T10:00")
    assert "ultimatum le 2022-05-29 10:00" in extended
    claims = run("claims")
    assert "sur le site de fuite" in claims
    assert "prolongation" in claims
    one_language(claims, run("claims", lang="en"))
    duties = run("duties")
    assert "obligations légales" in duties
    assert "-2 j 12 h" in duties  # the early warning, overdue by days
    assert "revendication d'extorsion sur des données de patients" in duties
    one_language(duties, run("duties", lang="en"))
    alarms = run("duties", "--check", code=2)
    assert "alarme : NIS2 : alerte précoce au CCB" in alarms
    one_language(alarms, run("duties", "--check", lang="en", code=2))
    removed = run("claims", "status", "CL-0001", "removed")
    assert removed.strip().endswith("revendication CL-0001 : retirée")


def test_serve_says_in_french_that_its_port_is_taken(cli: tuple[Cli, str, str]) -> None:
    run, _french, _english = cli
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        french = run("serve", "--port", port, code=2)
        english = run("serve", "--port", port, lang="en", code=2)
    assert "un autre programme utilise ce port" in french, french
    assert "choose another --port" in english
    one_language(french, english, error=True)


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (["--x"], "Option inconnue : --x", "No such option: --x"),
        (["status", "--sit"], "(options possibles : --site)", "(Possible options: --site)"),
        (["nope"], "Commande inconnue : 'nope'.", "No such command 'nope'."),
        (["stauts"], "Vouliez-vous dire 'status' ?", "Did you mean 'status'?"),
        (["plan", "show", "extra"], "Argument(s) en trop : extra", "unexpected extra argument"),
        (["duties", "aware"], "Option manquante : '--at'.", "Missing option '--at'."),
        (["assets", "list", "--limit", "x"], "Valeur non valide pour '--limit'", "Invalid value"),
        (["status", "--site"], "L'option '--site' demande une valeur.", "requires an argument"),
    ],
)
def test_click_says_its_usage_errors_in_french(args: list[str], french: str, english: str) -> None:
    """Click's own errors in the operator's language, with exit code 2."""
    runner = CliRunner()
    env = {"RELANCE_DATABASE_URL": "sqlite://", "COLUMNS": "200"}
    fr = runner.invoke(app, args, env={**env, "RELANCE_LANG": ""})
    en = runner.invoke(app, args, env={**env, "RELANCE_LANG": "en"})
    assert (fr.exit_code, en.exit_code) == (2, 2)
    assert french in fr.output, fr.output
    assert english in en.output, en.output
    assert "Error" not in fr.output
    assert "Erreur" in fr.output
    assert "Try " not in fr.output
    if "Usage" in en.output:
        assert "Essayez 'relance" in fr.output
        assert "Usage : relance" in fr.output


def test_plan_numbers_are_written_in_the_readers_language(cli: tuple[Cli, str, str]) -> None:
    """The demo's plan by tiers: its weighted downtime grouped as French writes it
    ("20 218 100"), as English does ("20,218,100"); its method in words."""
    run, _french, _english = cli
    french, english = run("plan", "list"), run("plan", "list", lang="en")
    grouped_fr = re.search(r"\b\d{1,3}(?:\u202f\d{3})+\b", french)
    grouped_en = re.search(r"\b\d{1,3}(?:,\d{3})+\b", english)
    assert grouped_fr, french
    assert grouped_en, english
    assert grouped_fr[0].replace("\u202f", "") == grouped_en[0].replace(",", "")
    assert not re.search(r"\d,\d{3}\b", french), french
    assert "par paliers" in french
    assert "tiers" not in french
    assert "by tiers" in english


def test_plan_show_words_its_method_its_waits_and_keeps_names_whole(
    cli: tuple[Cli, str, str],
) -> None:
    """`plan show` on 80 columns: the method, the outcome and the team a forecast waits for in
    the reader's words (not the solver's codes), and no activity's name cut mid-word."""
    run, _french, _english = cli
    french, english = run("plan", "show"), run("plan", "show", lang="en")
    assert "(par paliers, heuristique)" in french, french
    assert "(by tiers, heuristic)" in english, english
    assert "<- équipe " in french, french
    assert "<- team " in english  # the check can fail
    assert not re.search(r"\bteam\b|tiers", french), french
    assert "Hospitalisation" in french
    assert not re.search(r"Hospitalisatio\s", french), french
    for line in french.splitlines():
        assert cell_len(line) <= 80, line
