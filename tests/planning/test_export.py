"""The optimised plan of the reference network, checked from its exports alone.

Nothing of relance is imported here: the commands run as a crisis cell's script would run
them, and team capacity and precedences are verified from the JSON and the CSV themselves.
"""

import csv
import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest


def _relance(url: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "relance", *args],
        cwd=cwd,
        env={**os.environ, "RELANCE_DATABASE_URL": url, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _overloads(tasks: list[dict[str, Any]], teams: dict[str, int]) -> list[str]:
    """Moments where a team has more tasks under way than technicians."""
    events: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for t in tasks:
        start, end = datetime.fromisoformat(t["start"]), datetime.fromisoformat(t["end"])
        if t["team"] and end > start:
            events[t["team"]] += [(start, 1), (end, -1)]
    found = []
    for team, changes in events.items():
        busy = 0
        for moment, delta in sorted(changes, key=lambda e: (e[0], e[1])):  # ends first
            busy += delta
            if busy > teams[team]:
                found.append(f"{team}: {busy} tasks at {moment}, {teams[team]} technicians")
    return found


def _late_starts(tasks: list[dict[str, Any]]) -> list[str]:
    """Tasks starting before one of their predecessors ends."""
    by_id = {t["id"]: t for t in tasks}
    return [
        f"{t['name']} starts before {by_id[p]['name']} ends"
        for t in tasks
        for p in t["predecessors"]
        if datetime.fromisoformat(by_id[p]["end"]) > datetime.fromisoformat(t["start"])
    ]


def test_the_exported_plan_keeps_every_team_and_precedence(
    database_url: str, tmp_path: Path
) -> None:
    _relance(database_url, "demo", "--dir", str(tmp_path), cwd=tmp_path)
    _relance(database_url, "plan", "--time-limit", "5", "--reason", "export test", cwd=tmp_path)
    shown = json.loads(_relance(database_url, "plan", "show", "--json", cwd=tmp_path))
    tasks, teams = shown["tasks"], shown["teams"]
    assert shown["version"]["method"] == "cpsat"
    assert shown["time_zone"] == "Europe/Brussels"
    assert teams == {
        "SRV": 6,
        "EXT": 4,
        "WS-MAR": 4,
        "WS-LIB": 4,
        "WS-ARL": 3,
        "WS-BAS": 2,
        "WS-VIR": 2,
    }
    assert {t["kind"] for t in tasks} == {"server", "pc_batch", "service_up"}
    assert _overloads(tasks, teams) == []
    assert _late_starts(tasks) == []
    # In May the crisis cell's clock is two hours ahead of UTC, and says so.
    assert all(t["start"].endswith("+02:00") and t["end"].endswith("+02:00") for t in tasks)
    assert all(t["team"] for t in tasks if t["kind"] in ("server", "pc_batch"))
    hostnames = [h for t in tasks for h in t["machines"]]
    assert len(hostnames) == len(set(hostnames))  # no machine is rebuilt twice
    status = json.loads(_relance(database_url, "status", "--json", cwd=tmp_path))
    left = sum(n for by_state in status["totals"].values() for s, n in by_state.items())
    left -= sum(by_state.get("redeployed", 0) for by_state in status["totals"].values())
    assert len(hostnames) == left  # every machine not back yet, and only those

    out = tmp_path / "tasks.csv"
    _relance(database_url, "plan", "export", "--out", str(out), cwd=tmp_path)
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    from_csv = [
        {
            "id": int(r["id"]),
            "name": r["name"],
            "team": r["team"] or None,
            "start": r["start"],
            "end": r["end"],
            "predecessors": [int(p) for p in r["predecessors"].split()],
            "machines": r["machines"].split(),
        }
        for r in rows
    ]
    assert _overloads(from_csv, teams) == []
    assert _late_starts(from_csv) == []
    assert [(t["id"], t["start"], t["end"], t["machines"]) for t in from_csv] == [
        (t["id"], t["start"], t["end"], t["machines"]) for t in tasks
    ]


@pytest.mark.parametrize("broken", ["team", "precedence"])
def test_the_checks_find_a_broken_plan(broken: str) -> None:
    # The two checks above must be able to fail: a plan that breaks each rule is caught.
    tasks: list[dict[str, Any]] = [
        {"id": 0, "name": "a", "team": "T", "start": "2022-05-17T10:00+02:00",
         "end": "2022-05-17T12:00+02:00", "predecessors": []},
        {"id": 1, "name": "b", "team": "T", "start": "2022-05-17T11:00+02:00",
         "end": "2022-05-17T13:00+02:00", "predecessors": [0] if broken == "precedence" else []},
    ]  # fmt: skip
    teams = {"T": 1 if broken == "team" else 2}
    assert (_overloads(tasks, teams) != []) == (broken == "team")
    assert (_late_starts(tasks) != []) == (broken == "precedence")
