"""What an activity will be able to do on a future date, from the newest plan's levels."""

from collections.abc import Sequence
from datetime import datetime

from relance.domain.functioning import ActivityStatus, Functioning


def status_on(
    now: ActivityStatus, levels: Sequence[tuple[datetime, int]], when: datetime, today: datetime
) -> tuple[Functioning, int]:
    """The functioning and capacity on `when`: now's for the past and present, else the best
    of now and every plan level reached by then."""
    if when <= today:
        return now.functioning, now.capacity
    capacity = max([now.capacity, *(c for at, c in levels if at <= when)])
    if capacity >= 100:
        return Functioning.FULLY, 100
    if capacity > 0:
        return Functioning.PARTIALLY, capacity
    return Functioning.NOT, 0
