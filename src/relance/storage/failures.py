"""What a database driver's error means to the person at the keyboard, and what to do.

Only the conditions of the database itself are translated (full, busy, read-only, unreachable,
damaged, not migrated); an error that says relance wrote something wrong stays an error.
"""

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from relance.domain.errors import N_, StorageUnavailable

_FULL = ("database or disk is full", "no space left")
_BUSY = ("database is locked", "database table is locked")
_READ_ONLY = ("readonly database", "read-only", "readonly")
_DAMAGED = ("file is not a database", "malformed", "not a database")
_SQLSTATES = {  # PostgreSQL
    "53100": "full",  # disk_full
    "55P03": "busy",  # lock_not_available
    "40P01": "busy",  # deadlock_detected
    "57014": "busy",  # query_canceled: a statement or lock timeout
    "25006": "read-only",  # read_only_sql_transaction: a standby, or a read-only default
    "42501": "read-only",  # insufficient_privilege
    "42P01": "not migrated",  # undefined_table
}


def name(url: URL) -> str:
    """The database as its users know it: a file, or a server URL without its password."""
    if url.get_backend_name() == "sqlite":
        return f"{(url.database or 'in memory').removeprefix('file:')} (SQLite)"
    return url.render_as_string(hide_password=True)


def storage_failure(
    error: DBAPIError,
    url: URL,
    *,
    committing: bool = False,
    wait: float = 0,
    read_only: bool = False,
) -> StorageUnavailable | None:
    """The message for this error, or None if it is not about the database's condition.

    `read_only`: the error came from a read-only unit of work, where a refused write is
    relance's own mistake, not the database's condition."""
    what = _condition(error, url.get_backend_name() == "sqlite")
    if what is None or (read_only and what == "read-only"):
        return None
    db = name(url)
    detail = str(error.orig).strip().splitlines()[0] if error.orig is not None else ""
    message = _MESSAGES.get(what, N_("the database {db} failed: {detail}"))
    if committing and what == "unreachable":
        message = N_(
            "the connection to the database {db} was lost while saving ({detail}): check "
            "with `relance audit` whether the change was recorded before doing it again"
        )
    return StorageUnavailable(message, db=db, detail=detail, wait=f"{wait:g}")


_MESSAGES = {  # each says what to do; {db}, {detail} and {wait} are filled in
    "full": N_(
        "the database {db} is full: its disk has no space left. Free some space, "
        "then run the command again; nothing was written"
    ),
    "busy": N_(
        "the database {db} is busy: another command or the web server has been "
        "writing for more than {wait} s. Run the command again in a moment; nothing was written"
    ),
    "read-only": N_(
        "the database {db} cannot be written ({detail}): check the permissions "
        "of the file and its directory, or the database user's; nothing was written"
    ),
    "damaged": N_(
        "{db} is not a relance database, or it is damaged ({detail}): restore the "
        "last copy (see Operations in the documentation)"
    ),
    "not migrated": N_(
        "the database {db} lacks relance's tables ({detail}): it is not a "
        "relance database; point RELANCE_DATABASE_URL at the right one, or run relance init"
    ),
    "unreachable": N_(
        "cannot reach the database {db} ({detail}): check that the server "
        "runs and RELANCE_DATABASE_URL; nothing was written"
    ),
    "unopenable": N_(
        "cannot open the database {db} ({detail}): its directory does not "
        "exist or cannot be written"
    ),
}


def _condition(error: DBAPIError, sqlite: bool) -> str | None:
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _SQLSTATES:
        return _SQLSTATES[sqlstate]
    text = str(error.orig).lower()
    for words, what in (
        (_FULL, "full"),
        (_BUSY, "busy"),
        (_READ_ONLY, "read-only"),
        (_DAMAGED, "damaged"),
        (("no such table",), "not migrated"),
        (("unable to open database file",), "unopenable"),
    ):
        if any(w in text for w in words):
            return what
    if error.connection_invalidated or (sqlstate or "").startswith(("08", "57P")):
        return "unreachable"
    if isinstance(error, OperationalError):  # SQLite: disk I/O; a server: no connection
        return "failed" if sqlite else "unreachable"
    return None
