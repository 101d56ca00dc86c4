"""The inpatient census from a FHIR R4 export, for the downtime ward sheets.

An inpatient is a Patient with an Encounter of class IMP (or ACUTE, NONAC) whose status is
in-progress (or onleave); the bed, room, ward and site come from Encounter.location, following
Location.partOf upwards and reading Location.physicalType (bd, ro, wa, si or bu). Their active
MedicationRequests (intent order), MedicationAdministrations, AllergyIntolerances and active
Conditions are attached by subject, or by encounter when the subject is missing.

A bad resource never stops the reading: it becomes an Issue (file, line, resource, field,
message) attached to its patient when one can be found, and what can be read of it is kept
(an unreadable order is still printed as an order to check). Only an input with no resource
at all, or with no time to print ("état au"), is refused.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.medicationadministration import MedicationAdministration
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from relance.domain.census import (
    NO_WARD,
    Administration,
    Allergy,
    Census,
    CensusCounts,
    Inpatient,
    Issue,
    MedicationOrder,
    Ward,
    bed_key,
)
from relance.domain.errors import N_, Problem, RejectedInput
from relance.importers import fhir_treatments as treatments
from relance.importers import validation
from relance.importers.fhir_files import (
    Export,
    Index,
    Place,
    Raw,
    raw_code,
    raw_list,
    raw_reference,
    raw_str,
    raw_text,
    stream,
)
from relance.importers.fhir_people import identity, salvaged_identity

MODELS: dict[str, Any] = {
    "Patient": Patient,
    "Encounter": Encounter,
    "Location": Location,
    "Medication": Medication,
    "MedicationRequest": MedicationRequest,
    "MedicationAdministration": MedicationAdministration,
    "AllergyIntolerance": AllergyIntolerance,
    "Condition": Condition,
}
INDEXED = {"Patient", "Location", "Medication", "Encounter"}
INPATIENT_CLASSES = {"IMP", "ACUTE", "NONAC"}
STAY_STATUSES = {"in-progress", "onleave"}
ORDER_INTENTS = {"order", "original-order", "reflex-order", "filler-order", "instance-order"}
GIVEN_STATUSES = {"completed", "in-progress"}
ACTIVE_CONDITIONS = {"active", "recurrence", "relapse"}
LEVELS = {"bd": "bed", "ro": "room", "wa": "ward", "si": "site", "bu": "site"}
OUTPATIENT = ""  # owner of a resource whose patient is known but not in a bed


def read_census(paths: Sequence[Path], *, zone: tzinfo, as_of: datetime | None = None) -> Census:
    """The census of these files or directories; RejectedInput if there is nothing to print."""
    export, index = Export(), Index()
    kept: dict[str, list[tuple[Place, Raw]]] = defaultdict(list)
    ignored: Counter[str] = Counter()
    for place, data in stream(paths, export):
        kind = data["resourceType"]
        if kind in INDEXED:
            index.add(place, data)
        reason = _skipped(kind, data)
        if reason:
            ignored[reason] += 1
        else:
            kept[kind].append((place, data))
    if export.resources == 0:
        problems = export.problems or [Problem(_names(export), None, "", N_("no FHIR resource"))]
        raise RejectedInput(problems)
    when, source = _as_of(as_of, export)
    builder = _Builder(index, zone)
    builder.issues += [Issue(p) for p in export.problems]
    return builder.census(kept, when, source, CensusCounts(export.resources, ignored=ignored))


def _names(export: Export) -> str:
    return ", ".join(p.name for p in export.files) or "input"


def _as_of(option: datetime | None, export: Export) -> tuple[datetime, str]:
    if option is not None:
        return option, "--as-of"
    if export.transaction_time is not None:
        return export.transaction_time, "transactionTime"
    if export.newest_update is not None:
        return export.newest_update, "meta.lastUpdated"
    message = N_("no resource says when it was last updated: give the export's time with --as-of")
    raise RejectedInput([Problem(_names(export), None, "meta.lastUpdated", message)])


def _skipped(kind: str, data: Raw) -> str | None:  # noqa: PLR0911 - one line per resource type
    """Why a resource is not part of the census (counted, not reported), else None."""
    status = raw_str(data, "status")
    if kind in ("Patient", "Location", "Medication"):
        return "indexed"
    if kind == "Encounter":
        if status not in STAY_STATUSES:
            return "Encounter not in progress"
        klass = raw_code(data, "class")
        return None if klass is None or klass in INPATIENT_CLASSES else "Encounter not inpatient"
    if kind == "MedicationRequest":
        if status is not None and status != "active":
            return "MedicationRequest not active"
        intent = raw_str(data, "intent")
        return None if intent is None or intent in ORDER_INTENTS else "MedicationRequest no order"
    if kind == "MedicationAdministration":
        return None if status in GIVEN_STATUSES else "MedicationAdministration not given"
    if kind == "Condition":
        clinical = raw_code(data, "clinicalStatus")
        return None if clinical in (None, *ACTIVE_CONDITIONS) else "Condition not active"
    if kind == "AllergyIntolerance":
        clinical, verified = raw_code(data, "clinicalStatus"), raw_code(data, "verificationStatus")
        if clinical in ("inactive", "resolved") or verified in ("refuted", "entered-in-error"):
            return "AllergyIntolerance not active"
        return None
    return f"{kind} not used"


@dataclass(frozen=True)
class _Stay:
    place: Place
    encounter: str
    patient: str
    ward: Ward | None
    room: str
    bed: str
    start: datetime | None
    on_leave: bool


class _Builder:
    """Resolves references, validates what is used, and collects every issue."""

    def __init__(self, index: Index, zone: tzinfo) -> None:
        self.index, self.zone = index, zone
        self.issues: list[Issue] = []
        self._models: dict[Place, Any] = {}
        self._wards: dict[str, Ward] = {}  # Location key -> Ward
        self._stay_of_encounter: dict[str, str] = {}  # Encounter key -> patient key
        self._outpatient_orders = 0  # active orders of patients not in a bed

    def problem(
        self,
        place: Place,
        key: str,
        field: str,
        message: str,
        owner: str | None,
        **values: object,
    ) -> None:
        """An issue of `key` here, shown with the patient `owner` (None: whose is unknown)."""
        where = f"{key} {field}".strip()
        self.issues.append(Issue(place.problem(where, message, **values), owner or None))

    def model(self, place: Place, data: Raw, patient: str | None = None, owner: str = "") -> Any:
        """The validated resource, or None after reporting why it cannot be read.

        `owner` names the patient field (subject, patient) to fill with `patient` when it is
        missing: the resource was attached through its encounter, as its issue already says.
        """
        if owner and patient and owner not in data:
            data = {**data, owner: {"reference": patient}}
        if place not in self._models:
            try:
                self._models[place] = MODELS[data["resourceType"]].model_validate(data)
            except ValidationError as error:
                key = f"{data['resourceType']}/{data.get('id', '?')}"
                for item in error.errors()[:5]:
                    field = ".".join(str(p) for p in item["loc"])
                    message, values = validation.said(item)
                    self.problem(place, key, field, message, patient, **values)
                self._models[place] = None
        return self._models[place]

    def census(
        self,
        kept: dict[str, list[tuple[Place, Raw]]],
        as_of: datetime,
        source: str,
        counts: CensusCounts,
    ) -> Census:
        stays = self._stays(kept["Encounter"])
        orders = self._orders(kept["MedicationRequest"], stays)
        given = self._administrations(kept["MedicationAdministration"], stays)
        allergies = self._allergies(kept["AllergyIntolerance"], stays)
        conditions = self._conditions(kept["Condition"], stays)
        inpatients = []
        for patient, stay in stays.items():
            found = self.index.get(patient)
            assert found is not None  # noqa: S101 - stays only keep patients of the export
            model = self.model(*found, patient=patient)
            person = identity(model) if model else salvaged_identity(found[1])
            inpatients.append(
                Inpatient(
                    identity=person,
                    encounter_id=stay.encounter,
                    ward=stay.ward.code if stay.ward else NO_WARD,
                    room=stay.room,
                    bed=stay.bed,
                    admitted=stay.start,
                    on_leave=stay.on_leave,
                    allergies=tuple(allergies[patient]),
                    conditions=tuple(dict.fromkeys(conditions[patient])),
                    orders=tuple(orders[patient]),
                    administrations=tuple(
                        sorted(given[patient], key=lambda a: a.given_at, reverse=True)
                    ),
                )
            )
        by_patient: dict[str | None, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            by_patient[issue.patient_id].append(issue)
        inpatients = [
            replace(p, issues=tuple(by_patient[p.identity.patient_id])) for p in inpatients
        ]
        inpatients.sort(key=lambda p: (p.ward, *bed_key(p)))
        wards = sorted({w.code: w for w in self._wards.values()}.values(), key=_ward_order)
        if any(p.ward == NO_WARD for p in inpatients):
            wards.append(Ward(NO_WARD, "", "", ""))
        counts = replace(
            counts,
            patients=sum(1 for k in self.index.resources if k.startswith("Patient/")),
            inpatients=len(inpatients),
            active_orders=sum(len({o.order_id for o in p.orders}) for p in inpatients),
            orders_not_inpatient=self._outpatient_orders,
        )
        return Census(as_of, source, tuple(wards), tuple(inpatients), tuple(self.issues), counts)

    # --- stays and places -------------------------------------------------------------------

    def _stays(self, encounters: list[tuple[Place, Raw]]) -> dict[str, _Stay]:
        found: dict[str, list[_Stay]] = defaultdict(list)
        for place, data in encounters:
            key = f"Encounter/{data.get('id', '?')}"
            patient = self.index.key(raw_reference(data, "subject"))
            self.model(place, data, patient)
            ward, room, bed = self._placement(place, key, data, patient)
            where = f"{ward.code if ward else NO_WARD} {bed or room}".strip()
            if patient is None:
                message = N_("inpatient stay in {where} without patient")
                self.problem(place, key, "subject", message, None, where=where)
                continue
            if not patient.startswith("Patient/") or self.index.get(patient) is None:
                message = N_("inpatient stay in {where}: {patient} is not in the export")
                self.problem(place, key, "subject", message, None, where=where, patient=patient)
                continue
            start = treatments.moment(_period_start(data), self.zone)
            found[patient].append(
                _Stay(place, key, patient, ward, room, bed, start, data.get("status") == "onleave")
            )
        chosen: dict[str, _Stay] = {}
        for patient, stays in found.items():
            stays.sort(key=lambda s: s.start or datetime.min.replace(tzinfo=self.zone))
            chosen[patient] = stays[-1]
            if len(stays) > 1:
                others = ", ".join(s.encounter for s in stays[:-1])
                message = N_("also in progress: {others}; printed in the newest stay's bed")
                last = stays[-1]
                self.problem(last.place, last.encounter, "", message, patient, others=others)
            for stay in stays:
                self._stay_of_encounter[stay.encounter] = patient
        return chosen

    def _placement(
        self, place: Place, key: str, data: Raw, patient: str | None
    ) -> tuple[Ward | None, str, str]:
        best: dict[str, tuple[str, Raw]] = {}
        for entry in raw_list(data.get("location")):
            if not isinstance(entry, dict) or entry.get("status") in ("completed", "planned"):
                continue
            location = self.index.key(raw_reference(entry, "location"))
            if self.index.get(location) is None:
                message = N_("{reference} is not in the export")
                self.problem(place, key, "location", message, patient, reference=location)
                continue
            levels = self._levels(location, raw_code(entry, "physicalType"))
            if len(levels) > len(best) or ("bed" in levels and "bed" not in best):
                best = levels
        ward = self._ward(best) if "ward" in best else None
        if ward is None:
            message = N_("no ward (a Location of physicalType wa above the bed): sheet {sheet}")
            self.problem(place, key, "location", message, patient, sheet=NO_WARD)
        room = _label(best["room"][1]) if "room" in best else ""
        bed = _label(best["bed"][1]) if "bed" in best else ""
        return ward, room, bed

    def _levels(self, key: str | None, entry_type: str | None) -> dict[str, tuple[str, Raw]]:
        """bed, room, ward, site: the Locations above (and including) this one."""
        levels: dict[str, tuple[str, Raw]] = {}
        seen: set[str] = set()
        while key and key not in seen and (found := self.index.get(key)) is not None:
            place, data = found
            self.model(place, data)
            kind = raw_code(data, "physicalType") or (None if seen else entry_type)
            seen.add(key)
            level = LEVELS.get(kind or "")
            if level and level not in levels:
                levels[level] = (key, data)
            key = self.index.key(raw_reference(data, "partOf"))
        return levels

    def _ward(self, levels: dict[str, tuple[str, Raw]]) -> Ward:
        key, data = levels["ward"]
        if key not in self._wards:
            site = levels.get("site")
            code = _file_safe(_code_of(data)) or _file_safe(key.split("/")[-1])
            taken = {w.code for w in self._wards.values()}
            unique, n = code, 2
            while unique in taken:
                unique, n = f"{code}-{n}", n + 1
            self._wards[key] = Ward(
                unique,
                str(data.get("name") or code),
                _code_of(site[1]) if site else "",
                str(site[1].get("name") or "") if site else "",
            )
        return self._wards[key]

    # --- what is attached to the inpatients ---------------------------------------------------

    def _owner(
        self, place: Place, key: str, data: Raw, subject: str, stays: dict[str, _Stay]
    ) -> str | None:
        """The inpatient a resource belongs to; OUTPATIENT for a patient not in a bed; None
        (after an issue) when the export does not say whose it is."""
        patient = self.index.key(raw_reference(data, subject))
        if patient in stays:
            return patient
        encounter = self.index.key(
            raw_reference(data, "encounter") or raw_reference(data, "context")
        )
        via = self._stay_of_encounter.get(encounter or "")
        if patient is not None and self.index.get(patient) is not None:
            if via and via != patient:
                message = N_("{patient} differs from the patient of {encounter}: check")
                self.problem(
                    place, key, subject, message, via, patient=patient, encounter=encounter
                )
                return via
            return OUTPATIENT
        if via:
            message = (
                N_("refers to {patient}, not in the export; shown with the patient of {encounter}")
                if patient
                else N_("missing; shown with the patient of {encounter}")
            )
            self.problem(place, key, subject, message, via, patient=patient, encounter=encounter)
            return via
        message = (
            N_("refers to {patient}, not in the export: whose is it?")
            if patient
            else N_("missing: whose is it?")
        )
        self.problem(place, key, subject, message, None, patient=patient)
        return None

    def _orders(
        self, requests: list[tuple[Place, Raw]], stays: dict[str, _Stay]
    ) -> dict[str, list[MedicationOrder]]:
        found: dict[str, list[MedicationOrder]] = defaultdict(list)
        for place, data in requests:
            key = f"MedicationRequest/{data.get('id', '?')}"
            patient = self._owner(place, key, data, "subject", stays)
            if patient == OUTPATIENT:
                self._outpatient_orders += 1
            if not patient:
                continue
            model = self.model(place, data, patient, owner="subject")
            if model is None:
                name = raw_text(data, "medicationCodeableConcept")
                found[patient].append(
                    MedicationOrder(str(data.get("id", "?")), name, unreadable=True)
                )
                continue
            name = self._medication(place, key, model, patient)
            orders, problems = treatments.orders(model, name, self.zone)
            for field, fault in problems:
                self.problem(place, key, field, "{problem}", patient, problem=fault)
            found[patient] += orders
        return found

    def _medication(self, place: Place, key: str, model: Any, patient: str) -> str:
        if model.medicationCodeableConcept is not None:
            return treatments.text(model.medicationCodeableConcept)
        reference = model.medicationReference
        if reference is None or not reference.reference:
            self.problem(place, key, "medication[x]", N_("no medication"), patient)
            return str(reference.display or "") if reference else ""
        if reference.reference.startswith("#"):
            for contained in model.contained or []:
                if getattr(contained, "id", None) == reference.reference[1:]:
                    return treatments.text(getattr(contained, "code", None))
        target = self.index.key(reference.reference)
        found = self.index.get(target)
        medication = self.model(*found, patient=patient) if found else None
        if medication is None:
            message = N_("{reference} is not in the export or cannot be read")
            self.problem(place, key, "medicationReference", message, patient, reference=target)
            return str(reference.display or "")
        return treatments.text(medication.code) or str(reference.display or "")

    def _administrations(
        self, records: list[tuple[Place, Raw]], stays: dict[str, _Stay]
    ) -> dict[str, list[Administration]]:
        found: dict[str, list[Administration]] = defaultdict(list)
        for place, data in records:
            key = f"MedicationAdministration/{data.get('id', '?')}"
            patient = self._owner(place, key, data, "subject", stays)
            model = self.model(place, data, patient, owner="subject") if patient else None
            if model is None:
                continue
            request = self.index.key(model.request.reference if model.request else None)
            order = request.split("/")[-1] if request and request.startswith("Medication") else None
            given = treatments.administration(
                model, self._medication(place, key, model, str(patient)), order, self.zone
            )
            if given is None:
                no_time = N_("no time of administration")
                self.problem(place, key, "effective[x]", no_time, patient)
            else:
                found[str(patient)].append(given)
        return found

    def _allergies(
        self, records: list[tuple[Place, Raw]], stays: dict[str, _Stay]
    ) -> dict[str, list[Allergy]]:
        found: dict[str, list[Allergy]] = defaultdict(list)
        for place, data in records:
            key = f"AllergyIntolerance/{data.get('id', '?')}"
            patient = self._owner(place, key, data, "patient", stays)
            if not patient:
                continue
            model = self.model(place, data, patient, owner="patient")
            if model is None:  # an allergy is shown even from a damaged resource
                found[patient].append(
                    Allergy(
                        raw_text(data, "code"), str(data.get("criticality") or ""), unverified=True
                    )
                )
            else:
                found[patient].append(treatments.allergy(model))
        return found

    def _conditions(
        self, records: list[tuple[Place, Raw]], stays: dict[str, _Stay]
    ) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for place, data in records:
            key = f"Condition/{data.get('id', '?')}"
            patient = self._owner(place, key, data, "subject", stays)
            model = self.model(place, data, patient, owner="subject") if patient else None
            if model is not None and treatments.active_condition(model):
                found[str(patient)].append(treatments.condition(model))
        return found


def _period_start(data: Raw) -> object:
    period = data.get("period")
    return period.get("start") if isinstance(period, dict) else None


def _code_of(data: Raw) -> str:
    for identifier in raw_list(data.get("identifier")):
        if isinstance(identifier, dict) and identifier.get("value"):
            return str(identifier["value"])
    alias = data.get("alias")
    if isinstance(alias, list) and alias:
        return str(alias[0])
    return str(data.get("name") or data.get("id") or "")


def _label(data: Raw) -> str:
    return str(data.get("name") or _code_of(data))


def _file_safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:60]


def _ward_order(ward: Ward) -> tuple[str, str]:
    return (ward.site, ward.code)
