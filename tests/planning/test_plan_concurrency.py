"""A long `relance plan` never holds the database: technicians keep reporting meanwhile.

The plan runs as its own process, as in a crisis cell; the test waits for it to say it has read
the state (a condition, not a sleep), then a technician's transition and `relance status` must
complete while the plan is still solving. Before, on SQLite, the transition waited 30 s for
the write lock and failed ("database is locked").
"""

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SCENARIO

DEADLINE = 300.0  # seconds to read the state, however loaded the machine


def _run(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relance", *args],
        cwd=cwd,
        env={**os.environ, "RELANCE_DATABASE_URL": url, "RELANCE_ACTOR": "tech"},
        capture_output=True,
        text=True,
        check=False,
        timeout=DEADLINE,
    )


def _wait_for_line(process: subprocess.Popen[str], words: str) -> str:
    """Read the process's stderr until a line holds `words`; fail at the deadline or its end."""
    assert process.stderr is not None
    seen = []
    until = time.monotonic() + DEADLINE
    while time.monotonic() < until:
        ready, _, _ = select.select([process.stderr], [], [], 1.0)
        if ready:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if words in line:
                return line
    raise AssertionError(f"the plan never said {words!r}; it printed: {''.join(seen)}")


def test_a_transition_completes_while_a_long_plan_solves(database_url: str, tmp_path: Path) -> None:
    assert _run(database_url, "init", "--scenario", str(SCENARIO), cwd=tmp_path).returncode == 0
    plan = subprocess.Popen(
        # A limit far beyond what the test takes, however loaded the machine: the test ends
        # the plan itself, and a plan that finished first would prove nothing.
        [sys.executable, "-m", "relance", "plan", "--time-limit", "900"],
        cwd=tmp_path,
        env={
            **os.environ,
            "RELANCE_DATABASE_URL": database_url,
            "COLUMNS": "200",
            "RELANCE_LANG": "en",  # the line waited for, in English
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_line(plan, "solving")
        moved = _run(
            database_url,
            "assets",
            "transition",
            "MAR-SRV-AD-01",
            "--to",
            "isolated",
            "--reason",
            "cut from the network",
            cwd=tmp_path,
        )
        status = _run(database_url, "status", "--json", cwd=tmp_path)
        still_solving = plan.poll() is None
    finally:
        plan.terminate()
        plan.wait(timeout=60)
    assert moved.returncode == 0, moved.stderr
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["totals"]["server"]["isolated"] == 1
    assert still_solving, "the plan ended before the technician's transition could be tested"
