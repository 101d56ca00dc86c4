"""Gantt chart of a plan per team and the restoration curve, plan against actual."""

import html
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from relance.storage.plan_store import PlannedTask, PlanVersion

# Servers in the solid colours of tab20, PCs in the softer tab20b and hatched: never confused.
SERVERS = [plt.get_cmap("tab20")(i) for i in range(20)]
PCS = [plt.get_cmap("tab20b")(i) for i in range(20)]


def _num(moment: datetime) -> float:
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def _calendar(version: PlanVersion, hour: float) -> datetime:
    return version.start_at + timedelta(hours=hour * 24 / version.hours_per_day)


def _lanes(tasks: Sequence[PlannedTask]) -> dict[str, list[list[PlannedTask]]]:
    """Per team, tasks packed into lanes (one per technician busy at the same time)."""
    lanes: dict[str, list[list[PlannedTask]]] = defaultdict(list)
    for task in sorted(
        (t for t in tasks if t.team and t.end_hour > t.start_hour), key=lambda t: t.start_hour
    ):
        rows = lanes[task.team]
        row = next((r for r in rows if r[-1].end_hour <= task.start_hour), None)
        if row is None:
            rows.append([task])
        else:
            row.append(task)
    return lanes


def gantt(version: PlanVersion, tasks: Sequence[PlannedTask], out: Path) -> None:
    """PNG or SVG by the file's suffix; .html wraps the SVG with a table of the tasks."""
    lanes = _lanes(tasks)
    groups = sorted(
        {t.group if t.kind == "server" else "PCs " + t.group.split("/")[1] for t in tasks if t.team}
    )
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
                key = t.group if t.kind == "server" else "PCs " + t.group.split("/")[1]
                start = _num(_calendar(version, t.start_hour))
                width = _num(_calendar(version, t.end_hour)) - start
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
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))  # type: ignore[no-untyped-call]
    ax.set_title(f"Restoration plan {version.id} ({version.method}), one row per technician")
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
    _save(fig, out, version, tasks)


def curve(
    version: PlanVersion,
    tasks: Sequence[PlannedTask],
    actual: Sequence[datetime],
    already: int,
    out: Path,
) -> None:
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
    planned = [_calendar(version, h) for h in ends]
    ax.step(
        [_num(p) for p in (version.start_at, *planned)],
        range(already, already + len(planned) + 1),
        where="post",
        label=f"plan {version.id} ({version.method})",
        color="#2e7d32",
        linestyle="--",
    )
    ax.set_ylabel("machines redeployed")
    ax.xaxis_date()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))  # type: ignore[no-untyped-call]
    ax.legend()
    ax.grid(alpha=0.3)
    ax.set_title("Restoration curve: plan against reported progress")
    fig.tight_layout()
    _save(fig, out, version, [])


def _save(fig: Figure, out: Path, version: PlanVersion, tasks: Sequence[PlannedTask]) -> None:
    if out.suffix.lower() == ".html":
        svg = out.with_suffix(".svg")
        fig.savefig(svg)
        plt.close(fig)
        body = svg.read_text(encoding="utf-8")
        svg.unlink()
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(cell)}</td>"
                for cell in (
                    t.team,
                    t.name,
                    t.group,
                    f"{_calendar(version, t.start_hour):%d/%m %H:%M}",
                    f"{_calendar(version, t.end_hour):%d/%m %H:%M}",
                )
            )
            + "</tr>"
            for t in sorted(tasks, key=lambda t: (t.team, t.start_hour))
            if t.team
        )
        header = "".join(f"<th>{h}</th>" for h in ("team", "task", "restores", "start", "end"))
        table = f"<table><tr>{header}</tr>{rows}</table>"
        out.write_text(
            f"<!doctype html><meta charset=utf-8><title>relance plan {version.id}</title>"
            f"<style>body{{font-family:sans-serif}}td,th{{padding:2px 8px;text-align:left}}</style>"
            f"{body}{table if tasks else ''}",
            encoding="utf-8",
        )
        return
    fig.savefig(out, dpi=120)
    plt.close(fig)
