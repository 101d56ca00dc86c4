"""A realistic week of appointments for a network, deterministic from a seed.

For the reference scenario: about 6,500 consultations a week (Vivalia had 6,349 to triage for
the week after the attack), plus surgery, radiology, scintigraphy and blood sampling; patients
speak French, Dutch or German (a few English), most have a Belgian mobile, some only a landline.
"""

import csv
import json
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.domain.appointments import BookedAppointment, Patient

WEEKLY = {
    "consultations": 6500,
    "radiology": 1500,
    "blood_sampling": 2000,
    "surgery": 400,
    "scintigraphy": 100,
}
PATHWAYS = (
    ("routine", 80),
    ("diabetology", 5),
    ("pregnancy", 4),
    ("oncology", 4),
    ("plaster", 3),
    ("chemotherapy", 2),
    ("follow-up", 2),
)
LANGUAGES = (("fr", 85), ("nl", 7), ("de", 6), ("en", 2))
FIRST = {
    "fr": (
        "Marie",
        "Jean",
        "Nathalie",
        "Philippe",
        "Isabelle",
        "Luc",
        "Sophie",
        "Michel",
        "Julie",
        "Thomas",
        "Anne",
        "Pierre",
        "Claire",
        "Nicolas",
        "Léa",
        "Hugo",
    ),
    "nl": (
        "Jan",
        "Els",
        "Pieter",
        "An",
        "Koen",
        "Sofie",
        "Bart",
        "Lotte",
        "Wim",
        "Eva",
        "Tom",
        "Lien",
    ),
    "de": (
        "Hans",
        "Ursula",
        "Jürgen",
        "Petra",
        "Klaus",
        "Monika",
        "Stefan",
        "Sabine",
        "Lukas",
        "Anna",
    ),
    "en": ("John", "Mary", "David", "Sarah", "James", "Emma"),
}
LAST = {
    "fr": (
        "Dupont",
        "Lambert",
        "Martin",
        "Dubois",
        "Lejeune",
        "Simon",
        "Laurent",
        "Lemaire",
        "Collard",
        "Georges",
        "Thiry",
        "Henrard",
        "Leroy",
        "Renard",
        "Gérard",
        "Jacquemin",
    ),
    "nl": (
        "Peeters",
        "Janssens",
        "Maes",
        "Jacobs",
        "Willems",
        "Claes",
        "Goossens",
        "Wouters",
        "De Smet",
        "Vermeulen",
    ),
    "de": ("Schmitz", "Müller", "Krings", "Heinen", "Kessler", "Thelen", "Meyer", "Lenz"),
    "en": ("Smith", "Jones", "Brown", "Taylor", "Wilson"),
}
LANDLINE_PREFIXES = ("63", "61", "84", "80")  # Arlon, Libramont, Marche, the Ardennes


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _patients(rng: random.Random, count: int) -> list[Patient]:
    out = []
    for i in range(count):
        language = _pick(rng, LANGUAGES)
        name = f"{rng.choice(FIRST[language])} {rng.choice(LAST[language])}"
        has_mobile = rng.random() < 0.9
        mobile = f"+324{rng.choice('789')}{rng.randrange(10**7):07d}" if has_mobile else None
        phone = (
            None if has_mobile else f"+32{rng.choice(LANDLINE_PREFIXES)}{rng.randrange(10**6):06d}"
        )
        out.append(Patient(f"PAT-{i + 1:06d}", name, language, mobile, phone))
    return out


def generate_book(
    offered: Sequence[tuple[str, str]],
    week_start: date,
    zone: ZoneInfo,
    seed: int = 2022,
    scale: float = 1.0,
) -> list[BookedAppointment]:
    """Appointments from Monday `week_start` over six days, for the (site, activity) offered."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    total = sum(round(n * scale) for n in WEEKLY.values())
    patients = _patients(rng, max(1, int(total * 0.8)))
    book: list[BookedAppointment] = []
    for activity, weekly in WEEKLY.items():
        sites = [s for s, a in offered if a == activity]
        for _ in range(round(weekly * scale) if sites else 0):
            day = week_start + timedelta(days=rng.choices(range(6), (20, 20, 20, 20, 18, 2))[0])
            first, last = (7, 11) if activity == "blood_sampling" else (8, 17)
            start = datetime.combine(
                day, time(rng.randint(first, last), rng.choice((0, 15, 30, 45))), zone
            )
            pathway = (
                "surgery"
                if activity == "surgery"
                else _pick(rng, PATHWAYS)
                if activity == "consultations"
                else "routine"
            )
            book.append(
                BookedAppointment(
                    external_id=f"RDV-{week_start:%Y%m%d}-{len(book) + 1:06d}",
                    patient=rng.choice(patients),
                    site=rng.choice(sites),
                    activity=activity,
                    pathway=pathway,
                    practitioner=f"Dr {rng.choice(LAST['fr'])}",
                    starts_at=start,
                )
            )
    return sorted(book, key=lambda a: (a.starts_at, a.external_id))


def write_csv(book: Sequence[BookedAppointment], out: Path, zone: ZoneInfo) -> None:
    """The documented CSV columns, times in local time with their offset."""
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "appointment",
                "patient",
                "name",
                "language",
                "mobile",
                "phone",
                "site",
                "activity",
                "pathway",
                "practitioner",
                "start",
                "status",
            ]
        )
        for a in book:
            p = a.patient
            writer.writerow(
                [
                    a.external_id,
                    p.external_id,
                    p.name,
                    p.language,
                    p.mobile or "",
                    p.phone or "",
                    a.site,
                    a.activity,
                    a.pathway,
                    a.practitioner,
                    a.starts_at.astimezone(zone).isoformat(),
                    "booked" if a.booked else "cancelled",
                ]
            )


def write_fhir(book: Sequence[BookedAppointment], out: Path) -> int:
    """NDJSON of Patient, Location, HealthcareService and Appointment resources; their count."""
    lines: list[dict[str, object]] = []
    patients = {a.patient.external_id: a.patient for a in book}
    for key, p in patients.items():
        telecom = [{"system": "sms", "value": p.mobile, "use": "mobile"}] if p.mobile else []
        telecom += [{"system": "phone", "value": p.phone, "use": "home"}] if p.phone else []
        given, _, family = p.name.partition(" ")
        lines.append(
            {
                "resourceType": "Patient",
                "id": key,
                "name": [{"given": [given], "family": family}],
                "telecom": telecom,
                "communication": [
                    {
                        "language": {
                            "coding": [{"system": "urn:ietf:bcp:47", "code": f"{p.language}-BE"}]
                        },
                        "preferred": True,
                    }
                ],
            }
        )
    for site in sorted({a.site for a in book}):
        lines.append(
            {
                "resourceType": "Location",
                "id": f"site-{site}",
                "identifier": [{"value": site}],
                "name": site,
            }
        )
    for site, activity in sorted({(a.site, a.activity) for a in book}):
        lines.append(
            {
                "resourceType": "HealthcareService",
                "id": f"{site}-{activity}".replace("_", "-"),
                "type": [{"coding": [{"code": activity}]}],
            }
        )
    for a in book:
        lines.append(
            {
                "resourceType": "Appointment",
                "id": a.external_id,
                "status": "booked" if a.booked else "cancelled",
                "start": a.starts_at.isoformat(),
                "end": (a.starts_at + timedelta(minutes=15)).isoformat(),
                "reasonCode": [{"coding": [{"code": a.pathway}]}],
                "participant": [
                    {
                        "actor": {"reference": f"Patient/{a.patient.external_id}"},
                        "status": "accepted",
                    },
                    {"actor": {"reference": f"Location/site-{a.site}"}, "status": "accepted"},
                    {
                        "actor": {
                            "reference": f"HealthcareService/{a.site}-{a.activity}".replace(
                                "_", "-"
                            )
                        },
                        "status": "accepted",
                    },
                ],
            }
        )
    out.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8"
    )
    return len(lines)
