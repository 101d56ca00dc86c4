"""The crisis cell's errors in the reader's language (issue 12): a French operator reads a French
sentence (exit 2, no English left in it), RELANCE_LANG=en the English one; a refusal kept in the
audit trail is read back in each reader's language, an older row (its English reason only) too."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.app.audit import record_event
from relance.app.clean_zone import StateMoved, UnknownMachine, UnreadableLabel
from relance.app.context import Context
from relance.cli.main import app
from relance.domain.audit_events import EventType
from relance.i18n import Texts
from relance.storage.database import make_engine, unit_of_work
from tests.cli.test_cli import SMALL, Relance

# (the command, the French sentence, the English one): one or two of each group of the app
CASES = [
    (
        ["log", "add", "cancel", "--kind", "decision"],
        "une décision exige qui a décidé (--decided-by) et pourquoi (--why)",
        "a decision needs who decided (--decided-by) and why (--why)",
    ),
    (
        ["incident", "declare", "--name", "Again", "--detected", "2022-05-14T03:00"],
        "un incident est déjà déclaré dans cette base",
        "an incident is already declared in this database",
    ),
    (
        ["users", "disable", "nobody"],
        "aucun compte 'nobody' (relance users list)",
        "no account 'nobody' (relance users list)",
    ),
    (
        ["users", "revoke-token", "nurse", "999"],
        "nurse n'a pas de jeton 999 (relance users tokens nurse)",
        "nurse has no token 999 (relance users tokens nurse)",
    ),
    (
        ["notify", "call-list", "--out", "calls.txt"],
        "calls.txt : écrivez la liste d'appels dans un fichier .csv ou .pdf",
        "calls.txt: write the call list to a .csv or .pdf file",
    ),
    (
        ["appointments", "import", "empty.csv"],
        "empty.csv: aucun rendez-vous dans le fichier",
        "empty.csv: no appointment in the file",
    ),
    (
        ["duties", "aware", "--at", "2022-05-14T05:00+02:00", "--reason", ""],
        "déplacer les délais légaux exige une raison (--reason)",
        "moving the legal deadlines needs a reason (--reason)",
    ),
    (
        [
            "assets",
            "transition",
            "A-SRV-AD-01",
            "--to",
            "isolated",
            "--reason",
            "cut",
            "--at",
            "2031-01-01T00:00+01:00",
        ],
        "l'heure du changement 2031-01-01T00:00:00+01:00 est dans le futur",
        "the time of the change 2031-01-01T00:00:00+01:00 is in the future",
    ),
    (
        [
            "assets",
            "transition",
            "A-SRV-AD-01",
            "--to",
            "isolated",
            "--reason",
            "cut",
            "--at",
            "1999-12-31T00:00+01:00",
        ],
        "--at 1999-12-31T00:00+01:00 est hors limites : donnez une heure entre 2000 et 2099",
        "--at 1999-12-31T00:00+01:00 is out of range: give a time between 2000 and 2099",
    ),
    (
        [
            "assets",
            "transition",
            "--site",
            "A",
            "--state",
            "imaged",
            "--to",
            "reimaged",
            "--reason",
            "done",
        ],
        "aucune machine ne correspond au filtre",
        "no machine matches the filter",
    ),
    (
        ["assets", "transition", "A-SRV-AD-01", "--to", "isolated", "--reason", " "],
        "dites pourquoi (--reason) : chaque changement est gardé dans le journal d'audit",
        "say why (--reason): every move is kept in the audit trail with its reason",
    ),
    (
        ["claims", "extend", "CL-0042", "--deadline", "2022-05-20T12:00+02:00"],
        "aucune revendication 'CL-0042' (aucune encore)",
        "no claim 'CL-0042' (none yet)",
    ),
]


def _run(cell: Relance, args: list[str], language: str, code: int = 2) -> str:
    env = {"RELANCE_DATABASE_URL": cell.url, "RELANCE_ACTOR": "tester", "COLUMNS": "300"}
    result = CliRunner().invoke(app, args, env={**env, "RELANCE_LANG": language})
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return " ".join(result.output.split())


class Cell(Relance):
    """The small network, an incident declared, a technician's account (`password`)."""

    password = ""


@pytest.fixture
def cell(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cell:
    relance = Cell(database_url, tmp_path)
    relance("init", "--scenario", str(SMALL))
    relance("incident", "declare", "--name", "Test", "--detected", "2022-05-14T03:00")
    created = relance("users", "add", "nurse", "--role", "technician")
    relance.password = created.rsplit("mot de passe : ", 1)[1].strip()
    (tmp_path / "empty.csv").write_text(
        "appointment,patient,name,language,mobile,phone,site,activity,pathway,start\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return relance


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_each_group_errs_in_french_and_in_english(cell: Cell) -> None:
    for args, french, english in CASES:
        said = _run(cell, args, "fr")
        assert french in said, (args, said)
        assert english not in said, (args, said)
        assert "erreur" in said
        assert english in _run(cell, args, "en"), args


# (the command, Click's reason in French, its English): a value the option's type refuses
REFUSED_VALUES = [
    (["audit", "--limit", "many"], "'--limit' : doit être un nombre entier", "valid integer"),
    (["audit", "--limit", "0"], "'--limit' : doit valoir au moins 1", "greater than or equal"),
    (
        ["notify", "call-list", "--lang", "xx", "--out", "calls.pdf"],
        "'--lang' : 'xx' ne fait pas partie de 'fr', 'en', 'nl', 'de'.",
        "is not one of",
    ),
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_value_the_options_type_refuses_is_said_in_french(cell: Cell) -> None:
    for args, french, english in REFUSED_VALUES:
        said = _run(cell, args, "fr")
        assert f"Valeur non valide pour {french}" in said, (args, said)
        assert english not in said, (args, said)
        assert english in _run(cell, args, "en"), args


def test_the_clean_zone_says_its_errors_in_the_readers_language() -> None:
    french, english = Texts("fr"), Texts("en")
    unknown = UnknownMachine("a-srv-01")
    assert french.error(unknown) == "A-SRV-01 : machine inconnue sur vos sites"
    assert english.error(unknown) == str(unknown) == "A-SRV-01: unknown machine on your sites"
    several = UnreadableLabel(3)
    assert french.error(several) == "3 étiquettes sur la photo : photographiez-en une seule"
    assert "labels found" in str(several)
    assert issubclass(StateMoved, Exception)  # its words are the states' labels (test_scan)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_refusal_and_an_older_one_read_back_in_each_language(
    cell: Cell, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(cell.url)
    with unit_of_work(engine) as uow:  # as a version before the refusal's message was kept
        old = "the role Observer may not see the audit trail"
        record_event(
            uow, Context("old"), EventType.ACCESS_REFUSED, "request", "GET /audit", reason=old
        )
    engine.dispose()
    monkeypatch.delenv("RELANCE_ACTOR", raising=False)
    runner, env = CliRunner(), {"RELANCE_DATABASE_URL": cell.url, "RELANCE_LANG": "fr"}
    signed = runner.invoke(app, ["login", "nurse"], input=f"{cell.password}\n", env=env)
    assert signed.exit_code == 0, signed.output
    refused = runner.invoke(app, ["users", "list"], env=env)
    assert refused.exit_code == 2, refused.output
    said = " ".join(refused.output.split())
    assert "may not" not in said
    runner.invoke(app, ["logout"], env=env)

    audit = ["audit", "--type", "access.refused"]
    french = _run(cell, audit, "fr", code=0)
    assert "Accès refusé" in french  # the older row, without its English reason
    assert old not in french
    assert "may not" not in french
    assert "manage accounts" not in french
    now = said.split("erreur : ", 1)[1].strip()
    assert now in french, (now, french)  # as the command said it
    english = _run(cell, audit, "en", code=0)
    assert old in english
    assert "may not manage accounts" in english
    assert "Accès" not in english
