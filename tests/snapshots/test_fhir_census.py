"""Reading the inpatient census from FHIR: the Synthea sample, bundles, references, and an
export where something is wrong with almost every patient, none of whom may disappear."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from relance.domain.census import NO_WARD, Census
from relance.domain.errors import RejectedInput
from relance.importers import census_generator
from relance.importers.fhir_census import read_census
from tests.snapshots.conftest import MALFORMED_PATIENTS, ZONE, malformed_export, sample

AS_OF = datetime(2022, 5, 14, 1, 15, tzinfo=ZONE)


def test_the_synthea_sample_has_patients_and_orders_but_no_inpatient() -> None:
    census = read_census([sample()], zone=ZONE, as_of=AS_OF)
    assert census.counts.patients == 7
    assert census.counts.resources == 5779
    assert census.inpatients == ()  # every Synthea encounter is finished
    assert census.counts.orders_not_inpatient == 14  # its active orders are counted, not lost
    assert census.as_of == AS_OF
    assert census.as_of_source == "--as-of"


def test_without_a_time_in_the_data_the_export_time_must_be_given() -> None:
    with pytest.raises(RejectedInput, match="--as-of"):
        read_census([sample()], zone=ZONE)


def test_admitted_sample_patients_come_with_their_own_orders(tmp_path: Path) -> None:
    admitted = census_generator.living_patients([sample()])
    spec = census_generator.CensusSpec(patients=10, admit=tuple(admitted))
    census_generator.write(census_generator.generate(spec), tmp_path / "beds")
    census = read_census([sample(), tmp_path / "beds"], zone=ZONE)
    synthea = {
        p.identity.patient_id: p for p in census.inpatients if p.identity.patient_id[8:] in admitted
    }
    assert len(synthea) == len(admitted) == 4
    expected = _active_orders_by_patient(sample())
    for patient_id, patient in synthea.items():
        assert sorted(o.order_id for o in patient.orders) == sorted(expected.get(patient_id, []))
    assert sum(len(p.orders) for p in synthea.values()) > 0
    assert census.issues == ()


def _active_orders_by_patient(directory: Path) -> dict[str, list[str]]:
    """Independently of the importer: active orders by subject, straight from the JSON."""
    found: dict[str, list[str]] = {}
    for line in (
        (directory / "MedicationRequest.000.ndjson").read_text(encoding="utf-8").splitlines()
    ):
        order = json.loads(line)
        if order["status"] == "active":
            found.setdefault(order["subject"]["reference"], []).append(order["id"])
    return found


@pytest.fixture(scope="module")
def malformed(tmp_path_factory: pytest.TempPathFactory) -> Census:
    return read_census([malformed_export(tmp_path_factory.mktemp("malformed"))], zone=ZONE)


def test_no_patient_disappears(malformed: Census) -> None:
    printed = {p.identity.patient_id.removeprefix("Patient/") for p in malformed.inpatients}
    assert printed == set(MALFORMED_PATIENTS)
    good = next(p for p in malformed.inpatients if p.identity.patient_id == "Patient/good")
    assert good.issues == ()
    assert [a.substance for a in good.allergies] == ["Pénicillines"]


def test_a_bad_timing_keeps_the_order_without_a_grid(malformed: Census) -> None:
    patient = next(p for p in malformed.inpatients if p.identity.patient_id == "Patient/badtiming")
    orders = {o.medication: o for o in patient.orders}
    assert "fortnight" in orders["Furosémide"].timing_problem
    assert orders["Furosémide"].rule is None
    assert orders["Bisoprolol"].rule is not None  # the patient's other orders are untouched
    assert [i.problem.field for i in patient.issues] == [
        "MedicationRequest/o-bad dosageInstruction[0].timing"
    ]
    assert patient.issues[0].problem.source == "export.ndjson"
    assert patient.issues[0].problem.line == 22


def test_an_order_without_subject_is_shown_with_the_patient_of_its_encounter(
    malformed: Census,
) -> None:
    patient = next(p for p in malformed.inpatients if p.identity.patient_id == "Patient/nosubject")
    (order,) = patient.orders
    assert order.medication == "Céfazoline"
    assert not order.unreadable
    assert order.rule is not None
    assert [i.problem.message for i in patient.issues] == [
        "missing; shown with the patient of Encounter/s-nosubject"
    ]


def test_a_stay_in_an_unknown_bed_goes_to_the_no_ward_sheet(malformed: Census) -> None:
    patient = next(p for p in malformed.inpatients if p.identity.patient_id == "Patient/nowhere")
    assert patient.ward == NO_WARD
    assert [o.medication for o in patient.orders] == ["Lorazépam"]
    assert any("bed-that-does-not-exist" in i.text for i in patient.issues)
    assert [w.code for w in malformed.wards] == ["TST-MED", NO_WARD]


def test_an_unreadable_patient_is_printed_with_what_can_be_read(malformed: Census) -> None:
    patient = next(p for p in malformed.inpatients if p.identity.patient_id == "Patient/unreadable")
    assert not patient.identity.readable
    assert (patient.identity.family, patient.bed) == ("Orban", "1D")
    assert [o.medication for o in patient.orders] == ["Metformine"]
    assert any(i.problem.field.startswith("Patient/unreadable birthDate") for i in patient.issues)


def test_what_belongs_to_no_printed_patient_is_listed(malformed: Census) -> None:
    texts = [i.text for i in malformed.unattached_issues]
    assert texts == [
        "export.ndjson:8: not JSON: Expecting ',' delimiter",
        "export.ndjson:20: Encounter/s-ghost subject: inpatient stay in TST-MED 1E: "
        "Patient/ghost is not in the export",
        "export.ndjson:25: MedicationRequest/o-orphan subject: refers to Patient/stranger, "
        "not in the export: whose is it?",
    ]


def test_problems_name_no_patient(malformed: Census) -> None:
    names = {"Bonnet", "Lefèvre", "Marchal", "Noël", "Orban", "Alice", "Bruno", "Eva"}
    assert not [i.text for i in malformed.issues if any(n in i.text for n in names)]


def test_bundles_with_uuid_references_and_contained_medications(tmp_path: Path) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            _entry(
                "urn:uuid:w",
                {"resourceType": "Location", "name": "Ward", "physicalType": _type("wa")},
            ),
            _entry(
                "urn:uuid:b",
                {
                    "resourceType": "Location",
                    "name": "12",
                    "physicalType": _type("bd"),
                    "partOf": {"reference": "urn:uuid:w"},
                },
            ),
            _entry(
                "urn:uuid:p",
                {
                    "resourceType": "Patient",
                    "name": [{"family": "Dumont"}],
                    "meta": {"lastUpdated": "2022-05-14T01:00:00Z"},
                },
            ),
            _entry(
                "urn:uuid:e",
                {
                    "resourceType": "Encounter",
                    "status": "onleave",
                    "class": {"code": "IMP"},
                    "subject": {"reference": "urn:uuid:p"},
                    "location": [{"location": {"reference": "urn:uuid:b"}}],
                },
            ),
            _entry(
                "urn:uuid:o",
                {
                    "resourceType": "MedicationRequest",
                    "status": "active",
                    "intent": "order",
                    "contained": [
                        {"resourceType": "Medication", "id": "m", "code": {"text": "Digoxine"}}
                    ],
                    "medicationReference": {"reference": "#m"},
                    "subject": {"reference": "urn:uuid:p"},
                    "dosageInstruction": [{"timing": {"code": {"coding": [{"code": "QD"}]}}}],
                },
            ),
        ],
    }
    (tmp_path / "bundle.json").write_text(json.dumps(bundle), encoding="utf-8")
    census = read_census([tmp_path / "bundle.json"], zone=ZONE)
    (patient,) = census.inpatients
    assert (patient.identity.family, patient.bed, patient.on_leave) == ("Dumont", "12", True)
    assert [(o.medication, o.rule is not None) for o in patient.orders] == [("Digoxine", True)]
    assert census.issues == ()


def _entry(url: str, resource: dict[str, object]) -> dict[str, object]:
    return {"fullUrl": url, "resource": resource}


def _type(code: str) -> dict[str, object]:
    return {"coding": [{"code": code}]}


def test_an_input_without_resources_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.ndjson").write_text("\n", encoding="utf-8")
    with pytest.raises(RejectedInput, match="no FHIR resource"):
        read_census([tmp_path], zone=ZONE)
    with pytest.raises(RejectedInput, match="no such file"):
        read_census([tmp_path / "missing"], zone=ZONE)
