"""FHIR R4 exports as files: NDJSON (one resource a line, gzipped or not), Bundles, resources.

Files are streamed: an NDJSON file of any size is read a line at a time. Every resource is
given with its place (file, line or bundle entry) so that a problem can name it. References
are resolved the ways exports write them: `Patient/123`, an absolute URL, a bundle's
`urn:uuid:...` fullUrl, or a conditional `Location?identifier=system|value` (Synthea).

The limits of the reading layer hold: a line of at most LINE_MAX bytes, a JSON file of at most
JSON_MAX, UTF-8, nesting of at most DEPTH_MAX levels, no NaN nor Infinity; what breaks them is a
problem of its line or file, and the reading goes on with the next.
"""

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from relance.domain.errors import N_, Problem, RejectedInput, RelanceError
from relance.importers.reading import (
    DEPTH_MAX,
    JSON_MAX,
    LINE_MAX,
    MIB,
    decode,
    not_text,
    read_bytes,
    refuse,
    too_big,
)

SUFFIXES = (".ndjson", ".ndjson.gz", ".json", ".json.gz")
HEAD = 64 * 1024  # bytes read ahead to tell a file in another encoding
Raw = dict[str, Any]


@dataclass(frozen=True)
class Place:
    """Where a resource was read: a file and its line (NDJSON) or its entry (Bundle)."""

    source: str
    line: int | None = None
    entry: int | None = None
    full_url: str | None = None  # the Bundle entry's fullUrl, which references may use

    def problem(self, field: str, message: str, **values: object) -> Problem:
        """The problem of `field` here; `message`: a msgid with its {placeholders}' values."""
        source = self.source if self.entry is None else f"{self.source} entry {self.entry}"
        return Problem(source, self.line, field, message, **values)


@dataclass
class Export:
    """What the streaming learnt about the export besides its resources."""

    files: list[Path] = field(default_factory=list)
    resources: int = 0
    newest_update: datetime | None = None  # newest meta.lastUpdated
    transaction_time: datetime | None = None  # a bulk-data export manifest's transactionTime
    problems: list[Problem] = field(default_factory=list)  # unreadable files and lines


def files_of(paths: Iterable[Path]) -> list[Path]:
    """The FHIR files of these paths (a directory gives its files by name), or RejectedInput."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.name.endswith(SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), None, "", N_("no such file or directory")))
    if problems:
        raise RejectedInput(problems)
    if not found:
        names = ", ".join(str(p) for p in paths)
        here = N_("no FHIR file (*.ndjson, *.json) here")
        raise RejectedInput([Problem(names, None, "", here)])
    return found


def stream(paths: Iterable[Path], export: Export) -> Iterator[tuple[Place, Raw]]:
    """Every resource of the files, with its place; bad lines and files go to export.problems."""
    for path in files_of(paths):
        export.files.append(path)
        try:
            if path.name.removesuffix(".gz").endswith(".ndjson"):
                with _open(path) as handle:
                    yield from _ndjson(path.name, handle, export)
            else:
                yield from _json(path, export)
        except RejectedInput as refused:
            export.problems += refused.problems
        except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            why = N_("unreadable: {error}")
            export.problems.append(Problem(path.name, None, "", why, error=str(error)))


def _open(path: Path) -> io.BufferedReader | gzip.GzipFile:
    if path.suffix == ".gz":
        return gzip.GzipFile(path, "rb")
    return path.open("rb")


def _ndjson(
    name: str, handle: io.BufferedReader | gzip.GzipFile, export: Export
) -> Iterator[tuple[Place, Raw]]:
    encoding = not_text(handle.peek(HEAD))  # another encoding: one problem, not one a line
    if encoding is not None:
        raise refuse(name, None, encoding)
    number = 0
    while line := handle.readline(LINE_MAX + 1):
        number += 1
        if len(line) > LINE_MAX and not line.endswith(b"\n"):
            while (rest := handle.readline(MIB)) and not rest.endswith(b"\n"):
                pass  # the rest of the line is skipped, a MiB at a time
            export.problems.append(too_big(name, number, LINE_MAX + 1, LINE_MAX))
            continue
        if not line.strip():
            continue
        try:
            data = parse_json(decode(line, name, number), name, number)
        except RejectedInput as refused:
            export.problems += refused.problems
            continue
        yield from _resource(Place(name, number), data, export)


def _json(path: Path, export: Export) -> Iterator[tuple[Place, Raw]]:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            raw = handle.read(JSON_MAX + 1)
        if len(raw) > JSON_MAX:
            export.problems.append(too_big(path.name, None, len(raw), JSON_MAX))
            return
    else:
        raw = read_bytes(path, JSON_MAX)
    data = parse_json(decode(raw, path.name), path.name)
    if isinstance(data, dict) and "transactionTime" in data and "output" in data:
        export.transaction_time = _instant(data.get("transactionTime"))  # $export manifest
        return
    yield from _resource(Place(path.name), data, export)


def parse_json(text: str, source: str, line: int | None = None) -> object:
    """The JSON value of `text`, nested at most DEPTH_MAX levels, or RejectedInput."""
    too_deep = Problem(
        source,
        line,
        "",
        N_("nested deeper than {limit} levels: not a FHIR resource"),
        limit=DEPTH_MAX,
    )
    not_json = N_("not JSON: {error}")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # the decoder's own guard, far deeper than ours
        raise RejectedInput([too_deep]) from None
    except json.JSONDecodeError as error:
        at = line if line is not None else error.lineno  # a line of NDJSON is one line
        raise RejectedInput([Problem(source, at, "", not_json, error=error.msg)]) from None
    except ValueError as error:  # an integer of more than 4,300 digits, NaN
        why = (
            error.args[0] if error.args and isinstance(error.args[0], RelanceError) else str(error)
        )
        raise RejectedInput([Problem(source, line, "", not_json, error=why)]) from None
    if _deeper_than(DEPTH_MAX, text, data):
        raise RejectedInput([too_deep])
    return data


def _no_constant(name: str) -> object:
    raise ValueError(RelanceError(N_("{name} is not a JSON number"), name=name))


def _deeper_than(limit: int, text: str, data: object) -> bool:
    """True if `data` nests more than `limit` objects and arrays (walked only when `text`
    has enough brackets for it: most resources have far fewer)."""
    if text.count("{") + text.count("[") <= limit:
        return False
    stack = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        items = value.values() if isinstance(value, dict) else value
        stack.extend((c, depth + 1) for c in items if isinstance(c, dict | list))
    return False


def _resource(place: Place, data: object, export: Export) -> Iterator[tuple[Place, Raw]]:
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        export.problems.append(place.problem("resourceType", N_("not a FHIR resource")))
        return
    if data["resourceType"] == "Bundle":
        entries = data.get("entry")
        if entries is not None and not isinstance(entries, list):
            export.problems.append(place.problem("entry", N_("not a list of entries")))
            return
        for index, item in enumerate(entries or []):
            entry = item if isinstance(item, dict) else {}
            resource, url = entry.get("resource"), str(entry.get("fullUrl") or "") or None
            if (
                isinstance(resource, dict)
                and "id" not in resource
                and (url or "").startswith("urn:uuid:")
            ):
                resource = {**resource, "id": str(url).removeprefix("urn:uuid:")}
            yield from _resource(Place(place.source, place.line, index, url), resource, export)
        return
    export.resources += 1
    meta = data.get("meta")
    updated = _instant(meta.get("lastUpdated")) if isinstance(meta, dict) else None
    if updated and (export.newest_update is None or updated > export.newest_update):
        export.newest_update = updated
    yield place, data


def _instant(value: object) -> datetime | None:
    """An instant with its offset (FHIR `instant`), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


class Index:
    """Resources by reference: `Kind/id`, identifiers (for conditional references), fullUrl."""

    def __init__(self) -> None:
        self.resources: dict[str, tuple[Place, Raw]] = {}
        self._identifiers: dict[tuple[str, str, str], str] = {}
        self._urls: dict[str, str] = {}

    def add(self, place: Place, data: Raw) -> str:
        key = f"{data['resourceType']}/{data.get('id', '')}"
        self.resources[key] = (place, data)
        for identifier in raw_list(data.get("identifier")):
            if isinstance(identifier, dict) and identifier.get("value"):
                value, system = str(identifier["value"]), str(identifier.get("system") or "")
                self._identifiers[(data["resourceType"], system, value)] = key
                self._identifiers.setdefault((data["resourceType"], "", value), key)
        if place.full_url:
            self._urls[place.full_url] = key
        return key

    def key(self, reference: object) -> str | None:
        """The `Kind/id` a reference points to (whether or not it is in the export)."""
        if not isinstance(reference, str) or not reference.strip():
            return None
        reference = reference.strip()
        if reference in self._urls:
            return self._urls[reference]
        if "?" in reference:
            kind, _, query = reference.partition("?")
            for part in query.split("&"):
                name, _, value = part.partition("=")
                if name == "identifier":
                    system, _, code = value.rpartition("|")
                    return self._identifiers.get((kind, system, code), reference)
            return reference
        parts = reference.split("/_history/")[0].rstrip("/").split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else reference

    def get(self, key: str | None) -> tuple[Place, Raw] | None:
        return self.resources.get(key) if key else None


def raw_reference(data: Raw, name: str) -> str | None:
    """data[name].reference from a resource that may not be valid FHIR."""
    value = data.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    reference = value.get("reference") if isinstance(value, dict) else None
    return reference if isinstance(reference, str) else None


def raw_code(data: Raw, name: str) -> str | None:
    """The first coding's code of data[name] (a CodeableConcept or a Coding)."""
    value = data.get(name)
    if isinstance(value, dict) and isinstance(value.get("coding"), list):
        value = value["coding"][0] if value["coding"] else None
    code = value.get("code") if isinstance(value, dict) else None
    return code if isinstance(code, str) else None


def raw_text(data: Raw, name: str) -> str:
    """A CodeableConcept's text or first display, from a resource that may not be valid."""
    value = data.get(name)
    if not isinstance(value, dict):
        return ""
    if isinstance(value.get("text"), str):
        return str(value["text"])
    for coding in raw_list(value.get("coding")):
        if isinstance(coding, dict) and isinstance(coding.get("display"), str):
            return str(coding["display"])
    return str(value.get("display") or "")


def raw_list(value: object) -> list[Any]:
    """`value` if it is a list, else empty: a resource that may not be valid FHIR."""
    return value if isinstance(value, list) else []


def raw_str(data: Raw, name: str) -> str | None:
    """data[name] if it is a string, else None."""
    value = data.get(name)
    return value if isinstance(value, str) else None
