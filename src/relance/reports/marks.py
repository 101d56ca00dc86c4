"""Which mark a document carries on every page: an exercise's or a replay's, in its language.

A live database's documents carry none; an exercise's or a replay's can never pass for a real
crisis's, whichever page is photocopied."""

from relance.domain.clock import ClockMode
from relance.reports.words import Words


def document_mark(mode: str, w: Words) -> str | None:
    if mode == ClockMode.EXERCISE:
        return w._("EXERCISE")
    if mode == ClockMode.REPLAY:
        return w._("REPLAY")
    return None
