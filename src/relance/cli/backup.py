"""`relance backup` and `relance restore`: a consistent copy of the live database, and back."""

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from relance.cli.common import console, context, errors, fail, local, print_json, user_errors
from relance.cli.snapshot import duration

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
            fail("--keep goes with --every: a single backup removes nothing")
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
        errors.print("backups stopped")


def _taken(taken: "BackupInfo") -> str:
    counts = taken.counts
    return (
        f"[green]{taken.path}[/]: {counts.get('assets', 0):,} machines, "
        f"{counts.get('audit_events', 0):,} audit rows, {sum(counts.values()):,} rows in "
        f"{len(counts)} tables, schema {taken.revision}, {taken.size / 1e6:.1f} MB"
        f"{', encrypted' if taken.encrypted else ''}, {taken.seconds:.1f} s"
    )


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
        console.print(
            f"{local(cycle.at)} {_taken(cycle.backup)}; {cycle.kept} kept", highlight=False
        )
    else:
        errors.print(
            f"{local(cycle.at)} [bold red]backup failed[/], the {cycle.kept} taken before are "
            f"kept; trying again at the next turn: {cycle.error}",
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
    console.print(
        f"[green]restored into {restored.into}[/]: backup taken at {local(restored.taken_at)} by "
        f"{restored.taken_by}, {counts.get('assets', 0):,} machines, "
        f"{counts.get('audit_events', 0):,} audit rows, every hash and count checked, "
        f"{restored.seconds:.1f} s. What was recorded after the backup is not in it. "
        f"Next: {then}",
        highlight=False,
    )
    if restored.held:
        console.print(
            f"[yellow]{restored.held} patient SMS were waiting to be sent when the backup was "
            "taken: they may have gone out since, so they are now unknown and will not be sent "
            "again unless Kannel's log or a person says they were not (relance notify unknown)[/]",
            highlight=False,
        )
