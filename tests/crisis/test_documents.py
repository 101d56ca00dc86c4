"""The day-3 communiqué of the reference scenario, in every language, against the
communications officer's checklist (docs/crisis-cell.md)."""

import re
from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from relance.app import comms, sitrep
from relance.app.context import Context
from relance.app.demo import T0
from relance.domain.errors import InvalidInput
from relance.domain.incident import Audience
from relance.domain.network import AssetFilter
from relance.domain.roles import CONSOLE
from relance.i18n import LANGUAGES, Texts
from relance.reports.communique import WORKS
from relance.reports.sitrep_model import SitrepFacts
from relance.storage import asset_store
from relance.storage.database import make_engine, unit_of_work
from tests.cli.test_cli import Relance

DAY3 = date(2022, 5, 17)
ZONE = ZoneInfo("Europe/Brussels")
# Words of the attacker, a claim or a ransom, in the four languages: never in a communiqué.
NEVER = ("lockbit", "rançon", "ransom", "losgeld", "lösegeld", "hacker", "pirate", "400")


@pytest.fixture(scope="module")
def vivalia(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo on SQLite with day 3's sitrep approved by someone other than its drafter."""
    folder = tmp_path_factory.mktemp("vivalia")
    url = f"sqlite:///{folder / 'relance.db'}"
    Relance(url, folder)("demo", "--dir", str(folder))
    engine = make_engine(url)
    with unit_of_work(engine) as uow:
        sitrep.produce_sitrep(uow, Context(actor="crisis-lead", authority=CONSOLE), DAY3, ZONE)
        sitrep.approve_sitrep(uow, Context(actor="directeur médical", authority=CONSOLE), DAY3)
    yield engine
    engine.dispose()


def _communique(engine: Engine, language: str) -> tuple[str, SitrepFacts, list[str], set[str]]:
    with unit_of_work(engine) as uow:
        message = comms.draft_communique(
            uow, Context(actor="press", authority=CONSOLE), DAY3, language
        )
        facts = SitrepFacts.from_json(sitrep.latest_approved(uow, DAY3).facts)
        problems = comms.checklist(uow, f"{message.subject}\n{message.body}")
        hosts = {m.hostname for m in asset_store.states(uow, AssetFilter())}
    return f"{message.subject}\n{message.body}", facts, problems, hosts


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_day3_communique_passes_the_checklist(vivalia: Engine, language: str) -> None:
    text, facts, problems, hosts = _communique(vivalia, language)
    assert problems == []
    assert "Vivalia" in text
    assert "vivalia-2022" not in text.lower()
    assert not set(re.findall(r"[A-Z0-9-]{6,}", text.upper())) & hosts
    assert not [code for code in facts.sites if re.search(rf"\b{code}\b", text)]
    assert not [word for word in NEVER if word in text.lower()]
    assert "084 01 20 00" in text  # the patient line, with "call only when really needed"
    t = Texts(language)
    allowed = {t.long_date(DAY3), t.long_date(T0.date())}  # no forecast date, no other date
    assert set(re.findall(r"\d{1,2}\.? \w+ 2022", text)) <= {
        re.search(r"\d{1,2}\.? \w+ 2022", d).group(0)  # type: ignore[union-attr]
        for d in allowed
    }


def test_every_line_of_what_works_is_an_activity_at_half_capacity_or_more(
    vivalia: Engine,
) -> None:
    text, facts, _, _ = _communique(vivalia, "fr")
    names = {c.name: c.code for c in facts.activities}
    cells = {
        (row.site, column.code): cell
        for row in facts.matrix
        for column, cell in zip(facts.activities, row.cells, strict=True)
        if cell is not None
    }
    working = re.findall(
        r"^(.+)\u00a0: en fonctionnement(?:, en mode dégradé,)? à (.+)\.$", text, re.M
    )
    assert len(working) == 3  # emergencies, wards and intensive care, blood sampling on day 3
    for activities, places in working:
        for activity in re.split(r", | et ", activities):
            for place in re.split(r", | et ", places):
                code = names[activity]  # the site of that name where the activity runs
                (site,) = [
                    s for s, name in facts.sites.items() if name == place and (s, code) in cells
                ]
                assert cells[(site, code)].capacity >= WORKS, (activity, place)
    assert (
        "Consultations\u00a0: les rendez-vous sont annulés et chaque patient reçoit un SMS" in text
    )


def test_a_public_message_that_names_the_attacker_or_a_machine_is_not_approved(
    vivalia: Engine,
) -> None:
    with unit_of_work(vivalia) as uow:
        host = asset_store.states(uow, AssetFilter())[0].hostname
        bad = comms.add_message(
            uow,
            Context(actor="press", authority=CONSOLE),
            audience=Audience.PRESS,
            subject="Point presse",
            body=f"LockBit a chiffré {host} ; appelez le 0470 12 34 56.",
        )
        staff = comms.add_message(
            uow,
            Context(actor="press", authority=CONSOLE),
            audience=Audience.STAFF,
            subject="IT",
            body=f"{host} HS",
        )
    with (
        pytest.raises(InvalidInput, match="cannot go to the press") as refused,
        unit_of_work(vivalia) as uow,
    ):
        comms.approve_message(uow, Context(actor="directeur médical", authority=CONSOLE), bad.id)
    message = str(refused.value)
    assert host in message
    assert "lockbit" in message
    assert "0470 12 34 56" in message
    with unit_of_work(vivalia) as uow:  # staff may read a hostname
        comms.approve_message(uow, Context(actor="directeur médical", authority=CONSOLE), staff.id)


def test_the_communique_is_drafted_in_the_language_asked(vivalia: Engine) -> None:
    texts = {lang: _communique(vivalia, lang)[0] for lang in LANGUAGES}
    assert "Bel het ziekenhuis alleen als het echt nodig is" in texts["nl"]
    assert "Aarlen" in texts["nl"]
    assert "Bitte rufen Sie das Krankenhaus nur an, wenn es wirklich nötig ist" in texts["de"]
    assert "Please call the hospital only when really needed" in texts["en"]
