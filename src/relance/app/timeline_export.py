"""The timeline written out: CSV for spreadsheets, Markdown for the after-action report."""

import csv
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.audit import TimelineEntry
from relance.app.choices import ExportFormat
from relance.domain.errors import InvalidInput

HEADER = ("occurred_at", "recorded_at", "actor", "event_type", "what", "objects", "reason")
SHOWN_OBJECTS = 5


def _objects(e: TimelineEntry) -> str:
    shown = ", ".join(e.objects[:SHOWN_OBJECTS])
    more = len(e.objects) - SHOWN_OBJECTS
    return f"{len(e.objects)}: {shown}" + (f" and {more} more" if more > 0 else "")


def rows(entries: Sequence[TimelineEntry], zone: ZoneInfo) -> list[tuple[str, ...]]:
    return [
        (
            e.occurred_at.astimezone(zone).isoformat(timespec="minutes"),
            e.recorded_at.astimezone(zone).isoformat(timespec="seconds"),
            e.actor,
            e.event_type,
            e.what,
            _objects(e),
            e.reason,
        )
        for e in entries
    ]


def write_timeline(
    entries: Sequence[TimelineEntry], fmt: ExportFormat, out: Path, zone: ZoneInfo
) -> int:
    """Write the lines; each says when it happened and when it was recorded."""
    if not out.parent.is_dir():
        raise InvalidInput(f"{out.parent} is not a directory")
    lines = rows(entries, zone)
    if fmt is ExportFormat.CSV:
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(lines)
        return len(lines)
    text = [
        "# Incident timeline",
        "",
        f"Times in {zone}. `recorded` is when relance wrote it down.",
        "",
        "| when | recorded | who | what | objects | why |",
        "|---|---|---|---|---|---|",
    ]
    for when, recorded, actor, _, what, objects, reason in lines:
        cells = (when[:16].replace("T", " "), recorded[:16].replace("T", " "), actor, what, objects)
        text.append("| " + " | ".join(c.replace("|", "\\|") for c in (*cells, reason)) + " |")
    out.write_text("\n".join(text) + "\n", encoding="utf-8")
    return len(lines)
