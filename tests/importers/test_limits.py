"""Every crash and every piece of accepted garbage the fuzzing of issue 10 found, one test each:
each is now a refusal naming the file, the line and the field, or a problem of its line."""

import json
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from relance.domain.errors import RejectedInput
from relance.domain.lifecycle import AssetState
from relance.importers import appointments_csv, appointments_fhir, census_generator, state_report
from relance.importers.fhir_census import read_census
from relance.importers.reading import DEPTH_MAX
from relance.importers.scenario import load_scenario
from relance.importers.triage_rules import load_rules
from tests.importers.test_appointments import APPOINTMENT, LOCATION, PATIENT

ZONE = ZoneInfo("Europe/Brussels")
DATA = Path(__file__).parent.parent / "data"
SMALL = DATA / "small.yaml"
RULES = Path(__file__).parent.parent.parent / "src/relance/rules/triage.yaml"
BOOK_HEADER = "appointment,patient,name,site,activity,start\n"
GIANT = "x" * (129 * 1024)  # more than csv's own field limit (128 KiB)
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)  # 9^9 values from 10 lines


def _problems(read: Callable[..., Any], *args: Any, **kwargs: Any) -> list[str]:
    """The problems of the RejectedInput that read(...) must raise."""
    with pytest.raises(RejectedInput) as refused:
        read(*args, **kwargs)
    return [str(p) for p in refused.value.problems]


def _scenario_with_csv(tmp_path: Path, csv_text: str | None, csv: str = "assets.csv") -> Path:
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["assets"] = {"csv": csv}
    data["activities"] = []
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    if csv_text is not None:
        (tmp_path / csv).write_text(csv_text, encoding="utf-8")
    return tmp_path / "scenario.yaml"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- crashes --------------------------------------------------------------------------------


def test_a_value_over_128_kib_in_each_csv_importer(tmp_path: Path) -> None:
    scenario = _scenario_with_csv(tmp_path, f"hostname,kind,site\nA1,server,A{GIANT}\n")
    (problem,) = _problems(load_scenario, scenario)
    assert problem.startswith("assets.csv:2: a quote")
    book = _write(tmp_path / "book.csv", f"{BOOK_HEADER}R1,P1,{GIANT},A,x,2022-05-16T09:00\n")
    (problem,) = _problems(appointments_csv.read, book, ZONE)
    assert problem.startswith("book.csv:2: ")
    report = _write(tmp_path / "report.csv", f"hostname,reason\nA1,{GIANT}\n")
    (problem,) = _problems(state_report.read, report, AssetState.ISOLATED)
    assert problem.startswith("report.csv:2: ")


def test_a_long_value_under_csvs_limit_is_a_problem_of_its_row(tmp_path: Path) -> None:
    book = _write(tmp_path / "book.csv", f"{BOOK_HEADER}R1,P1,{'x' * 20_000},A,x,2022-05-16T9\n")
    found, problems = appointments_csv.read(book, ZONE)
    assert found == []
    assert [str(p) for p in problems] == [
        "book.csv:2: name: longer than 10,000 characters (20,000)"
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("A1\n", "assets.csv:2: kind: empty (one of: server, workstation, medical_device)"),
        ("A1,serv", "assets.csv:2: kind: unknown kind 'serv'"),
        ('A1,server,"A\n', 'assets.csv:2: a quote (") opened here is never closed'),
        ('"A1"x,server,A\n', "assets.csv:2: not a CSV row"),
    ],
    ids=["short", "truncated", "unclosed quote", "text after a quote"],
)
def test_short_truncated_and_unclosed_rows_of_the_assets_csv(
    tmp_path: Path, row: str, expected: str
) -> None:
    scenario = _scenario_with_csv(tmp_path, f"hostname,kind,site\n{row}")
    (problem,) = _problems(load_scenario, scenario)
    assert problem.startswith(expected)


def test_yaml_nested_10000_deep(tmp_path: Path) -> None:
    deep = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    for path, load in ((tmp_path / "s.yaml", load_scenario), (tmp_path / "r.yaml", load_rules)):
        (problem,) = _problems(load, _write(path, deep))
        assert problem == f"{path.name}:1: not valid YAML: nested deeper than {DEPTH_MAX} levels"


def _deep_json(levels: int) -> str:
    return '{"resourceType": "Bundle", "entry": ' + "[" * levels + "]" * levels + "}"


def test_deeply_nested_fhir_json_is_refused_in_a_book(tmp_path: Path) -> None:
    path = _write(tmp_path / "book.json", _deep_json(100_000))
    _, problems = appointments_fhir.read([path])
    assert [str(p) for p in problems] == [
        f"book.json: nested deeper than {DEPTH_MAX} levels: not a FHIR resource"
    ]


def test_one_deep_file_does_not_stop_the_census(tmp_path: Path) -> None:
    export = tmp_path / "export"
    census_generator.write(
        census_generator.generate(census_generator.CensusSpec(patients=3)), export
    )
    _write(export / "deep.json", _deep_json(100_000))
    _write(export / "deeper.ndjson", "\n".join([_deep_json(DEPTH_MAX), _deep_json(5000)]) + "\n")
    census = read_census([export], zone=ZONE)
    assert len(census.inpatients) == 3
    texts = [i.text for i in census.unattached_issues]
    assert f"deep.json: nested deeper than {DEPTH_MAX} levels: not a FHIR resource" in texts
    assert f"deeper.ndjson:1: nested deeper than {DEPTH_MAX} levels: not a FHIR resource" in texts
    assert f"deeper.ndjson:2: nested deeper than {DEPTH_MAX} levels: not a FHIR resource" in texts


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("list.json", "[]", "list.json: resourceType: not a FHIR resource"),
        ("number.json", "42", "number.json: resourceType: not a FHIR resource"),
        ("null.json", "null", "null.json: resourceType: not a FHIR resource"),
        ("scalar.ndjson", '"text"\n', "scalar.ndjson:1: resourceType: not a FHIR resource"),
        ("entry.json", '{"resourceType": "Bundle", "entry": 7}', "entry.json: entry: not a list"),
        ("huge.json", "1" * 5000, "huge.json: not JSON: Exceeds the limit"),
    ],
)
def test_fhir_that_is_not_an_object(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = _write(tmp_path / name, text)
    _, problems = appointments_fhir.read([path])
    assert [str(p)[: len(expected)] for p in problems] == [expected]
    census_problems = _problems(read_census, [path], zone=ZONE)
    assert [p[: len(expected)] for p in census_problems] == [expected]


def test_a_bundle_whose_entry_is_null_is_an_empty_bundle(tmp_path: Path) -> None:
    path = _write(tmp_path / "book.json", '{"resourceType": "Bundle", "entry": null}')
    assert appointments_fhir.read([path]) == ([], [])


def test_fhir_with_odd_types_where_the_census_expects_strings_and_lists(tmp_path: Path) -> None:
    encounter = {
        "resourceType": "Encounter",
        "id": "e1",
        "status": ["in-progress"],
        "identifier": 5,
        "location": {"location": "x"},
    }
    path = _write(tmp_path / "odd.ndjson", json.dumps(encounter) + "\n")
    census = read_census([path], zone=ZONE, as_of=datetime(2022, 5, 14, 1, 15, tzinfo=ZONE))
    assert census.inpatients == ()


def test_a_rules_file_not_in_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    text = RULES.read_text(encoding="utf-8").replace("name: vivalia-2022", "name: vivalià")
    path.write_bytes(text.encode("latin-1"))
    (problem,) = _problems(load_rules, path)
    assert problem.startswith("rules.yaml:7: not UTF-8 text (Windows-1252 or Latin-1")
    assert "save it as UTF-8" in problem


def test_the_assets_csv_naming_a_directory(tmp_path: Path) -> None:
    (tmp_path / "machines").mkdir()
    scenario = _scenario_with_csv(tmp_path, None, csv="machines")
    (problem,) = _problems(load_scenario, scenario)
    assert problem.endswith("machines: a directory, where a file is expected")


def test_a_nul_in_a_file_is_refused_with_its_line(tmp_path: Path) -> None:
    report = _write(tmp_path / "report.csv", "hostname,reason\nA1,ok\nA2,bad\0reason\n")
    assert _problems(state_report.read, report, AssetState.ISOLATED) == [
        "report.csv:3: a NUL character: the file is damaged, or not text"
    ]
    escaped = _write(tmp_path / "s.yaml", 'name: "a\\0b"\n')
    assert _problems(load_scenario, escaped) == [
        "s.yaml:1: a NUL character in a value: it cannot be kept"
    ]


def test_a_nul_in_a_fhir_book_is_refused(tmp_path: Path) -> None:
    patient = {**PATIENT, "name": [{"given": ["Ha\u0000ns"], "family": "Krings"}]}
    path = _write(
        tmp_path / "book.ndjson", "\n".join(json.dumps(r) for r in (patient, LOCATION, APPOINTMENT))
    )
    found, problems = appointments_fhir.read([path])
    assert found == []
    assert [str(p) for p in problems] == [
        "book.ndjson:3: Appointment/a1 name: character 3 is a NUL character: retype it"
    ]


# --- time and memory ----------------------------------------------------------------------


def test_a_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    started = time.perf_counter()
    for path, load in ((tmp_path / "s.yaml", load_scenario), (tmp_path / "r.yaml", load_rules)):
        (problem,) = _problems(load, _write(path, LAUGHS))
        assert (
            problem
            == f"{path.name}:6: more than 200,000 values once its aliases (*name) are expanded"
        )
    assert time.perf_counter() - started < 30  # not a timing test: the old code never finished


def test_an_alias_inside_its_own_anchor(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.yaml", "a: &x [1, *x]\n")
    assert _problems(load_scenario, path) == [
        "s.yaml:1: an alias (*name) inside the anchor it names"
    ]


def test_a_rule_name_of_a_megabyte(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8").replace("vivalia-2022", "x" * 1_000_000)
    (problem,) = _problems(load_rules, _write(tmp_path / "r.yaml", text))
    assert problem == "r.yaml:7: a value longer than 10,000 characters"
    text = RULES.read_text(encoding="utf-8").replace("vivalia-2022", "x" * 41)
    (problem,) = _problems(load_rules, _write(tmp_path / "r.yaml", text))
    assert problem == "r.yaml:7: name: String should have at most 40 characters"


# --- accepted garbage ---------------------------------------------------------------------


def test_fhir_appointments_without_id_are_refused_not_merged(tmp_path: Path) -> None:
    anonymous = {k: v for k, v in APPOINTMENT.items() if k != "id"}
    path = _write(
        tmp_path / "book.ndjson",
        "\n".join(json.dumps(r) for r in (PATIENT, LOCATION, anonymous, anonymous, APPOINTMENT)),
    )
    found, problems = appointments_fhir.read([path])
    assert [a.external_id for _, a in found] == ["a1"]
    assert [str(p) for p in problems] == [
        "book.ndjson:3: Appointment id: no id: every resource of a book needs one",
        "book.ndjson:4: Appointment id: no id: every resource of a book needs one",
    ]


def test_an_appointment_given_twice_is_refused(tmp_path: Path) -> None:
    moved = {**APPOINTMENT, "start": "2022-05-17T09:30:00+02:00"}
    first = _write(tmp_path / "a.ndjson", "\n".join(json.dumps(r) for r in (PATIENT, LOCATION)))
    second = _write(tmp_path / "b.ndjson", "\n".join(json.dumps(r) for r in (APPOINTMENT, moved)))
    _, problems = appointments_fhir.read([first, second])
    assert [str(p) for p in problems] == ["b.ndjson:2: Appointment/a1: also at b.ndjson:1"]


@pytest.mark.parametrize("weight", [".inf", "-.inf", ".nan", "1e300", "1.0e300", "10001"])
def test_a_weight_must_be_finite_and_bounded(tmp_path: Path, weight: str) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("weight: 100", f"weight: {weight}")
    line = text[: text.index(f"weight: {weight}")].count("\n") + 1
    (problem,) = _problems(load_scenario, _write(tmp_path / "s.yaml", text))
    assert problem.startswith(f"s.yaml:{line}: activities[0].weight: Input should be")


def test_a_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("name: small\n", "name: small\nname: other\n")
    assert _problems(load_scenario, _write(tmp_path / "s.yaml", text)) == [
        "s.yaml:4: key 'name' given twice (also on line 3)"
    ]


def test_an_appointment_start_without_a_time(tmp_path: Path) -> None:
    book = _write(tmp_path / "book.csv", f"{BOOK_HEADER}R1,P1,Anne,A,x,2022-05-16\n")
    found, problems = appointments_csv.read(book, ZONE)
    assert found == []
    assert [str(p) for p in problems] == [
        "book.csv:2: start: '2022-05-16' is not a time like 2022-05-16T09:30"
    ]
    day_only = {**APPOINTMENT, "start": "2022-05-16"}
    path = _write(
        tmp_path / "book.ndjson", "\n".join(json.dumps(r) for r in (PATIENT, LOCATION, day_only))
    )
    found, problems = appointments_fhir.read([path])
    assert found == []
    assert [str(p).split(":")[:3] for p in problems] == [
        ["book.ndjson", "3", " Appointment/a1 start"]
    ]
