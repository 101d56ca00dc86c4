"""How long a sign-in waits after failed ones: it slows a guesser, never the crisis cell.

The count is per (account, address) pair, so a guesser on one computer slows only their own
attempts on that one account: the same person at another desk, and every other account on that
computer, sign in at once. A few typos cost nothing; after them each failure doubles the wait.
"""

from datetime import datetime, timedelta

FREE_FAILURES = 3  # typos on a night shift: no wait at all
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
REMEMBERED = timedelta(hours=24)  # failures older than this are forgotten
_DOUBLINGS = 30  # FIRST_WAIT * 2**30 is years, past any cap: the number stays small


def wait_after(failures: int) -> timedelta:
    """The wait before the next attempt after this many recent failures of one pair."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, _DOUBLINGS)
    return min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)


def next_attempt(failures: int, last_failure: datetime | None) -> datetime | None:
    """When this pair may try again (None: now)."""
    wait = wait_after(failures)
    if last_failure is None or not wait:
        return None
    return last_failure + wait
