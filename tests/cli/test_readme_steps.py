"""The README's steps after the demo, read from README.md and typed as written: the demo is a
replay of May 2022, so every date its plans and sitrep print is in 2022, whatever year it is."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import Relance

README = Path(__file__).parent.parent.parent / "README.md"
DATE = re.compile(r"\b(\d{4})-\d{2}-\d{2}\b")
YEAR = re.compile(r"\b(20\d{2})\b")
CHECKED = (("plan",), ("plan", "compare"), ("sitrep",))


def readme_steps() -> list[list[str]]:
    """Each `relance` command of the "After the demo" block, as its arguments."""
    block = README.read_text().split("## After the demo", 1)[1].split("```sh", 1)[1]
    steps = []
    for line in block.split("```", 1)[0].splitlines():
        for command in line.split("#", 1)[0].split("&&"):
            words = shlex.split(command)
            if words and words[0].endswith("/relance"):
                steps.append(words[1:])
    return steps


def test_the_readme_block_is_found() -> None:
    steps = readme_steps()
    assert ["plan", "compare"] in steps
    assert any(s[0] == "sitrep" for s in steps)
    assert any(s[:2] == ["assets", "transition"] and "--at" not in s for s in steps)


def _checked(step: list[str]) -> bool:
    return any(
        step[: len(c)] == list(c) and (len(c) > 1 or len(step) < 2 or step[1][0] == "-")
        for c in CHECKED
    )


def test_the_readme_steps_after_the_demo_stay_in_2022(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the README works in the demo's directory: `cd demo`
    relance = Relance(database_url, tmp_path)
    relance("demo", "--dir", str(tmp_path))
    printed: list[str] = []
    for step in readme_steps():
        out = relance(*step)
        if _checked(step):
            printed.append(out)
    dates = [m.group(0) for out in printed for m in DATE.finditer(out)]
    assert len(dates) > 10, printed  # plans print their start and forecasts, compare its moves
    assert {d[:4] for d in dates} == {"2022"}, dates
    pdf = subprocess.run(
        ["pdftotext", str(tmp_path / "sitrep.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert set(YEAR.findall(pdf)) == {"2022"}
    assert "J3, mardi 17 mai 2022" in pdf
    triaged = re.search(r"([\d\s\u202f\u00a0]+) rendez-vous triés pendant la journée", pdf)
    assert triaged is not None, pdf
    assert int(re.sub(r"\D", "", triaged.group(1))) > 0  # the book triaged on day 3, not 2026
