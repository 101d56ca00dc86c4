"""How long an API token lives: chosen at creation, 12 hours unless said, 30 days at most."""

import re
from datetime import timedelta

from relance.domain.errors import N_, InvalidInput

DEFAULT_LIFETIME = "12h"  # one crisis-cell shift, as a session
LONGEST_LIFETIME = timedelta(days=30)
_LIFETIME = re.compile(r"([0-9]{1,6})\s*([hd])")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1)}


def token_lifetime(text: str) -> timedelta:
    """'12h' or '7d': hours or days, from 1 hour to 30 days."""
    found = _LIFETIME.fullmatch(text.strip().lower())
    lifetime = int(found.group(1)) * _UNITS[found.group(2)] if found else None
    if lifetime is None or not timedelta(hours=1) <= lifetime <= LONGEST_LIFETIME:
        how_long = N_("token lifetime {text}: hours or days from 1h to 30d, for example 12h or 7d")
        raise InvalidInput(how_long, text=repr(text))
    return lifetime
