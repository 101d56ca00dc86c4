"""An order's schedule in the nurse's words: "SI BESOIN · toutes les 4 h · max 6 / 24 h"."""

from datetime import timedelta, tzinfo

from relance.domain.census import MedicationOrder
from relance.domain.treatments import PeriodUnit, TimingRule
from relance.reports.sheet_words import SheetWords


def describe(order: MedicationOrder, words: SheetWords, zone: tzinfo) -> str:
    rule = order.rule
    parts: list[str] = []
    if order.as_needed:
        parts.append(words._("AS NEEDED"))
    if rule is not None:
        parts += _frequency(rule, words)
        if rule.when:
            parts.append(", ".join(words.when(w) for w in rule.when))
        if rule.times_of_day:
            times = ", ".join(t.strftime("%H:%M") for t in rule.times_of_day)
            parts.append(words._("at {times}", times=times))
        if rule.days_of_week:
            days = ", ".join(words.weekday(d) for d in sorted(rule.days_of_week))
            parts.append(words._("on {days}", days=days))
        if rule.count:
            parts.append(words._("{n} doses in all", n=rule.count))
        if rule.bounds_start:
            parts.append(
                words._("from {when}", when=words.moment(rule.bounds_start.astimezone(zone)))
            )
        if rule.bounds_end:
            parts.append(
                words._("until {when}", when=words.moment(rule.bounds_end.astimezone(zone)))
            )
    if order.as_needed_reason:
        parts.append(order.as_needed_reason)
    if order.max_dose:
        parts.append(words._("max {value}", value=words.number(order.max_dose)))
    return " · ".join(parts)


def _frequency(rule: TimingRule, words: SheetWords) -> list[str]:  # noqa: PLR0911 - one per unit
    if rule.fixed_times or rule.period is None or rule.period_unit is None:
        return []
    unit, period, frequency = rule.period_unit, rule.period, rule.frequency or 1
    if unit is PeriodUnit.DAY and period == 1:
        return [words._("{n}x/day", n=frequency)]
    step = rule.step
    if step is not None:
        if step % timedelta(hours=1) == timedelta(0):
            return [words._("every {n} h", n=int(step / timedelta(hours=1)))]
        return [words._("every {n} min", n=_plain(step / timedelta(minutes=1)))]
    if unit is PeriodUnit.DAY:
        return [words._("every {n} days", n=_plain(period))]
    if unit is PeriodUnit.WEEK:
        if period == 1:
            return [words._("{n}x/week", n=frequency)]
        return [words._("every {n} weeks", n=_plain(period))]
    if unit is PeriodUnit.MONTH:
        return [words._("every {n} months", n=_plain(period))]
    return [words._("every {n} years", n=_plain(period))]


def _plain(value: float) -> str:
    return f"{value:g}"
