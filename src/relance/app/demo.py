"""Replay of the first three days at Vivalia on the reference network, for `relance demo`.

Times follow the public account (docs/reference-scenario.md): systems failing from 01:30,
attack confirmed 03:42, network cut; forensic copies of the domain controllers and of the
patient-record servers, handed to the judicial police; infrastructure rebuilt first, then
radiology. The forensic hashes are made up for the replay (there is no real image), and say so
in their reason.
"""

import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path
from zoneinfo import ZoneInfo

from relance.app import demo_crisis
from relance.app.assets import transition_assets, transition_matching
from relance.app.context import Context
from relance.app.incident_clock import clock_of, start_replay
from relance.app.network import LoadSummary, load_network
from relance.app.plan import Method, PlanOptions, PlanResult, make_plan
from relance.app.users import add_user
from relance.domain.clock import FixedClock
from relance.domain.incident import Phase
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetFilter, AssetKind
from relance.domain.roles import CONSOLE, Role
from relance.importers.state_report import ReportedMove
from relance.storage import asset_store
from relance.storage.database import UnitOfWork

Transaction = Callable[[], AbstractContextManager[UnitOfWork]]
S = AssetState
T0 = datetime(2022, 5, 14, 3, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # day 0 of the notes
SEED = 2022
REBUILD = (S.REIMAGED, S.VALIDATED, S.CLEAN_ZONE, S.REDEPLOYED)


@dataclass(frozen=True)
class Step:
    at: datetime
    actor: str
    what: str
    where: AssetFilter
    path: tuple[AssetState, ...]
    hours_between: float = 2.0
    sample: int | None = None  # only this many of the machines matching, picked with SEED
    phase: Phase | None = None  # the incident enters this phase as the step starts


def _day(day: int, hour: int, minute: int = 0) -> datetime:
    return (T0 + timedelta(days=day)).replace(hour=hour, minute=minute)


def _servers(*services: str) -> AssetFilter:
    return AssetFilter(services=services, kinds=(AssetKind.SERVER,))


STEPS = (
    Step(
        _day(0, 4, 15),
        "demo:it-lead",
        "réseau coupé, chaque machine éteinte et isolée",
        AssetFilter(states=(S.COMPROMISED,)),
        (S.ISOLATED,),
        phase=Phase.CONTAINMENT,
    ),
    Step(
        _day(0, 10),
        "demo:forensic",
        "copie forensique pour l'enquête (empreinte du rejeu)",
        _servers("AD"),
        (S.IMAGED,),
    ),
    Step(
        _day(0, 14),
        "demo:forensic",
        "copie forensique pour l'enquête (empreinte du rejeu)",
        _servers("DPI"),
        (S.IMAGED,),
        sample=4,
    ),
    Step(
        _day(1, 8),
        "demo:srv-team",
        "l'infrastructure d'abord : cœur de réseau et DNS",
        _servers("NET", "DNS"),
        REBUILD,
        phase=Phase.ERADICATION,
    ),
    Step(
        _day(1, 18),
        "demo:srv-team",
        "contrôleurs de domaine reconstruits depuis des supports sains",
        _servers("AD"),
        REBUILD,
    ),
    Step(
        _day(2, 8),
        "demo:srv-team",
        "console EDR, sauvegardes et déploiement des postes",
        _servers("EDR", "BACKUP", "DEPLOY"),
        REBUILD,
        hours_between=3,
    ),
    Step(
        _day(2, 16),
        "demo:srv-team",
        "la radiologie d'abord : archive PACS",
        _servers("PACS"),
        REBUILD,
        hours_between=4,
        phase=Phase.RECOVERY,
    ),
    Step(
        _day(3, 8),
        "demo:srv-team",
        "la radiologie d'abord : admissions et RIS",
        _servers("ADT", "RIS"),
        (S.REIMAGED, S.VALIDATED),
    ),
    Step(
        _day(3, 9),
        "demo:ws-mar",
        "postes de radiologie à Marche",
        AssetFilter(sites=("MAR",), departments=("RAD",), kinds=(AssetKind.WORKSTATION,)),
        REBUILD,
        hours_between=2.5,
    ),
    Step(
        _day(3, 10),
        "demo:ws-mar",
        "PC des modalités de radiologie à Marche",
        AssetFilter(sites=("MAR",), departments=("RAD",), kinds=(AssetKind.MEDICAL_DEVICE,)),
        (S.REIMAGED, S.VALIDATED, S.CLEAN_ZONE),
        hours_between=3,
    ),
    Step(
        _day(3, 11),
        "demo:ws-lib",
        "premiers postes de consultation à Libramont",
        AssetFilter(sites=("LIB",), departments=("CONS",)),
        (S.REIMAGED, S.VALIDATED),
        hours_between=3,
        sample=20,
    ),
)


def replay_end() -> datetime:
    """When the last move of the replay is made: the demo's incident time once it is built."""
    return max(s.at + timedelta(hours=s.hours_between * (len(s.path) - 1)) for s in STEPS)


def scenario_file() -> AbstractContextManager[Path]:
    return as_file(files("relance.scenarios") / "vivalia-2022" / "scenario.yaml")


def load_reference(transaction: Transaction) -> LoadSummary:
    loaded = T0 + timedelta(minutes=15)
    ctx = Context(actor="demo", clock=FixedClock(loaded), authority=CONSOLE)
    with scenario_file() as path, transaction() as uow:
        # The inventory is what the cell had when the attack was confirmed (03:42).
        summary = load_network(uow, ctx, path, loaded)
        # The demo lives in May 2022: what people type after it happens then, not today.
        start_replay(uow, ctx, loaded, "relance demo: the first three days of vivalia-2022")
        return summary


def seed_crisis_cell(transaction: Transaction) -> demo_crisis.Seeded:
    """The incident declared, the night in the timeline, the first days' log and periods."""
    with transaction() as uow:
        return demo_crisis.seed_incident(uow, T0, replay_end())


def replay(transaction: Transaction, crisis_cell: bool = False) -> Iterator[tuple[Step, int]]:
    """Play each step in its own transaction, as people would; yield it with the machines moved.

    With `crisis_cell` (after seed_crisis_cell), steps also move the incident's phase and
    register their forensic images as evidence handed to the judicial police.
    """
    rng = random.Random(SEED)  # noqa: S311 - picks machines for a replay, not a secret
    for step in STEPS:
        with transaction() as uow:
            hostnames = [a.hostname for a in asset_store.find(uow, step.where)]
            if crisis_cell and step.phase is not None:
                demo_crisis.enter(uow, step.actor, step.phase, step.at, step.what)
        if step.sample is not None:
            hostnames = sorted(rng.sample(hostnames, step.sample))
        for i, target in enumerate(step.path):
            at = step.at + timedelta(hours=step.hours_between * i)
            # the cell at its keyboards, recording each move as it is made
            ctx = Context(actor=step.actor, clock=FixedClock(at), authority=CONSOLE)
            with transaction() as uow:
                if target is S.IMAGED:
                    moves = [
                        ReportedMove(0, h, target, _replay_hash(h), step.what) for h in hostnames
                    ]
                    transition_assets(uow, ctx, moves, "demo", at)
                    if crisis_cell:
                        images = {m.hostname: m.evidence or "" for m in moves}
                        demo_crisis.register_images(uow, step.actor, images, at)
                else:
                    where = AssetFilter(hostnames=tuple(hostnames))
                    transition_matching(
                        uow, ctx, where=where, target=target, reason=step.what, occurred_at=at
                    )
        yield step, len(hostnames)


def _replay_hash(hostname: str) -> str:
    return hashlib.sha256(f"relance demo forensic image of {hostname}".encode()).hexdigest()


DEMO_LOGIN = "crisis-lead"


def plan_by_tiers(transaction: Transaction) -> PlanResult:
    """The crisis cell's own plan on day 3: whole service tiers in the order it chose by hand
    (radiology, then the patient record, then the rest), for the optimised plan to beat."""

    def units(*, read_only: bool = False) -> AbstractContextManager[UnitOfWork]:
        return transaction()  # the demo writes alone: its reads need no separate unit

    with transaction() as uow:
        clock = clock_of(uow)  # the end of the replay: the plan starts from the day-3 state
    return make_plan(
        units,
        Context(actor="demo", clock=clock, authority=CONSOLE),
        PlanOptions(method=Method.TIERS),
        reason="ordre de la cellule de crise, à la main : radiologie, dossier patient, le reste",
    )


def add_demo_account(transaction: Transaction) -> tuple[str, str]:
    """The crisis lead's account to sign in to `relance serve`: (login, generated password)."""
    with transaction() as uow:
        account, password = add_user(
            uow,
            Context(actor="demo", authority=CONSOLE),
            DEMO_LOGIN,
            Role.CRISIS_LEAD,
            name="Responsable de crise (démo)",
        )
    return account.login, password
