"""Every text the pages write on a colour reads at WCAG 2.1 AA: a contrast of 4.5:1 or more."""

import re
from importlib.resources import files

import pytest

from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.web.palette import AA, contrast, ink

CSS = files("relance.web").joinpath("static/relance.css").read_text()
VARIABLES = dict(re.findall(r"--(\w+): (#[0-9a-f]{6})", CSS))
WHITE, HEADER = "#ffffff", "#102a43"


def test_the_contrast_of_black_on_white_is_21_and_of_a_colour_on_itself_1() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # WCAG's lightest grey


@pytest.mark.parametrize("enum", [AssetState, Functioning])
def test_the_words_on_each_state_colour_read_at_aa(enum: type[AssetState | Functioning]) -> None:
    weak = {e.value: round(contrast(ink(e.colour), e.colour), 2) for e in enum}
    assert {value: ratio for value, ratio in weak.items() if ratio < AA} == {}


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (VARIABLES["ink"], VARIABLES["bg"]),
        (VARIABLES["muted"], WHITE),
        (VARIABLES["muted"], VARIABLES["bg"]),
        (WHITE, VARIABLES["accent"]),  # buttons
        ("#dbe7f3", HEADER),  # the menu
        ("#ffcc80", HEADER),  # sign out
    ],
)
def test_the_stylesheets_texts_read_at_aa(text: str, background: str) -> None:
    assert contrast(text, background) >= AA
