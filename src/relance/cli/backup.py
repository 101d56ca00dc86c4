"""`relance backup` and `relance restore`: a consistent copy of the live database, and back."""

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import (
    _,
    console,
    context,
    errors,
    fail,
    local,
    n_,
    print_json,
    user_errors,
)
from relance.cli.snapshot import duration
from relance.cli.wording import number

if TYPE_CHECKING:
    from relance.app.backup import BackupInfo, Cycle

Actor = Annotated[str | None, typer.Option(help="Who does it (default: RELANCE_ACTOR or you).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def backup(
    out: Annotated[
        Path,
        typer.Option(
            help="The backup file, or a directory where it is named by the time "
            "(with --every: the directory)."
        ),
    ],
    recipients: Annotated[
        Path | None,
        typer.Option(help="Encrypt with age to these public keys (one age1... a line)."),
    ] = None,
    every: Annotated[
        str | None, typer.Option(help="Take one now and then every 15m, 1h...: Ctrl-C stops.")
    ] = None,
    keep: Annotated[
        int | None, typer.Option(min=1, help="With --every: the backups kept (default 96).")
    ] = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """A consistent copy of the database while the crisis cell works, with its manifest."""
    from relance.app import backup as service
    from relance.storage.database import database_url

    url = database_url()
    if every is None:
        if keep is not None:
            fail(_("--keep goes with --every: a single backup removes nothing"))
        with user_errors():
            taken = service.take_backup(context(actor), url, out, recipients)
        if json:
            print_json(_backup_json(taken))
        else:
            console.print(_taken(taken), highlight=False)
        return
    cycles = service.backups_every(
        context(actor),
        url,
        out,
        every=duration(every, "--every"),
        keep=96 if keep is None else keep,
        recipients=recipients,
        sleep=time.sleep,
    )
    try:
        with user_errors():
            for cycle in cycles:
                _report(cycle, json)
    except KeyboardInterrupt:
        errors.print(_("backups stopped"))


def _taken(taken: "BackupInfo") -> str:
    counts = taken.counts
    line = _(
        "{file}: {machines}, {audit}, {rows} in {tables}, schema {revision}, {size} MB",
        file=f"[green]{taken.path}[/]",
        machines=_machines(counts.get("assets", 0)),
        audit=_audit_rows(counts.get("audit_events", 0)),
        rows=n_("{n} row", "{n} rows", sum(counts.values())),
        tables=n_("{n} table", "{n} tables", len(counts)),
        revision=taken.revision,
        size=number(round(taken.size / 1e6, 1)),
    )
    if taken.encrypted:
        line += _(", encrypted")
    return f"{line}, {number(round(taken.seconds, 1))} s"


def _machines(count: int) -> str:
    return n_("{n} machine", "{n} machines", count)


def _audit_rows(count: int) -> str:
    return n_("{n} audit row", "{n} audit rows", count)


def _backup_json(taken: "BackupInfo") -> dict[str, object]:
    return {
        "file": str(taken.path),
        "taken_at": taken.taken_at,
        "backend": taken.backend,
        "schema_revision": taken.revision,
        "counts": taken.counts,
        "size": taken.size,
        "encrypted": taken.encrypted,
        "seconds": round(taken.seconds, 3),
    }


def _report(cycle: "Cycle", json: bool) -> None:
    if json:
        print_json(
            {
                "at": cycle.at,
                "backup": _backup_json(cycle.backup) if cycle.backup else None,
                "error": cycle.error,
                "removed": list(cycle.pruned),
                "kept": cycle.kept,
            }
        )
    elif cycle.backup:
        kept = _("{n} kept", n=cycle.kept)
        console.print(f"{local(cycle.at)} {_taken(cycle.backup)}; {kept}", highlight=False)
    else:
        errors.print(
            _(
                "{time} [bold red]backup failed[/], the {n} taken before are kept; trying "
                "again at the next turn: {error}",
                time=local(cycle.at),
                n=cycle.kept,
                error=cycle.error,
            ),
            highlight=False,
            markup=True,
            soft_wrap=True,
        )


def restore(
    file: Annotated[Path, typer.Argument(help="The backup file (relance-backup-....tar).")],
    into: Annotated[
        str,
        typer.Option(
            help="A new or empty directory (SQLite), or the URL of an empty PostgreSQL database."
        ),
    ],
    identity: Annotated[
        Path | None,
        typer.Option(help="The private key (age-keygen's file) of an encrypted backup."),
    ] = None,
    actor: Actor = None,
    json: Json = False,
) -> None:
    """Check a backup whole and restore it into an empty place, never over a database."""
    from relance.app.restore import restore_backup

    with user_errors():
        restored = restore_backup(context(actor, wall=True), file, into, identity)
    if json:
        print_json(
            {
                "into": restored.into,
                "backend": restored.backend,
                "taken_at": restored.taken_at,
                "taken_by": restored.taken_by,
                "schema_revision": restored.revision,
                "counts": restored.counts,
                "held_messages": restored.held,
                "seconds": round(restored.seconds, 3),
            }
        )
        return
    counts = restored.counts
    then = (
        f"cd {into} && relance status"
        if restored.backend == "sqlite"
        else "RELANCE_DATABASE_URL=... relance status"
    )
    restored_into = _("restored into {place}", place=restored.into)
    console.print(
        _(
            "{restored}: backup taken at {time} by {actor}, {machines}, {audit}, every hash "
            "and count checked, {seconds} s. What was recorded after the backup is not in it. "
            "Next: {then}",
            restored=f"[green]{restored_into}[/]",
            time=local(restored.taken_at),
            actor=restored.taken_by,
            machines=_machines(counts.get("assets", 0)),
            audit=_audit_rows(counts.get("audit_events", 0)),
            seconds=number(round(restored.seconds, 1)),
            then=then,
        ),
        highlight=False,
    )
    if restored.held:
        held = n_(
            "{n} patient SMS was waiting to be sent when the backup was taken: it may have "
            "gone out since, so it is now unknown and will not be sent again unless Kannel's "
            "log or a person says it was not (relance notify unknown)",
            "{n} patient SMS were waiting to be sent when the backup was taken: they may have "
            "gone out since, so they are now unknown and will not be sent again unless "
            "Kannel's log or a person says they were not (relance notify unknown)",
            restored.held,
        )
        console.print(f"[yellow]{held}[/]", highlight=False)
