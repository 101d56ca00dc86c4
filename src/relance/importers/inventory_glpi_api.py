"""GLPI's REST API: `GET apirest.php/Computer/?expand_dropdowns=true&range=0-99999`.

The answer is a JSON array of computers, each with its own fields (`name`, `serial`, `uuid`,
`is_deleted`, `is_template`) and its dropdowns (`entities_id`, `locations_id`,
`computertypes_id`, before GLPI 9.2 `operatingsystems_id`): numbers, unless asked with
`expand_dropdowns=true`, then their names (a location's complete name, "Marche > Urgences").
An empty dropdown is written "&nbsp;" or " "; older versions write '>' as "&gt;".
"""

import html
from typing import Any, TypeGuard

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Sighting, Tool
from relance.importers import inventory_dates
from relance.importers.inventory_tables import facts_given, name_problem
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

DROPDOWNS = {
    Fact.ENTITY: "entities_id",
    Fact.LOCATION: "locations_id",
    Fact.TYPE: "computertypes_id",
    Fact.OS: "operatingsystems_id",
}
DEFAULT_PAGE = 50  # the API's default range, 0-50


def is_computers(data: Any) -> TypeGuard[list[dict[str, Any]]]:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(i, dict) and "entities_id" in i for i in data)
    )


def _text(value: object) -> str:
    return html.unescape(str(value)).replace("\xa0", " ").strip() if value is not None else ""


def computers(
    export: ExportText, data: list[dict[str, Any]]
) -> tuple[list[Sighting], list[Problem]]:
    if any(isinstance(c.get("entities_id"), int) for c in data):
        message = N_(
            "dropdowns as numbers: ask the API with expand_dropdowns=true, which gives "
            "the entity's and the location's names"
        )
        raise refuse(export.source, None, message, "entities_id")
    sightings: list[Sighting] = []
    problems: list[Problem] = []
    for index, computer in enumerate(data, start=1):
        if str(computer.get("is_deleted")) == "1" or str(computer.get("is_template")) == "1":
            continue  # in GLPI's trash, or a template: no machine
        name = _text(computer.get("name"))
        problem = name_problem(export.source, None, name)
        if problem is not None:
            problem.field = f"[{index}].name"
            problems.append(problem)
            continue
        facts = {fact: _text(computer.get(key)) for fact, key in DROPDOWNS.items()}
        modified = _text(computer.get("date_mod"))
        try:  # the API writes dates as YYYY-MM-DD HH:MM:SS, whatever the user's preference
            dated = inventory_dates.iso(modified) if modified else None
        except ValueError:
            message = N_("{value} is not a date such as 2022-05-10 09:33:41")
            field, value = f"[{index}].date_mod", repr(modified[:40])
            problems.append(Problem(export.source, None, field, message, value=value))
            continue
        sightings.append(
            Sighting(
                source=export.source,
                line=index,
                tool=Tool.GLPI,
                name=name,
                serial=_text(computer.get("serial")),
                facts=facts_given(facts),
                dated=dated,
            )
        )
    return sightings, problems
