"""Downtime snapshots: from a FHIR export to encrypted, printable ward sheets for the laptops.

A snapshot is a directory `snapshot-<data time>-built-<build time>` holding one age-encrypted PDF
per ward, a cover page, the census as JSON, SHA256SUMS and a manifest. It needs no database:
the services here take a Context (who builds, and the clock) and work from files to files.

A build is written into a hidden staging directory and renamed into place only once complete,
so a failed build never replaces, nor damages, the last good snapshot; the oldest snapshots
beyond `keep` are removed only after a success. The PDFs and the JSON exist unencrypted only in
the build's memory: nothing but the encrypted files reaches the disk.
"""

import hashlib
import multiprocessing
import shutil
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from relance.app import bundle
from relance.app.context import Context
from relance.app.incident_clock import mode_of
from relance.domain.census import Census, Ward
from relance.domain.errors import N_, Problem, RejectedInput, RelanceError
from relance.domain.os_errors import os_reason
from relance.i18n import Language
from relance.importers.fhir_census import read_census
from relance.importers.fhir_files import files_of
from relance.reports.census_json import census_json
from relance.reports.ward_sheets import SheetOptions, cover_sheet, ward_sheet

PREFIX, STAGING = "snapshot-", ".building-"
STALE_STAGING = 3600  # seconds after which a staging directory is a crashed build's leftover


class SnapshotFailed(RelanceError):
    """A build that could not finish; the previous snapshots are untouched."""


@dataclass(frozen=True)
class BuildRequest:
    fhir: tuple[Path, ...]
    out: Path
    recipients: Path
    zone: tzinfo
    as_of: datetime | None = None  # the export's time when the data does not say it
    language: Language = Language.FR
    keep: int = 12
    workers: int = 1  # processes rendering the wards


@dataclass(frozen=True)
class SnapshotInfo:
    name: str
    path: Path
    as_of: datetime
    built_at: datetime
    wards: int
    inpatients: int
    issues: int
    files: int
    input_sha256: str


@dataclass(frozen=True)
class BuildResult:
    snapshot: SnapshotInfo
    active_orders: int
    seconds: float
    pruned: tuple[str, ...]
    problems: tuple[str, ...] = ()  # file, line, resource id, field, message: no names
    timings: dict[str, float] = field(default_factory=dict)  # read, render, encrypt


def build_snapshot(
    ctx: Context, request: BuildRequest, fingerprint: str | None = None
) -> BuildResult:
    """Read the export, render and encrypt every sheet, and put the snapshot in place."""
    started = time.perf_counter()
    recipients, keys = bundle.read_recipients(request.recipients)
    fingerprint = fingerprint or input_fingerprint(request.fhir)
    census = read_census(request.fhir, zone=request.zone, as_of=request.as_of)
    _check_not_empty(census, request.fhir)
    read = time.perf_counter()
    built_at = ctx.clock.now()
    name = f"{PREFIX}{_stamp(census.as_of)}-built-{_stamp(built_at, seconds=True)}"
    options = SheetOptions(request.zone, name, built_at, request.language, mode_of(ctx.clock))
    plains = _render(census, options, request.workers)
    plains.append(
        bundle.Plain("census.json", "census-json", census_json(census, request.zone, name))
    )
    rendered = time.perf_counter()
    about = _about(
        ctx, census, request, name=name, built_at=built_at, keys=keys, fingerprint=fingerprint
    )
    path = _write(request.out, name, plains, recipients, about)
    pruned = prune(request.out, request.keep, keep_name=path.name)
    done = time.perf_counter()
    return BuildResult(
        snapshot=_info(path, bundle.read_manifest(path)),
        active_orders=census.counts.active_orders,
        seconds=done - started,
        pruned=pruned,
        problems=tuple(issue.text for issue in census.issues),
        timings={"read": read - started, "render": rendered - read, "encrypt": done - rendered},
    )


def _check_not_empty(census: Census, fhir: tuple[Path, ...]) -> None:
    """An export without inpatients is a broken export (an empty Encounter file), not an empty
    hospital: its snapshot would become the newest and hide the last good one."""
    if census.inpatients:
        return
    message = N_(
        "no inpatient in the export ({patients} patients, no Encounter in progress of class "
        "IMP, ACUTE or NONAC): nothing to print, the last snapshot is kept"
    )
    names = ", ".join(p.name for p in fhir)
    why = [issue.problem for issue in census.issues]  # often the reason: a file unreadable
    raise RejectedInput(
        [Problem(names, None, "Encounter", message, patients=census.counts.patients), *why]
    )


def input_fingerprint(paths: tuple[Path, ...]) -> str:
    """SHA-256 of the export's files (names and contents): unchanged input, same fingerprint."""
    digest = hashlib.sha256()
    for path in files_of(paths):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _stamp(moment: datetime, seconds: bool = False) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ" if seconds else "%Y-%m-%dT%H%MZ")


def _about(
    ctx: Context,
    census: Census,
    request: BuildRequest,
    *,
    name: str,
    built_at: datetime,
    keys: list[str],
    fingerprint: str,
) -> dict[str, Any]:
    """What the manifest says besides the files: no personal data, it is not encrypted."""
    return {
        "name": name,
        "as_of": census.as_of.isoformat(),
        "as_of_source": census.as_of_source,
        "as_of_local": census.as_of.astimezone(request.zone).strftime("%Y-%m-%d %H:%M %Z"),
        "built_at": built_at.isoformat(),
        "built_by": ctx.actor,
        "language": request.language.value,
        "time_zone": str(request.zone),
        "input": {"files": sorted(p.name for p in files_of(request.fhir)), "sha256": fingerprint},
        "counts": {
            "wards": len(census.wards),
            "inpatients": census.counts.inpatients,
            "active_orders": census.counts.active_orders,
            "issues": len(census.issues),
            "patients": census.counts.patients,
            "resources": census.counts.resources,
        },
        "recipients": keys,
    }


# --- rendering, in parallel when asked ------------------------------------------------------------

_WORKER: dict[str, Any] = {}  # the census and options of a rendering process


def _render(census: Census, options: SheetOptions, workers: int) -> list[bundle.Plain]:
    plains = [bundle.Plain("00-index.pdf", "cover", cover_sheet(census, options))]
    wards = list(census.wards)
    if workers > 1 and len(wards) > 1 and "fork" in multiprocessing.get_all_start_methods():
        biggest_first = sorted(range(len(wards)), key=lambda i: -len(census.of_ward(wards[i].code)))
        context = multiprocessing.get_context("fork")  # the children inherit the census as is
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(census, options)
        ) as pool:
            pdfs = dict(
                zip(
                    biggest_first,
                    pool.map(_render_ward, [wards[i] for i in biggest_first]),
                    strict=True,
                )
            )
        sheets = [pdfs[i] for i in range(len(wards))]
    else:
        sheets = [ward_sheet(census, w, options) for w in wards]
    plains += [
        bundle.Plain(f"{w.code}.pdf", "ward-sheet", pdf, w.code)
        for w, pdf in zip(wards, sheets, strict=True)
    ]
    return plains


def _start_worker(census: Census, options: SheetOptions) -> None:
    _WORKER.update(census=census, options=options)


def _render_ward(ward: Ward) -> bytes:
    return ward_sheet(_WORKER["census"], ward, _WORKER["options"])


# --- the snapshot directory ---------------------------------------------------------------------


def _write(
    out: Path,
    name: str,
    plains: list[bundle.Plain],
    recipients: list[bundle.Recipient],
    about: dict[str, Any],
) -> Path:
    """Write into a staging directory, then rename it into place: all or nothing."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(out)
        staging = out / f"{STAGING}{uuid.uuid4().hex[:12]}"
        staging.mkdir()
    except OSError as error:
        raise SnapshotFailed(
            N_("cannot write in {folder}: {error}"), folder=str(out), error=os_reason(error)
        ) from None
    try:
        bundle.write_bundle(staging, plains, recipients, about)
        readme = bundle.readme(name, str(about["as_of_local"]), list(about["recipients"]))
        (staging / bundle.README).write_text(readme, encoding="utf-8")
        target = out / name
        n = 1
        while target.exists():
            n += 1
            target = out / f"{name}-{n}"
        staging.rename(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        unwritten = N_("cannot write the snapshot in {folder}: {error}")
        raise SnapshotFailed(unwritten, folder=str(out), error=os_reason(error)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _remove_stale_staging(out: Path) -> None:
    for path in out.glob(f"{STAGING}*"):
        if path.is_dir() and time.time() - path.stat().st_mtime > STALE_STAGING:
            shutil.rmtree(path, ignore_errors=True)


def prune(out: Path, keep: int, keep_name: str) -> tuple[str, ...]:
    """Remove the oldest snapshots beyond the `keep` newest; never `keep_name`."""
    snapshots = list_snapshots(out)
    old = [s for s in snapshots[: max(len(snapshots) - max(keep, 1), 0)] if s.name != keep_name]
    for snapshot in old:
        shutil.rmtree(snapshot.path, ignore_errors=True)
    return tuple(s.name for s in old)


def list_snapshots(out: Path) -> list[SnapshotInfo]:
    """The complete snapshots in `out`, oldest data first."""
    found = []
    for path in sorted(out.glob(f"{PREFIX}*")) if out.is_dir() else []:
        try:
            found.append(_info(path, bundle.read_manifest(path)))
        except (RejectedInput, KeyError, ValueError, TypeError):
            continue  # not a complete snapshot: `verify` says why
    return sorted(found, key=lambda s: (s.as_of, s.built_at, s.name))


def _info(path: Path, manifest: dict[str, Any]) -> SnapshotInfo:
    counts = manifest["counts"]
    return SnapshotInfo(
        name=path.name,
        path=path,
        as_of=datetime.fromisoformat(manifest["as_of"]),
        built_at=datetime.fromisoformat(manifest["built_at"]),
        wards=int(counts["wards"]),
        inpatients=int(counts["inpatients"]),
        issues=int(counts["issues"]),
        files=len(manifest["files"]),
        input_sha256=str(manifest.get("input", {}).get("sha256", "")),
    )


# --- freshness, verification, the watch ---------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    newest: SnapshotInfo | None
    age: timedelta | None  # of the newest snapshot's data, now
    limit: timedelta

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > self.limit


def freshness(ctx: Context, out: Path, limit: timedelta) -> Freshness:
    snapshots = list_snapshots(out)
    newest = snapshots[-1] if snapshots else None
    age = ctx.clock.now() - newest.as_of if newest else None
    return Freshness(newest, age, limit)


@dataclass(frozen=True)
class Verified:
    snapshot: SnapshotInfo
    files: int
    decrypted: bool


def verify_snapshot(path: Path, identity: Path | None = None) -> Verified:
    """Check a snapshot (or the newest in a directory of snapshots) against its manifest;
    with a private key, decrypt every file and check its content too."""
    if not (path / bundle.MANIFEST).exists():
        snapshots = list_snapshots(path)
        if snapshots:
            path = snapshots[-1].path
    identities = bundle.read_identities(identity) if identity else None
    manifest, files = bundle.check_bundle(path, identities)
    return Verified(_info(path, manifest), files, identities is not None)


@dataclass(frozen=True)
class Cycle:
    status: str  # built, unchanged, failed
    freshness: Freshness
    result: BuildResult | None = None
    error: str = ""


def watch_cycle(ctx: Context, request: BuildRequest, limit: timedelta) -> Cycle:
    """One turn of `snapshot watch`: build unless the export is unchanged, then check freshness.
    A failure is reported, never raised: the last good snapshot stays and the watch goes on."""
    status, result, error = "failed", None, ""
    try:
        fingerprint = input_fingerprint(request.fhir)
        snapshots = list_snapshots(request.out)
        if snapshots and snapshots[-1].input_sha256 == fingerprint:
            status = "unchanged"
        else:
            result = build_snapshot(ctx, request, fingerprint)
            status = "built"
    except RejectedInput as failure:
        error = f"{len(failure.problems)} problem(s): " + "; ".join(
            str(p) for p in failure.problems[:5]
        )
    except RelanceError as failure:
        error = str(failure)
    except Exception as failure:  # noqa: BLE001 - the watch must outlive any one build
        error = f"{type(failure).__name__}: {failure}"
    return Cycle(status, freshness(ctx, request.out, limit), result, error)
