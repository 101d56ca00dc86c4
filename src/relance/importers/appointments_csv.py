"""Appointment books as CSV: one appointment per row, its patient on the same row.

Columns: appointment, patient, name, language, mobile, phone, site, activity, pathway,
practitioner, start (local time, or ISO with offset), status (booked | cancelled, optional).
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.domain.appointments import BookedAppointment, Patient, appointment_problems
from relance.domain.errors import N_, Problem
from relance.domain.phones import is_mobile, normalise
from relance.importers.csv_rows import rows

REQUIRED = {"appointment", "patient", "name", "site", "activity", "start"}


def read(path: Path, zone: ZoneInfo) -> tuple[list[tuple[str, BookedAppointment]], list[Problem]]:
    """(where, appointment) for each good row, and the problems of every bad one."""
    found, problems = rows(path, REQUIRED)
    out: list[tuple[str, BookedAppointment]] = []
    for line, row in found:

        def bad(field: str, message: str, line: int = line, **values: object) -> None:
            problems.append(Problem(path.name, line, field, message, **values))

        missing = [c for c in sorted(REQUIRED) if not row.get(c)]
        if missing:
            bad(missing[0], N_("empty"))
            continue
        start = _start(row["start"])
        if start is None:
            bad(
                "start",
                N_("{value} is not a time like 2022-05-16T09:30"),
                value=repr(row["start"][:40]),
            )
            continue
        start = start if start.tzinfo else start.replace(tzinfo=zone)
        mobile = normalise(row.get("mobile", "")) if row.get("mobile") else None
        if row.get("mobile") and (mobile is None or not is_mobile(mobile)):
            bad("mobile", N_("{value} is not a mobile number"), value=repr(row["mobile"][:40]))
            continue
        phone = normalise(row.get("phone", "")) if row.get("phone") else None
        if row.get("phone") and phone is None:
            bad("phone", N_("{value} is not a phone number"), value=repr(row["phone"][:40]))
            continue
        status = row.get("status", "booked").lower() or "booked"
        if status not in ("booked", "cancelled"):
            bad("status", N_("{value} is neither booked nor cancelled"), value=repr(status[:40]))
            continue
        patient = Patient(
            row["patient"], row["name"], (row.get("language") or "fr").lower(), mobile, phone
        )
        appointment = BookedAppointment(
            external_id=row["appointment"],
            patient=patient,
            site=row["site"],
            activity=row["activity"],
            pathway=(row.get("pathway") or "routine").lower(),
            practitioner=row.get("practitioner", ""),
            starts_at=start,
            booked=status == "booked",
        )
        wrong = appointment_problems(appointment)
        if wrong:
            field, fault = wrong[0]
            bad(field, "{problem}", problem=fault)
            continue
        out.append((f"{path.name}:{line}", appointment))
    return out, problems


def _start(text: str) -> datetime | None:
    """A date with its time (a day alone is not an appointment), in ISO form."""
    if "T" not in text and " " not in text and "t" not in text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
