"""The JSON exports: Defender's machine actions (where isolation comes from) and machines.

`GET /api/machineactions` answers `{"value": [MachineAction...]}`; an action has a `type`
("Isolate", "Unisolate", ...), a `status` ("Pending", "InProgress", "Succeeded", "Failed",
"TimeOut", "Cancelled"), the machine's `machineId` and `computerDnsName`, and
`lastUpdateDateTimeUtc`. Only a succeeded Isolate or Unisolate says where a machine stands.
`GET /api/machines` answers `{"value": [Machine...]}` with `id` and `computerDnsName`.
"""

import json
from datetime import UTC, datetime
from typing import Any

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Isolation, Sighting, Tool
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

ISOLATING = {"isolate": True, "unisolate": False}


def load(export: ExportText) -> Any:
    try:
        return json.loads(export.text)
    except json.JSONDecodeError as error:
        raise refuse(
            export.source, error.lineno, N_("not JSON: {error}"), error=error.msg
        ) from None
    except RecursionError:
        raise refuse(export.source, None, N_("JSON nested too deep")) from None


def items(export: ExportText, data: Any) -> list[dict[str, Any]]:
    """The objects of an API answer: `{"value": [...]}`, or a bare list."""
    listed = data.get("value") if isinstance(data, dict) else data
    if not isinstance(listed, list) or not all(isinstance(i, dict) for i in listed):
        raise refuse(export.source, None, N_('expected the API\'s answer: {"value": [{...}, ...]}'))
    return listed


def is_machine_actions(data: Any) -> bool:
    listed = data.get("value") if isinstance(data, dict) else data
    return isinstance(listed, list) and any(
        isinstance(i, dict) and "machineId" in i and "type" in i for i in listed
    )


def _time(text: object) -> datetime | None:
    """An API time such as 2022-05-14T04:15:09.1234567Z (seven decimals, .NET's)."""
    if not isinstance(text, str) or not text:
        return None
    head, dot, fraction = text.removesuffix("Z").partition(".")
    digits = "".join(c for c in fraction if c.isdigit())[:6]
    try:
        moment = datetime.fromisoformat(head + (f".{digits:0<6}" if dot and digits else ""))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def defender_actions(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    sightings: list[Sighting] = []
    problems: list[Problem] = []
    for index, action in enumerate(items(export, load(export)), start=1):
        kind = str(action.get("type", "")).lower()
        if kind not in ISOLATING or str(action.get("status", "")).lower() != "succeeded":
            continue
        at = _time(action.get("lastUpdateDateTimeUtc") or action.get("creationDateTimeUtc"))
        name = str(action.get("computerDnsName") or "")
        if at is None:
            problems.append(
                Problem(
                    export.source,
                    None,
                    "lastUpdateDateTimeUtc",
                    N_("action {index}: no time"),
                    index=index,
                )
            )
            continue
        if not name and not action.get("machineId"):
            why = N_("action {index}: no machine")
            problems.append(Problem(export.source, None, "machineId", why, index=index))
            continue
        sightings.append(
            Sighting(
                source=export.source,
                line=index,
                tool=Tool.DEFENDER,
                name=name,
                device_id=str(action.get("machineId") or ""),
                isolation=Isolation(ISOLATING[kind], at),
            )
        )
    return sightings, problems


def defender_machines(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    sightings: list[Sighting] = []
    problems: list[Problem] = []
    for index, machine in enumerate(items(export, load(export)), start=1):
        name = str(machine.get("computerDnsName") or "")
        if not name:
            problems.append(
                Problem(
                    export.source,
                    None,
                    "computerDnsName",
                    N_("machine {index}: no name"),
                    index=index,
                )
            )
            continue
        facts = {
            Fact.OS: str(machine.get("osPlatform") or ""),
            Fact.IP: str(machine.get("lastIpAddress") or ""),
        }
        sightings.append(
            Sighting(
                source=export.source,
                line=index,
                tool=Tool.DEFENDER,
                name=name,
                device_id=str(machine.get("id") or ""),
                facts={k: v for k, v in facts.items() if v},
            )
        )
    return sightings, problems
