"""The vivalia-2022 inpatient census as a FHIR R4 bulk export (NDJSON), from a seed.

What the Synthea sample lacks for ward sheets, made plausible: the five hospitals with 40 wards,
their rooms and beds as Locations (physicalType si, wa, ro, bd, each partOf the level above),
about 1,000 in-progress inpatient Encounters, Patients with French, German and Dutch names and
languages, active MedicationRequests with the timings wards use, the last doses given
(MedicationAdministration), allergies and active problems. The same seed gives the same files.

Patients of another export (the Synthea sample) can be admitted too: they get a bed and a stay,
and their own orders and allergies come from that export.
"""

import json
import math
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from relance.domain.treatments import PeriodUnit, TimingRule, administration_times
from relance.importers import census_catalogue as catalogue
from relance.importers.census_catalogue import Drug
from relance.importers.fhir_files import Export, stream

ZONE = ZoneInfo("Europe/Brussels")
AS_OF = datetime(2022, 5, 14, 1, 15, tzinfo=ZONE)  # the last export before the systems went down
SYSTEM = "https://relance.example/vivalia-2022"  # identifier systems of the reference scenario
PHYSICAL = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
Resource = dict[str, Any]


@dataclass(frozen=True)
class CensusSpec:
    patients: int = 1000
    seed: int = 2022
    as_of: datetime = AS_OF
    admit: tuple[str, ...] = ()  # ids of Patients of another export to put in beds


@dataclass(frozen=True)
class _Bed:
    location: str
    ward: str  # the ward's kind: CARD, USI...


def generate(spec: CensusSpec) -> dict[str, list[Resource]]:
    """The census's resources by type."""
    return _Generator(spec).run()


def write(resources: dict[str, list[Resource]], out: Path) -> dict[str, int]:
    """One NDJSON file per resource type in `out`; the number written of each type."""
    out.mkdir(parents=True, exist_ok=True)
    for kind, items in resources.items():
        lines = (json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in items)
        (out / f"{kind}.ndjson").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {kind: len(items) for kind, items in resources.items()}


def living_patients(paths: Iterable[Path]) -> list[str]:
    """Ids of the Patients of an export who are not recorded as deceased, in file order."""
    return [
        str(data["id"])
        for _, data in stream(paths, Export())
        if data["resourceType"] == "Patient"
        and "id" in data
        and not data.get("deceasedDateTime")
        and not data.get("deceasedBoolean")
    ]


class _Generator:
    def __init__(self, spec: CensusSpec) -> None:
        self.spec, self.rng = spec, random.Random(spec.seed)  # noqa: S311 - made-up data, repeatable
        self.out: dict[str, list[Resource]] = {
            k: []
            for k in (
                "Location",
                "Patient",
                "Encounter",
                "Medication",
                "MedicationRequest",
                "MedicationAdministration",
                "AllergyIntolerance",
                "Condition",
            )
        }
        self.beds: list[_Bed] = []
        self.medications: dict[str, str] = {}  # drug name -> Medication id
        self.numbers: set[int] = set()

    def run(self) -> dict[str, list[Resource]]:
        self._locations()
        total = self.spec.patients + len(self.spec.admit)
        if total > len(self.beds):
            raise ValueError(f"{total} patients for {len(self.beds)} beds")
        occupied = self.rng.sample(self.beds, total)
        for bed, patient in zip(occupied, self.spec.admit, strict=False):
            self._stay(patient, bed)
        for bed in occupied[len(self.spec.admit) :]:
            patient = self._patient(bed)
            encounter = self._stay(patient, bed)
            self._treatments(patient, encounter, bed.ward)
        if self.out["Patient"]:
            self.out["Patient"][0]["meta"]["lastUpdated"] = _instant(self.spec.as_of)
        else:
            self.out["Encounter"][0]["meta"]["lastUpdated"] = _instant(self.spec.as_of)
        return {k: v for k, v in self.out.items() if v}

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _meta(self, hours_back: float = 48) -> dict[str, str]:
        moment = self.spec.as_of - timedelta(minutes=self.rng.uniform(1, hours_back * 60))
        return {"lastUpdated": _instant(moment)}

    def _add(self, kind: str, resource: Resource) -> str:
        resource = {"resourceType": kind, "id": self._id(), "meta": self._meta(), **resource}
        self.out[kind].append(resource)
        return str(resource["id"])

    # --- places ---------------------------------------------------------------------------------

    def _locations(self) -> None:
        kinds = [(site, kind) for site, wards in catalogue.WARDS.items() for kind in wards]
        weights = [
            catalogue.SMALL_WARDS.get(k, 1.0) * self.rng.uniform(0.85, 1.15) for _, k in kinds
        ]
        capacity = math.ceil(max(self.spec.patients + len(self.spec.admit), 40) / 0.88)
        sites: dict[str, str] = {}
        for (site, kind), weight in zip(kinds, weights, strict=True):
            if site not in sites:
                sites[site] = self._place(site, catalogue.SITES[site], "si", None)
            code = f"{site}-{kind}"
            ward = self._place(code, catalogue.WARD_NAMES[kind], "wa", sites[site])
            floor = catalogue.WARDS[site].index(kind) + 1
            self._rooms(ward, code, kind, floor, max(4, round(capacity * weight / sum(weights))))

    def _rooms(self, ward: str, code: str, kind: str, floor: int, beds: int) -> None:
        number = 0
        while beds > 0:
            number += 1
            single = kind == "USI" or self.rng.random() < 0.3 or beds == 1
            name = f"{floor}{number:02d}"
            room = self._place(f"{code}-{name}", name, "ro", ward)
            for letter in [""] if single else ["A", "B"]:
                bed = self._place(f"{code}-{name}{letter}", f"{name}{letter}", "bd", room)
                self.beds.append(_Bed(bed, kind))
                beds -= 1

    def _place(self, code: str, name: str, kind: str, part_of: str | None) -> str:
        resource: Resource = {
            "identifier": [{"system": f"{SYSTEM}/location", "value": code}],
            "status": "active",
            "name": name,
            "mode": "instance",
            "physicalType": {"coding": [{"system": PHYSICAL, "code": kind}]},
        }
        if part_of:
            resource["partOf"] = {"reference": f"Location/{part_of}"}
        return self._add("Location", resource)

    # --- people and stays -----------------------------------------------------------------------

    def _patient(self, bed: _Bed) -> str:
        rng = self.rng
        language = rng.choices(catalogue.LANGUAGES, catalogue.LANGUAGE_SHARES)[0]
        gender = "female" if bed.ward == "MAT" else rng.choice(["female", "male"])
        low, high, mode = catalogue.AGES.get(bed.ward, catalogue.ADULT_AGES)
        age_days = int(rng.triangular(low, high, mode) * 365.25) + rng.randint(0, 364)
        birth = self.spec.as_of.date() - timedelta(days=age_days)
        number = rng.randint(1_000_000, 9_999_999)
        while number in self.numbers:
            number = rng.randint(1_000_000, 9_999_999)
        self.numbers.add(number)
        mr = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
        return self._add(
            "Patient",
            {
                "identifier": [{"type": mr, "system": f"{SYSTEM}/ipp", "value": f"VIV{number}"}],
                "name": [
                    {
                        "use": "official",
                        "family": rng.choice(catalogue.FAMILY_NAMES[language]),
                        "given": [rng.choice(catalogue.GIVEN_NAMES[(language, gender)])],
                    }
                ],
                "gender": gender,
                "birthDate": birth.isoformat(),
                "communication": [
                    {
                        "language": {
                            "coding": [{"system": "urn:ietf:bcp:47", "code": f"{language}-BE"}]
                        },
                        "preferred": True,
                    }
                ],
            },
        )

    def _stay(self, patient: str, bed: _Bed) -> Resource:
        hours = self.rng.triangular(2, 24 * 21, 24 * 2)
        start = (self.spec.as_of - timedelta(hours=hours)).replace(second=0, microsecond=0)
        location = [
            {
                "location": {"reference": f"Location/{bed.location}"},
                "status": "active",
                "physicalType": {"coding": [{"system": PHYSICAL, "code": "bd"}]},
            }
        ]
        self._add(
            "Encounter",
            {
                "status": "onleave" if self.rng.random() < 0.01 else "in-progress",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "IMP",
                    "display": "inpatient encounter",
                },
                "subject": {"reference": f"Patient/{patient}"},
                "period": {"start": _local(start)},
                "location": location,
            },
        )
        return self.out["Encounter"][-1]

    # --- treatments -----------------------------------------------------------------------------

    def _treatments(self, patient: str, encounter: Resource, ward: str) -> None:
        admitted = datetime.fromisoformat(encounter["period"]["start"])
        for drug in self._drugs(ward):
            written = admitted + timedelta(minutes=self.rng.randint(20, 240))
            written = min(written, self.spec.as_of - timedelta(minutes=30))
            self._order(patient, encounter["id"], drug, written)
        self._allergies(patient)
        self._conditions(patient, encounter["id"], ward, admitted)

    def _drugs(self, ward: str) -> list[Drug]:
        common = catalogue.COMMON if ward != "PED" else catalogue.COMMON[5:7]
        candidates = catalogue.WARD_DRUGS[ward] + common
        chosen: dict[str, Drug] = {}
        for drug in candidates:
            if drug.name not in chosen and self.rng.random() < drug.share:
                chosen[drug.name] = drug
        while len(chosen) < 2:
            drug = self.rng.choice(catalogue.WARD_DRUGS[ward])
            chosen.setdefault(drug.name, drug)
        return list(chosen.values())

    def _order(self, patient: str, encounter: str, drug: Drug, written: datetime) -> None:
        timing = dict(drug.timing)
        prn, maximum, reason = (
            timing.pop("prn", False),
            timing.pop("max", None),
            timing.pop("reason", ""),
        )
        bounds = timing.pop("bounds", False)
        first = written.replace(minute=0) + timedelta(hours=1)
        if bounds:
            timing["boundsPeriod"] = {"start": _local(first)}
        dosage: Resource = {"route": {"text": drug.route}}
        if drug.text:
            dosage["text"] = drug.text
        if timing:
            dosage["timing"] = {"repeat": timing}
        if prn:
            dosage["asNeededCodeableConcept" if reason else "asNeededBoolean"] = (
                {"text": reason} if reason else True
            )
        if drug.dose is not None:
            dosage["doseAndRate"] = [{"doseQuantity": {"value": drug.dose, "unit": drug.unit}}]
        if drug.rate is not None:
            rate = {"value": drug.rate[0], "unit": drug.rate[1]}
            dosage.setdefault("doseAndRate", [{}])[0]["rateQuantity"] = rate
        if maximum:
            dosage["maxDosePerPeriod"] = {
                "numerator": {"value": maximum[0], "unit": maximum[1]},
                "denominator": {"value": 24, "unit": "h"},
            }
        order_id = self._add(
            "MedicationRequest",
            {
                "status": "active",
                "intent": "order",
                **self._medication(drug),
                "subject": {"reference": f"Patient/{patient}"},
                "encounter": {"reference": f"Encounter/{encounter}"},
                "authoredOn": _local(written),
                "dosageInstruction": [dosage],
            },
        )
        self._given(patient, encounter, order_id, drug, timing=timing, prn=prn, first=first)

    def _medication(self, drug: Drug) -> Resource:
        concept = {
            "coding": [{"system": ATC, "code": drug.atc, "display": drug.name}],
            "text": drug.name,
        }
        if self.rng.random() >= 0.1:
            return {"medicationCodeableConcept": concept}
        if drug.name not in self.medications:
            self.medications[drug.name] = self._add("Medication", {"code": concept})
        return {"medicationReference": {"reference": f"Medication/{self.medications[drug.name]}"}}

    def _given(
        self,
        patient: str,
        encounter: str,
        order: str,
        drug: Drug,
        *,
        timing: Resource,
        prn: bool,
        first: datetime,
    ) -> None:
        """The last doses given before the export: one or two of the last day's plan."""
        as_of = self.spec.as_of
        if prn:
            times = (
                [as_of - timedelta(hours=self.rng.uniform(0.5, 10))]
                if self.rng.random() < 0.3
                else []
            )
        elif timing and self.rng.random() < 0.85:
            rule = _rule(timing, first if "boundsPeriod" in timing else None)
            planned = administration_times(rule, as_of - timedelta(hours=24), as_of, ZONE, first)
            times = list(planned[-self.rng.randint(1, 2) :])
        else:
            times = []
        for planned_at in times:
            given_at = min(planned_at + timedelta(minutes=self.rng.randint(-10, 25)), as_of)
            dosage: Resource = {"route": {"text": drug.route}}
            if drug.dose is not None:
                dosage["dose"] = {"value": drug.dose, "unit": drug.unit}
            self._add(
                "MedicationAdministration",
                {
                    "status": "completed",
                    **self._medication(drug),
                    "subject": {"reference": f"Patient/{patient}"},
                    "context": {"reference": f"Encounter/{encounter}"},
                    "effectiveDateTime": _local(given_at.replace(second=0, microsecond=0)),
                    "request": {"reference": f"MedicationRequest/{order}"},
                    "dosage": dosage,
                },
            )

    def _allergies(self, patient: str) -> None:
        found = [a for a in catalogue.ALLERGIES if self.rng.random() < a[3]]
        for substance, reaction, criticality, _ in found:
            category = {"Latex": "environment", "Arachide": "food"}.get(substance, "medication")
            self._add(
                "AllergyIntolerance",
                {
                    **_statuses("allergyintolerance", "confirmed"),
                    "type": "allergy",
                    "category": [category],
                    "criticality": criticality,
                    "code": {"text": substance},
                    "patient": {"reference": f"Patient/{patient}"},
                    "reaction": [
                        {
                            "manifestation": [{"text": reaction}],
                            "severity": "severe" if criticality == "high" else "mild",
                        }
                    ],
                },
            )
        if not found and self.rng.random() < catalogue.NO_KNOWN_ALLERGY_SHARE:
            nka = {"system": SNOMED, "code": "716186003", "display": "No known allergy"}
            self._add(
                "AllergyIntolerance",
                {
                    **_statuses("allergyintolerance", "confirmed"),
                    "code": {"coding": [nka], "text": "Aucune allergie connue"},
                    "patient": {"reference": f"Patient/{patient}"},
                },
            )

    def _conditions(self, patient: str, encounter: str, ward: str, admitted: datetime) -> None:
        main = self.rng.sample(catalogue.CONDITIONS[ward], k=self.rng.randint(1, 2))
        others = self.rng.sample(catalogue.CONDITIONS["*"], k=self.rng.randint(0, 2))
        for text in dict.fromkeys(main + others):
            self._add(
                "Condition",
                {
                    **_statuses("condition", "confirmed"),
                    "code": {"text": text},
                    "subject": {"reference": f"Patient/{patient}"},
                    "encounter": {"reference": f"Encounter/{encounter}"},
                    "onsetDateTime": _local(admitted - timedelta(days=self.rng.randint(0, 900))),
                },
            )


def _statuses(kind: str, verification: str) -> Resource:
    base = "http://terminology.hl7.org/CodeSystem"
    return {
        "clinicalStatus": {"coding": [{"system": f"{base}/{kind}-clinical", "code": "active"}]},
        "verificationStatus": {
            "coding": [{"system": f"{base}/{kind}-verification", "code": verification}]
        },
    }


def _rule(repeat: Resource, first: datetime | None) -> TimingRule:
    return TimingRule(
        frequency=repeat.get("frequency"),
        period=repeat.get("period"),
        period_unit=PeriodUnit(repeat["periodUnit"]) if "periodUnit" in repeat else None,
        times_of_day=tuple(time.fromisoformat(t) for t in repeat.get("timeOfDay", [])),
        when=tuple(repeat.get("when", [])),
        days_of_week=tuple(_DAYS.index(d) for d in repeat.get("dayOfWeek", [])),
        bounds_start=first,
        count=repeat.get("count"),
    )


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _local(moment: datetime) -> str:
    return moment.astimezone(ZONE).isoformat(timespec="seconds")


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
