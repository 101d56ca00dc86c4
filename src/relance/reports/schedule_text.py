"""An order's schedule in the nurse's words: "SI BESOIN · toutes les 4 h · max 6 / 24 h"."""

from datetime import timedelta, tzinfo

from relance.domain.census import MedicationOrder
from relance.domain.treatments import PeriodUnit, TimingRule
from relance.reports.sheet_labels import Labels


def describe(order: MedicationOrder, labels: Labels, zone: tzinfo) -> str:
    rule = order.rule
    parts: list[str] = []
    if order.as_needed:
        parts.append(labels("as_needed"))
    if rule is not None:
        parts += _frequency(rule, labels)
        if rule.when:
            parts.append(", ".join(labels.when(w) for w in rule.when))
        if rule.times_of_day:
            times = ", ".join(t.strftime("%H:%M") for t in rule.times_of_day)
            parts.append(labels("at", times=times))
        if rule.days_of_week:
            days = ", ".join(labels.weekday(d) for d in sorted(rule.days_of_week))
            parts.append(labels("on_days", days=days))
        if rule.count:
            parts.append(labels("count", n=rule.count))
        if rule.bounds_start:
            parts.append(labels("from", when=labels.moment(rule.bounds_start.astimezone(zone))))
        if rule.bounds_end:
            parts.append(labels("until", when=labels.moment(rule.bounds_end.astimezone(zone))))
    if order.as_needed_reason:
        parts.append(order.as_needed_reason)
    if order.max_dose:
        parts.append(labels("max", value=labels.number(order.max_dose)))
    return " · ".join(parts)


def _frequency(rule: TimingRule, labels: Labels) -> list[str]:  # noqa: PLR0911 - one per unit
    if rule.fixed_times or rule.period is None or rule.period_unit is None:
        return []
    unit, period, frequency = rule.period_unit, rule.period, rule.frequency or 1
    if unit is PeriodUnit.DAY and period == 1:
        return [labels("times_per_day", n=frequency)]
    step = rule.step
    if step is not None:
        if step % timedelta(hours=1) == timedelta(0):
            return [labels("every_hours", n=int(step / timedelta(hours=1)))]
        return [labels("every_minutes", n=_plain(step / timedelta(minutes=1)))]
    if unit is PeriodUnit.DAY:
        return [labels("every_days", n=_plain(period))]
    if unit is PeriodUnit.WEEK:
        if period == 1:
            return [labels("times_per_week", n=frequency)]
        return [labels("every_weeks", n=_plain(period))]
    if unit is PeriodUnit.MONTH:
        return [labels("monthly", n=_plain(period))]
    return [labels("yearly", n=_plain(period))]


def _plain(value: float) -> str:
    return f"{value:g}"
