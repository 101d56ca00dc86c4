"""The sign-ins kept on the laptop: one per database, in a file only its OS user can read.

`$XDG_STATE_HOME/relance/sessions.json` (else `~/.local/state/relance/sessions.json`), mode 0600
in a 0700 directory: the secret opens the account until it expires. The database is named by
its URL without a password (a SQLite file by its absolute path), so a laptop that works on two
databases (the live one, an after-action replay) has a sign-in for each.
"""

import json
import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

FILE = "sessions.json"


class Kept(NamedTuple):
    login: str
    kind: str  # "session" or "token" (app.operator)
    secret: str
    expires_at: datetime


def _path() -> Path:
    home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(home) / "relance" / FILE


def _read() -> dict[str, dict[str, str]]:
    try:
        found = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none kept yet, or a damaged file: nobody is signed in
    return found if isinstance(found, dict) else {}


def _write(kept: dict[str, dict[str, str]]) -> None:
    """Whole or not at all, created readable by this user only (never widened after)."""
    path = _path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f"{FILE}.{os.getpid()}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(kept, out, indent=1)
    partial.replace(path)


def kept_for(database: str) -> Kept | None:
    entry = _read().get(database) or {}
    try:
        return Kept(
            entry["login"],
            entry["kind"],
            entry["secret"],
            datetime.fromisoformat(entry["expires_at"]),
        )
    except (TypeError, KeyError, ValueError):
        return None


def keep(database: str, kept: Kept) -> None:
    entries = _read()
    entries[database] = {**kept._asdict(), "expires_at": kept.expires_at.isoformat()}
    _write(entries)


def forget(database: str) -> None:
    entries = _read()
    if entries.pop(database, None) is not None:
        _write(entries)
