"""Who a FHIR Patient is, as printed on a ward sheet: name, birth date, sex, language, and the
hospital number encoded in the QR code (an identifier of type MR first, else the first one).
"""

from datetime import date
from typing import Any

from fhir.resources.R4B.patient import Patient

from relance.domain.census import Identity
from relance.importers.fhir_files import Raw

HOSPITAL_NUMBER_TYPES = {"MR", "PI", "PT"}  # v2-0203: medical record, patient internal, temporary


def identity(patient: Patient) -> Identity:
    family, given = _name(patient.name or [])
    return Identity(
        patient_id=f"Patient/{patient.id}",
        identifier=_hospital_number(patient.identifier or []) or str(patient.id),
        family=family,
        given=given,
        birth_date=_birth(patient.birthDate),
        gender=str(patient.gender or ""),
        language=_language(patient),
    )


def salvaged_identity(data: Raw) -> Identity:
    """What can be read of a Patient resource that is not valid FHIR: strings only."""
    names = _list(data.get("name"))
    first = names[0] if names and isinstance(names[0], dict) else {}
    given = _list(first.get("given"))
    identifiers = _list(data.get("identifier"))
    number = next(
        (str(i["value"]) for i in identifiers if isinstance(i, dict) and i.get("value")), ""
    )
    birth = data.get("birthDate")
    return Identity(
        patient_id=f"Patient/{data.get('id', '?')}",
        identifier=number or str(data.get("id", "?")),
        family=str(first.get("family") or "") if isinstance(first.get("family"), str) else "",
        given=" ".join(g for g in given if isinstance(g, str)),
        birth_date=birth if isinstance(birth, str) else "",
        gender=str(data.get("gender") or "") if isinstance(data.get("gender"), str) else "",
        language="",
        readable=False,
    )


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _name(names: list[Any]) -> tuple[str, str]:
    chosen = next((n for n in names if n.use == "official"), names[0] if names else None)
    if chosen is None:
        return "", ""
    family = str(chosen.family or "")
    given = " ".join(str(g) for g in chosen.given or [])
    if not family and not given and chosen.text:
        return str(chosen.text), ""
    return family, given


def _hospital_number(identifiers: list[Any]) -> str:
    for identifier in identifiers:
        types = {c.code for c in (identifier.type.coding or [])} if identifier.type else set()
        if identifier.value and types & HOSPITAL_NUMBER_TYPES:
            return str(identifier.value)
    return next((str(i.value) for i in identifiers if i.value), "")


def _birth(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value or "")


def _language(patient: Patient) -> str:
    communications = sorted(patient.communication or [], key=lambda c: not c.preferred)
    for communication in communications:
        language = communication.language
        code = next((c.code for c in language.coding or [] if c.code), None) or language.text
        if code:
            return str(code).split("-")[0].lower()
    return ""
