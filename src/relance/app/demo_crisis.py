"""The crisis cell's records of the Vivalia replay: the night, the first decisions, the evidence.

From the public account (docs/reference-scenario.md): systems failing from about 01:30, the
monitoring alert at 03:29, the attack confirmed at 03:42, the network cut, the crisis cell at
Marche at about 06:00, and the rules decided for the Monday (day 2).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from relance.app.context import Context
from relance.app.incident import (
    add_log_entry,
    declare_incident,
    enter_phase,
    note_timeline,
    open_period,
    register_evidence,
    set_objective,
    transfer_evidence,
)
from relance.domain.incident import LogKind, Phase, Priority
from relance.storage.database import UnitOfWork

CELL = "demo:crisis-cell"
CERT = "federal CERT (CCB) investigators"
KEEPER = "demo:it-security-officer"


@dataclass(frozen=True)
class Seeded:
    timeline: int
    log: int
    periods: int


def _day(t0: datetime, day: int, hour: int, minute: int = 0) -> datetime:
    return (t0 + timedelta(days=day)).replace(hour=hour, minute=minute)


def night(t0: datetime) -> list[tuple[datetime, str, str]]:
    """(time, who, what) of the night of 13-14 May 2022."""
    return [
        (
            _day(t0, 0, 1, 30),
            "demo:night-nurse",
            "systems failing: emergency and intensive-care nurses see data disappear and "
            "photograph treatments and prescriptions",
        ),
        (_day(t0, 0, 3, 29), "demo:it-on-call", "monitoring alert: servers encrypting files"),
        (_day(t0, 0, 3, 42), "demo:it-lead", "attack confirmed: LockBit 2.0 ransom note"),
        (
            _day(t0, 0, 6),
            CELL,
            "crisis cell convened at Marche (management, medical and nursing directors, IT); "
            "hospital emergency plan activated; federal cyber experts joining",
        ),
    ]


# (day, hour, kind, priority, text, decided by, why)
LOG = (
    (
        0,
        6,
        LogKind.SITUATION,
        Priority.URGENT,
        "200 Windows servers and 1,500 workstations blocked; external communications cut; "
        "patient record (DPI) and electronic prescriptions paralysed; emergencies keep working",
        None,
        "",
    ),
    (
        0,
        7,
        LogKind.DECISION,
        Priority.URGENT,
        "Crisis headquarters at Marche; the cell meets every morning",
        "general management",
        "the main servers are at Marche",
    ),
    (
        0,
        9,
        LogKind.COMMUNICATION,
        Priority.IMPORTANT,
        "No e-mail: crisis communication over a messaging app",
        None,
        "",
    ),
    (
        1,
        10,
        LogKind.DECISION,
        Priority.URGENT,
        "Every consultation of Monday cancelled by SMS to each patient; physicians may keep "
        "some and call the patient themselves",
        "medical director",
        "no agenda and no patient record: consultations cannot run safely",
    ),
    (
        1,
        10,
        LogKind.DECISION,
        Priority.URGENT,
        "Each surgical patient of Monday called; surgery maintained or not case by case",
        "physicians, nurses and medical director",
        "operating rooms lack imaging and records; some operations cannot wait",
    ),
    (
        1,
        11,
        LogKind.DECISION,
        Priority.IMPORTANT,
        "Radiology and scintigraphy exams cancelled",
        "medical director",
        "RIS, PACS and nuclear-medicine systems are down",
    ),
    (
        1,
        11,
        LogKind.DECISION,
        Priority.IMPORTANT,
        "Blood-sampling centres maintained, laboratories in manual mode",
        "medical director",
        "sampling and manual analyses work on paper",
    ),
    (
        1,
        11,
        LogKind.DECISION,
        Priority.IMPORTANT,
        "Covid centres stopped",
        "general management",
        "no patient administration to register and report tests",
    ),
    (
        2,
        8,
        LogKind.SITUATION,
        Priority.ROUTINE,
        "Infrastructure rebuilt (network core, DNS, domain controllers); radiology next",
        None,
        "",
    ),
    (
        3,
        8,
        LogKind.DECISION,
        Priority.IMPORTANT,
        "Redeployment order: radiology first, then the patient record, then everything else",
        "crisis cell",
        "imaging gates surgery and emergencies; the patient record gates consultations",
    ),
)

OBJECTIVES = (
    ("cut the network, shut down and isolate every machine", "keep emergencies on paper"),
    ("rebuild network core, DNS and domain controllers", "cancel Monday's consultations by SMS"),
    ("rebuild EDR, backups and deployment; PACS archive", "call each surgical patient"),
    ("patient administration and RIS; radiology PCs at Marche", "recover the agendas"),
    ("radiology redeployed at Marche", "Libramont consultation PCs to the clean zone"),
)


def seed_incident(uow: UnitOfWork, t0: datetime) -> Seeded:
    """Declare the incident and write what the cell recorded of the night and the first days."""
    declare_incident(
        uow,
        Context(actor="demo:it-lead"),
        name="vivalia-2022",
        detected_at=_day(t0, 0, 3, 29),
        confirmed_at=_day(t0, 0, 3, 42),
        summary="LockBit 2.0 ransomware across the Vivalia network",
    )
    entries = night(t0)
    for at, who, text in entries:
        note_timeline(uow, Context(actor=who), text, at)
    for day, hour, kind, priority, text, decided_by, why in LOG:
        add_log_entry(
            uow,
            Context(actor=CELL),
            kind=kind,
            text=text,
            priority=priority,
            at=_day(t0, day, hour),
            decided_by=decided_by,
            rationale=why,
        )
    ctx = Context(actor=CELL)
    for number, (first, second) in enumerate(OBJECTIVES, start=1):
        start = _day(t0, 0, 6) if number == 1 else _day(t0, number - 1, 8)
        open_period(uow, ctx, start, _day(t0, number, 8))
        set_objective(uow, ctx, number, first, "IT")
        set_objective(uow, ctx, number, second, "medical director")
    return Seeded(len(entries), len(LOG), len(OBJECTIVES))


def enter(uow: UnitOfWork, actor: str, phase: Phase, at: datetime, why: str) -> None:
    enter_phase(uow, Context(actor=actor), phase, at, why)


def register_images(uow: UnitOfWork, actor: str, images: dict[str, str], at: datetime) -> None:
    """Each forensic image (hostname -> SHA-256) in the register, then handed to the CERT."""
    for hostname, digest in images.items():
        item = register_evidence(
            uow,
            Context(actor=actor),
            sha256=digest,
            description=f"forensic disk image of {hostname} (replay hash)",
            asset=hostname,
            at=at,
            holder=KEEPER,
        )
        transfer_evidence(
            uow,
            Context(actor=KEEPER),
            item.reference,
            to=CERT,
            at=at + timedelta(hours=1),
            reason="sealed drive handed over for the investigation",
        )
