"""Fuzzing every importer: valid files made by relance's own generators, damaged at random
(truncated, bytes flipped, inserted, deleted or repeated, quotes, separators, NULs, escapes,
nesting, aliases, other encodings). Whatever the file, an importer returns what it read (with
the problems of bad rows) or refuses the file with RejectedInput: never another exception.

Kept short for CI (a few dozen files per importer); benchmarks/fuzz_importers.py runs a larger
corpus through the real commands.
"""

import json
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from relance.app import bundle
from relance.domain.errors import RejectedInput
from relance.domain.lifecycle import AssetState
from relance.importers import (
    appointments_csv,
    appointments_fhir,
    book_generator,
    census_generator,
    state_report,
)
from relance.importers.fhir_census import read_census
from relance.importers.scenario import load_scenario
from relance.importers.triage_rules import load_rules

ZONE = ZoneInfo("Europe/Brussels")
ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples"
AS_OF = datetime(2022, 5, 14, 1, 15, tzinfo=ZONE)
FUZZ = settings(
    max_examples=40,
    deadline=None,  # a loaded machine is slow, not wrong
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKENS = [
    b"\0", b'"', b"'", b",", b";", b"\t", b"\n", b"\r", b"\r\n", b"\xff", b"\xe9", b"\xc3",
    b"\xef\xbb\xbf", b"\xff\xfe", b"{", b"}", b"[", b"]", b": ", b"- ", b"&a ", b"*a", b"<<: *a",
    b"!!python/object:os.system", b"\\u0000", b'"\\0"', b"1e999", b"NaN", b".inf", b"-1",
    b"9" * 5000, b"x" * 20_000, b"[" * 3000, b"null", b"true", b"#", b"%", b"---\n", b"|\n",
]  # fmt: skip


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` with one to four random changes."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        change = draw(st.sampled_from(["cut", "flip", "insert", "delete", "repeat", "encode"]))
        if change == "cut":
            del data[at:]
        elif change == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif change == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8)))
        elif change == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif change == "repeat":
            start = draw(st.integers(0, max(len(data) - 1, 0)))
            data[at:at] = data[start : start + draw(st.integers(1, 400))]
        elif change == "encode":
            text = bytes(data).decode("utf-8", "replace")
            data = bytearray(
                text.encode(draw(st.sampled_from(["utf-16", "cp1252", "latin-1"])), "replace")
            )
    return bytes(data)


def _survives(read: Callable[[], Any]) -> None:
    """read() returns, or refuses with RejectedInput; any other exception fails the test."""
    try:
        read()
    except RejectedInput as refused:
        problems = refused.problems
    else:
        return
    assert problems
    assert all(str(p) for p in problems)


# --- seeds, from relance's own generators and examples -----------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    here = tmp_path_factory.mktemp("seeds")
    offered = [("A", "radiology"), ("A", "consultations"), ("B", "blood_sampling")]
    book = book_generator.generate_book(offered, date(2022, 5, 16), ZONE, scale=0.004)
    book_generator.write_csv(book, here / "book.csv", ZONE)
    book_generator.write_fhir(book, here / "book.ndjson")
    resources = [json.loads(line) for line in (here / "book.ndjson").read_text().splitlines()]
    bundle_json = {"resourceType": "Bundle", "type": "collection"}
    bundle_json["entry"] = [{"resource": r} for r in resources]  # type: ignore[assignment]
    census = census_generator.generate(census_generator.CensusSpec(patients=3))
    key = x25519.Identity.generate()
    return {
        "scenario": (EXAMPLES / "small-network-assets.yaml").read_bytes(),
        "assets": (EXAMPLES / "small-assets.csv").read_bytes(),
        "rules": (ROOT / "src/relance/rules/triage.yaml").read_bytes(),
        "states": b"hostname,state,evidence,reason\nNORD-DC-01,isolated,,cut\nSUD-2,imaged,,\n",
        "book.csv": (here / "book.csv").read_bytes(),
        "book.ndjson": (here / "book.ndjson").read_bytes(),
        "book.json": json.dumps(bundle_json).encode(),
        **{
            f"census/{kind}": "\n".join(json.dumps(r) for r in items).encode()
            for kind, items in census.items()
        },
        "recipients": f"# laptops\n{key.to_public()}\n".encode(),
        "identities": f"# laptop\n{key}\n".encode(),
    }


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _file(work: Path, name: str, data: bytes) -> Path:
    path = work / name
    path.write_bytes(data)
    return path


# --- one test per importer -------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_scenario(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    broken = data.draw(st.sampled_from(["scenario", "assets"]))
    for name, file in (("scenario", "s.yaml"), ("assets", "small-assets.csv")):
        content = data.draw(damaged(seeds[name])) if name == broken else seeds[name]
        _file(work, file, content)
    _survives(lambda: load_scenario(work / "s.yaml"))


@FUZZ
@given(st.data())
def test_triage_rules(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    path = _file(work, "rules.yaml", data.draw(damaged(seeds["rules"])))
    _survives(lambda: load_rules(path))


@FUZZ
@given(st.data())
def test_state_report(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    path = _file(work, "report.csv", data.draw(damaged(seeds["states"])))
    _survives(lambda: state_report.read(path, AssetState.ISOLATED))


@FUZZ
@given(st.data())
def test_appointments_csv(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    path = _file(work, "book.csv", data.draw(damaged(seeds["book.csv"])))
    _survives(lambda: appointments_csv.read(path, ZONE))


@FUZZ
@given(st.data())
def test_appointments_fhir(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["book.ndjson", "book.json"]))
    path = _file(work, name, data.draw(damaged(seeds[name])))
    _survives(lambda: appointments_fhir.read([path]))


@FUZZ
@given(st.data())
def test_fhir_census(seeds: dict[str, bytes], work: Path, data: st.DataObject) -> None:
    export = work / "export"
    shutil.rmtree(export, ignore_errors=True)
    export.mkdir()
    kinds = sorted(k for k in seeds if k.startswith("census/"))
    broken = data.draw(st.sampled_from(kinds))
    for kind in kinds:
        content = data.draw(damaged(seeds[kind])) if kind == broken else seeds[kind]
        _file(export, f"{kind.removeprefix('census/')}.ndjson", content)
    _survives(lambda: read_census([export], zone=ZONE, as_of=AS_OF))


@FUZZ
@given(st.data())
def test_recipients_and_identities(
    seeds: dict[str, bytes], work: Path, data: st.DataObject
) -> None:
    recipients = _file(work, "laptops.txt", data.draw(damaged(seeds["recipients"])))
    _survives(lambda: bundle.read_recipients(recipients))
    identities = _file(work, "key.txt", data.draw(damaged(seeds["identities"])))
    _survives(lambda: bundle.read_identities(identities))
