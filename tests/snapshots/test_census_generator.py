"""The vivalia-2022 inpatient census: the same seed gives the same export, and it has what the
ward sheets need (wards, beds, languages, orders with timings, doses given, allergies)."""

import json
from collections import Counter
from pathlib import Path

import pytest

from relance.importers import census_generator
from relance.importers.census_generator import CensusSpec, generate


@pytest.fixture(scope="module")
def resources() -> dict[str, list[dict[str, object]]]:
    return generate(CensusSpec())


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    spec = CensusSpec(patients=30, seed=7)
    census_generator.write(generate(spec), tmp_path / "a")
    census_generator.write(generate(spec), tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    other = generate(CensusSpec(patients=30, seed=8))
    assert other["Patient"] != generate(spec)["Patient"]


def test_five_hospitals_forty_wards_rooms_and_beds(
    resources: dict[str, list[dict[str, object]]],
) -> None:
    locations = resources["Location"]
    kinds = Counter(_kind(loc) for loc in locations)
    assert kinds["si"] == 5
    assert kinds["wa"] == 40
    assert kinds["bd"] >= 1000
    by_id = {loc["id"]: loc for loc in locations}
    sites = {_code(loc) for loc in locations if _kind(loc) == "si"}
    assert sites == {"ARL", "MAR", "LIB", "BAS", "VIR"}
    for bed in (loc for loc in locations if _kind(loc) == "bd"):
        chain = [_kind(bed)]
        here = bed
        while "partOf" in here:
            here = by_id[str(here["partOf"]["reference"]).split("/")[1]]  # type: ignore[index]
            chain.append(_kind(here))
        assert chain == ["bd", "ro", "wa", "si"]


def test_a_thousand_inpatients_who_speak_french_german_and_dutch(
    resources: dict[str, list[dict[str, object]]],
) -> None:
    stays = resources["Encounter"]
    assert len(stays) == len(resources["Patient"]) == 1000
    assert all(s["class"]["code"] == "IMP" for s in stays)  # type: ignore[index]
    assert {s["status"] for s in stays} <= {"in-progress", "onleave"}
    beds = [s["location"][0]["location"]["reference"] for s in stays]  # type: ignore[index]
    assert len(set(beds)) == 1000  # one patient a bed
    languages = Counter(
        p["communication"][0]["language"]["coding"][0]["code"]  # type: ignore[index]
        for p in resources["Patient"]
    )
    assert set(languages) == {"fr-BE", "de-BE", "nl-BE"}
    assert languages["fr-BE"] > languages["de-BE"] > 0


def test_orders_have_the_timings_wards_use(resources: dict[str, list[dict[str, object]]]) -> None:
    orders = resources["MedicationRequest"]
    assert len(orders) >= 3 * 1000
    dosages = [o["dosageInstruction"][0] for o in orders]  # type: ignore[index]
    repeats = [d["timing"]["repeat"] for d in dosages if "timing" in d]
    assert any("timeOfDay" in r for r in repeats)
    assert any("when" in r for r in repeats)
    assert any(r.get("periodUnit") == "h" and "boundsPeriod" in r for r in repeats)
    assert any("dayOfWeek" in r for r in repeats)
    assert any("count" in r for r in repeats)
    assert any("asNeededBoolean" in d or "asNeededCodeableConcept" in d for d in dosages)
    assert any("rateQuantity" in d.get("doseAndRate", [{}])[0] for d in dosages)
    assert any("medicationReference" in o for o in orders)
    given = resources["MedicationAdministration"]
    assert len(given) > 1000
    assert {g["request"]["reference"].split("/")[1] for g in given} <= {o["id"] for o in orders}  # type: ignore[index]


def test_allergies_and_problems(resources: dict[str, list[dict[str, object]]]) -> None:
    allergies = resources["AllergyIntolerance"]
    assert any(a.get("criticality") == "high" for a in allergies)
    assert any("716186003" in json.dumps(a) for a in allergies)  # "no known allergy" records
    assert len(resources["Condition"]) >= 1000


def test_admitted_patients_get_a_stay_and_nothing_else() -> None:
    spec = CensusSpec(patients=5, admit=("synthea-1", "synthea-2"))
    found = generate(spec)
    subjects = [s["subject"]["reference"] for s in found["Encounter"]]  # type: ignore[index]
    assert subjects[:2] == ["Patient/synthea-1", "Patient/synthea-2"]
    assert len(found["Patient"]) == 5
    everything = json.dumps({k: v for k, v in found.items() if k != "Encounter"})
    assert "synthea-1" not in everything


def _kind(location: dict[str, object]) -> str:
    return str(location["physicalType"]["coding"][0]["code"])  # type: ignore[index]


def _code(location: dict[str, object]) -> str:
    return str(location["identifier"][0]["value"])  # type: ignore[index]
