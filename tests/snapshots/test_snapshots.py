"""Snapshots as files: verified against their manifest, never replaced by a failed build,
kept N at a time, with a freshness alarm; plaintext never reaches the disk."""

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from relance.app import bundle, snapshots
from relance.app.context import Context
from relance.app.snapshots import BuildRequest, SnapshotFailed
from relance.domain.clock import FixedClock
from relance.domain.errors import RejectedInput
from tests.snapshots.conftest import ZONE, Built, Keys, build, context, make_keys, malformed_export

DATA_TIME = datetime(2022, 5, 13, 23, 0, tzinfo=UTC)  # the malformed export's lastUpdated


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return malformed_export(tmp_path / "fhir")


def test_a_snapshot_verifies_with_and_without_the_key(reference: Built) -> None:
    plain = snapshots.verify_snapshot(reference.path)
    assert (plain.files, plain.decrypted) == (42, False)  # 40 wards, the cover, the JSON
    opened = snapshots.verify_snapshot(reference.path.parent, reference.keys.identity)
    assert opened.decrypted
    assert opened.snapshot.name == reference.result.snapshot.name


def test_any_change_to_a_snapshot_is_found(export: Path, keys: Keys, tmp_path: Path) -> None:
    path = build([export], tmp_path / "out", keys).snapshot.path
    sheet = path / "TST-MED.pdf.age"
    data = bytearray(sheet.read_bytes())
    data[-20] ^= 1
    sheet.write_bytes(bytes(data))
    (path / "extra.txt").write_text("?", encoding="utf-8")
    (path / "census.json.age").unlink()
    with pytest.raises(RejectedInput) as caught:
        snapshots.verify_snapshot(path)
    messages = sorted(str(p) for p in caught.value.problems)
    assert messages == [
        "TST-MED.pdf.age: encrypted_sha256: the file differs from the manifest",
        "census.json.age: missing",
        "extra.txt: not in the manifest",
    ]


def test_another_laptops_key_cannot_open_it(export: Path, keys: Keys, tmp_path: Path) -> None:
    path = build([export], tmp_path / "out", keys).snapshot.path
    stranger = make_keys(tmp_path / "other")
    with pytest.raises(RejectedInput, match="cannot be decrypted"):
        snapshots.verify_snapshot(path, stranger.identity)


def test_every_laptop_of_the_recipients_file_can_open_it(export: Path, tmp_path: Path) -> None:
    first, second = make_keys(tmp_path / "k1", "one"), make_keys(tmp_path / "k2", "two")
    both = tmp_path / "recipients.txt"
    both.write_text(f"# two laptops\n{first.public}\n\n{second.public}\n", encoding="utf-8")
    request = BuildRequest((export,), tmp_path / "out", both, ZONE)
    path = snapshots.build_snapshot(context(), request).snapshot.path
    assert snapshots.verify_snapshot(path, first.identity).decrypted
    assert snapshots.verify_snapshot(path, second.identity).decrypted
    assert bundle.read_manifest(path)["recipients"] == [first.public, second.public]


def test_a_bad_recipients_file_is_refused_by_line(export: Path, keys: Keys, tmp_path: Path) -> None:
    bad = tmp_path / "recipients.txt"
    bad.write_text(f"{keys.public}\nage1notakey\n", encoding="utf-8")
    with pytest.raises(RejectedInput) as caught:
        snapshots.build_snapshot(context(), BuildRequest((export,), tmp_path / "out", bad, ZONE))
    (problem,) = caught.value.problems
    assert (problem.source, problem.line, problem.field) == ("recipients.txt", 2, "recipient")
    bad.write_text("# nobody\n", encoding="utf-8")
    with pytest.raises(RejectedInput, match="no public key"):
        snapshots.build_snapshot(context(), BuildRequest((export,), tmp_path / "out", bad, ZONE))
    assert not (tmp_path / "out").exists()


def test_nothing_but_encrypted_files_reaches_the_disk(reference: Built) -> None:
    names = {p.name for p in reference.path.iterdir()}
    assert names - {bundle.MANIFEST, bundle.SUMS, bundle.README} == {
        n for n in names if n.endswith(".age")
    }
    identities = bundle.read_identities(reference.keys.identity)
    secret = (reference.path / "census.json.age").read_bytes()
    census = json.loads(bundle.pyrage.decrypt(secret, identities))  # the names to look for
    families = {p["family"] for w in census["wards"] for p in w["patients"]}
    for path in reference.path.parent.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [f for f in families if f.encode() in data], path.name


def test_a_failed_build_leaves_the_last_good_snapshot(
    export: Path, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    good = build([export], out, keys).snapshot
    before = {p.name: p.read_bytes() for p in good.path.iterdir()}
    with pytest.raises(RejectedInput):
        build([tmp_path / "no-such-export"], out, keys)

    def broken(directory: Path, *args: object) -> None:
        (directory / "half-written.pdf.age").write_bytes(b"x")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundle, "write_bundle", broken)
    with pytest.raises(SnapshotFailed, match="the disk is full"):
        build([export], out, keys)
    assert [s.name for s in snapshots.list_snapshots(out)] == [good.name]
    assert sorted(p.name for p in out.iterdir()) == [good.name]  # no staging left behind
    assert {p.name: p.read_bytes() for p in good.path.iterdir()} == before


def test_the_newest_n_snapshots_are_kept(export: Path, keys: Keys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = []
    for minute in range(4):
        clock = FixedClock(DATA_TIME + timedelta(minutes=5 + minute))
        request = BuildRequest((export,), out, keys.recipients, ZONE, keep=2)
        result = snapshots.build_snapshot(Context("tester", clock), request)
        names.append(result.snapshot.name)
    assert [s.name for s in snapshots.list_snapshots(out)] == names[-2:]
    assert result.pruned == (names[1],)


def test_the_freshness_alarm(export: Path, keys: Keys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    limit = timedelta(hours=1)
    assert snapshots.freshness(context(), out, limit).stale  # nothing at all is stale
    build([export], out, keys)
    soon = Context("t", FixedClock(DATA_TIME + timedelta(minutes=40)))
    late = Context("t", FixedClock(DATA_TIME + timedelta(minutes=61)))
    assert not snapshots.freshness(soon, out, limit).stale
    fresh = snapshots.freshness(late, out, limit)
    assert fresh.stale
    assert fresh.age == timedelta(minutes=61)


def test_the_watch_builds_skips_an_unchanged_export_and_survives_failures(
    export: Path, keys: Keys, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    request = BuildRequest((export,), out, keys.recipients, ZONE)
    limit = timedelta(hours=1)
    first = snapshots.watch_cycle(context(), request, limit)
    assert first.status == "built"
    assert not first.freshness.stale
    assert snapshots.watch_cycle(context(), request, limit).status == "unchanged"
    (export / "export.ndjson").write_text("", encoding="utf-8")  # the export broke
    failed = snapshots.watch_cycle(context(), request, limit)
    assert failed.status == "failed"
    assert "no FHIR resource" in failed.error
    assert [s.name for s in snapshots.list_snapshots(out)] == [first.result.snapshot.name]  # type: ignore[union-attr]
    shutil.rmtree(export)
    assert snapshots.watch_cycle(context(), request, limit).status == "failed"
