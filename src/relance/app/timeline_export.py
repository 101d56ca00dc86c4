"""The timeline written out: CSV for spreadsheets, Markdown for the after-action report."""

import csv
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app.audit import TimelineEntry
from relance.app.choices import ExportFormat
from relance.domain.errors import InvalidInput
from relance.i18n import N_
from relance.reports.words import Words

HEADER = ("occurred_at", "recorded_at", "actor", "event_type", "what", "objects", "reason")
SHOWN_OBJECTS = 5


def _objects(e: TimelineEntry, words: Words) -> str:
    shown = ", ".join(e.objects[:SHOWN_OBJECTS])
    more = len(e.objects) - SHOWN_OBJECTS
    if more > 0:
        shown = words._("{shown} and {more} more", shown=shown, more=more)
    return f"{len(e.objects)}: {shown}"


def rows(entries: Sequence[TimelineEntry], zone: ZoneInfo, words: Words) -> list[tuple[str, ...]]:
    return [
        (
            e.occurred_at.astimezone(zone).isoformat(timespec="minutes"),
            e.recorded_at.astimezone(zone).isoformat(timespec="seconds"),
            e.actor,
            e.event_type,
            words.what(e.what_message, e.what_values),
            _objects(e, words),
            words.said(e.why_message, e.why_values, e.event_type, e.reason),
        )
        for e in entries
    ]


def write_timeline(
    entries: Sequence[TimelineEntry], fmt: ExportFormat, out: Path, zone: ZoneInfo, words: Words
) -> int:
    """Write the lines, worded in `words`' language; each says when it happened and when it
    was recorded. The CSV's column names stay codes for the spreadsheets that read them."""
    if not out.parent.is_dir():
        raise InvalidInput(N_("{folder} is not a directory"), folder=str(out.parent))
    lines = rows(entries, zone, words)
    if fmt is ExportFormat.CSV:
        with out.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(lines)
        return len(lines)
    columns = (N_("when"), N_("recorded"), N_("who"), N_("what"), N_("objects"), N_("why"))
    text = [
        "# " + words._("Incident timeline"),
        "",
        words._("Times in {zone}. `recorded` is when relance wrote it down.", zone=zone),
        "",
        "| " + " | ".join(words._(c) for c in columns) + " |",
        "|---|---|---|---|---|---|",
    ]
    for when, recorded, actor, _, what, objects, reason in lines:
        cells = (when[:16].replace("T", " "), recorded[:16].replace("T", " "), actor, what, objects)
        text.append("| " + " | ".join(c.replace("|", "\\|") for c in (*cells, reason)) + " |")
    out.write_text("\n".join(text) + "\n", encoding="utf-8")
    return len(lines)
