"""The review's chart: machines redeployed as each plan version forecast them, against what the
moves recorded. Time runs in days of the incident (day 0: its detection), in local time."""

from datetime import date, datetime, time
from pathlib import Path

import matplotlib.pyplot as plt

from relance.reports.review_model import ReviewFacts
from relance.reports.sitrep_charts import BACK, save
from relance.reports.words import Words

PLANS = ("#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457")  # one colour per version
MAX_TICKS = 16


def _days(moment: str, day0: date) -> float:
    """Days since the start of day 0, in the offset the moment was written with."""
    at = datetime.fromisoformat(moment)
    start = datetime.combine(day0, time(0), at.tzinfo)
    return (at - start).total_seconds() / 86400


def plans(facts: ReviewFacts, w: Words, out: Path) -> None:
    """Steps: reported (solid) and each plan version's forecast (dashed)."""
    day0 = date.fromisoformat(facts.day0 or facts.now[:10])
    now = _days(facts.now, day0)
    # The chart spans what was planned and reported, not the months since (the clock's now).
    end = max([_days(at, day0) for at, _ in facts.redeployed], default=0.0)
    fig, ax = plt.subplots(figsize=(10, 3.6))
    for i, p in enumerate(facts.plans):
        xs = [_days(at, day0) for at, _ in p.expected]
        ys = [n for _, n in p.expected]
        end = max(end, xs[-1])
        label = w._(
            "plan {version} ({method}): forecast", version=p.version, method=w.method(p.method)
        )
        colour = PLANS[i % len(PLANS)]
        ax.step(xs, ys, where="post", color=colour, linestyle="--", label=label, zorder=3)
    xs = [_days(at, day0) for at, _ in facts.redeployed]
    ys = [n for _, n in facts.redeployed]
    if ys:
        ax.step(
            [*xs, min(now, end)],
            [*ys, ys[-1]],
            where="post",
            color=BACK,
            linewidth=2.2,
            zorder=4,
            label=w._("redeployed, as reported"),
        )
    last = int(end) + 1
    step = max(1, -(-last // MAX_TICKS))
    ticks = list(range(0, last + 1, step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([_tick(n, day0, w) for n in ticks], fontsize=8)
    ax.set_xlim(0, last)
    ax.set_ylim(0, max(facts.machines, 1) * 1.05)
    ax.set_ylabel(w._("machines"))
    ax.grid(alpha=0.3, zorder=0)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    save(fig, ax, out)


def _tick(number: int, day0: date, w: Words) -> str:
    return f"{w.day(number)}\n{w.t.day_month(date.fromordinal(day0.toordinal() + number))}"


def draw(facts: ReviewFacts, w: Words, folder: Path) -> dict[str, Path]:
    """The chart as a PNG file in `folder`; none without a plan (the review says so)."""
    if not facts.plans:
        return {}
    path = folder / "review-plans.png"
    plans(facts, w, path)
    return {"plans": path}
