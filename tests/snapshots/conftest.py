"""Fixtures of the snapshot tests: keys, the reference census, the Synthea sample, tools.

The reference census (1,000 inpatients over 40 wards) is generated and built once per run.
Tests that need `age`, `pdftotext`, `pdftoppm` or `zbarimg` skip without them, unless
RELANCE_REQUIRE_SERVICES is set (CI installs them), where they fail.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pyrage import x25519

from relance.app.context import Context
from relance.app.snapshots import BuildRequest, BuildResult, build_snapshot
from relance.domain.clock import FixedClock
from relance.importers import census_generator

ZONE = ZoneInfo("Europe/Brussels")
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "fhir-r4-sample"
BUILT_AT = datetime(2022, 5, 13, 23, 20, tzinfo=UTC)  # 01:20 in Brussels, 5 min after the export


def require(tool: str) -> str:
    """The path of a command-line tool, or skip (fail under RELANCE_REQUIRE_SERVICES)."""
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed (Debian: age, poppler-utils, zbar-tools)"
        if os.environ.get("RELANCE_REQUIRE_SERVICES"):
            pytest.fail(f"RELANCE_REQUIRE_SERVICES is set but {message}")
        pytest.skip(message)
    return found


def sample() -> Path:
    if not SAMPLE.is_dir():
        pytest.skip("the Synthea sample (shared/data/fhir-r4-sample) is not beside the repository")
    return SAMPLE


@dataclass(frozen=True)
class Keys:
    identity: Path  # as age-keygen writes it
    recipients: Path
    public: str


def make_keys(directory: Path, name: str = "laptop") -> Keys:
    directory.mkdir(parents=True, exist_ok=True)
    secret = x25519.Identity.generate()
    public = str(secret.to_public())
    identity = directory / f"{name}.key"
    identity.write_text(f"# public key: {public}\n{secret}\n", encoding="utf-8")
    recipients = directory / f"{name}.recipients"
    recipients.write_text(f"# {name}\n{public}\n", encoding="utf-8")
    return Keys(identity, recipients, public)


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    return make_keys(tmp_path_factory.mktemp("keys"))


def context() -> Context:
    return Context(actor="tester", clock=FixedClock(BUILT_AT))


def build(fhir: list[Path], out: Path, keys: Keys, **options: object) -> BuildResult:
    request = BuildRequest(tuple(fhir), out, keys.recipients, ZONE, **options)  # type: ignore[arg-type]
    return build_snapshot(context(), request)


@dataclass(frozen=True)
class Built:
    fhir: Path
    result: BuildResult
    keys: Keys

    @property
    def path(self) -> Path:
        return self.result.snapshot.path


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory, keys: Keys) -> Built:
    """The vivalia-2022 census, written as NDJSON and built into a snapshot."""
    root = tmp_path_factory.mktemp("reference")
    census_generator.write(census_generator.generate(census_generator.CensusSpec()), root / "fhir")
    result = build([root / "fhir"], root / "snapshots", keys, workers=2)
    return Built(root / "fhir", result, keys)


def decrypt_with_age(path: Path, keys: Keys, out: Path) -> Path:
    """Decrypt one bundle file with Debian's `age` command: no Python involved."""
    age = require("age")
    target = out / path.name.removesuffix(".age")
    subprocess.run([age, "-d", "-i", str(keys.identity), "-o", str(target), str(path)], check=True)
    return target


def pdf_text(path: Path, *options: str) -> str:
    pdftotext = require("pdftotext")
    done = subprocess.run(
        [pdftotext, *options, str(path), "-"], check=True, capture_output=True, text=True
    )
    return done.stdout


# --- a small export with every kind of problem ---------------------------------------------------

UPDATED = "2022-05-14T01:00:00+02:00"


def _location(id_: str, code: str, kind: str, part_of: str | None, name: str) -> dict[str, object]:
    location: dict[str, object] = {
        "resourceType": "Location",
        "id": id_,
        "identifier": [{"value": code}],
        "name": name,
        "physicalType": {"coding": [{"code": kind}]},
    }
    if part_of:
        location["partOf"] = {"reference": f"Location/{part_of}"}
    return location


def _patient(id_: str, family: str, given: str, birth: str = "1950-02-03") -> dict[str, object]:
    return {
        "resourceType": "Patient",
        "id": id_,
        "meta": {"lastUpdated": UPDATED},
        "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": f"IPP-{id_.upper()}"}],
        "name": [{"family": family, "given": [given]}],
        "birthDate": birth,
        "gender": "female",
    }


def _stay(id_: str, patient: str | None, bed: str) -> dict[str, object]:
    stay: dict[str, object] = {
        "resourceType": "Encounter",
        "id": id_,
        "status": "in-progress",
        "class": {"code": "IMP"},
        "period": {"start": "2022-05-12T10:00:00+02:00"},
        "location": [{"location": {"reference": f"Location/{bed}"}, "status": "active"}],
    }
    if patient:
        stay["subject"] = {"reference": f"Patient/{patient}"}
    return stay


def _order(
    id_: str, patient: str | None, medication: str, repeat: dict[str, object], **more: object
) -> dict[str, object]:
    order: dict[str, object] = {
        "resourceType": "MedicationRequest",
        "id": id_,
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": {"text": medication},
        "authoredOn": "2022-05-12T11:00:00+02:00",
        "dosageInstruction": [
            {
                "timing": {"repeat": repeat},
                "route": {"text": "PO"},
                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "g"}}],
            }
        ],
        **more,
    }
    if patient:
        order["subject"] = {"reference": f"Patient/{patient}"}
    return order


DAILY = {"frequency": 2, "period": 1, "periodUnit": "d"}
MALFORMED_PATIENTS = {  # id -> what is wrong with them (printed all the same)
    "good": "",
    "badtiming": "an order with periodUnit fortnight",
    "nosubject": "an order without subject, found by its encounter",
    "nowhere": "a stay in a bed that is not in the export",
    "unreadable": "a Patient with an impossible birth date",
}


def malformed_export(directory: Path) -> Path:
    """An export where each patient but one has a problem, with orphans and a broken line."""
    resources = [
        _location("site", "TST", "si", None, "Test hospital"),
        _location("ward", "TST-MED", "wa", "site", "Médecine"),
        _location("room1", "TST-MED-1", "ro", "ward", "1"),
        *[_location(f"bed{n}", f"TST-MED-1{n}", "bd", "room1", f"1{n}") for n in "ABCDE"],
        _patient("good", "Bonnet", "Alice"),
        _patient("badtiming", "Lefèvre", "Bruno"),
        _patient("nosubject", "Marchal", "Chantal"),
        _patient("nowhere", "Noël", "Denis"),
        {**_patient("unreadable", "Orban", "Eva"), "birthDate": "1950-13-45"},
        _stay("s-good", "good", "bedA"),
        _stay("s-badtiming", "badtiming", "bedB"),
        _stay("s-nosubject", "nosubject", "bedC"),
        _stay("s-nowhere", "nowhere", "bed-that-does-not-exist"),
        _stay("s-unreadable", "unreadable", "bedD"),
        _stay("s-ghost", "ghost", "bedE"),
        _order("o-good", "good", "Amoxicilline", DAILY),
        _order("o-bad", "badtiming", "Furosémide", {**DAILY, "periodUnit": "fortnight"}),
        _order("o-fine", "badtiming", "Bisoprolol", {"when": ["MORN"]}),
        _order(
            "o-lost", None, "Céfazoline", DAILY, encounter={"reference": "Encounter/s-nosubject"}
        ),
        _order("o-orphan", "stranger", "Héparine", DAILY),
        _order("o-nowhere", "nowhere", "Lorazépam", {"when": ["HS"]}),
        _order("o-unreadable", "unreadable", "Metformine", {"when": ["CM", "CV"]}),
        {
            "resourceType": "AllergyIntolerance",
            "id": "a-good",
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "code": {"text": "Pénicillines"},
            "criticality": "high",
            "patient": {"reference": "Patient/good"},
        },
    ]
    directory.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in resources]
    lines.insert(7, '{"resourceType": "Patient", "id": "broken-line"')  # not JSON
    path = directory / "export.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory
