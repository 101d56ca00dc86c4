"""`relance users`: the local accounts of the web dashboard and the API."""

from typing import Annotated

import typer

from relance.cli.common import _, console, context, errors, local, print_json, transaction
from relance.cli.tables import (
    All,
    PageNumber,
    PageSize,
    Wide,
    count_line,
    key_column,
    page_hint,
    paging,
    table,
    text_column,
)
from relance.cli.wording import n_, show_list
from relance.cli.wording import role as role_words
from relance.domain.roles import Role
from relance.domain.tokens import DEFAULT_LIFETIME

app = typer.Typer(help="Local accounts of the dashboard and the API: roles, passwords, tokens.")
Login = Annotated[str, typer.Argument(help="The account's login (lower case).")]
Actor = Annotated[str | None, typer.Option(help="Who makes the change.")]
Sites = Annotated[
    list[str] | None, typer.Option("--site", help="Limit the account to this site (repeatable).")
]


@app.command()
def add(
    login: Login,
    role: Annotated[
        Role, typer.Option(help="What the account may do (least privilege unless said).")
    ] = Role.OBSERVER,
    name: Annotated[str, typer.Option(help="The person's name.")] = "",
    site: Sites = None,
    actor: Actor = None,
) -> None:
    """Create an account; its generated password is printed once."""
    from relance.app import users as service

    with transaction() as uow:
        account, password = service.add_user(
            uow, context(actor), login, role, name=name, sites=tuple(site or ())
        )
    said = _(
        "account {login} ({role}) created; password: {password}",
        login=account.login,
        role=role_words(account.role),
        password=password,
    )
    console.print(said, highlight=False, markup=False)


@app.command("list")
def list_(
    limit: PageSize = 50,
    page: PageNumber = 1,
    every: All = False,
    wide: Wide = False,
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Every account with its role, sites and state."""
    from relance.app import users as service

    with transaction() as uow:
        accounts = service.list_users(uow, context(None, reads=True))
    if json:
        print_json(accounts)
        return
    size, offset = paging(limit, page, every)
    rows = accounts[offset : offset + size] if size is not None else accounts
    noun = n_("account", "accounts", len(accounts))
    shown = table(count_line(len(rows), len(accounts), noun, offset + 1))
    key_column(shown, _("login"), [a.login for a in rows])
    text_column(shown, _("name"), ratio=1)
    text_column(shown, _("role"), min_width=10)
    text_column(shown, _("sites"), min_width=6)
    text_column(shown, _("active"), min_width=5)
    text_column(shown, _("password set"), min_width=10)
    for a in rows:
        shown.add_row(
            a.login,
            a.name,
            role_words(a.role),
            ", ".join(a.sites) or _("all"),
            _("yes") if a.active else _("no"),
            local(a.password_set_at),
        )
    show_list(shown, len(rows), wide)
    hint = page_hint("relance users list", len(accounts), offset, len(rows), size)
    if hint:
        console.print(hint, highlight=False)


@app.command()
def disable(
    login: Login,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    actor: Actor = None,
) -> None:
    """Stop an account: no more sign-in, its sessions end, its tokens are revoked."""
    from relance.app import users as service

    with transaction() as uow:
        account = service.disable_user(uow, context(actor), login, reason)
    console.print(_("account {login} disabled", login=account.login), highlight=False)


@app.command("reset-password")
def reset_password(login: Login, actor: Actor = None) -> None:
    """A new generated password (printed once); sessions end, tokens die, waits are lifted."""
    from relance.app import users as service

    with transaction() as uow:
        account, password = service.reset_password(uow, context(actor), login)
    said = _("account {login}: new password: {password}", login=account.login, password=password)
    console.print(said, highlight=False, markup=False)


@app.command("set-role")
def set_role(
    login: Login,
    role: Annotated[Role, typer.Option(help="The new role.")],
    site: Sites = None,
    actor: Actor = None,
) -> None:
    """Change an account's role (and its sites, if --site is given)."""
    from relance.app import users as service

    with transaction() as uow:
        account = service.change_role(
            uow, context(actor), login, role, tuple(site) if site is not None else None
        )
    said = _(
        "account {login}: {role}, sites {sites}",
        login=account.login,
        role=role_words(account.role),
        sites=", ".join(account.sites) or _("all"),
    )
    console.print(said, highlight=False)


@app.command("set-language")
def set_language(
    login: Login,
    language: Annotated[
        str | None,
        typer.Argument(help="fr or en; none given: not chosen (the browser or RELANCE_LANG)."),
    ] = None,
    actor: Actor = None,
) -> None:
    """The account's language on the pages and the command line (an account may set its own)."""
    from relance.app import users as service

    with transaction() as uow:
        account = service.set_language(uow, context(actor), login, language)
    chosen = account.language or _("not chosen")
    console.print(_("account {login}: language {language}", login=account.login, language=chosen))


@app.command()
def token(
    login: Login,
    name: Annotated[str, typer.Option(help="The script that will use it.")],
    expires: Annotated[
        str, typer.Option(help="How long it lives: hours or days, 1h to 30d.")
    ] = DEFAULT_LIFETIME,
    actor: Actor = None,
) -> None:
    """Create an API token for scripts (Authorization: Bearer TOKEN), printed once."""
    from relance.app import tokens as service_tokens

    with transaction() as uow:
        made = service_tokens.create_token(uow, context(actor), login, name, expires, by=None)
    console.print(made.secret, soft_wrap=True, highlight=False)  # alone: TOKEN=$(...)
    errors.print(
        _(
            "token {id} ({name}) expires {time}",
            id=made.token.id,
            name=made.token.name,
            time=local(made.token.expires_at),
        ),
        highlight=False,
        markup=False,
    )


@app.command()
def tokens(
    login: Login,
    wide: Wide = False,
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """The account's live API tokens: name, made, expires, last used (never the secret)."""
    from relance.app import tokens as service_tokens

    with transaction() as uow:
        found = service_tokens.list_tokens(uow, context(None, reads=True), login, by=None)
    if json:
        print_json(found)
        return
    noun = n_("live token of {login}", "live tokens of {login}", len(found), login=login)
    shown = table(count_line(len(found), len(found), noun))
    key_column(shown, _("id"), [str(t.id) for t in found], justify="right")
    text_column(shown, _("name"), ratio=1)
    text_column(shown, _("made"), min_width=10)
    text_column(shown, _("expires"), min_width=10)
    text_column(shown, _("last used"), min_width=10)
    for t in found:
        used = local(t.last_used_at) if t.last_used_at else _("never")
        shown.add_row(str(t.id), t.name, local(t.created_at), local(t.expires_at), used)
    show_list(shown, len(found), wide)


@app.command("revoke-token")
def revoke_token(
    login: Login,
    token_id: Annotated[
        int,
        typer.Argument(min=1, max=2_147_483_647, help="Its id (relance users tokens LOGIN)."),
    ],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    actor: Actor = None,
) -> None:
    """Revoke one API token: it stops opening the API at once."""
    from relance.app import tokens as service_tokens

    with transaction() as uow:
        dropped = service_tokens.revoke_token(
            uow, context(actor), login, token_id, by=None, reason=reason
        )
    said = _(
        "token {id} ({name}) of {login} revoked", id=dropped.id, name=dropped.name, login=login
    )
    console.print(said, highlight=False, markup=False)
