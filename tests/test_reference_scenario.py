"""The reference scenario is true to the record: every dated fact the demo writes is in the fact
table of docs/reference-scenario.md, on its day, with its source or the reason it is assumed."""

import re
from datetime import date, timedelta

from relance.app.demo import T0
from relance.app.demo_crisis import entries
from tests.conftest import ROOT

ROW = re.compile(r"^\| ([A-Z]\d\d) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", re.MULTILINE)
SOURCE = re.compile(r"seeds? 00\d|\(notes\)|\b20\d\d\b|\*\*assumed\*\*")


def _table() -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs" / "reference-scenario.md").read_text(encoding="utf-8")
    return {key: (when.strip(), source.strip()) for key, when, _, source in ROW.findall(text)}


def test_every_dated_fact_of_the_demo_is_in_the_table_on_its_day() -> None:
    table = _table()
    recorded = entries()
    assert len(recorded) >= 40
    for e in recorded:
        assert e.fact in table, f"{e.fact} is not in docs/reference-scenario.md"
        when, source = table[e.fact]
        day = date(T0.year, T0.month, T0.day) + timedelta(days=e.day)
        assert when == f"{day.isoformat()} {e.at:%H:%M}", (e.fact, when)
        assert SOURCE.search(source), f"{e.fact}: no source and not said assumed"
        if e.fact.startswith("R"):
            assert "**assumed**" in source  # the replay's own facts are not the record's


def test_the_table_has_no_fact_the_demo_does_not_write() -> None:
    written = {e.fact for e in entries()}
    listed = {key for key in _table() if key[0] in "FR"}
    assert sorted(listed - written) == []


def test_the_record_is_kept_where_the_scenario_used_to_contradict_it() -> None:
    night = {e.fact: e.text for e in entries() if e.day == 0}
    assert "origine est inconnue" in night["F03"]
    assert "LockBit" not in " ".join(night.values())  # claimed on 18 May, not that night
    claims = [e for e in entries() if "LockBit" in e.text]
    assert [(e.fact, e.day) for e in claims] == [("F21", 4)]
    orders = [e.text for e in entries() if e.fact in ("F16", "F25")]
    assert "laboratoires, radiologie, dossiers médicaux" in orders[0]
    assert "la radiologie d'abord, puis le dossier patient" in orders[1]
