"""The crisis cell's records of the Vivalia replay, true to the public record.

What the cell noted, logged and decided is in `scenarios/vivalia-2022/crisis-cell.yaml`, in French
(its language); each entry names its row in the fact table of docs/reference-scenario.md, which
cites its source or says why it is assumed (a test checks). The demo's machines are replayed for
the first days only; the cell's records follow the record to June.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from importlib.resources import files
from typing import Any

import yaml

from relance.app.claims import extend_claim, record_claim, set_claim_status
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
from relance.domain.duties import ClaimStatus
from relance.domain.incident import LogKind, Measure, Phase, Priority
from relance.domain.roles import CONSOLE
from relance.storage.database import UnitOfWork

CELL = "demo:cellule-de-crise"
KEEPER = "demo:securite-informatique"
POLICE = "police judiciaire fédérale (enquête judiciaire du parquet)"
INCIDENT = "Vivalia 2022"
TIMELINE = "timeline"  # an entry of the timeline, not of the log

OBJECTIVES = (
    ("couper le réseau, éteindre et isoler chaque machine", "tenir les urgences sur papier"),
    (
        "reconstruire le cœur de réseau, le DNS et les contrôleurs de domaine",
        "annuler par SMS les consultations de lundi",
    ),
    (
        "reconstruire l'EDR, les sauvegardes et le déploiement ; l'archive PACS",
        "appeler chaque patient de chirurgie",
    ),
    ("administration des patients et RIS ; postes de radiologie à Marche", "récupérer les agendas"),
    ("radiologie redéployée à Marche", "postes de consultation de Libramont en zone propre"),
)


@dataclass(frozen=True)
class Entry:
    """One recorded fact: `day` counts from day 0, `at` is the local time."""

    fact: str  # its row in docs/reference-scenario.md
    day: int
    at: time
    kind: str  # TIMELINE or a LogKind value
    who: str
    text: str
    priority: Priority = Priority.ROUTINE
    decided_by: str | None = None
    why: str = ""
    measure: Measure | None = None
    links: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: dict[str, Any]) -> "Entry":
        return cls(
            fact=data["fact"],
            day=data["day"],
            at=time.fromisoformat(data["at"]),
            kind=data["kind"],
            who=data["who"],
            text=data["text"],
            priority=Priority(data.get("priority", Priority.ROUTINE.value)),
            decided_by=data.get("decided_by"),
            why=data.get("why", ""),
            measure=Measure(data["measure"]) if "measure" in data else None,
            links=tuple(data.get("links", ())),
        )

    def moment(self, t0: datetime) -> datetime:
        return at(t0, self.day, self.at.hour, self.at.minute)


def entries() -> list[Entry]:
    """The cell's records shipped with the reference scenario."""
    text = files("relance.scenarios").joinpath("vivalia-2022/crisis-cell.yaml").read_text("utf-8")
    return [Entry.of(item) for item in yaml.safe_load(text)]


@dataclass(frozen=True)
class Seeded:
    timeline: int
    log: int
    periods: int


def at(t0: datetime, day: int, hour: int, minute: int = 0) -> datetime:
    return (t0 + timedelta(days=day)).replace(hour=hour, minute=minute)


def seed_incident(uow: UnitOfWork, t0: datetime) -> Seeded:
    """Declare the incident and write what the cell recorded, from the night to June."""
    declare_incident(
        uow,
        Context(actor="demo:directeur-informatique"),
        name=INCIDENT,
        detected_at=at(t0, 0, 3, 29),
        confirmed_at=at(t0, 0, 3, 42),
        summary="attaque informatique : serveurs Windows bloqués sur tous les sites ; origine "
        "inconnue",
    )
    recorded = entries()
    for e in recorded:
        if e.kind == TIMELINE:
            note_timeline(uow, Context(actor=e.who), e.text, e.moment(t0))
            continue
        add_log_entry(
            uow,
            Context(actor=e.who),
            kind=LogKind(e.kind),
            text=e.text,
            priority=e.priority,
            at=e.moment(t0),
            decided_by=e.decided_by,
            rationale=e.why,
            links=e.links,
            measure=e.measure,
        )
    ctx = Context(actor=CELL)
    for number, (first, second) in enumerate(OBJECTIVES, start=1):
        start = at(t0, 0, 6) if number == 1 else at(t0, number - 1, 8)
        open_period(uow, ctx, start, at(t0, number, 8))
        set_objective(uow, ctx, number, first, "informatique")
        set_objective(uow, ctx, number, second, "direction médicale")
    seed_claim(uow, t0)
    timeline = sum(e.kind == TIMELINE for e in recorded)
    return Seeded(timeline, len(recorded) - timeline, len(OBJECTIVES))


def enter(uow: UnitOfWork, actor: str, phase: Phase, moment: datetime, why: str) -> None:
    enter_phase(uow, Context(actor=actor), phase, moment, why)


def register_images(uow: UnitOfWork, actor: str, images: dict[str, str], moment: datetime) -> None:
    """Each forensic image (hostname -> SHA-256) in the register, kept by IT security, then
    handed to the judicial police for the prosecutor's investigation."""
    for hostname, digest in images.items():
        item = register_evidence(
            uow,
            Context(actor=actor),
            sha256=digest,
            description=f"image disque de {hostname} pour l'enquête (empreinte du rejeu)",
            asset=hostname,
            at=moment,
            holder=KEEPER,
        )
        transfer_evidence(
            uow,
            Context(actor=KEEPER),
            item.reference,
            to=POLICE,
            at=moment + timedelta(hours=1),
            reason="disque scellé remis pour l'enquête judiciaire",
        )


def seed_claim(uow: UnitOfWork, t0: datetime) -> None:
    """LockBit 2.0's claim in the claims register, as the timeline tells it (F21, F28-F30):
    400 GB, 8 days, extended by two, expired on the Saturday evening, then gone from the site.
    The screenshot's hash is the replay's: the record keeps no screenshot."""
    ctx = Context(actor="demo:securite-informatique", authority=CONSOLE)
    seen = at(t0, 4, 12)
    screenshot = hashlib.sha256(b"relance demo screenshot of the LockBit 2.0 claim").hexdigest()
    claim = record_claim(
        uow,
        ctx,
        group="LockBit 2.0",
        seen_at=seen,
        where="site de fuite du groupe",
        volume="400 Go",
        deadline=seen + timedelta(days=8),
        screenshots=[screenshot],
    )
    first = seen + timedelta(days=8)
    extend_claim(uow, ctx, claim.reference, first + timedelta(days=2), first)
    set_claim_status(uow, ctx, claim.reference, ClaimStatus.EXPIRED, at=at(t0, 14, 20))
    removed = "toute mention de Vivalia a disparu du site (Le Soir, dimanche soir)"
    set_claim_status(
        uow, ctx, claim.reference, ClaimStatus.REMOVED, at=at(t0, 15, 20), reason=removed
    )
