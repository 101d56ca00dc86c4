"""One patient's block on a ward sheet, drawn straight on the canvas (fast for a thousand
patients, and every line under our control for a nurse reading it at 3 a.m.).

From top to bottom: the bed and the identity with a QR code of the hospital number; the
allergies in a red box; the active problems; one row per order with its administration grid
for the next 24 hours (a box in the hour of each planned dose, its minutes when not on the
hour) and the last dose given; other recent doses; what to check, in red.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from relance.domain.census import Inpatient, MedicationOrder, planned_times
from relance.i18n import N_
from relance.reports.printable import printable
from relance.reports.qr import draw_qr
from relance.reports.schedule_text import describe
from relance.reports.sheet_words import SheetWords

BOLD, REGULAR, ITALIC = "Helvetica-Bold", "Helvetica", "Helvetica-Oblique"
RED = colors.Color(0.72, 0, 0)
PALE_RED = colors.Color(1, 0.9, 0.9)
LIGHT = colors.Color(0.88, 0.88, 0.88)
FAINT = colors.Color(0.95, 0.95, 0.95)
LINE = colors.Color(0.6, 0.6, 0.6)
DOSE = colors.Color(1, 0.97, 0.75)
MEDICATION, DOSE_ROUTE, SCHEDULE, LAST = 168.0, 104.0, 132.0, 58.0
IDENTITY_HEIGHT, QR_SIZE = 42.0, 40.0
SEXES = {"female": N_("F"), "male": N_("M"), "other": N_("X")}  # FHIR's administrative gender


@dataclass(frozen=True)
class Grid:
    """The 24 hour columns, from the hour of the data's time."""

    start: datetime  # in UTC: Python adds and subtracts wall-clock time within one zone
    zone: tzinfo
    hours: int = 24

    @classmethod
    def from_as_of(cls, as_of: datetime, zone: tzinfo) -> "Grid":
        hour = as_of.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        return cls(hour.astimezone(UTC), zone)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    def column(self, moment: datetime) -> int:
        return int((moment.astimezone(UTC) - self.start) / timedelta(hours=1))

    @cached_property
    def columns(self) -> tuple[datetime, ...]:
        return tuple(
            (self.start + timedelta(hours=k)).astimezone(self.zone) for k in range(self.hours)
        )

    @cached_property
    def midnights(self) -> tuple[int, ...]:
        """The columns where a new day starts (a thick line on the grid)."""
        return tuple(k for k, m in enumerate(self.columns) if m.hour == 0 and k > 0)


@dataclass(frozen=True)
class Sheet:
    """What every block of a document shares."""

    words: SheetWords
    grid: Grid
    width: float

    @property
    def cell(self) -> float:
        return (self.width - MEDICATION - DOSE_ROUTE - SCHEDULE - LAST) / self.grid.hours

    @property
    def grid_x(self) -> float:
        return MEDICATION + DOSE_ROUTE + SCHEDULE


Draw = Callable[[Canvas, float], None]  # (canvas, top of the row)


@dataclass(frozen=True)
class Row:
    height: float
    draw: Draw


class PatientBlock(Flowable):
    """Rows that stay together on a page, split between orders only when taller than a page."""

    def __init__(self, head: list[Row], body: list[Row], again: list[Row], page: float) -> None:
        super().__init__()
        self.head, self.body, self.again, self.page = head, body, again, page
        self.block_height = sum(r.height for r in head + body)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        del available_height
        self.width = available_width
        return available_width, self.block_height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        del available_width
        if self.block_height <= self.page:
            return []  # the next page has room for the whole block
        room = available_height - sum(r.height for r in self.head)
        fitted, used = 0, 0.0
        while fitted < len(self.body) and used + self.body[fitted].height <= room:
            used += self.body[fitted].height
            fitted += 1
        if fitted == 0:
            return []
        rest = PatientBlock(self.again, self.body[fitted:], self.again, self.page)
        return [PatientBlock(self.head, self.body[:fitted], self.again, self.page), rest]

    def draw(self) -> None:
        top = self.block_height
        for row in self.head + self.body:
            row.draw(self.canv, top)
            top -= row.height


def block(patient: Inpatient, sheet: Sheet, page: float) -> PatientBlock:
    words = sheet.words
    identity = _identity_row(patient, sheet)
    head = [identity, _allergy_row(patient, sheet), _problems_row(patient, sheet)]
    orders = sorted(patient.orders, key=_order_rank)
    body = [_order_row(o, patient, sheet) for o in orders] or [
        _text_row(words._("No active order in the export"), sheet, ITALIC, 9, colors.black)
    ]
    body += _footer_rows(patient, sheet)
    header = _table_header(sheet)
    again = [_identity_row(patient, sheet, continued=True), header]
    return PatientBlock([*head, header], body, again, page)


# --- identity, allergies, problems ---------------------------------------------------------------


def _identity_row(patient: Inpatient, sheet: Sheet, continued: bool = False) -> Row:
    words, person = sheet.words, patient.identity
    height = 22.0 if continued else IDENTITY_HEIGHT
    family = printable(person.family.upper())
    given = printable(person.given)
    details = " · ".join(_details(patient, sheet))

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(LIGHT)
        canvas.rect(0, top - height, sheet.width, height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.rect(0, top - height, 66, height, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        bed = printable(patient.bed or patient.room or "?")
        size = min(18.0, 60 * 18 / max(stringWidth(bed, BOLD, 18), 1))
        if continued:
            canvas.setFont(BOLD, min(size, 13))
            canvas.drawCentredString(33, top - 15, bed)
        else:
            canvas.setFont(BOLD, 7)
            canvas.drawCentredString(33, top - 10, words._("BED"))
            canvas.setFont(BOLD, size)
            canvas.drawCentredString(33, top - 30, bed)
        canvas.setFillColor(colors.black)
        canvas.setFont(BOLD, 14)
        canvas.drawString(74, top - 15, family)
        canvas.setFont(REGULAR, 13)
        canvas.drawString(80 + stringWidth(family, BOLD, 14), top - 15, given)
        if continued:
            canvas.setFont(ITALIC, 10)
            after = 86 + stringWidth(family, BOLD, 14) + stringWidth(given, REGULAR, 13)
            canvas.drawString(after, top - 15, words._("(continued)"))
            return
        canvas.setFont(REGULAR, 9)
        canvas.drawString(74, top - 28, details)
        warnings = _identity_warnings(patient, words)
        if warnings:
            canvas.setFillColor(RED)
            canvas.setFont(BOLD, 9)
            canvas.drawString(74, top - 39, warnings)
        draw_qr(canvas, person.identifier, sheet.width - QR_SIZE - 2, top - height + 2, QR_SIZE)

    return Row(height, draw)


def _details(patient: Inpatient, sheet: Sheet) -> list[str]:
    words, person = sheet.words, patient.identity
    parts = []
    if person.birth_date:
        age = _age(person.birth_date, sheet.grid.local_start.date(), words)
        parts.append(words._("born {date} ({age})", date=_birth(person.birth_date, words), age=age))
    if person.gender in SEXES:
        parts.append(words._(SEXES[person.gender]))
    if person.language:
        parts.append(words._("language {code}", code=person.language.upper()))
    if patient.admitted:
        admitted = words.moment(patient.admitted.astimezone(sheet.grid.zone))
        parts.append(words._("admitted {date}", date=admitted))
    parts.append(words._("No. {id}", id=printable(person.identifier)))
    return parts


def _identity_warnings(patient: Inpatient, words: SheetWords) -> str:
    warnings = []
    if patient.on_leave:
        warnings.append(words._("ON LEAVE"))
    if not patient.identity.readable:
        warnings.append(words._("IDENTITY UNREADABLE IN THE EXPORT: check the wristband"))
    return " · ".join(warnings)


def _birth(text: str, words: SheetWords) -> str:
    try:
        born = date.fromisoformat(text)
    except ValueError:
        return text  # a partial date (1941-03) is printed as written
    return words.date(datetime(born.year, born.month, born.day))  # noqa: DTZ001 - a date only


def _age(text: str, today: date, words: SheetWords) -> str:
    try:
        born = date.fromisoformat(text)
    except ValueError:
        return "?"
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months < 24:
        return words._("{n} mo", n=max(months, 0))
    return words._("{n} y", n=months // 12)


def _allergy_row(patient: Inpatient, sheet: Sheet) -> Row:
    words = sheet.words
    known = [a for a in patient.allergies if not a.no_known_allergy]
    if not known:
        if patient.allergies:  # the export says none is known
            return _text_row(words._("Allergies: none known"), sheet, REGULAR, 9)
        return _text_row(words._("Allergies: not recorded in the export, ask"), sheet, ITALIC, 9)
    texts = []
    for allergy in known:
        notes = list(allergy.reactions)
        if allergy.criticality == "high" or allergy.severe:
            notes.append(words._("high risk"))
        if allergy.unverified:
            notes.append(words._("to check"))
        name = allergy.substance or words._("substance not given")
        texts.append(f"{name} ({', '.join(notes)})" if notes else name)
    title = words._("ALLERGIES:")
    indent = stringWidth(title, BOLD, 10) + 10
    lines = simpleSplit(printable(" ; ".join(texts)), BOLD, 10, sheet.width - indent - 12)
    height = 12.0 * len(lines) + 8

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColor(RED)
        canvas.setFillColor(PALE_RED)
        canvas.setLineWidth(1.8)
        canvas.rect(1, top - height + 1.5, sheet.width - 2, height - 3, stroke=1, fill=1)
        canvas.setFillColor(RED)
        canvas.setFont(BOLD, 10)
        canvas.drawString(6, top - 12, title)
        canvas.setFillColor(colors.black)
        for n, line in enumerate(lines):
            canvas.drawString(6 + indent, top - 12 - 12 * n, line)

    return Row(height, draw)


def _problems_row(patient: Inpatient, sheet: Sheet) -> Row:
    words = sheet.words
    text = " ; ".join(patient.conditions) or words._("none in the export")
    title = words._("Active problems:")
    return _text_row(f"{title} {text}", sheet, REGULAR, 9)


def _text_row(
    text: str, sheet: Sheet, font: str, size: float, color: colors.Color = colors.black
) -> Row:
    lines = simpleSplit(printable(text), font, size, sheet.width - 12)
    leading = size + 2.5
    height = leading * len(lines) + 5

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(color)
        canvas.setFont(font, size)
        for n, line in enumerate(lines):
            canvas.drawString(6, top - size - 2 - leading * n, line)

    return Row(height, draw)


# --- the orders and their grid ---------------------------------------------------------------


def _table_header(sheet: Sheet) -> Row:
    words, cell, x0 = sheet.words, sheet.cell, sheet.grid_x
    columns = sheet.grid.columns
    height = 18.0

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(FAINT)
        canvas.rect(0, top - height, sheet.width, height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(BOLD, 8)
        for x, text in (
            (3, words._("Medication")),
            (MEDICATION + 3, words._("Dose · route")),
            (MEDICATION + DOSE_ROUTE + 3, words._("Schedule")),
        ):
            canvas.drawString(x, top - 15, text)
        canvas.drawString(sheet.width - LAST + 3, top - 15, words._("Last given"))
        for k, moment in enumerate(columns):
            x = x0 + k * cell
            if k == 0 or moment.hour == 0:
                canvas.setFont(REGULAR, 6)
                canvas.drawString(x + 1, top - 6.5, moment.strftime("%d/%m"))
            canvas.setFont(BOLD, 7.5)
            canvas.drawCentredString(x + cell / 2, top - 15, moment.strftime("%H"))
        _grid_lines(canvas, sheet, top, height)

    return Row(height, draw)


def _grid_lines(canvas: Canvas, sheet: Sheet, top: float, height: float) -> None:
    """The hour lines of one row, as one path; a thick line where a new day starts."""
    cell, x0, grid = sheet.cell, sheet.grid_x, sheet.grid
    path = canvas.beginPath()
    for k in range(grid.hours + 1):
        path.moveTo(x0 + k * cell, top)
        path.lineTo(x0 + k * cell, top - height)
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.3)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(1.4)
    for k in grid.midnights:
        canvas.line(x0 + k * cell, top, x0 + k * cell, top - height)


def _order_rank(order: MedicationOrder) -> tuple[int, str]:
    """What to read first: orders to check, then scheduled, continuous, untimed, as needed."""
    if order.unreadable or order.timing_problem:
        rank = 0
    elif order.as_needed:
        rank = 4
    elif order.rule is not None and order.rule.scheduled:
        rank = 1
    else:
        rank = 2 if order.rate else 3
    return rank, order.medication.lower()


def _order_row(order: MedicationOrder, patient: Inpatient, sheet: Sheet) -> Row:
    words, grid = sheet.words, sheet.grid
    name = printable(order.medication or words._("medication not given"))
    name_lines = simpleSplit(name, BOLD, 9.5, MEDICATION - 6)
    dose = " · ".join(p for p in (words.number(order.dose), order.route) if p)
    if order.rate:
        rate = words._("rate {rate}", rate=words.number(order.rate))
        dose = " · ".join(p for p in (dose, rate) if p)
    dose_lines = simpleSplit(printable(dose), REGULAR, 8.5, DOSE_ROUTE - 6)
    plain_lines = len(dose_lines)  # then the prescriber's free text, in italics
    if order.instruction:
        dose_lines += simpleSplit(printable(order.instruction), ITALIC, 8, DOSE_ROUTE - 6)
    schedule_lines = simpleSplit(
        printable(describe(order, words, grid.zone)), REGULAR, 8, SCHEDULE - 6
    )
    times = planned_times(order, grid.start, grid.end, grid.zone)
    note, note_color = _grid_note(order, times, words)
    last = next((a for a in patient.administrations if a.order_id == order.order_id), None)
    last_text = words.moment(last.given_at.astimezone(grid.zone)) if last else "-"
    lines = max(len(name_lines), len(dose_lines), len(schedule_lines), 1)
    height = max(16.0, 10.5 * lines + 5)

    def draw(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(RED if note_color is RED else colors.black)
        canvas.setFont(BOLD, 9.5)
        for n, line in enumerate(name_lines):
            canvas.drawString(3, top - 11 - 10.5 * n, line)
        canvas.setFillColor(colors.black)
        for n, line in enumerate(dose_lines):
            font, size = (REGULAR, 8.5) if n < plain_lines else (ITALIC, 8.0)
            canvas.setFont(font, size)
            canvas.drawString(MEDICATION + 3, top - 11 - 10.5 * n, line)
        canvas.setFont(REGULAR, 8)
        for n, line in enumerate(schedule_lines):
            canvas.drawString(MEDICATION + DOSE_ROUTE + 3, top - 11 - 10.5 * n, line)
        _draw_grid(canvas, sheet, top, height, times or ())
        if note:
            baseline = top - height / 2 - 3
            canvas.setFillColor(colors.white)
            width = stringWidth(note, BOLD, 8)
            canvas.rect(sheet.grid_x + 2, baseline - 2.5, width + 4, 10.5, stroke=0, fill=1)
            canvas.setFillColor(note_color)
            canvas.setFont(BOLD, 8)
            canvas.drawString(sheet.grid_x + 4, baseline, note)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(sheet.width - LAST + 3, top - 11, last_text)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.4)
        canvas.line(0, top - height, sheet.width, top - height)

    return Row(height, draw)


def _grid_note(
    order: MedicationOrder, times: tuple[datetime, ...] | None, words: SheetWords
) -> tuple[str, colors.Color]:
    """Text over the grid when it has no box: as needed, continuous, or why not."""
    grey = colors.Color(0.3, 0.3, 0.3)
    notes = (
        (order.unreadable, N_("UNREADABLE ORDER: check it"), RED),
        (times is None, N_("UNREADABLE SCHEDULE: see the order"), RED),
        (bool(times), "", colors.black),
        (order.as_needed, N_("AS NEEDED"), grey),
        (bool(order.rate), N_("CONTINUOUS INFUSION"), colors.black),
        (order.rule is None, N_("no schedule given: see the order"), grey),
    )
    for applies, message, color in notes:
        if applies:
            return (words._(message) if message else ""), color
    return "", colors.black


def _draw_grid(
    canvas: Canvas, sheet: Sheet, top: float, height: float, times: tuple[datetime, ...]
) -> None:
    cell, x0 = sheet.cell, sheet.grid_x
    by_column: dict[int, list[datetime]] = {}
    for moment in times:
        by_column.setdefault(sheet.grid.column(moment), []).append(moment)
    for column, moments in by_column.items():
        x = x0 + column * cell
        canvas.setFillColor(DOSE)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(1)
        canvas.rect(x + 1.5, top - height + 2, cell - 3, height - 4, stroke=1, fill=1)
        minutes = moments[0].minute
        label = f":{minutes:02d}" if minutes else ""
        if len(moments) > 1:
            label = f"x{len(moments)}"
        if label:
            canvas.setFillColor(colors.black)
            canvas.setFont(BOLD, 6.5)
            canvas.drawCentredString(x + cell / 2, top - height / 2 - 2.5, label)
    _grid_lines(canvas, sheet, top, height)


def _footer_rows(patient: Inpatient, sheet: Sheet) -> list[Row]:
    words, zone = sheet.words, sheet.grid.zone
    rows = []
    printed = {o.order_id for o in patient.orders}
    since = sheet.grid.start - timedelta(hours=24)
    others = [
        a for a in patient.administrations if a.order_id not in printed and a.given_at >= since
    ]
    if others:
        given = " ; ".join(
            " ".join(
                p
                for p in (
                    a.medication,
                    words.number(a.dose),
                    a.route,
                    words.moment(a.given_at.astimezone(zone)),
                )
                if p
            )
            for a in others
        )
        title = words._("Other doses given (24 h):")
        rows.append(_text_row(f"{title} {given}", sheet, REGULAR, 8.5))
    check = words._("CHECK:")
    for issue in patient.issues:
        problem = issue.problem
        text = f"{check} {problem.field}: {words.t.problem(problem)}"
        rows.append(_text_row(text, sheet, BOLD, 8.5, RED))
    rows.append(Row(10.0, _separator(sheet)))
    return rows


def _separator(sheet: Sheet) -> Draw:
    def draw(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(1.5)
        canvas.line(0, top - 3, sheet.width, top - 3)

    return draw
