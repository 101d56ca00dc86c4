"""Appointments as the book gives them, and the patients to tell."""

from dataclasses import dataclass
from datetime import datetime

from relance.domain.errors import RelanceError
from relance.domain.text import texts_problems

PATHWAYS = (
    "routine",
    "pregnancy",
    "chemotherapy",
    "oncology",
    "diabetology",
    "plaster",
    "surgery",
    "follow-up",
)


@dataclass(frozen=True)
class Patient:
    external_id: str
    name: str
    language: str  # fr, nl, de, en...
    mobile: str | None  # E.164, a number an SMS can reach
    phone: str | None  # any other number, for the call list


@dataclass(frozen=True)
class BookedAppointment:
    external_id: str
    patient: Patient
    site: str
    activity: str
    pathway: str
    practitioner: str
    starts_at: datetime
    booked: bool = True  # False when the book itself says cancelled


# The longest value each field may have (the book's columns); names are one line of text.
FIELD_LIMITS = {
    "appointment": 100,
    "patient": 100,
    "name": 200,
    "language": 8,
    "site": 40,
    "activity": 40,
    "pathway": 40,
    "practitioner": 200,
}


def appointment_problems(a: BookedAppointment) -> list[tuple[str, RelanceError]]:
    """(field, why) for each value of the appointment that cannot be kept as it is."""
    values = {
        "appointment": a.external_id,
        "patient": a.patient.external_id,
        "name": a.patient.name,
        "language": a.patient.language,
        "site": a.site,
        "activity": a.activity,
        "pathway": a.pathway,
        "practitioner": a.practitioner,
    }
    return texts_problems(values, FIELD_LIMITS, one_line=True)
