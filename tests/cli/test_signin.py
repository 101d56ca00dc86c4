"""`relance login`: the signed-in operator is the actor; nobody signed in may read, not change."""

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from relance.cli.main import app
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import make_engine, unit_of_work
from tests.cli.test_cli import SMALL, Relance


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sign_in_acts_as_the_account_and_nobody_signed_in_only_reads(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = Relance(database_url, tmp_path)
    named("init", "--scenario", str(SMALL))
    created = named("users", "add", "nurse", "--role", "technician")
    password = created.rsplit("mot de passe : ", 1)[1].strip()
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


def test_only_a_crisis_lead_signed_in_manages_accounts(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = Relance(database_url, tmp_path)
    named("init", "--scenario", str(SMALL))
    passwords = {}
    for login, role in (("nurse", "technician"), ("chief", "crisis_lead")):
        created = named("users", "add", login, "--role", role)
        passwords[login] = created.rsplit("mot de passe : ", 1)[1].strip()
    monkeypatch.delenv("RELANCE_ACTOR")
    runner, env = CliRunner(), {"RELANCE_DATABASE_URL": database_url, "RELANCE_LANG": "en"}

    def sign_in(login: str) -> None:
        runner.invoke(app, ["logout"], env=env)
        signed = runner.invoke(app, ["login", login], input=f"{passwords[login]}\n", env=env)
        assert signed.exit_code == 0, signed.output

    nobody = runner.invoke(app, ["users", "list"], env=env)
    assert nobody.exit_code == 2
    assert "relance login" in nobody.output  # says how to sign in

    sign_in("nurse")
    for asked in (["users", "list"], ["users", "add", "intruder", "--role", "crisis_lead"]):
        refused = runner.invoke(app, asked, env=env)
        assert refused.exit_code == 2, refused.output
        assert "the role Technician may not manage accounts" in refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)

    sign_in("chief")
    listed = runner.invoke(app, ["users", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    logins = {a["login"] for a in json.loads(listed.stdout)}
    assert logins == {"nurse", "chief"}  # the intruder was never made
    added = runner.invoke(app, ["users", "add", "spare"], env=env)
    assert added.exit_code == 0, added.output

    engine = make_engine(database_url)
    try:
        with unit_of_work(engine) as uow:
            refusals = audit_store.find(uow, AuditQuery(event_types=("access.refused",)))
    finally:
        engine.dispose()
    by_nurse = sorted(e.object_key for e in refusals if e.actor == "nurse")
    assert by_nurse == ["relance users add", "relance users list"], by_nurse
    assert all("manage accounts" in (e.reason or "") for e in refusals)
