"""The sitrep's two charts, one question each, in the report's language.

- machines: how many machines are back at the end of each day of the incident, against the plan;
- sites: how many clinical activities are fully, partially or not functional at each site.

Days run from day 0 to the report's day only: the chart shows what happened, not the plan's
future. Each day is labelled with its number and its date, one tick per day.
"""

from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from relance.domain.functioning import Functioning
from relance.domain.lifecycle import AssetState
from relance.reports.sitrep_document import site_label
from relance.reports.sitrep_model import SitrepFacts
from relance.reports.words import Words

DPI = 150
BACK = "#1565c0"
REBUILDING = "#90caf9"
PLAN = "#2e7d32"
REBUILT = (AssetState.REIMAGED, AssetState.VALIDATED, AssetState.CLEAN_ZONE)


def machines(facts: SitrepFacts, w: Words, out: Path) -> None:
    """Bars: machines redeployed (dark) and being rebuilt (light) at each day's end; the plan's
    expectation as a line where a plan existed."""
    days = facts.days
    xs = list(range(len(days)))
    back = [d.counts.get(AssetState.REDEPLOYED.value, 0) for d in days]
    rebuilding = [sum(d.counts.get(s.value, 0) for s in REBUILT) for d in days]
    fig, ax = plt.subplots(figsize=(10, 3.4))
    ax.bar(xs, back, color=BACK, width=0.6, label=w._("redeployed"), zorder=2)
    ax.bar(
        xs,
        rebuilding,
        bottom=back,
        color=REBUILDING,
        width=0.6,
        label=w._("being rebuilt"),
        zorder=2,
    )
    for x, n, r in zip(xs, back, rebuilding, strict=True):
        ax.annotate(  # the total of the day's bar, above it
            w.number(n + r),
            (x, n + r),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
        if n:
            ax.annotate(  # the redeployed part, inside its own segment
                w.number(n),
                (x, n / 2),
                ha="center",
                va="center",
                fontsize=8,
                color="white",
            )
    planned = [(x, d.planned) for x, d in zip(xs, days, strict=True) if d.planned is not None]
    if planned and facts.plan is not None:
        label = w._(
            "plan {version} ({method}): redeployed expected",
            version=facts.plan.version,
            method=w.method(facts.plan.method),
        )
        ax.plot(
            [x for x, _ in planned],
            [n for _, n in planned],
            color=PLAN,
            marker="D",
            linestyle="--",
            label=label,
            zorder=3,
        )
        for x, n in planned:
            ax.annotate(
                w.number(n),
                (x, n),
                ha="left",
                va="center",
                fontsize=8,
                color=PLAN,
                xytext=(8, 0),
                textcoords="offset points",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            )
    else:
        ax.text(
            0.99,
            0.95,
            w._("no restoration plan yet"),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=8,
            color="#616161",
        )
    ax.set_xticks(xs)
    ax.set_xticklabels([_tick(d.day, d.date, w) for d in days], fontsize=8)
    ax.set_xlim(-0.6, len(days) - 0.4)
    top = max([*(b + r for b, r in zip(back, rebuilding, strict=True)), *(n for _, n in planned)])
    ax.set_ylim(0, max(top * 1.25, 10))
    ax.set_ylabel(w._("machines"))
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    save(fig, ax, out)


def save(fig: Figure, ax: Axes, out: Path) -> None:
    """Without the top and right frame; no timestamp in the file, so a rebuild is identical."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    fig.savefig(out, dpi=DPI, metadata={"Software": None})
    plt.close(fig)


def _tick(number: int, day: str, w: Words) -> str:
    return f"{w.day(number)}\n{w.t.day_month(date.fromisoformat(day))}"


def sites(facts: SitrepFacts, w: Words, out: Path) -> None:
    """One bar per site: its activities fully, partially and not functional."""
    rows = list(reversed(facts.matrix))  # the first site on top
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.0))
    left = [0] * len(rows)
    for f in Functioning:
        counts = [sum(c is not None and c.functioning == f.value for c in r.cells) for r in rows]
        ax.barh(
            range(len(rows)),
            counts,
            left=left,
            color=f.colour,
            label=w.functioning(f.value),
            height=0.7,
        )
        ink = "black" if f is Functioning.PARTIALLY else "white"
        for y, (x, n) in enumerate(zip(left, counts, strict=True)):
            if n:
                ax.text(x + n / 2, y, str(n), ha="center", va="center", fontsize=8, color=ink)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([site_label(facts, r.site, r.kind, w) for r in rows], fontsize=8)
    ax.set_xlabel(w._("clinical activities"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0), ncol=3)
    save(fig, ax, out)


def draw(facts: SitrepFacts, w: Words, folder: Path, stem: str) -> dict[str, Path]:
    """Both charts as PNG files in `folder`, named STEM-machines.png and STEM-sites.png."""
    paths = {"machines": folder / f"{stem}-machines.png", "sites": folder / f"{stem}-sites.png"}
    machines(facts, w, paths["machines"])
    sites(facts, w, paths["sites"])
    return paths
