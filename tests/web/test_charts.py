"""The plan's chart draws every task of every team, the activities' returns, days and now."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from relance.storage.plan_store import Forecast, PlannedTask
from relance.web.charts import GanttWords, PlanAxis, gantt

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
