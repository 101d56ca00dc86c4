"""Text people type: printable, bounded, whatever the way in."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.errors import InvalidInput
from relance.domain.text import (
    NAME_MAX,
    PRINTABLE,
    TEXT_MAX,
    checked_name,
    checked_text,
    text_problem,
)

CONTROL = st.sampled_from([chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))])
OTHER_FORBIDDEN = st.sampled_from(["\x7f", "\x85", "\x9f", "\ud800", "\udcff"])
PRINTABLE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029")
)


@given(PRINTABLE_TEXT.filter(lambda t: len(t) <= NAME_MAX))
def test_printable_text_is_kept_without_its_surrounding_blanks(value: str) -> None:
    assert checked_text(value, "the note") == value.strip()
    assert checked_name(value, "the name") == value.strip()
    assert re.fullmatch(PRINTABLE, value)


@given(PRINTABLE_TEXT, st.one_of(CONTROL, OTHER_FORBIDDEN), PRINTABLE_TEXT)
def test_a_control_character_anywhere_is_refused_with_its_place(
    before: str, char: str, after: str
) -> None:
    value = before + char + after
    with pytest.raises(InvalidInput, match=f"the note: character {len(before) + 1} is "):
        checked_text(value, "the note", limit=len(value))


@given(st.integers(min_value=1, max_value=50))
def test_a_text_longer_than_its_limit_is_refused(extra: int) -> None:
    assert str(text_problem("x" * (TEXT_MAX + extra))) == (
        f"longer than {TEXT_MAX:,} characters ({TEXT_MAX + extra:,})"
    )
    assert text_problem("x" * TEXT_MAX) is None


def test_lines_tabs_and_required_values() -> None:
    assert checked_text("first line\n\tsecond line", "the note") == "first line\n\tsecond line"
    with pytest.raises(InvalidInput, match="the name: a line break where one line is expected"):
        checked_name("Anne\nThiry", "the name")
    with pytest.raises(InvalidInput, match="the reason cannot be empty"):
        checked_text("   ", "the reason", required=True)
    with pytest.raises(InvalidInput, match="not UTF-8"):
        checked_text("caf\udce9", "the note")  # the command line's escape for a Latin-1 byte
