"""The sitrep's pictures: machines per lifecycle state with plan against actual, and the
site x activity matrix."""

from datetime import datetime
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.patches import Patch, Rectangle

from relance.domain.functioning import Functioning
from relance.domain.lifecycle import PATH, AssetState
from relance.reports.sitrep_model import SitrepFacts

DPI = 150


def _num(iso: str) -> float:
    return float(mdates.date2num(datetime.fromisoformat(iso)))  # type: ignore[no-untyped-call]  # untyped in matplotlib


def curve(facts: SitrepFacts, out: Path) -> None:
    """Top: machines in each state over time. Bottom: machines redeployed, plan against actual."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6.4), sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    xs = [_num(p.at) for p in facts.curve]
    states = [s for s in PATH if any(p.counts.get(s.value, 0) for p in facts.curve)]
    if xs:
        top.stackplot(
            xs,
            [[p.counts.get(s.value, 0) for p in facts.curve] for s in states],
            labels=[s.label for s in states],
            colors=[s.colour for s in states],
            alpha=0.9,
            zorder=1,
        )
    top.set_ylabel("machines")
    top.set_title("Machines per lifecycle state")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    top.grid(alpha=0.3)
    day = (_num(facts.starts_at), _num(facts.ends_at))
    for ax in (top, bottom):
        ax.axvspan(*day, color="#90caf9", alpha=0.25, lw=0, zorder=0)
        for edge in day:
            ax.axvline(edge, color="#1565c0", lw=0.8, linestyle=":")
    top.text(
        day[0],
        1.0,
        " the report's day",
        transform=top.get_xaxis_transform(),
        va="bottom",
        fontsize=8,
        color="#1565c0",
    )
    redeployed = [p.counts.get(AssetState.REDEPLOYED.value, 0) for p in facts.curve]
    bottom.step(xs, redeployed, where="post", color="#1565c0", label="reported", lw=2)
    if facts.plan is not None:
        bottom.step(
            [_num(t) for t, _ in facts.plan.planned],
            [n for _, n in facts.plan.planned],
            where="post",
            color="#2e7d32",
            linestyle="--",
            label=f"plan {facts.plan.version} ({facts.plan.method})",
        )
    else:
        bottom.text(
            0.5,
            0.6,
            "no restoration plan yet",
            transform=bottom.transAxes,
            ha="center",
            color="#616161",
        )
    bottom.set_ylabel("redeployed")
    bottom.set_title("Machines redeployed: plan against reported")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    bottom.grid(alpha=0.3)
    bottom.xaxis_date()
    bottom.xaxis.set_major_locator(mdates.DayLocator())  # type: ignore[no-untyped-call]  # untyped in matplotlib
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))  # type: ignore[no-untyped-call]  # untyped in matplotlib
    fig.tight_layout()
    fig.savefig(out, dpi=DPI)
    plt.close(fig)


def matrix(facts: SitrepFacts, out: Path) -> None:
    """Sites in rows, activities in columns, coloured by HICS 251 status, capacity written in."""
    rows, cols = len(facts.matrix), len(facts.activities)
    fig, ax = plt.subplots(figsize=(max(6, 1.05 * cols + 2), max(2.5, 0.55 * rows + 2)))
    for r, row in enumerate(facts.matrix):
        for c, cell in enumerate(row.cells):
            colour = Functioning(cell.functioning).colour if cell else "#eeeeee"
            ax.add_patch(Rectangle((c, r), 0.96, 0.92, color=colour))
            text = f"{cell.capacity} %" if cell else ""
            ink = "black" if cell and cell.functioning == Functioning.PARTIALLY.value else "white"
            ax.text(c + 0.48, r + 0.46, text, ha="center", va="center", fontsize=9, color=ink)
    ax.set_xlim(0, max(cols, 1))
    ax.set_ylim(max(rows, 1), 0)
    ax.set_xticks([c + 0.48 for c in range(cols)])
    ax.set_xticklabels([a.name for a in facts.activities], rotation=35, ha="right", fontsize=8)
    ax.set_yticks([r + 0.46 for r in range(rows)])
    ax.set_yticklabels([f"{row.site} {row.name}" for row in facts.matrix], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(
        handles=[Patch(color=f.colour, label=f.label) for f in Functioning],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    ax.set_title("Clinical activities at the end of the day (HICS 251)")
    fig.tight_layout()
    fig.savefig(out, dpi=DPI)
    plt.close(fig)
