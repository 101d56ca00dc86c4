"""The one helper saying which mark a document carries, in the document's language."""

import pytest

from relance.domain.clock import ClockMode
from relance.reports.marks import document_mark
from relance.reports.words import Words


@pytest.mark.parametrize(
    ("language", "exercise", "replay"),
    [
        ("fr", "EXERCICE", "REJEU"),
        ("nl", "OEFENING", "RECONSTRUCTIE"),
        ("de", "ÜBUNG", "REKONSTRUKTION"),
        ("en", "EXERCISE", "REPLAY"),
    ],
)
def test_an_exercise_and_a_replay_carry_their_mark_a_live_database_none(
    language: str, exercise: str, replay: str
) -> None:
    w = Words(language, {})
    assert document_mark(ClockMode.EXERCISE, w) == exercise
    assert document_mark(ClockMode.REPLAY, w) == replay
    assert document_mark(ClockMode.LIVE, w) is None
