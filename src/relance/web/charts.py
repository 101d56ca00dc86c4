"""Pictures drawn on the server as inline SVG: no chart library to ship, nothing to fetch."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from relance.domain.network import ItService
from relance.storage.plan_store import Forecast, PlannedTask

UP, DOWN, INK, GRID = "#2e7d32", "#b71c1c", "#263238", "#cfd8dc"


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart">'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text part is escaped


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}">{escape(text)}</text>'
    )


# The curve's height (% of the machines, the step between its lines): the smallest that holds
# what is done, so that 4 % redeployed is a curve one reads, not a line along the axis.
SCALES = ((10, 2), (20, 5), (50, 10), (100, 25))


def restoration_curve(
    moments: Sequence[datetime],
    total: int,
    start: datetime | None,
    label: str,
    day_name: Callable[[int], str],
) -> Markup:
    """Machines redeployed over time, counted from day 0 (or the first move); `day_name` writes
    a day of the incident in the reader's language ('J3', 'D3'). None redeployed yet is a flat
    curve at 0 (never a lone '-'); no machine at all, an empty frame."""
    width, height, left, bottom, top, right = 900, 260, 60, 36, 14, 20
    if total <= 0:
        return _svg(width, height, [], label)
    known = [m for m in (start, *moments[:1]) if m is not None]
    first = min(known) if known else None
    span = max((moments[-1] - first).total_seconds(), 3600.0) if first and moments else 3600.0
    plot_w, plot_h = width - left - right, height - top - bottom
    done = len(moments)
    ceiling, step = next(((c, s) for c, s in SCALES if done * 100 <= c * total * 0.9), (100, 25))

    def x(moment: datetime) -> float:
        return left + plot_w * (moment - first).total_seconds() / span if first else left

    def y(count: float) -> float:
        return top + plot_h * (1 - count * 100 / (total * ceiling))

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa"/>']
    for share in range(0, ceiling + 1, step):
        at = y(total * share / 100)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{at:.1f}" y2="{at:.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, at + 4, f"{share} %", "end", 11))
    days = int(span // 86400) + 1
    for day in range(days + 1):
        if first and day * 86400 <= span:
            body.append(
                _text(x(first + timedelta(days=day)), height - 12, day_name(day), "middle", 11)
            )
    points = [f"{left},{y(0):.1f}"]
    for i, moment in enumerate(moments, start=1):
        points.append(f"{x(moment):.1f},{y(i - 1):.1f} {x(moment):.1f},{y(i):.1f}")
    if not moments:
        points.append(f"{width - right},{y(0):.1f}")
    body.append(
        f'<polyline fill="none" stroke="#1565c0" stroke-width="2.5" points="{" ".join(points)}"/>'
    )
    end = x(moments[-1]) if moments else width - right
    body.append(_text(end - 4, y(done) - 6, f"{done} / {total}", "end"))
    return _svg(width, height, body, label)


def dependency_graph(services: Sequence[ItService], up: set[str], label: str) -> Markup:
    """Services in columns by depth (a service right of what it needs), arrows to dependencies."""
    depth: dict[str, int] = {}
    by_code = {s.code: s for s in services}

    def level(code: str) -> int:
        if code not in depth:
            depth[code] = 0  # the graph is a DAG (checked on load); this guards a bad database
            needs = by_code[code].depends_on if code in by_code else ()
            depth[code] = 1 + max((level(d) for d in needs), default=-1)
        return depth[code]

    columns: dict[int, list[str]] = {}
    for s in services:
        columns.setdefault(level(s.code), []).append(s.code)
    box_w, box_h, gap_x, gap_y, margin = 150, 34, 70, 14, 16
    rows = max((len(c) for c in columns.values()), default=1)
    width = margin * 2 + len(columns) * box_w + (len(columns) - 1) * gap_x
    height = margin * 2 + rows * box_h + (rows - 1) * gap_y
    place: dict[str, tuple[float, float]] = {}
    for col, codes in sorted(columns.items()):
        for row, code in enumerate(codes):
            place[code] = (margin + col * (box_w + gap_x), margin + row * (box_h + gap_y))
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/>'
        "</marker></defs>"
    ]
    for s in services:
        for need in s.depends_on:
            if need in place:
                (x1, y1), (x2, y2) = place[s.code], place[need]
                body.append(
                    f'<line x1="{x1:.0f}" y1="{y1 + box_h / 2:.0f}" x2="{x2 + box_w:.0f}" '
                    f'y2="{y2 + box_h / 2:.0f}" stroke="#90a4ae" marker-end="url(#arrow)"/>'
                )
    for s in services:
        x, y = place[s.code]
        colour = UP if s.code in up else DOWN
        body.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w}" height="{box_h}" rx="5" '
            f'fill="{colour}"/>'
        )
        body.append(
            f'<text x="{x + box_w / 2:.0f}" y="{y + 22:.0f}" font-size="13" text-anchor="middle" '
            f'fill="#ffffff">{escape(s.code)}</text>'
        )
    return _svg(width, height, body, label)


@dataclass(frozen=True)
class PlanAxis:
    """The plan's calendar: its hours from `start`, `hours_per_day` of them a calendar day."""

    start: datetime
    hours_per_day: int
    day0: datetime  # day numbers count from the incident's start
    now: datetime

    def at(self, hour: float) -> datetime:
        return self.start + timedelta(hours=hour * 24 / self.hours_per_day)


@dataclass(frozen=True)
class GanttWords:
    """The chart's words in the reader's language."""

    label: str
    day: Callable[[int], str]  # 'J3'
    now: str
    services: str  # the row of services coming up
    site: Callable[[str], str]  # a site's row of activities reopening
    reopens: Callable[[Forecast], str]


TASK_COLOURS = {
    "server": "#6a1b9a",
    "machines": "#1565c0",
    "service": "#2e7d32",
    "delay": "#b71c1c",
}
REOPENS = "#e65100"


def gantt(
    tasks: Sequence[PlannedTask], forecasts: Sequence[Forecast], axis: PlanAxis, words: GanttWords
) -> Markup:
    """Every task of the plan as a bar on its team's line, then a line per site marking when
    each clinical activity is fully back; days from day 0 and a line at now."""
    if not tasks:
        return _svg(600, 60, [_text(300, 30, "-", "middle")], words.label)
    teams = sorted({t.team for t in tasks}, key=lambda team: (team == "", team))
    sites = sorted({f.site for f in forecasts if f.full_at})
    first, last = axis.start, axis.at(max(t.end_hour for t in tasks) or 1)
    span = max((last - first).total_seconds(), 3600.0)
    left, row_h, width, top = 150, 24, 1000, 42  # 'now' above the day numbers, not over them
    plot_w = width - left - 20
    height = top + row_h * (len(teams) + len(sites)) + 10

    def x(moment: datetime) -> float:
        return left + plot_w * (moment - first).total_seconds() / span

    body = _days(axis, first, last, x, top, height, words)
    for row, team in enumerate(teams):
        y = top + row * row_h
        body.append(_text(left - 6, y + 16, team or words.services, "end", 11))
        body += [_bar(t, axis, x, y, row_h) for t in tasks if t.team == team]
    for row, site in enumerate(sites, start=len(teams)):
        y = top + row * row_h
        body.append(_text(left - 6, y + 16, words.site(site), "end", 11))
        for f in (f for f in forecasts if f.site == site and f.full_at):
            assert f.full_at is not None  # noqa: S101 - filtered above, for mypy
            cx, cy = x(f.full_at), y + row_h / 2
            body.append(
                f'<path d="M{cx:.1f},{cy - 7:.1f} L{cx + 6:.1f},{cy + 5:.1f} '
                f'L{cx - 6:.1f},{cy + 5:.1f} Z" fill="{REOPENS}" stroke="#ffffff" '
                f'stroke-width="0.5"><title>{escape(words.reopens(f))}</title></path>'
            )
    if first <= axis.now <= last:  # a plan of the past or the future has no now
        body.append(
            f'<line x1="{x(axis.now):.1f}" x2="{x(axis.now):.1f}" y1="{top - 22}" '
            f'y2="{height - 6}" stroke="{DOWN}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        body.append(_text(x(axis.now) + 4, top - 26, words.now, "start", 11))
    return _svg(width, height, body, words.label)


def _days(
    axis: PlanAxis,
    first: datetime,
    last: datetime,
    x: Callable[[datetime], float],
    top: int,
    height: int,
    words: GanttWords,
) -> list[str]:
    """A line and a day number at each midnight of the incident's days (every few if many)."""
    days = int((first - axis.day0).total_seconds() // 86400)
    count = int((last - axis.day0).total_seconds() // 86400) - days + 1
    step = max(1, count // 12)
    body = []
    for n in range(days, days + count + 1, step):
        at = axis.day0 + timedelta(days=n)
        if first <= at <= last:
            body.append(
                f'<line x1="{x(at):.1f}" x2="{x(at):.1f}" y1="{top}" y2="{height - 10}" '
                f'stroke="{GRID}"/>'
            )
            body.append(_text(x(at), top - 8, words.day(n), "middle", 10))
    return body


def _bar(
    task: PlannedTask, axis: PlanAxis, x: Callable[[datetime], float], y: float, row_h: int
) -> str:
    start, end = x(axis.at(task.start_hour)), x(axis.at(task.end_hour))
    return (
        f'<rect x="{start:.1f}" y="{y + 4}" width="{max(end - start, 1.5):.1f}" '
        f'height="{row_h - 8}" fill="{TASK_COLOURS.get(task.kind, "#546e7a")}" stroke="#ffffff" '
        f'stroke-width="0.5"><title>{escape(task.name)}</title></rect>'
    )
