"""NetBox's devices and virtual machines: the list's CSV export and the REST API's JSON.

The list's *Export* (current view or all data) is django-tables2's CSV of the table: one column
per column shown, titled as the table shows it ("Name", "Site", "Role", "Tenant", "IP Address",
"Serial number"), values as the page shows them (an address with its prefix length,
"10.20.1.5/24"), UTF-8, ',' and CRLF. The API (`/api/dcim/devices/`,
`/api/virtualization/virtual-machines/`) answers one page: `{"count", "next", "previous",
"results"}`, each related object nested with its `name` (`site`, `role`, before NetBox 3.6
`device_role`, `tenant`, `platform`), `primary_ip` with its `address`.
"""

from dataclasses import dataclass
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from relance.domain.errors import N_, Problem
from relance.domain.inventory import Fact, Sighting, Tool
from relance.importers import inventory_dates
from relance.importers.csv_rows import Row
from relance.importers.inventory_tables import facts_given, name_problem, read_table
from relance.importers.inventory_text import ExportText
from relance.importers.reading import refuse

# Column titles, folded and lower-case, as NetBox's device and virtual machine tables title them.
COLUMNS = {
    "name": ("name",),
    "site": ("site",),
    "location": ("location",),
    "tenant": ("tenant",),
    "role": ("role", "device role"),
    "type": ("type", "device type"),
    "platform": ("platform",),
    "serial": ("serial number", "serial"),
    "ip": ("ip address", "primary ip", "ipv4 address", "ipv6 address"),
}
DEVICES = "/api/dcim/devices/"
VIRTUAL_MACHINES = "/api/virtualization/virtual-machines/"


def _address(value: str) -> str:
    """An address as NetBox shows it, without its prefix length: 10.20.1.5/24 -> 10.20.1.5."""
    return value.split("/", 1)[0].strip()


def table(export: ExportText) -> tuple[list[Sighting], list[Problem]]:
    def make(line: int, row: Row) -> Sighting:
        facts = {
            Fact.SITE: row.get("site", ""),
            Fact.LOCATION: row.get("location", ""),
            Fact.TENANT: row.get("tenant", ""),
            Fact.ROLE: row.get("role", ""),
            Fact.TYPE: row.get("type", ""),
            Fact.OS: row.get("platform", ""),
            Fact.IP: _address(row.get("ip", "")),
        }
        return Sighting(
            source=export.source,
            line=line,
            tool=Tool.NETBOX,
            name=row["name"],
            serial=row.get("serial", ""),
            facts=facts_given(facts),
        )

    return read_table(export, COLUMNS, make)


@dataclass(frozen=True)
class Page:
    """One page of an API listing: `count` objects in all, `results` on this page."""

    listing: str  # the endpoint's path
    count: int
    results: int
    more: bool  # a `next` page exists


def is_api_page(data: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(data, dict) and isinstance(data.get("results"), list) and "count" in data


def api(export: ExportText, data: Any) -> tuple[list[Sighting], list[Problem], Page]:
    results = data["results"]
    if not all(isinstance(r, dict) for r in results):
        raise refuse(export.source, None, "each of `results` should be a device or a VM")
    listing = _listing(data, results)
    count = data.get("count")
    total = count if isinstance(count, int) else len(results)
    page = Page(listing, total, len(results), bool(data.get("next")))
    sightings: list[Sighting] = []
    problems: list[Problem] = []
    for index, item in enumerate(results, start=1):
        name = str(item.get("name") or "")
        problem = name_problem(export.source, None, name)
        if problem is not None:
            problem.field = f"results[{index}].name"
            problems.append(problem)
            continue
        facts = {
            Fact.SITE: _named(item.get("site")),
            Fact.LOCATION: _named(item.get("location")),
            Fact.TENANT: _named(item.get("tenant")),
            Fact.ROLE: _named(item.get("role") or item.get("device_role")),
            Fact.TYPE: _named(item.get("device_type"), "model"),
            Fact.OS: _named(item.get("platform")),
            Fact.IP: _address(_named(item.get("primary_ip"), "address")),
        }
        updated = str(item.get("last_updated") or "")
        try:  # ISO 8601, such as 2024-03-04T10:11:12.123456Z
            dated = inventory_dates.iso(updated) if updated else None
        except ValueError:
            message, value = N_("{value} is not an ISO 8601 time"), repr(updated[:40])
            field = f"results[{index}].last_updated"
            problems.append(Problem(export.source, None, field, message, value=value))
            continue
        sightings.append(
            Sighting(
                source=export.source,
                line=index,
                tool=Tool.NETBOX,
                name=name,
                serial=str(item.get("serial") or ""),
                facts=facts_given(facts),
                dated=dated,
            )
        )
    return sightings, problems, page


def _named(value: object, key: str = "name") -> str:
    """The name of a nested object (`{"id": 3, "name": "Marche", ...}`), or ''."""
    if isinstance(value, dict):
        return str(value.get(key) or value.get("display") or "")
    return ""


def _listing(data: dict[str, Any], results: list[dict[str, Any]]) -> str:
    """Which listing the page belongs to, from its links (devices and VMs are counted apart)."""
    for link in (data.get("next"), data.get("previous"), *(r.get("url") for r in results)):
        if isinstance(link, str):
            path = urlsplit(link).path
            for listing in (DEVICES, VIRTUAL_MACHINES):
                if listing in path:
                    return listing
    return "netbox"


def missing_pages(pages: list[tuple[str, Page]]) -> list[Problem]:
    """A listing given in part: its pages hold fewer objects than its `count`."""
    problems: list[Problem] = []
    for listing in sorted({p.listing for _, p in pages}):
        given = [(source, p) for source, p in pages if p.listing == listing]
        read = sum(p.results for _, p in given)
        count = max(p.count for _, p in given)
        if read < count and any(p.more for _, p in given):
            message = N_(
                "{read} of the {count} objects of {listing}: a page of the API's answer; "
                "give every page (follow `next`), or export with ?limit=0 or from the list"
            )
            said = {"read": read, "count": count, "listing": listing}
            problems += [
                Problem(source, None, "next", message, **said) for source, p in given if p.more
            ]
    return problems
