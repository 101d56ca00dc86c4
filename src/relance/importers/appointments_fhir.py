"""Appointment books as FHIR R4: Appointment with its Patient, Practitioner, Location and
HealthcareService, in bundles or NDJSON (one resource a line), parsed with fhir.resources R4B.

Mapping: the site is the Location's identifier value (else its alias, else its name); the
activity is the HealthcareService's type code (else the Appointment's serviceType code); the
care pathway is the Appointment's reasonCode code (else "routine"); the patient's language
is Patient.communication (preferred first), the mobile a telecom of system sms, or phone with
use mobile.
"""

from pathlib import Path
from typing import Any

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner
from pydantic import ValidationError

from relance.domain.appointments import BookedAppointment, Patient, appointment_problems
from relance.domain.errors import N_, Problem
from relance.domain.phones import is_mobile, normalise
from relance.importers import validation
from relance.importers.fhir_files import Export, Index, Place, Raw, stream

MODELS: dict[str, Any] = {
    "Appointment": Appointment,
    "Patient": FhirPatient,
    "Practitioner": Practitioner,
    "Location": Location,
    "HealthcareService": HealthcareService,
}
BOOKED = {"proposed", "pending", "booked", "arrived", "checked-in", "waitlist"}


def read(paths: list[Path]) -> tuple[list[tuple[str, BookedAppointment]], list[Problem]]:
    """Every Appointment of the files, with every problem found (a bad resource is reported
    by its file, line or entry, id and field)."""
    export, index = Export(), Index()
    problems: list[Problem] = []
    parsed: dict[str, tuple[Place, Any]] = {}  # Kind/id -> (where, validated resource)
    for place, data in stream(paths, export):
        kind = data["resourceType"]
        if kind not in MODELS:
            continue  # other resources of an export are not about the book
        resource = _validated(place, kind, data, problems)
        if resource is None:
            continue
        key = index.add(place, data)
        if key in parsed and (kind == "Appointment" or parsed[key][1] != resource):
            problems.append(place.problem(key, f"also at {_where(parsed[key][0])}"))
            continue
        parsed[key] = (place, resource)
    problems[:0] = export.problems
    out = []
    for key, (place, resource) in parsed.items():
        if key.startswith("Appointment/"):
            booked = _appointment(resource, parsed, index, place, problems)
            if booked is not None:
                out.append((_where(place), booked))
    return out, problems


def _validated(place: Place, kind: str, data: Raw, problems: list[Problem]) -> Any:
    """The resource checked against FHIR R4B, with an id, or None after saying why not."""
    ident = data.get("id")
    if not isinstance(ident, str) or not ident.strip():
        no_id = N_("no id: every resource of a book needs one")
        problems.append(place.problem(f"{kind} id", no_id))
        return None
    try:
        return MODELS[kind].model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message, values = validation.said(first)
        problems.append(place.problem(f"{kind}/{ident[:100]} {field}", message, **values))
        return None


def _where(place: Place) -> str:
    """file:line, or file entry N: how the book's problems name an appointment."""
    if place.entry is not None:
        return f"{place.source} entry {place.entry}"
    return f"{place.source}:{place.line}" if place.line else place.source


def _actor(appointment: Any, index: Index, kind: str) -> str | None:
    """The `Kind/id` of the appointment's first participant of this kind."""
    for participant in appointment.participant or []:
        key = index.key(participant.actor.reference if participant.actor else None)
        if key and key.startswith(f"{kind}/"):
            return key
    return None


def _appointment(
    appointment: Any,
    parsed: dict[str, tuple[Place, Any]],
    index: Index,
    place: Place,
    problems: list[Problem],
) -> BookedAppointment | None:
    key = f"Appointment/{appointment.id}"

    def bad(field: str, message: str, **values: object) -> None:
        problems.append(place.problem(f"{key} {field}", message, **values))

    def found(kind: str) -> tuple[str | None, Any]:
        reference = _actor(appointment, index, kind)
        return reference, parsed.get(reference or "", (None, None))[1]

    if appointment.start is None:
        bad("start", "no start time")
        return None
    if appointment.start.tzinfo is None:
        bad("start", "the start time has no UTC offset")
        return None
    patient_id, patient = found("Patient")
    if patient is None:
        bad("participant", f"no Patient found for {_id(patient_id) or 'the appointment'}")
        return None
    location_id, location = found("Location")
    if location is None:
        bad("participant", f"no Location found for {_id(location_id) or 'the appointment'}")
        return None
    _, service = found("HealthcareService")
    activity = (_code(service.type) if service else None) or _code(appointment.serviceType)
    if activity is None:
        bad("serviceType", "no activity: give a HealthcareService with a type, or a serviceType")
        return None
    _, practitioner = found("Practitioner")
    booked = BookedAppointment(
        external_id=str(appointment.id),  # the same key as the book's CSV export
        patient=_patient(patient),
        site=_site(location),
        activity=activity,
        pathway=_code(appointment.reasonCode) or "routine",
        practitioner=_name(practitioner.name) if practitioner else "",
        starts_at=appointment.start,
        booked=appointment.status in BOOKED,
    )
    wrong = appointment_problems(booked)
    for field, fault in wrong:
        bad(field, "{problem}", problem=fault)
    return None if wrong else booked


def _id(key: str | None) -> str | None:
    """p1 for Patient/p1: how the book's problems name a participant."""
    return key.split("/", 1)[1][:100] if key else None


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
        None,
    )
    return Patient(
        str(patient.id),
        _name(patient.name),
        str(language or "fr").split("-")[0].lower(),
        mobile,
        phone,
    )
