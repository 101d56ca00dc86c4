"""The directory's computers as `ldapsearch` writes them (LDIF, RFC 2849).

A line starting with one space continues the one before (folding); `attr:: value` is base64
(objectGUID always, a name with an accent too); `#` starts a comment. ldapsearch ends each
search, and each page of a paged search (`-E pr=500/noprompt`), with `result: 0 Success`; a
search cut at the directory's size limit ends with `result: 4 Size limit exceeded`: such a
file is refused as incomplete, never imported as if it were whole.
"""

import base64
import binascii
import uuid
from collections.abc import Iterator

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Sighting, Tool
from relance.domain.network import HOSTNAME
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

DISABLED = 0x2  # userAccountControl's ACCOUNTDISABLE bit


def looks_like_ldif(text: str) -> bool:
    return any(
        line.lower().startswith(("dn:", "dn::", "version:")) for line in text.splitlines()[:50]
    )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, logical line): folded lines joined, comments dropped."""
    start, current = 0, None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(" ") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        start, current = number, None if line.startswith("#") else line
    if current is not None:
        yield start, current


def _records(export: ExportText) -> Iterator[tuple[int, dict[str, list[str | bytes]]]]:
    record: dict[str, list[str | bytes]] = {}
    first = 0
    for number, line in _lines(export.text):
        if not line.strip():
            if record:
                yield first, record
            record = {}
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise refuse(
                export.source, number, N_("not an LDIF line: {text}"), text=repr(line[:60])
            )
        if not record:
            first = number
        key = name.strip().lower()
        if value.startswith(":"):
            try:
                decoded: str | bytes = base64.b64decode(value[1:].strip(), validate=True)
            except binascii.Error:
                raise refuse(export.source, number, "damaged base64 value", key) from None
        else:
            decoded = value.strip()
        record.setdefault(key, []).append(decoded)
    if record:
        yield first, record


def _text(values: list[str | bytes]) -> str:
    value = values[0] if values else ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def ldif(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    sightings: list[Sighting] = []
    problems: list[Problem] = []
    for line, record in _records(export):
        if "result" in record:
            result = _text(record["result"])
            if not result.startswith("0"):
                message = N_(
                    "the search stopped before its end ({result}): this list is incomplete. "
                    "Export again page by page: ldapsearch -E pr=500/noprompt ..."
                )
                raise refuse(export.source, line, message, "result", result=result)
            continue
        if "dn" not in record:
            continue
        one = _sighting(export.source, line, record)
        if isinstance(one, Problem):
            problems.append(one)
        elif one is not None:
            sightings.append(one)
    return sightings, problems


def _sighting(
    source: str, line: int, record: dict[str, list[str | bytes]]
) -> Sighting | Problem | None:
    control = _text(record.get("useraccountcontrol", ["0"]))
    if control.isdigit() and int(control) & DISABLED:
        return None
    name = _text(record.get("dnshostname", [])) or _text(
        record.get("samaccountname", []) or record.get("cn", [])
    ).removesuffix("$")
    if not name or not HOSTNAME.fullmatch(name):
        return Problem(source, line, "cn", N_("{name}: not a machine name"), name=repr(name[:60]))
    dn = _text(record["dn"])
    raw = record.get("objectguid", [b""])[0]
    guid = str(uuid.UUID(bytes_le=raw)) if isinstance(raw, bytes) and len(raw) == 16 else ""
    facts = {
        Fact.OU: dn.split(",", 1)[1] if "," in dn else "",
        Fact.OS: _text(record.get("operatingsystem", [])),
    }
    return Sighting(
        source=source,
        line=line,
        tool=Tool.LDIF,
        name=name,
        guid=guid,
        facts={k: v for k, v in facts.items() if v},
    )
