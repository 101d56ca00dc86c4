"""The offline install kit: everything a clean laptop needs to run relance with no network.

`DIR/wheels` holds the locked wheels for CPython 3.11 on Linux (x86_64 and aarch64, manylinux
up to glibc 2.28), checked against the lock's hashes by pip, and relance's own wheel, so that
`pip install --no-index --find-links DIR/wheels relance` works anywhere. Beside them: the lock,
an install script, a README in French and one in English, the Debian packages to bring along
with the versions apt knows here, a manifest (kit.json) and SHA256SUMS.

The kit is built in a hidden directory beside DIR and renamed into place once complete.
"""

import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlparse

from relance.app import kit_lock, kit_texts
from relance.app.context import Context
from relance.domain.errors import N_, InvalidInput, RelanceError
from relance.domain.os_errors import os_reason

FORMAT = "relance-kit/1"
MACHINES = ("x86_64", "aarch64")
GLIBC = (2, 28)  # manylinux_2_28: Debian 10+, Ubuntu 20.04+, RHEL 8+
SUMS, MANIFEST, INSTALL = "SHA256SUMS", "kit.json", "install.sh"
MISSING = re.compile(r"No matching distribution found for ([A-Za-z0-9._-]+)==")


class KitFailed(RelanceError):
    """A kit that could not be built; nothing was left in its place."""


CANNOT_WRITE = N_("cannot write the kit in {directory}: {error}")
DOWNLOAD_FAILED = N_("pip download failed for {machine}: {error}")


@dataclass(frozen=True)
class DebianPackage:
    name: str
    needed: bool  # False: only for what it brings (a server, SMS, checks)
    installed: str  # as apt-cache policy says here: a version, "(none)" or "?" without apt
    candidate: str


@dataclass(frozen=True)
class MachineWheels:
    machine: str
    wheels: int
    missing: tuple[str, ...]  # name==version without a wheel for this machine

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class KitResult:
    path: Path
    relance_version: str
    machines: tuple[MachineWheels, ...]
    debian: tuple[DebianPackage, ...]
    size: int  # bytes of every file of the kit
    files: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class KitRequest:
    out: Path
    source: Path  # relance's source tree: pyproject.toml and requirements.lock
    machines: tuple[str, ...] = MACHINES


def default_source() -> Path:
    """Where this relance was installed from (pip records it), else the current directory."""
    try:
        recorded = distribution("relance").read_text("direct_url.json")
    except PackageNotFoundError:
        recorded = None
    if recorded:
        url = str(json.loads(recorded).get("url", ""))
        if url.startswith("file://"):
            return Path(unquote(urlparse(url).path))
    return Path.cwd()


def build_kit(
    ctx: Context, request: KitRequest, progress: Callable[[str], None] = lambda _: None
) -> KitResult:
    started = time.perf_counter()
    entries = _checked_lock(request.source, request.machines)
    out = request.out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        why = N_("{directory} is not an empty directory: give a new one for the kit")
        raise InvalidInput(why, directory=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    except OSError as error:
        raise KitFailed(CANNOT_WRITE, directory=str(out.parent), error=os_reason(error)) from None
    try:
        result = _build(ctx, request, entries, staging, progress)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except OSError as error:  # a disk full
        shutil.rmtree(staging, ignore_errors=True)
        raise KitFailed(CANNOT_WRITE, directory=str(out.parent), error=os_reason(error)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return replace(result, path=out, seconds=time.perf_counter() - started)


def _checked_lock(source: Path, machines: tuple[str, ...]) -> list[kit_lock.Locked]:
    pyproject, lock = source / "pyproject.toml", source / kit_lock.LOCK
    if not pyproject.is_file() or not lock.is_file():
        why = N_(
            "{source} is not relance's source tree (pyproject.toml and {lock}): "
            "give it with --source"
        )
        raise InvalidInput(why, source=str(source), lock=kit_lock.LOCK)
    unknown = sorted(set(machines) - set(MACHINES))
    if unknown:
        why = N_("unknown machine {machine} (one of: {machines})")
        raise InvalidInput(why, machine=unknown[0], machines=", ".join(MACHINES))
    entries = kit_lock.read_lock(lock)
    problems = kit_lock.drift(entries, kit_lock.dependencies(pyproject), machines)
    if problems:
        if len(problems) == 1:
            why = N_(
                "{lock} does not match pyproject.toml ({problem}): "
                "run `bash .ci/lock` in the source tree"
            )
            raise KitFailed(why, lock=str(lock), problem=problems[0])
        why = N_(
            "{lock} does not match pyproject.toml ({problem}, and {more} more): "
            "run `bash .ci/lock` in the source tree"
        )
        raise KitFailed(why, lock=str(lock), problem=problems[0], more=len(problems) - 1)
    return entries


def _build(
    ctx: Context,
    request: KitRequest,
    entries: list[kit_lock.Locked],
    staging: Path,
    progress: Callable[[str], None],
) -> KitResult:
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        timings[name], mark = time.perf_counter() - mark, time.perf_counter()

    wheels = staging / "wheels"
    wheels.mkdir()
    machines = []
    for machine in request.machines:
        progress(f"downloading the wheels for {machine}")
        machines.append(_download(kit_lock.for_machine(entries, machine), machine, wheels))
        lap(f"download {machine}")
    if not any(m.complete for m in machines):
        why = N_("no machine has all its wheels: {missing}")
        raise KitFailed(why, missing=_missing_text(machines))
    progress("building relance's wheel")
    own = _build_own_wheel(request.source, wheels)
    lap("relance wheel")
    progress("writing the install script and the READMEs")
    debian = debian_packages()
    version = own.name.split("-")[1]
    shutil.copyfile(request.source / kit_lock.LOCK, staging / kit_lock.LOCK)
    texts = kit_texts.KitFacts(
        version, tuple(machines), debian, f"{GLIBC[0]}.{GLIBC[1]}", ctx.clock.now()
    )
    (staging / INSTALL).write_text(kit_texts.install_script(), encoding="utf-8")
    (staging / INSTALL).chmod(0o755)
    (staging / kit_texts.LISEZMOI).write_text(kit_texts.lisezmoi(texts), encoding="utf-8")
    (staging / kit_texts.README).write_text(kit_texts.readme(texts), encoding="utf-8")
    _write_manifest(ctx, staging, texts, own)
    files = _write_sums(staging)
    return KitResult(
        path=staging,
        relance_version=version,
        machines=tuple(machines),
        debian=debian,
        size=sum(p.stat().st_size for p in staging.rglob("*") if p.is_file()),
        files=files,
        seconds=0.0,  # set by build_kit, which also counts the checks
        timings=timings,
    )


def platform_tags(machine: str) -> list[str]:
    """The manylinux tags a laptop with glibc 2.28 or newer accepts, newest first.

    pip's --platform takes each tag literally (it does not widen manylinux_2_28 to the older
    ones), so every compatible tag is named.
    """
    major, newest = GLIBC
    tags = [f"manylinux_{major}_{minor}_{machine}" for minor in range(newest, 16, -1)]
    tags.append(f"manylinux2014_{machine}")
    if machine == "x86_64":
        tags += [f"manylinux2010_{machine}", f"manylinux1_{machine}"]
    return tags


def _download(entries: list[kit_lock.Locked], machine: str, wheels: Path) -> MachineWheels:
    """pip download of the locked wheels for one machine, checked against the lock's hashes.

    A package with no wheel for this machine is noted (the README says so) and the others
    are downloaded all the same.
    """
    missing: list[str] = []
    remaining = list(entries)
    while remaining:
        with tempfile.TemporaryDirectory(prefix="relance-kit-") as scratch:
            requirements = Path(scratch) / f"requirements-{machine}.txt"
            requirements.write_text("".join(e.requirement() + "\n" for e in remaining))
            done = _pip(
                "download",
                "--no-deps",  # the lock is the whole closure; pip checks every hash
                "--require-hashes",
                "--only-binary=:all:",
                *(f"--platform={tag}" for tag in platform_tags(machine)),
                f"--python-version={kit_lock.PYTHON}",
                "--implementation=cp",
                f"--abi=cp{kit_lock.PYTHON.replace('.', '')}",
                f"--requirement={requirements}",
                f"--dest={wheels}",
            )
        if done.returncode == 0:
            break
        found = MISSING.search(done.stderr)
        if found is None:
            raise KitFailed(DOWNLOAD_FAILED, machine=machine, error=_tail(done.stderr))
        name = found.group(1).lower().replace("_", "-")
        unresolved = [e for e in remaining if e.name == name]
        if not unresolved:
            raise KitFailed(DOWNLOAD_FAILED, machine=machine, error=_tail(done.stderr))
        missing.append(f"{name}=={unresolved[0].version}")
        remaining = [e for e in remaining if e.name != name]
    return MachineWheels(machine, len(entries) - len(missing), tuple(missing))


def _build_own_wheel(source: Path, wheels: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="relance-kit-") as scratch:
        done = _pip("wheel", "--no-deps", f"--wheel-dir={scratch}", str(source))
        built = sorted(Path(scratch).glob("relance-*.whl"))
        if done.returncode != 0 or len(built) != 1:
            why = N_("cannot build relance's wheel from {source}: {error}")
            raise KitFailed(why, source=str(source), error=_tail(done.stderr))
        return Path(shutil.move(built[0], wheels / built[0].name))


def _pip(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter's pip, with arguments built here
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *arguments],
        capture_output=True,
        text=True,
        check=False,
    )


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if not line.startswith("WARNING")]
    return " / ".join(lines[-3:]) or "no message"


def _missing_text(machines: list[MachineWheels]) -> str:
    return "; ".join(f"{m.machine}: {', '.join(m.missing)}" for m in machines if m.missing)


DEBIAN = (
    ("python3", True),
    ("python3-venv", True),
    ("postgresql", False),
    ("postgresql-client", False),
    ("kannel", False),
    ("kannel-extras", False),
    ("age", False),
    ("zbar-tools", False),
    ("poppler-utils", False),
)


def debian_packages() -> tuple[DebianPackage, ...]:
    """The Debian packages relance uses, with the versions `apt-cache policy` reports here."""
    names = [name for name, _ in DEBIAN]
    found: dict[str, tuple[str, str]] = {}
    if shutil.which("apt-cache"):
        done = subprocess.run(  # noqa: S603 - apt-cache with the package names above
            ["apt-cache", "policy", *names],  # noqa: S607 - Debian's own tool, from the PATH
            capture_output=True,
            text=True,
            check=False,
            env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        )
        found = parse_policy(done.stdout)
    return tuple(
        DebianPackage(name, needed, *found.get(name, ("?", "?"))) for name, needed in DEBIAN
    )


def parse_policy(text: str) -> dict[str, tuple[str, str]]:
    """{package: (installed, candidate)} from `apt-cache policy` (LC_ALL=C)."""
    found: dict[str, tuple[str, str]] = {}
    name, installed = "", "?"
    for line in text.splitlines():
        if line and not line[0].isspace() and line.endswith(":"):
            name, installed = line[:-1], "?"
        elif line.strip().startswith("Installed:"):
            installed = line.split(":", 1)[1].strip()
        elif line.strip().startswith("Candidate:") and name:
            found[name] = (installed, line.split(":", 1)[1].strip())
    return found


def _write_manifest(ctx: Context, staging: Path, facts: kit_texts.KitFacts, own: Path) -> None:
    manifest = {
        "format": FORMAT,
        "relance_version": facts.version,
        "built_at": facts.built_at.isoformat(),
        "built_by": ctx.actor,
        "built_on": kit_texts.os_name(),
        "python": kit_lock.PYTHON,
        "glibc_at_least": facts.glibc,
        "builder_machine": platform.machine(),
        "relance_wheel": own.name,
        "machines": {
            m.machine: {"complete": m.complete, "wheels": m.wheels, "missing": list(m.missing)}
            for m in facts.machines
        },
        "debian": [asdict(p) for p in facts.debian],
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _write_sums(staging: Path) -> int:
    """SHA256SUMS of every file, for `sha256sum -c` before installing (a copy on a USB stick
    can be damaged); the install script checks it."""
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    lines = []
    for path in files:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        lines.append(f"{digest.hexdigest()}  {path.relative_to(staging).as_posix()}\n")
    (staging / SUMS).write_text("".join(lines), encoding="utf-8")
    return len(files) + 1
