"""Appointment books: CSV and FHIR rows become appointments; every bad row is reported."""

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from relance.domain.phones import is_mobile, normalise
from relance.importers import appointments_csv, appointments_fhir

ZONE = ZoneInfo("Europe/Brussels")
HEADER = "appointment,patient,name,language,mobile,phone,site,activity,pathway,practitioner,start\n"


def test_a_csv_book(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text(
        HEADER + "R1,P1,Anne Thiry,nl,0470 12 34 56,,A,radiology,routine,Dr X,2022-05-16T09:30\n"
    )
    ((where, a),), problems = appointments_csv.read(path, ZONE)
    assert problems == []
    assert where == "book.csv:2"
    assert (a.patient.mobile, a.patient.language, a.starts_at.utcoffset().total_seconds()) == (
        "+32470123456",
        "nl",
        7200,
    )  # type: ignore[union-attr]


def test_bad_csv_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text(
        HEADER
        + "R1,P1,Anne,fr,061 21 00 00,,A,radiology,routine,,2022-05-16T09:30\n"
        + "R2,P2,Jean,fr,,,A,radiology,routine,,lundi\n"
        + "R3,P3,,fr,,,A,radiology,routine,,2022-05-16T10:00\n"
    )
    found, problems = appointments_csv.read(path, ZONE)
    assert found == []
    assert [str(p) for p in problems] == [
        "book.csv:2: mobile: '061 21 00 00' is not a mobile number",
        "book.csv:3: start: 'lundi' is not a time like 2022-05-16T09:30",
        "book.csv:4: name: empty",
    ]


def _fhir(tmp_path: Path, resources: list[dict[str, object]]) -> Path:
    path = tmp_path / "book.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in resources) + "\n")
    return path


PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "name": [{"given": ["Hans"], "family": "Krings"}],
    "telecom": [{"system": "phone", "value": "+32 471 00 00 01", "use": "mobile"}],
    "communication": [{"language": {"coding": [{"code": "de-BE"}]}, "preferred": True}],
}
LOCATION = {
    "resourceType": "Location",
    "id": "l1",
    "identifier": [{"value": "A"}],
    "name": "Hospital A",
}
APPOINTMENT = {
    "resourceType": "Appointment",
    "id": "a1",
    "status": "booked",
    "start": "2022-05-16T09:30:00+02:00",
    "serviceType": [{"coding": [{"code": "consultations"}]}],
    "reasonCode": [{"coding": [{"code": "oncology"}]}],
    "participant": [
        {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
        {"actor": {"reference": "Location/l1"}, "status": "accepted"},
    ],
}


def test_a_fhir_book(tmp_path: Path) -> None:
    ((where, a),), problems = appointments_fhir.read(
        [_fhir(tmp_path, [PATIENT, LOCATION, APPOINTMENT])]
    )
    assert problems == []
    assert where == "book.ndjson:3"
    assert (a.external_id, a.site, a.activity, a.pathway) == (
        "a1",
        "A",
        "consultations",
        "oncology",
    )
    assert (a.patient.language, a.patient.mobile, a.patient.name) == (
        "de",
        "+32471000001",
        "Hans Krings",
    )


def test_fhir_problems_name_the_resource(tmp_path: Path) -> None:
    no_patient = {
        **APPOINTMENT,
        "id": "a2",
        "participant": [{"actor": {"reference": "Location/l1"}, "status": "accepted"}],
    }
    bad_status = {**APPOINTMENT, "id": "a3", "start": "yesterday"}
    found, problems = appointments_fhir.read(
        [_fhir(tmp_path, [PATIENT, LOCATION, APPOINTMENT, no_patient, bad_status])]
    )
    assert [a.external_id for _, a in found] == ["a1"]
    messages = [str(p) for p in problems]
    assert any(m.startswith("book.ndjson:5: Appointment/a3 start") for m in messages)
    assert (
        "book.ndjson:4: Appointment/a2 participant: no Patient found for the appointment"
        in messages
    )


@given(st.from_regex(r"04[5-9]\d{7}", fullmatch=True))
def test_belgian_mobiles_in_any_layout(digits: str) -> None:
    spaced = f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    for text in (digits, spaced, f"+32{digits[1:]}", f"0032 {digits[1:]}"):
        number = normalise(text)
        assert number == f"+32{digits[1:]}"
        assert is_mobile(number)


def test_landlines_are_not_mobiles() -> None:
    number = normalise("063 24 00 00")
    assert number == "+3263240000"
    assert not is_mobile(number)
    assert normalise("not a number") is None
