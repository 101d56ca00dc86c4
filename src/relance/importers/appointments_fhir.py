"""Appointment books as FHIR R4: Appointment with its Patient, Practitioner, Location and
HealthcareService, in bundles or NDJSON (one resource a line), parsed with fhir.resources R4B.

Mapping: the site is the Location's identifier value (else its alias, else its name); the
activity is the HealthcareService's type code (else the Appointment's serviceType code); the
care pathway is the Appointment's reasonCode code (else "routine"); the patient's language
is Patient.communication (preferred first), the mobile a telecom of system sms, or phone with
use mobile.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner
from pydantic import ValidationError

from relance.domain.appointments import BookedAppointment, Patient
from relance.domain.errors import Problem
from relance.domain.phones import is_mobile, normalise

MODELS: dict[str, Any] = {
    "Appointment": Appointment,
    "Patient": FhirPatient,
    "Practitioner": Practitioner,
    "Location": Location,
    "HealthcareService": HealthcareService,
}
BOOKED = {"proposed", "pending", "booked", "arrived", "checked-in", "waitlist"}


def _resources(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, resource as JSON) from a Bundle, a single resource, or NDJSON."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n{" not in stripped.rstrip():
        data = json.loads(text)
        if data.get("resourceType") == "Bundle":
            for i, entry in enumerate(data.get("entry", [])):
                yield f"{path.name} entry {i}", entry.get("resource", {})
            return
        yield path.name, data
        return
    for line, row in enumerate(text.splitlines(), 1):
        if row.strip():
            yield f"{path.name}:{line}", json.loads(row)


def read(paths: list[Path]) -> tuple[list[tuple[str, BookedAppointment]], list[Problem]]:
    """Every Appointment of the files, with every problem found (a bad resource is reported
    by its file, line or entry, id and field)."""
    problems: list[Problem] = []
    parsed: dict[str, dict[str, Any]] = {t: {} for t in MODELS}
    where: dict[str, str] = {}
    for path in paths:
        try:
            resources = list(_resources(path))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(
                Problem(path.name, getattr(error, "lineno", None), "", f"not FHIR JSON: {error}")
            )
            continue
        for place, data in resources:
            kind = data.get("resourceType")
            if kind not in MODELS:
                continue  # other resources of an export are not about the book
            try:
                resource = MODELS[kind].model_validate(data)
            except ValidationError as error:
                first = error.errors()[0]
                field = ".".join(str(p) for p in first["loc"])
                problems.append(
                    Problem(place, None, f"{kind}/{data.get('id', '?')} {field}", first["msg"])
                )
                continue
            parsed[kind][resource.id] = resource
            where[f"{kind}/{resource.id}"] = place
    out = []
    for appointment_id, appointment in parsed["Appointment"].items():
        place = where[f"Appointment/{appointment_id}"]
        booked = _appointment(appointment, parsed, place, problems)
        if booked is not None:
            out.append((place, booked))
    return out, problems


def _actor(appointment: Any, kind: str) -> str | None:
    for participant in appointment.participant or []:
        reference = participant.actor.reference if participant.actor else None
        if reference and reference.startswith(f"{kind}/"):
            return str(reference.split("/", 1)[1])
    return None


def _appointment(
    appointment: Any, parsed: dict[str, dict[str, Any]], place: str, problems: list[Problem]
) -> BookedAppointment | None:
    key = f"Appointment/{appointment.id}"

    def bad(field: str, message: str) -> None:
        problems.append(Problem(place, None, f"{key} {field}", message))

    if appointment.start is None:
        bad("start", "no start time")
        return None
    if appointment.start.tzinfo is None:
        bad("start", "the start time has no UTC offset")
        return None
    patient_id = _actor(appointment, "Patient")
    patient = parsed["Patient"].get(patient_id) if patient_id else None
    if patient is None:
        bad("participant", f"no Patient found for {patient_id or 'the appointment'}")
        return None
    location_id = _actor(appointment, "Location")
    location = parsed["Location"].get(location_id) if location_id else None
    if location is None:
        bad("participant", f"no Location found for {location_id or 'the appointment'}")
        return None
    site = _site(location)
    activity = _activity(appointment, parsed)
    if activity is None:
        bad("serviceType", "no activity: give a HealthcareService with a type, or a serviceType")
        return None
    practitioner_id = _actor(appointment, "Practitioner")
    practitioner = parsed["Practitioner"].get(practitioner_id) if practitioner_id else None
    return BookedAppointment(
        external_id=str(appointment.id),  # the same key as the book's CSV export
        patient=_patient(patient),
        site=site,
        activity=activity,
        pathway=_code(appointment.reasonCode) or "routine",
        practitioner=_name(practitioner.name) if practitioner else "",
        starts_at=appointment.start,
        booked=appointment.status in BOOKED,
    )


def _code(concepts: Any) -> str | None:
    for concept in concepts or []:
        for coding in concept.coding or []:
            if coding.code:
                return str(coding.code)
    return None


def _site(location: Any) -> str:
    for identifier in location.identifier or []:
        if identifier.value:
            return str(identifier.value)
    return str((location.alias or [location.name])[0])


def _activity(appointment: Any, parsed: dict[str, dict[str, Any]]) -> str | None:
    service_id = _actor(appointment, "HealthcareService")
    service = parsed["HealthcareService"].get(service_id) if service_id else None
    return (_code(service.type) if service else None) or _code(appointment.serviceType)


def _name(names: Any) -> str:
    for name in names or []:
        parts = [*(name.given or []), name.family or ""]
        text = " ".join(p for p in parts if p)
        if text:
            return text
    return ""


def _patient(patient: Any) -> Patient:
    mobile = phone = None
    for telecom in patient.telecom or []:
        number = normalise(telecom.value or "")
        if number is None:
            continue
        if (telecom.system == "sms" or telecom.use == "mobile") and is_mobile(number):
            mobile = mobile or number
        elif telecom.system == "phone":
            phone = phone or number
    communications = sorted(patient.communication or [], key=lambda c: not c.preferred)
    language = next(
        (c.language.coding[0].code for c in communications if c.language and c.language.coding),
        "fr",
    )
    return Patient(
        str(patient.id),
        _name(patient.name),
        str(language).split("-")[0].lower(),
        mobile,
        phone,
    )
