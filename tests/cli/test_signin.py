"""`relance login`: the signed-in operator is the actor; nobody signed in may read, not change."""

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from tests.cli.test_cli import SMALL, Relance


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sign_in_acts_as_the_account_and_nobody_signed_in_only_reads(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = Relance(database_url, tmp_path)
    named("init", "--scenario", str(SMALL))
    created = named("users", "add", "nurse", "--role", "technician")
    password = created.rsplit("password: ", 1)[1].strip()
    monkeypatch.delenv("RELANCE_ACTOR")
    runner, env = CliRunner(), {"RELANCE_DATABASE_URL": database_url, "RELANCE_LANG": "en"}

    refused = runner.invoke(app, ["log", "add", "x"], env=env)
    assert refused.exit_code == 2
    assert "relance login" in refused.output
    assert "(not signed in)" in runner.invoke(app, ["whoami"], env=env).output

    wrong = runner.invoke(app, ["login", "nurse"], input="not the password\n", env=env)
    assert wrong.exit_code == 2
    assert "wrong login or password" in wrong.output
    signed = runner.invoke(app, ["login", "nurse"], input=f"{password}\n", env=env)
    assert signed.exit_code == 0, signed.output
    kept = Path(os.environ["XDG_STATE_HOME"]) / "relance" / "sessions.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert password not in kept.read_text()
    assert "signed in as nurse" in runner.invoke(app, ["whoami"], env=env).output

    # a technician never sees a patient: the account's rights, not the console's
    assert runner.invoke(app, ["appointments", "review"], env=env).exit_code == 2
    changed = runner.invoke(app, ["users", "set-language", "nurse", "fr"], env=env)
    assert changed.exit_code == 0, changed.output
    french = runner.invoke(app, ["whoami"], env=env)  # the account's language wins
    assert "connecté en tant que nurse" in french.output, french.output

    out = runner.invoke(app, ["logout"], env=env)
    assert out.exit_code == 0
    assert "(not signed in)" in runner.invoke(app, ["whoami"], env=env).output
