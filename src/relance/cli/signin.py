"""`relance login`, `relance logout`, `relance whoami`: the operator of this laptop.

The sign-in is kept for this database only (cli.sessions), readable only by the OS user; from
then on every command acts as the account, with its role and sites, and speaks its language.
"""

from datetime import datetime
from typing import Annotated

import typer

from relance.cli.common import (
    N_,
    _,
    console,
    database_exists,
    database_key,
    errors,
    fail,
    local,
    print_json,
    shared_engine,
    transaction,
    user_errors,
)

BY_API_KEY = "Sign in with one of the account's API tokens (asked, hidden), not its password."


def login(
    account: Annotated[
        str | None, typer.Argument(help="The account's login (asked if not given).")
    ] = None,
    token: Annotated[bool, typer.Option("--token", help=BY_API_KEY)] = False,
) -> None:
    """Sign in on this laptop for this database: later commands act as the account."""
    from relance.app import operator
    from relance.app.context import Context
    from relance.app.incident_clock import clock_of
    from relance.cli.sessions import Kept, keep
    from relance.storage.database import unit_of_work

    shared_engine()  # no database here: said now, before a password is asked
    with user_errors(), unit_of_work(shared_engine(), read_only=True) as uow:
        clock = clock_of(uow)
    if token:
        secret = typer.prompt(_("API token"), hide_input=True).strip()
        with transaction() as uow:
            made = operator.sign_in_with_token(uow, Context("relance", clock), secret)
        if made is None:
            fail(_("this token opens nothing: unknown, expired, revoked, or its account disabled"))
    else:
        name = (account or typer.prompt(_("Login"))).strip().lower()
        password = typer.prompt(_("Password"), hide_input=True)
        with transaction() as uow:
            answer = operator.sign_in(uow, Context(name[:80], clock), name, password)
        if isinstance(answer, operator.Refusal):
            if answer.why == "rate_limited":
                fail(_("too many failed sign-ins: try again in {n} s", n=answer.wait_seconds))
            fail(_("wrong login or password"))
        made = answer
    who = made.principal
    with user_errors():
        keep(database_key(), Kept(who.login, made.kind, made.secret, made.expires_at))
    _say_signed_in(who.login, who.role, made.expires_at)


def _say_signed_in(login: str, role: str | None, until: datetime) -> None:
    from relance.cli.wording import role as role_words

    said = _(SIGNED_IN, login=login, role=role_words(role), time=local(until))
    console.print(said, highlight=False)


SIGNED_IN = N_("signed in as {login} ({role}) until {time}")


def logout() -> None:
    """Sign out on this laptop for this database (a session ends; a token is forgotten here)."""
    from relance.app import operator
    from relance.app.context import Context
    from relance.app.incident_clock import clock_of
    from relance.cli.sessions import forget, kept_for

    kept = kept_for(database_key())
    if kept is None:
        console.print(_("nobody is signed in here"), highlight=False)
        return
    if database_exists():
        with transaction() as uow:
            operator.sign_out(uow, Context(kept.login, clock_of(uow)), kept.kind, kept.secret)
    with user_errors():
        forget(database_key())
    console.print(_("{login} signed out", login=kept.login), highlight=False)


def whoami(
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Who the commands act as here: the signed-in account, the name given, or nobody."""
    from relance.cli.common import context
    from relance.cli.sessions import kept_for
    from relance.domain.roles import UNSIGNED

    ctx = context(None, reads=True)
    kept = kept_for(database_key())
    signed = kept is not None and kept.login == ctx.actor
    role = ctx.authority.role if ctx.authority else None
    if json:
        print_json({"actor": ctx.actor, "signed_in": signed, "role": role})
        return
    if signed and kept is not None:
        _say_signed_in(kept.login, role, kept.expires_at)
    elif ctx.authority == UNSIGNED:
        said = _("nobody is signed in here: reads only, as {actor}", actor=ctx.actor)
        console.print(said, highlight=False)
        errors.print(_("sign in: relance login"), highlight=False)
    else:
        said = _("acting as {actor} (--actor or RELANCE_ACTOR)", actor=ctx.actor)
        console.print(said, highlight=False)
