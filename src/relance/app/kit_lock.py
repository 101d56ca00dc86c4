"""The lock file, requirements.lock: relance's runtime dependencies at exact versions, with the
SHA-256 of every file the index has for them (written by `bash .ci/lock`, with uv).

It is checked against pyproject.toml here (by the tests, and before a kit is built) and read
for one platform at a time: the kit holds the wheels of CPython 3.11 on Linux, x86_64 and
aarch64, and a marker is evaluated for the platform of the wheels, not the machine building.
"""

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from relance.domain.errors import N_, InvalidInput, Problem, RejectedInput, RelanceError
from relance.domain.os_errors import os_reason

LOCK = "requirements.lock"
PROJECT = "relance (pyproject.toml)"  # how uv names the project in its `# via` comments
PYTHON = "3.11"
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


@dataclass(frozen=True)
class Locked:
    """One pinned package: `name==version ; marker --hash=sha256:...`, and who needs it."""

    name: str  # canonical: psycopg-binary
    version: str
    marker: Marker | None
    hashes: tuple[str, ...]
    via: tuple[str, ...]  # PROJECT or the canonical names of the packages that need it
    line: int

    def requirement(self) -> str:
        """The line for `pip download --require-hashes`, its marker already evaluated."""
        hashes = (f"--hash=sha256:{h}" for h in self.hashes)
        return " ".join([f"{self.name}=={self.version}", *hashes])


def read_lock(path: Path) -> list[Locked]:
    """Every entry of the lock; RejectedInput naming the line of anything it cannot read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        why = N_("unreadable: {error}")
        raise RejectedInput([Problem(str(path), None, "", why, error=os_reason(error))]) from None
    entries: list[Locked] = []
    problems: list[Problem] = []
    for number, logical in _logical_lines(lines):
        if logical.startswith("#"):
            if entries:
                entries[-1] = _with_via(entries[-1], logical)
            continue
        try:
            entries.append(_entry(number, logical))
        except InvalidInput as error:
            problems.append(Problem(path.name, number, "requirement", "{error}", error=error))
    if problems:
        raise RejectedInput(problems)
    return entries


def _logical_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Requirements joined across their trailing backslashes; comments one by one."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(lines, 1):
        text = raw.strip()
        if pending is not None:
            pending = (pending[0], f"{pending[1]} {text.removesuffix(chr(92)).strip()}")
            if not text.endswith("\\"):
                joined.append(pending)
                pending = None
        elif text.endswith("\\"):
            pending = (number, text.removesuffix("\\").strip())
        elif text:
            joined.append((number, text))
    if pending is not None:
        joined.append(pending)
    return joined


def _entry(number: int, logical: str) -> Locked:
    spec = logical.split(" --hash=", maxsplit=1)[0].strip()
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as error:
        raise InvalidInput(N_("not a requirement: {error}"), error=str(error)) from None
    pins = list(requirement.specifier)
    if len(pins) != 1 or pins[0].operator != "==":
        why = N_("{name}: not pinned to one version (name==version)")
        raise InvalidInput(why, name=requirement.name)
    hashes = tuple(HASH.findall(logical))
    if not hashes:
        raise InvalidInput(N_("{name}: no --hash=sha256:..."), name=requirement.name)
    return Locked(
        canonicalize_name(requirement.name),
        pins[0].version,
        requirement.marker,
        hashes,
        (),
        number,
    )


def _with_via(entry: Locked, comment: str) -> Locked:
    """uv writes `# via NAME`, or `# via` then one `#   NAME` a line."""
    text = comment.lstrip("#").strip()
    name = text.removeprefix("via").strip() if text.startswith("via") else text
    if not name:
        return entry
    who = name if name == PROJECT else canonicalize_name(name)
    return replace(entry, via=(*entry.via, who))


def environment(machine: str) -> dict[str, str]:
    """The marker environment of CPython 3.11 on Linux on this machine type (x86_64, aarch64)."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{PYTHON}.0",
        "os_name": "posix",
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_system": "Linux",
        "python_full_version": f"{PYTHON}.0",
        "python_version": PYTHON,
        "sys_platform": "linux",
    }


def for_machine(entries: list[Locked], machine: str) -> list[Locked]:
    """The entries that apply to CPython 3.11 on Linux on `machine`."""
    env = environment(machine)
    return [e for e in entries if e.marker is None or e.marker.evaluate(env)]


def dependencies(pyproject: Path) -> list[Requirement]:
    """The runtime dependencies pyproject.toml declares (not the test tools)."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        return [Requirement(text) for text in project["dependencies"]]
    except (OSError, KeyError, tomllib.TOMLDecodeError, InvalidRequirement) as error:
        why = N_("unreadable: {error}")
        raise RejectedInput([Problem(str(pyproject), None, "", why, error=str(error))]) from None


def drift(
    entries: list[Locked], declared: list[Requirement], machines: tuple[str, ...]
) -> list[RelanceError]:
    """What makes the lock disagree with pyproject.toml; empty when they agree.

    Every declared dependency locked at a version it accepts; everything locked needed by the
    project or by another locked package (uv's `# via`); one version of each per machine.
    """
    problems: list[RelanceError] = []
    locked = {e.name: e for e in entries}
    direct = {canonicalize_name(r.name) for r in declared}
    for requirement in declared:
        entry = locked.get(canonicalize_name(requirement.name))
        if entry is None:
            why = N_("{requirement} is declared in pyproject.toml but not locked")
            problems.append(RelanceError(why, requirement=str(requirement)))
        elif not requirement.specifier.contains(_version(entry), prereleases=True):
            why = N_("{requirement} is declared, {locked} locked")
            locked_as = f"{entry.name}=={entry.version}"
            problems.append(RelanceError(why, requirement=str(requirement), locked=locked_as))
    for entry in entries:
        if not entry.via:
            why = N_("{name}: no `# via` comment: write the lock with uv")
            problems.append(RelanceError(why, name=entry.name))
        for who in entry.via:
            if who == PROJECT and entry.name not in direct:
                why = N_("{name} is locked for relance but no longer declared")
                problems.append(RelanceError(why, name=entry.name))
            elif who != PROJECT and who not in locked:
                why = N_("{name} is locked for {needer}, which is not locked")
                problems.append(RelanceError(why, name=entry.name, needer=who))
    for machine in machines:
        seen: set[str] = set()
        for entry in for_machine(entries, machine):
            if entry.name in seen:
                why = N_("{name} is locked twice for {machine}")
                problems.append(RelanceError(why, name=entry.name, machine=machine))
            seen.add(entry.name)
        missing = direct - seen
        if missing:
            why = N_("not locked for {machine}: {names}")
            problems.append(RelanceError(why, machine=machine, names=", ".join(sorted(missing))))
    return problems


def _version(entry: Locked) -> Version:
    try:
        return Version(entry.version)
    except InvalidVersion:
        return Version("0")
