"""`relance users` as the console uses it: roles, the last crisis lead, tokens, sign-in waits."""

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from relance.app import users
from relance.app.context import Context
from relance.app.tokens import token_user
from relance.cli.main import app
from relance.domain.throttle import FREE_FAILURES
from relance.storage.database import make_engine, unit_of_work

PASSWORD = "correct horse battery"  # noqa: S105 - the test account's password


class Console:
    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = self.runner.invoke(
            app,
            list(args),
            env={"RELANCE_DATABASE_URL": self.url, "RELANCE_ACTOR": "tester", "COLUMNS": "200"},
        )
        assert result.exit_code == code, (result.output, result.exception)
        return result

    def opens(self, secret: str) -> bool:
        engine = make_engine(self.url)
        try:
            with unit_of_work(engine) as uow:
                return token_user(uow, Context(actor="t"), secret) is not None
        finally:
            engine.dispose()

    def sign_in(self, login: str, password: str, address: str) -> users.SignIn:
        engine = make_engine(self.url)
        try:
            with unit_of_work(engine) as uow:
                return users.log_in(uow, Context(actor=login), login, password, address)
        finally:
            engine.dispose()


@pytest.fixture
def console(database_url: str, tmp_path: Path) -> Console:
    console = Console(database_url)
    console("users", "add", "lead", "--role", "crisis_lead")
    return console


def test_a_new_account_is_an_observer_unless_said(console: Console) -> None:
    assert "compte nurse (Observateur) créé" in console("users", "add", "nurse").stdout


def test_the_last_crisis_lead_stays(console: Console) -> None:
    refused = console("users", "disable", "lead", code=2)
    assert "lead est le dernier responsable de crise actif" in refused.output
    assert (
        "dernier responsable de crise actif"
        in console("users", "set-role", "lead", "--role", "observer", code=2).output
    )
    console("users", "add", "second", "--role", "crisis_lead")
    console("users", "disable", "lead")


def test_tokens_are_made_listed_and_revoked_one_by_one(console: Console) -> None:
    console("users", "add", "wallboard")
    first = console("users", "token", "wallboard", "--name", "screen").stdout.strip()
    made = console("users", "token", "wallboard", "--name", "backup", "--expires", "30d")
    second = made.stdout.strip()
    assert first.startswith("rl_")
    assert "expire" in made.stderr
    too_long = console("users", "token", "wallboard", "--name", "x", "--expires", "90d", code=2)
    assert "de 1h à 30d" in too_long.output
    listed = json.loads(console("users", "tokens", "wallboard", "--json").stdout)
    assert [t["name"] for t in listed] == ["screen", "backup"]
    assert first not in json.dumps(listed)
    table = console("users", "tokens", "wallboard").stdout
    assert "screen" in table
    assert "jamais" in table
    console("users", "revoke-token", "wallboard", str(listed[0]["id"]), "--reason", "lost")
    assert not console.opens(first)
    assert console.opens(second)
    unknown = console("users", "revoke-token", "lead", str(listed[1]["id"]), code=2)
    assert "lead n'a pas de jeton" in unknown.output


def test_a_password_reset_kills_tokens_and_lifts_the_wait(console: Console) -> None:
    secret = console("users", "token", "lead", "--name", "script").stdout.strip()
    for _ in range(FREE_FAILURES):
        console.sign_in("lead", "wrong", "10.0.0.1")
    assert console.sign_in("lead", "wrong", "10.0.0.1").refused == "rate_limited"
    password = console("users", "reset-password", "lead").stdout.split()[-1]
    assert not console.opens(secret)
    assert console.sign_in("lead", password, "10.0.0.1").session is not None
