"""The census as JSON: everything the sheets show, for a laptop with no PDF reader or a script.

Times are ISO 8601 with their offset; `planned` lists the administrations of the sheets' 24-hour
grid (null when the timing could not be read).
"""

import json
from datetime import datetime, tzinfo
from typing import Any

from relance.domain.census import Census, Inpatient, Issue, MedicationOrder, planned_times
from relance.reports.patient_block import Grid

FORMAT = "relance-census/1"


def census_json(census: Census, zone: tzinfo, snapshot: str) -> bytes:
    grid = Grid.from_as_of(census.as_of, zone)
    data = {
        "format": FORMAT,
        "snapshot": snapshot,
        "as_of": census.as_of.isoformat(),
        "as_of_source": census.as_of_source,
        "grid": {
            "start": grid.local_start.isoformat(),
            "end": grid.end.astimezone(zone).isoformat(),
        },
        "counts": {
            "resources": census.counts.resources,
            "patients": census.counts.patients,
            "inpatients": census.counts.inpatients,
            "active_orders": census.counts.active_orders,
            "orders_not_inpatient": census.counts.orders_not_inpatient,
            "ignored": dict(census.counts.ignored),
        },
        "wards": [
            {
                "code": w.code,
                "name": w.name,
                "site": w.site,
                "site_name": w.site_name,
                "patients": [_patient(p, grid) for p in census.of_ward(w.code)],
            }
            for w in census.wards
        ],
        "issues": [_issue(i) for i in census.issues],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _patient(patient: Inpatient, grid: Grid) -> dict[str, Any]:
    person = patient.identity
    return {
        "patient": person.patient_id,
        "identifier": person.identifier,
        "family": person.family,
        "given": person.given,
        "birth_date": person.birth_date,
        "gender": person.gender,
        "language": person.language,
        "identity_readable": person.readable,
        "encounter": patient.encounter_id,
        "room": patient.room,
        "bed": patient.bed,
        "admitted": _time(patient.admitted),
        "on_leave": patient.on_leave,
        "allergies": [
            {
                "substance": a.substance,
                "criticality": a.criticality,
                "reactions": list(a.reactions),
                "severe": a.severe,
                "no_known_allergy": a.no_known_allergy,
                "unverified": a.unverified,
            }
            for a in patient.allergies
        ],
        "conditions": list(patient.conditions),
        "orders": [_order(o, grid) for o in patient.orders],
        "administrations": [
            {
                "given_at": _time(a.given_at),
                "medication": a.medication,
                "dose": a.dose,
                "route": a.route,
                "order": a.order_id,
            }
            for a in patient.administrations
        ],
        "issues": [_issue(i) for i in patient.issues],
    }


def _order(order: MedicationOrder, grid: Grid) -> dict[str, Any]:
    times = planned_times(order, grid.start, grid.end, grid.zone)
    return {
        "order": order.order_id,
        "medication": order.medication,
        "dose": order.dose,
        "route": order.route,
        "instruction": order.instruction,
        "as_needed": order.as_needed,
        "as_needed_reason": order.as_needed_reason,
        "max_dose": order.max_dose,
        "rate": order.rate,
        "timing_problem": order.timing_problem,
        "unreadable": order.unreadable,
        "planned": None if times is None else [t.isoformat() for t in times],
    }


def _issue(issue: Issue) -> dict[str, Any]:
    return {**issue.problem.as_dict(), "patient": issue.patient_id}


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
