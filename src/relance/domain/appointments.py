"""Appointments as the book gives them, and the patients to tell."""

from dataclasses import dataclass
from datetime import datetime

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
