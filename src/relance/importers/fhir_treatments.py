"""FHIR treatments -> census records: MedicationRequest (medication, dose, route, timing,
as-needed), MedicationAdministration, AllergyIntolerance and Condition, read with fhir.resources
R4B. Codes the models do not check (periodUnit, when, dayOfWeek) are checked here.
"""

from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.timing import Timing

from relance.domain.census import Administration, Allergy, MedicationOrder
from relance.domain.errors import N_
from relance.domain.treatments import CODES, InvalidTiming, PeriodUnit, TimingRule

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DURATION_UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 604800}
NO_KNOWN_ALLERGY = {"716186003", "409137002", "428607008", "429625007"}  # SNOMED CT "no known ..."


def text(concept: CodeableConcept | None) -> str:
    if concept is None:
        return ""
    if concept.text:
        return str(concept.text)
    for coding in concept.coding or []:
        if coding.display or coding.code:
            return str(coding.display or coding.code)
    return ""


def codes(concept: CodeableConcept | None) -> set[str]:
    return {str(c.code) for c in (concept.coding or []) if c.code} if concept else set()


def moment(value: object, zone: tzinfo) -> datetime | None:
    """A FHIR dateTime as an aware datetime: a date is its midnight, a partial date None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=zone)
    if isinstance(value, str) and len(value) >= 10:
        try:
            return moment(datetime.fromisoformat(value), zone)
        except ValueError:
            return None
    return None


def number(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def quantity(value: Quantity | None) -> str:
    if value is None or value.value is None:
        return ""
    return f"{number(value.value)} {value.unit or value.code or ''}".strip()


def orders(
    request: MedicationRequest, medication: str, zone: tzinfo
) -> tuple[list[MedicationOrder], list[tuple[str, InvalidTiming]]]:
    """One order per dosage instruction, and the (field, fault) problems of their timing."""
    anchor = moment(request.authoredOn, zone)
    dosages: list[Dosage | None] = list(request.dosageInstruction or []) or [None]
    found, problems = [], []
    for index, dosage in enumerate(dosages):
        order, fault = _order(str(request.id), medication, dosage, anchor, zone)
        if fault is not None:
            problems.append((f"dosageInstruction[{index}].timing", fault))
        found.append(order)
    return found, problems


def _order(
    order_id: str, medication: str, dosage: Dosage | None, anchor: datetime | None, zone: tzinfo
) -> tuple[MedicationOrder, InvalidTiming | None]:
    """The order, and why its timing cannot be read (said in the sheet's language)."""
    if dosage is None:
        return MedicationOrder(order_id, medication, anchor=anchor), None
    dose = rate = ""
    for item in dosage.doseAndRate or []:
        dose = dose or quantity(item.doseQuantity) or _range(item.doseRange)
        rate = rate or quantity(item.rateQuantity) or _ratio(item.rateRatio)
    as_needed = bool(dosage.asNeededBoolean) or dosage.asNeededCodeableConcept is not None
    rule, fault = None, None
    try:
        rule = timing_rule(dosage.timing, as_needed, anchor, zone)
        if rule is not None and rule.needs_anchor and (rule.bounds_start or anchor) is None:
            fault = InvalidTiming(
                N_("the days of administration need a start (boundsPeriod.start)")
            )
    except InvalidTiming as error:
        fault = error
    first = rule.bounds_start if rule and rule.bounds_start else anchor
    order = MedicationOrder(
        order_id,
        medication,
        dose=dose,
        route=text(dosage.route),
        instruction=str(dosage.text or dosage.patientInstruction or ""),
        rule=None if fault else rule,
        anchor=first,
        as_needed=as_needed,
        as_needed_reason=text(dosage.asNeededCodeableConcept),
        max_dose=_ratio(dosage.maxDosePerPeriod),
        rate=rate,
        timing_problem=str(fault) if fault else "",
    )
    return order, fault


def timing_rule(
    timing: Timing | None, as_needed: bool, anchor: datetime | None, zone: tzinfo
) -> TimingRule | None:
    """The TimingRule of a Timing, None when it gives no time; InvalidTiming if unusable."""
    if timing is None:
        return TimingRule(as_needed=True) if as_needed else None
    events = tuple(m for m in (moment(e, zone) for e in timing.event or []) if m)
    code = next(iter(sorted(codes(timing.code))), None)
    base: dict[str, Any] = {"events": events, "as_needed": as_needed}
    if code is not None:
        if code.upper() not in CODES:
            raise InvalidTiming(N_("unknown timing code {code}"), code=repr(code))
        frequency, period, unit, when = CODES[code.upper()]
        base |= {"frequency": frequency, "period": period, "period_unit": unit, "when": when}
    repeat = timing.repeat
    if repeat is None:
        return TimingRule(**base) if (code or events or as_needed) else None
    if repeat.periodUnit is not None and repeat.periodUnit not in set(PeriodUnit):
        no_unit = N_("unknown periodUnit {unit} (s, min, h, d, wk, mo, a)")
        raise InvalidTiming(no_unit, unit=repr(repeat.periodUnit))
    bad_days = [d for d in repeat.dayOfWeek or [] if d not in DAYS]
    if bad_days:
        days = N_("unknown dayOfWeek {days} (mon..sun)")
        raise InvalidTiming(days, days=", ".join(map(str, bad_days)))
    bounds = repeat.boundsPeriod
    start = moment(bounds.start, zone) if bounds else None
    end = moment(bounds.end, zone) if bounds else None
    if repeat.boundsDuration is not None and end is None:
        end = _after(start or anchor, repeat.boundsDuration)
    given = {
        "frequency": repeat.frequency,
        "period": float(repeat.period) if repeat.period is not None else None,
        "period_unit": PeriodUnit(repeat.periodUnit) if repeat.periodUnit else None,
        "times_of_day": tuple(repeat.timeOfDay or ()),
        "when": tuple(str(w) for w in repeat.when or ()),
    }
    base |= {k: v for k, v in given.items() if v not in (None, ())}
    return TimingRule(
        **base,
        offset_minutes=repeat.offset or 0,
        days_of_week=tuple(DAYS.index(d) for d in repeat.dayOfWeek or []),
        bounds_start=start,
        bounds_end=end,
        count=repeat.count,
    )


def _after(start: datetime | None, duration: Quantity) -> datetime | None:
    unit = str(duration.code or duration.unit or "")
    if start is None or duration.value is None or unit not in DURATION_UNITS:
        return None
    return start + timedelta(seconds=float(duration.value) * DURATION_UNITS[unit])


def _range(value: Any) -> str:
    if value is None or value.low is None or value.high is None:
        return ""
    unit = value.high.unit or value.high.code or ""
    return f"{number(value.low.value)}-{number(value.high.value)} {unit}".strip()


def _ratio(value: Any) -> str:
    """A Ratio as written: 4 g / 24 h, or 6 / h when the denominator is 1."""
    if value is None or value.numerator is None:
        return ""
    denominator = value.denominator
    if denominator is None or denominator.value is None:
        return quantity(value.numerator)
    per = quantity(denominator)
    if denominator.value == 1 and (denominator.unit or denominator.code):
        per = str(denominator.unit or denominator.code)
    return f"{quantity(value.numerator)} / {per}"


def administration(
    given: MedicationAdministration, medication: str, order_id: str | None, zone: tzinfo
) -> Administration | None:
    """A dose given, or None when the resource says no time."""
    when = moment(given.effectiveDateTime, zone)
    if when is None and given.effectivePeriod is not None:
        when = moment(given.effectivePeriod.start, zone)
    if when is None:
        return None
    dosage = given.dosage
    return Administration(
        when,
        medication,
        dose=quantity(dosage.dose) if dosage else "",
        route=text(dosage.route) if dosage else "",
        order_id=order_id,
    )


def allergy(record: AllergyIntolerance) -> Allergy:
    reactions: list[str] = []
    severe = False
    for reaction in record.reaction or []:
        severe = severe or reaction.severity == "severe"
        reactions += [t for t in (text(m) for m in reaction.manifestation or []) if t]
    return Allergy(
        substance=text(record.code),
        criticality=str(record.criticality or ""),
        reactions=tuple(dict.fromkeys(reactions)),
        severe=severe,
        no_known_allergy=bool(codes(record.code) & NO_KNOWN_ALLERGY),
        category=tuple(str(c) for c in record.category or []),
    )


def condition(record: Condition) -> str:
    return text(record.code)


def active_condition(record: Condition) -> bool:
    clinical = codes(record.clinicalStatus)
    verification = codes(record.verificationStatus)
    return not (clinical - {"active", "recurrence", "relapse"}) and not (
        verification & {"refuted", "entered-in-error"}
    )
