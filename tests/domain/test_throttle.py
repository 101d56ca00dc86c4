"""The sign-in wait and the token lifetime: pure rules, walked with Hypothesis."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.domain.errors import InvalidInput
from relance.domain.throttle import (
    FIRST_WAIT,
    FREE_FAILURES,
    LONGEST_WAIT,
    next_attempt,
    wait_after,
)
from relance.domain.tokens import LONGEST_LIFETIME, token_lifetime

counts = st.integers(min_value=0, max_value=10_000)


def test_a_few_typos_cost_nothing_then_each_failure_doubles_the_wait() -> None:
    waits = [wait_after(n) for n in range(FREE_FAILURES + 4)]
    assert waits[:FREE_FAILURES] == [timedelta(0)] * FREE_FAILURES
    assert waits[FREE_FAILURES:] == [FIRST_WAIT * k for k in (1, 2, 4, 8)]


@given(counts, counts)
def test_the_wait_never_shrinks_with_more_failures_and_is_capped(a: int, b: int) -> None:
    fewer, more = sorted((a, b))
    assert wait_after(fewer) <= wait_after(more) <= LONGEST_WAIT


def test_a_long_guesser_waits_the_longest() -> None:
    assert wait_after(50) == LONGEST_WAIT
    assert wait_after(10**9) == LONGEST_WAIT


@given(counts)
def test_the_next_attempt_is_the_last_failure_plus_the_wait(failures: int) -> None:
    last = datetime(2022, 5, 14, 4, 15, tzinfo=UTC)
    ready = next_attempt(failures, last)
    if failures < FREE_FAILURES:
        assert ready is None
    else:
        assert ready == last + wait_after(failures)
    assert next_attempt(failures, None) is None


@pytest.mark.parametrize(
    ("text", "lifetime"),
    [("12h", timedelta(hours=12)), ("1h", timedelta(hours=1)), (" 7D ", timedelta(days=7))],
)
def test_a_token_lifetime_is_hours_or_days(text: str, lifetime: timedelta) -> None:
    assert token_lifetime(text) == lifetime


@pytest.mark.parametrize("text", ["31d", "721h", "0h", "", "12", "1w", "-1d", "1.5d", "12 hours"])
def test_a_token_lifetime_outside_1h_to_30d_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="from 1h to 30d"):
        token_lifetime(text)


@given(st.text(max_size=12))
def test_any_lifetime_text_is_accepted_within_bounds_or_refused_clearly(text: str) -> None:
    outcome: timedelta | str
    try:
        outcome = token_lifetime(text)
    except InvalidInput as error:
        outcome = str(error)
    if isinstance(outcome, str):
        assert repr(text) in outcome  # the message names what was typed
    else:
        assert timedelta(hours=1) <= outcome <= LONGEST_LIFETIME
