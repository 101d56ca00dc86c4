"""The plan's chart draws every task of every team, the activities' returns, days and now."""

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from relance.storage.plan_store import Forecast, PlannedTask
from relance.web.charts import GanttWords, PlanAxis, gantt, restoration_curve

START = datetime(2022, 5, 16, 8, tzinfo=UTC)
DAY0 = datetime(2022, 5, 14, 1, 30, tzinfo=UTC)
WORDS = GanttWords(
    label="Tasks",
    day=lambda n: f"J{n}",
    now="now",
    services="Services",
    site=lambda code: f"{code} back",
    reopens=lambda f: f"{f.site} {f.name}",
)


def _task(team: str, start: int, hours: int) -> PlannedTask:
    return PlannedTask(f"{team}-{start}", "machines", None, "g", team, start, start + hours, 1)


@given(st.lists(st.tuples(st.sampled_from("ABCDEFGHIJ"), st.integers(0, 500), st.integers(0, 40))))
def test_every_task_of_every_team_is_drawn(found: list[tuple[str, int, int]]) -> None:
    tasks = [_task(team, start, hours) for team, start, hours in found]
    now = START + timedelta(hours=3)
    drawn = str(gantt(tasks, [], PlanAxis(START, 24, DAY0, now), WORDS))
    assert drawn.count("<rect") == len(tasks)
    for team in {t.team for t in tasks}:
        assert f">{team}</text>" in drawn


def test_days_count_from_day_0_and_now_and_returns_are_marked() -> None:
    tasks = [_task("SRV", 0, 30), _task("WS-MAR", 10, 60)]
    back = Forecast("MAR", "radiology", "Radiology", 0, None, START + timedelta(hours=50), "")
    inside = gantt(tasks, [back], PlanAxis(START, 24, DAY0, START + timedelta(hours=5)), WORDS)
    assert ">J3</text>" in inside  # 16 May is the incident's day 2; its next midnight day 3
    assert ">J2</text>" not in inside  # before the plan's start
    assert ">now</text>" in inside
    assert "<title>MAR Radiology</title>" in inside
    assert ">MAR back</text>" in inside
    later = gantt(tasks, [back], PlanAxis(START, 24, DAY0, START + timedelta(days=30)), WORDS)
    assert ">now</text>" not in later  # a plan of the past has no now line


def _curve(done: int, total: int) -> str:
    moments = [START + timedelta(hours=h) for h in range(done)]
    return str(restoration_curve(moments, total, DAY0, "Curve", lambda n: f"J{n}"))


def test_the_curve_is_as_high_as_what_is_done_needs() -> None:
    """4 % redeployed fills a tenth of the frame's height: a curve, not a line along 0."""
    few = _curve(71, 1811)
    assert ">10 %</text>" in few
    assert ">100 %</text>" not in few
    assert ">71 / 1811</text>" in few
    assert ">100 %</text>" in _curve(95, 100)  # nearly all: the whole height
    assert ">20 %</text>" in _curve(60, 523)  # 11 %


def test_nothing_redeployed_yet_is_a_flat_curve_not_a_lone_dash() -> None:
    drawn = _curve(0, 30)
    assert "<polyline" in drawn
    assert ">0 / 30</text>" in drawn
    assert ">-</text>" not in drawn
    assert ">J0</text>" in drawn


def test_the_now_label_sits_above_the_day_numbers() -> None:
    """'maintenant' once overlapped the day number beside it."""
    tasks = [_task("SRV", 0, 30), _task("WS-MAR", 10, 60)]
    drawn = str(gantt(tasks, [], PlanAxis(START, 24, DAY0, START + timedelta(hours=5)), WORDS))

    def baseline(text: str) -> float:
        found = re.search(rf'<text x="[\d.]+" y="([\d.]+)"[^>]*>{text}</text>', drawn)
        assert found, text
        return float(found[1])

    assert baseline("J3") - baseline("now") >= 12  # a line of 11 px text apart
