"""The inpatient census of a downtime snapshot: who lies in which bed, with what treatment.

Plain data read from an export (FHIR R4): nothing here is stored in the database. Every
problem found while reading stays attached to the census as an Issue, with the patient it
concerns when that is known, so that no patient and no order silently disappears.
"""

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from relance.domain.errors import Problem
from relance.domain.treatments import InvalidTiming, TimingRule, administration_times

NO_WARD = "SANS-SERVICE"  # the sheet of inpatients whose ward the export does not give


@dataclass(frozen=True)
class Ward:
    code: str  # also the sheet's file name
    name: str
    site: str
    site_name: str


@dataclass(frozen=True)
class Identity:
    patient_id: str  # the FHIR id: Patient/<id>
    identifier: str  # the hospital number printed and encoded in the QR code
    family: str
    given: str
    birth_date: str  # ISO, possibly partial (1941-03) as FHIR allows; "" when unknown
    gender: str  # male, female, other, unknown or ""
    language: str  # fr, nl, de, en... or ""
    readable: bool = True  # False: the Patient resource could not be read; what is shown is partial


@dataclass(frozen=True)
class Allergy:
    substance: str
    criticality: str = ""  # high, low, unable-to-assess
    reactions: tuple[str, ...] = ()
    severe: bool = False  # a reaction of severity "severe"
    no_known_allergy: bool = False  # a record that the patient has no known allergy
    unverified: bool = False  # read from a damaged resource: check it
    category: tuple[str, ...] = ()


@dataclass(frozen=True)
class MedicationOrder:
    order_id: str  # MedicationRequest id
    medication: str
    dose: str = ""
    route: str = ""
    instruction: str = ""  # the prescriber's free text (dosageInstruction.text)
    rule: TimingRule | None = None
    anchor: datetime | None = None  # first dose (boundsPeriod.start) or when it was written
    as_needed: bool = False
    as_needed_reason: str = ""
    max_dose: str = ""  # maxDosePerPeriod, as written
    rate: str = ""  # infusion rate
    timing_problem: str = ""  # why the timing could not be read: no grid, check the order
    unreadable: bool = False  # the MedicationRequest itself could not be read


@dataclass(frozen=True)
class Administration:
    given_at: datetime
    medication: str
    dose: str = ""
    route: str = ""
    order_id: str | None = None


@dataclass(frozen=True)
class Issue:
    problem: Problem
    patient_id: str | None = None  # the patient concerned, when the export tells

    @property
    def text(self) -> str:
        return str(self.problem)


@dataclass(frozen=True)
class Inpatient:
    identity: Identity
    encounter_id: str
    ward: str  # Ward.code, NO_WARD when unknown
    room: str = ""
    bed: str = ""
    admitted: datetime | None = None
    on_leave: bool = False
    allergies: tuple[Allergy, ...] = ()
    conditions: tuple[str, ...] = ()
    orders: tuple[MedicationOrder, ...] = ()
    administrations: tuple[Administration, ...] = ()  # newest first
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class CensusCounts:
    resources: int = 0  # resources read, of every type
    patients: int = 0  # Patient resources
    inpatients: int = 0
    active_orders: int = 0  # active MedicationRequests of inpatients (printed)
    orders_not_inpatient: int = 0  # active MedicationRequests of patients not in a bed
    ignored: dict[str, int] = field(default_factory=dict)  # skipped resources by reason


@dataclass(frozen=True)
class Census:
    as_of: datetime  # the export's time: what the sheets say ("état au ...")
    as_of_source: str  # --as-of, transactionTime (an export manifest's) or meta.lastUpdated
    wards: tuple[Ward, ...]
    inpatients: tuple[Inpatient, ...]
    issues: tuple[Issue, ...]  # every problem, including those attached to an inpatient
    counts: CensusCounts

    def of_ward(self, code: str) -> tuple[Inpatient, ...]:
        return tuple(p for p in self.inpatients if p.ward == code)

    @property
    def unattached_issues(self) -> tuple[Issue, ...]:
        """Problems of no printed patient: orphan orders, stays of unknown patients, bad lines."""
        printed = {p.identity.patient_id for p in self.inpatients}
        return tuple(i for i in self.issues if i.patient_id not in printed)


def planned_times(
    order: MedicationOrder, start: datetime, end: datetime, zone: tzinfo
) -> tuple[datetime, ...] | None:
    """The order's administrations in [start, end); None when its timing cannot be used."""
    if order.rule is None or order.timing_problem:
        return None if order.timing_problem else ()
    try:
        return administration_times(order.rule, start, end, zone, order.anchor)
    except InvalidTiming:
        return None


def bed_key(patient: Inpatient) -> tuple[str, str, str]:
    """Order of the blocks on a sheet: by room and bed, numbers in numeric order."""
    return (_natural(patient.room), _natural(patient.bed), patient.identity.family)


def _natural(text: str) -> str:
    return "".join(c.zfill(6) if c.isdigit() else c for c in _split_digits(text))


def _split_digits(text: str) -> list[str]:
    parts: list[str] = []
    for char in text:
        if parts and parts[-1][-1:].isdigit() == char.isdigit():
            parts[-1] += char
        else:
            parts.append(char)
    return parts
