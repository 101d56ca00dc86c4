"""The printed sheets, read back as a nurse (pdftotext) and a scanner (zbarimg) would.

The expected content comes straight from the NDJSON files, independently of the importer:
every active MedicationRequest of every inpatient must be in its patient's block on its
ward's sheet, with the allergies, on pages that all say how old the data is.
"""

import hashlib
import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyrage import decrypt, x25519

from relance.app import bundle
from relance.domain.census import Census, CensusCounts, Identity, Inpatient, MedicationOrder, Ward
from relance.domain.treatments import PeriodUnit, TimingRule
from relance.i18n import Language
from relance.importers import census_generator
from relance.reports.ward_sheets import SheetOptions, ward_sheet
from tests.snapshots.conftest import (
    ZONE,
    Built,
    Keys,
    build,
    decrypt_with_age,
    malformed_export,
    pdf_text,
    require,
    sample,
)

STAMP = "ÉTAT AU 14/05 01:15"


@dataclass
class Expected:
    """Per ward, the inpatients' hospital numbers, and per patient its orders and allergies."""

    wards: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    orders: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    allergies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def expected(*directories: Path) -> Expected:
    """Read the export with json alone: stays, beds up to their ward, active orders."""
    kinds: dict[str, list[dict[str, object]]] = defaultdict(list)
    for directory in directories:
        for path in sorted(directory.glob("*.ndjson")):
            for line in path.read_text(encoding="utf-8").splitlines():
                resource = json.loads(line)
                kinds[resource["resourceType"]].append(resource)
    locations = {r["id"]: r for r in kinds["Location"]}
    medications = {r["id"]: r["code"]["text"] for r in kinds["Medication"]}  # type: ignore[index]
    numbers = {f"Patient/{p['id']}": _number(p) for p in kinds["Patient"]}
    out = Expected()
    for stay in kinds["Encounter"]:
        if stay["status"] in ("in-progress", "onleave") and stay["class"]["code"] == "IMP":  # type: ignore[index]
            bed = stay["location"][0]["location"]["reference"].split("/")[1]  # type: ignore[index]
            out.wards[_ward(locations, bed)].append(numbers[stay["subject"]["reference"]])  # type: ignore[index]
    inpatients = {n for ns in out.wards.values() for n in ns}
    for order in kinds["MedicationRequest"]:
        number = numbers.get(order["subject"]["reference"])  # type: ignore[index]
        if order["status"] == "active" and number in inpatients:
            if "medicationReference" in order:
                name = medications[order["medicationReference"]["reference"].split("/")[1]]  # type: ignore[index]
            else:
                name = order["medicationCodeableConcept"]["text"]  # type: ignore[index]
            out.orders[str(number)].append(str(name))
    for allergy in kinds["AllergyIntolerance"]:
        number = numbers.get(allergy["patient"]["reference"])  # type: ignore[index]
        if number in inpatients and "716186003" not in json.dumps(allergy):
            out.allergies[str(number)].append(str(allergy["code"]["text"]))  # type: ignore[index]
    return out


def _number(patient: dict[str, object]) -> str:
    for identifier in patient.get("identifier", []):  # type: ignore[attr-defined]
        if "MR" in json.dumps(identifier.get("type", {})):
            return str(identifier["value"])
    return str(patient["id"])


def _ward(locations: dict[str, dict[str, object]], key: str) -> str:
    here = locations[key]
    while here["physicalType"]["coding"][0]["code"] != "wa":  # type: ignore[index]
        here = locations[here["partOf"]["reference"].split("/")[1]]  # type: ignore[index]
    return str(here["identifier"][0]["value"])  # type: ignore[index]


def open_bundle(snapshot: Path, keys: Keys, out: Path) -> dict[str, Path]:
    """Every file of a snapshot, decrypted with the `age` command when it is installed."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for path in sorted(snapshot.glob("*.age")):
        try:
            files[path.name.removesuffix(".age")] = decrypt_with_age(path, keys, out)
        except pytest.skip.Exception:
            identity = x25519.Identity.from_str(keys.identity.read_text().splitlines()[1])
            target = out / path.name.removesuffix(".age")
            target.write_bytes(decrypt(path.read_bytes(), [identity]))
            files[target.name] = target
    return files


def blocks(text: str) -> dict[str, str]:
    """Each patient's block of a sheet's text, by hospital number, whitespace collapsed."""
    flat = " ".join(text.split())
    marks = list(re.finditer(r"N° (\S+)", flat))
    return {
        m.group(1): flat[m.start() : marks[i + 1].start() if i + 1 < len(marks) else len(flat)]
        for i, m in enumerate(marks)
    }


@pytest.fixture(scope="module")
def reference_pdfs(reference: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return open_bundle(reference.path, reference.keys, tmp_path_factory.mktemp("opened"))


def test_the_bundle_decrypts_with_the_age_command_and_matches_the_manifest(
    reference: Built, tmp_path: Path
) -> None:
    require("age")
    manifest = bundle.read_manifest(reference.path)
    for entry in manifest["files"]:
        plain = decrypt_with_age(reference.path / entry["name"], reference.keys, tmp_path)
        data = plain.read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert len(data) == entry["size"]
    sha256sum = subprocess.run(
        ["sha256sum", "-c", bundle.SUMS],
        cwd=reference.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert sha256sum.returncode == 0, sha256sum.stdout


def test_every_active_order_of_every_inpatient_is_on_its_wards_sheet(
    reference: Built, reference_pdfs: dict[str, Path]
) -> None:
    want = expected(reference.fhir)
    assert len(want.wards) == 40
    assert sum(len(n) for n in want.wards.values()) == 1000
    missing = []
    for ward, numbers in want.wards.items():
        found = blocks(pdf_text(reference_pdfs[f"{ward}.pdf"], "-raw"))
        assert sorted(found) == sorted(numbers), ward
        for number in numbers:
            missing += [(ward, number, m) for m in want.orders[number] if m not in found[number]]
            missing += [(ward, number, a) for a in want.allergies[number] if a not in found[number]]
    assert missing == []
    assert sum(len(o) for o in want.orders.values()) == reference.result.active_orders > 3000


def test_allergies_are_in_a_box_titled_allergies(
    reference_pdfs: dict[str, Path], reference: Built
) -> None:
    want = expected(reference.fhir)
    allergic = next(n for n, a in want.allergies.items() if a)
    ward = next(w for w, ns in want.wards.items() if allergic in ns)
    block = blocks(pdf_text(reference_pdfs[f"{ward}.pdf"], "-raw"))[allergic]
    assert f"ALLERGIES : {want.allergies[allergic][0]}" in block


def test_every_page_says_how_old_the_data_is_and_which_page_it_is(
    reference_pdfs: dict[str, Path],
) -> None:
    for name in ("00-index.pdf", "MAR-CARD.pdf", "VIR-USI.pdf"):
        pages = pdf_text(reference_pdfs[name]).split("\f")[:-1]
        assert len(pages) >= 1
        for number, page in enumerate(pages, 1):
            assert STAMP in page, (name, number)
            assert f"page {number} sur {len(pages)}" in page, (name, number)


def test_the_qr_codes_scan_to_the_hospital_numbers(
    reference_pdfs: dict[str, Path], tmp_path: Path
) -> None:
    pdftoppm, zbarimg = require("pdftoppm"), require("zbarimg")
    pdf = reference_pdfs["LIB-GERI.pdf"]
    subprocess.run(
        [pdftoppm, "-r", "300", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    scanned = set()
    for image in sorted(tmp_path.glob("p-*.png")):
        done = subprocess.run(
            [zbarimg, "-q", "--raw", str(image)], capture_output=True, text=True, check=False
        )
        scanned |= set(done.stdout.split())
    on_pages = set(blocks(" ".join(pdf_text(pdf, "-raw", "-f", "1", "-l", "2").split())))
    assert len(scanned) >= 4
    assert scanned == on_pages


def test_the_json_copy_has_every_inpatient_and_their_planned_doses(
    reference_pdfs: dict[str, Path],
) -> None:
    data = json.loads(reference_pdfs["census.json"].read_text(encoding="utf-8"))
    patients = [p for w in data["wards"] for p in w["patients"]]
    assert len(patients) == 1000
    orders = [o for p in patients for o in p["orders"]]
    assert any(o["planned"] for o in orders)
    assert data["as_of"] == "2022-05-13T23:15:00+00:00"


def test_the_synthea_sample_patients_in_beds_have_all_their_orders_printed(
    keys: Keys, tmp_path: Path
) -> None:
    admitted = tuple(census_generator.living_patients([sample()]))
    spec = census_generator.CensusSpec(patients=20, admit=admitted)
    census_generator.write(census_generator.generate(spec), tmp_path / "beds")
    result = build([sample(), tmp_path / "beds"], tmp_path / "out", keys)
    pdfs = open_bundle(result.snapshot.path, keys, tmp_path / "opened")
    orders = _sample_orders(sample())
    checked = 0
    for ward_pdf in (p for n, p in pdfs.items() if n.endswith(".pdf") and n != "00-index.pdf"):
        for number, block in blocks(pdf_text(ward_pdf, "-raw")).items():
            for medication in orders.get(number, []):
                assert " ".join(medication.split()) in block, (number, medication)
                checked += 1
    assert checked == sum(len(orders.get(p, [])) for p in admitted) > 0


def _sample_orders(directory: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for line in (
        (directory / "MedicationRequest.000.ndjson").read_text(encoding="utf-8").splitlines()
    ):
        order = json.loads(line)
        if order["status"] == "active":
            patient = order["subject"]["reference"].split("/")[1]
            found[patient].append(order["medicationCodeableConcept"]["text"])
    return found


@pytest.fixture(scope="module")
def malformed_pdfs(keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("malformed")
    result = build([malformed_export(root / "fhir")], root / "out", keys)
    return open_bundle(result.snapshot.path, keys, root / "opened")


def test_with_malformed_data_the_good_patients_are_printed_and_the_bad_ones_listed(
    malformed_pdfs: dict[str, Path],
) -> None:
    ward = " ".join(pdf_text(malformed_pdfs["TST-MED.pdf"], "-raw").split())
    for name in ("BONNET Alice", "LEFÈVRE Bruno", "MARCHAL Chantal", "ORBAN Eva"):
        assert name in ward
    assert "HORAIRE ILLISIBLE" in ward
    assert "IDENTITÉ ILLISIBLE" in ward
    assert "Céfazoline" in ward
    assert ward.count("À VÉRIFIER") >= 3, ward
    # why the schedule cannot be read, in the sheet's language (FHIR's own codes kept)
    assert "dosageInstruction[0].timing: periodUnit inconnue 'fortnight'" in ward
    assert "unknown periodUnit" not in ward
    assert "NOËL Denis" in pdf_text(malformed_pdfs["SANS-SERVICE.pdf"])
    cover = " ".join(pdf_text(malformed_pdfs["00-index.pdf"]).split())
    for listed in (
        "LEFÈVRE Bruno",
        "MARCHAL Chantal",
        "NOËL Denis",
        "ORBAN Eva",
        "MedicationRequest/o-orphan",
        "Encounter/s-ghost",
        "export.ndjson:8: pas du JSON",
    ):
        assert listed in cover, cover
    assert "BONNET" not in cover  # nothing to check about her


@pytest.mark.parametrize(
    ("language", "stamp", "timing"),
    [
        ("en", "AS OF 14/05 01:00", "unknown periodUnit 'fortnight'"),
        ("nl", "STAND OP 14/05 01:00", "onbekende periodUnit 'fortnight'"),
        ("de", "STAND 14.05. 01:00", "unbekannte periodUnit 'fortnight'"),
    ],
)
def test_the_sheets_speak_english_dutch_and_german(
    keys: Keys, tmp_path: Path, language: str, stamp: str, timing: str
) -> None:
    result = build(
        [malformed_export(tmp_path / "fhir")], tmp_path / "out", keys, language=Language(language)
    )
    pdfs = open_bundle(result.snapshot.path, keys, tmp_path / "opened")
    text = pdf_text(pdfs["TST-MED.pdf"])
    assert stamp in text
    assert "Médicament" not in text
    said = " ".join(text.split())
    assert timing in said  # why an order has no grid: the sheet's words
    assert "absent ; montré" not in said
    if language != "en":
        assert "unknown" not in said
        assert "shown with the patient" not in said


def test_a_block_longer_than_a_page_goes_on_with_its_patient_named(tmp_path: Path) -> None:
    orders = tuple(
        MedicationOrder(
            f"o{n}", f"Médicament numéro {n}", "1 mg", "PO", rule=TimingRule(1, 1, PeriodUnit.DAY)
        )
        for n in range(60)
    )
    person = Identity("Patient/p", "IPP-LONG", "Longue", "Liste", "1940-01-01", "female", "fr")
    patient = Inpatient(person, "Encounter/e", "W", bed="7", orders=orders)
    as_of = datetime(2022, 5, 13, 23, 15, tzinfo=UTC)
    census = Census(
        as_of, "--as-of", (Ward("W", "Ward", "S", "Site"),), (patient,), (), CensusCounts()
    )
    pdf = tmp_path / "W.pdf"
    pdf.write_bytes(ward_sheet(census, census.wards[0], SheetOptions(ZONE, "test", as_of)))
    pages = pdf_text(pdf, "-raw").split("\f")[:-1]
    assert len(pages) >= 3
    assert all("LONGUE Liste" in page for page in pages)
    assert all("(suite)" in page for page in pages[1:])
    text = " ".join(" ".join(pages).split())
    assert all(f"Médicament numéro {n} " in text for n in range(60))
