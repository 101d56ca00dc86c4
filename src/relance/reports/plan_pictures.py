"""Gantt chart of a plan per team and the restoration curve, plan against actual.

Each picture is returned as the bytes of the file asked for (PNG, SVG, or HTML: the SVG with a
table of every task); the caller decides where they go, so nothing else is ever written.
"""

import html
import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from relance.reports.plan_schedule import PlanSchedule, TaskLine, at
from relance.storage.plan_store import PlannedTask, PlanVersion

# Servers in the solid colours of tab20, PCs in the softer tab20b and hatched: never confused.
SERVERS = [plt.get_cmap("tab20")(i) for i in range(20)]
PCS = [plt.get_cmap("tab20b")(i) for i in range(20)]


def _num(moment: datetime) -> float:
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def _lanes(tasks: Sequence[TaskLine]) -> dict[str, list[list[TaskLine]]]:
    """Per team, tasks packed into lanes (one per technician busy at the same time)."""
    lanes: dict[str, list[list[TaskLine]]] = defaultdict(list)
    for task in sorted((t for t in tasks if t.team and t.end > t.start), key=lambda t: t.start):
        assert task.team is not None  # noqa: S101 - filtered just above
        rows = lanes[task.team]
        row = next((r for r in rows if r[-1].end <= task.start), None)
        if row is None:
            rows.append([task])
        else:
            row.append(task)
    return lanes


def _key(t: TaskLine) -> str:
    return t.restores if t.kind == "server" else "PCs " + t.restores.split("/")[-1]


def gantt(schedule: PlanSchedule, suffix: str) -> bytes:
    """PNG, SVG or HTML (the SVG with a table of every task), by `suffix`."""
    version, tasks, zone = schedule.version, schedule.tasks, ZoneInfo(schedule.time_zone)
    lanes = _lanes(tasks)
    groups = sorted({_key(t) for t in tasks if t.team})
    servers = [g for g in groups if not g.startswith("PCs ")]
    pcs = [g for g in groups if g.startswith("PCs ")]
    colour = {g: SERVERS[i % len(SERVERS)] for i, g in enumerate(servers)}
    colour |= {g: PCS[i % len(PCS)] for i, g in enumerate(pcs)}
    hatch = {g: "///" if g in pcs else "" for g in groups}
    rows = sum(len(v) for v in lanes.values())
    fig, ax = plt.subplots(figsize=(14, max(4, 0.22 * rows + 2)))
    y, ticks, labels = 0, [], []
    for team in sorted(lanes):
        ticks.append(y + len(lanes[team]) / 2 - 0.5)
        labels.append(team)
        for row in lanes[team]:
            for t in row:
                key = _key(t)
                start = _num(t.start)
                width = _num(t.end) - start
                ax.broken_barh(
                    [(start, width)],
                    (y - 0.4, 0.8),
                    facecolor=colour[key],
                    hatch=hatch[key],
                    edgecolor="white",
                    linewidth=0,
                )
            y += 1
        ax.axhline(y - 0.5, color="#999", linewidth=0.5)
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.xaxis_date(zone)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m", tz=zone))  # type: ignore[no-untyped-call]
    ax.set_title(
        f"Restoration plan {version.id} ({version.method}), one row per technician "
        f"({schedule.time_zone})"
    )
    handles = [
        mpl.patches.Patch(facecolor=colour[g], hatch=hatch[g], edgecolor="white", label=g)
        for g in groups
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7,
        ncols=1 + len(groups) // 40,
    )
    fig.tight_layout()
    if suffix != ".html":
        return _picture(fig, suffix)
    return _page(f"relance plan {version.id}", _picture(fig, ".svg"), _table(tasks))


def curve(
    version: PlanVersion,
    tasks: Sequence[PlannedTask],
    actual: Sequence[datetime],
    *,
    zone: ZoneInfo,
    suffix: str,
) -> bytes:
    """Machines redeployed over time: reported so far, then the plan from its start."""
    fig, ax = plt.subplots(figsize=(10, 5))
    if actual:
        ax.step(
            [_num(a) for a in actual],
            range(1, len(actual) + 1),
            where="post",
            label="reported",
            color="#1565c0",
        )
    ends = sorted(
        t.end_hour for t in tasks for _ in range(t.machines) if t.kind in ("server", "machines")
    )
    planned = [at(version, h, zone) for h in ends]
    ax.step(
        [_num(p) for p in (version.start_at, *planned)],
        range(len(actual), len(actual) + len(planned) + 1),
        where="post",
        label=f"plan {version.id} ({version.method})",
        color="#2e7d32",
        linestyle="--",
    )
    ax.set_ylabel("machines redeployed")
    ax.xaxis_date(zone)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m", tz=zone))  # type: ignore[no-untyped-call]
    ax.legend()
    ax.grid(alpha=0.3)
    ax.set_title(f"Restoration curve: plan against reported progress ({zone.key})")
    fig.tight_layout()
    if suffix != ".html":
        return _picture(fig, suffix)
    return _page(f"relance plan {version.id}", _picture(fig, ".svg"), "")


def _picture(fig: Figure, suffix: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=suffix.removeprefix("."), dpi=120)
    plt.close(fig)
    return buffer.getvalue()


def _table(tasks: Sequence[TaskLine]) -> str:
    """Every task someone works on, by team then start; times with their offset."""
    header = "".join(
        f"<th>{h}</th>" for h in ("team", "task", "restores", "machines", "start", "end")
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(cell)}</td>"
            for cell in (
                t.team or "",
                t.name,
                t.restores,
                str(len(t.machines)),
                t.start.isoformat(timespec="minutes"),
                t.end.isoformat(timespec="minutes"),
            )
        )
        + "</tr>"
        for t in sorted(tasks, key=lambda t: (t.team or "", t.start, t.id))
        if t.team
    )
    return f"<table><tr>{header}</tr>{rows}</table>"


def _page(title: str, svg: bytes, table: str) -> bytes:
    return (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<style>body{{font-family:sans-serif}}td,th{{padding:2px 8px;text-align:left}}</style>"
        f"{svg.decode('utf-8')}{table}"
    ).encode()
