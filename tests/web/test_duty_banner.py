"""Every page warns of a legal deadline less than 6 hours away, in the reader's language."""

import re
from datetime import UTC, datetime, timedelta

from relance.app import duties, incident
from relance.domain.duties import DutyStatus
from relance.domain.roles import Role
from relance.storage.database import unit_of_work
from tests.web.conftest import CELL, Web, login_of

BANNER = 'class="duty-alarm"'


def test_every_page_shows_the_alarm_until_the_duty_is_settled(web: Web) -> None:
    web.sign_in(login_of(Role.OBSERVER))
    assert BANNER not in web.client.get("/").text  # no incident: no deadline runs
    aware = datetime.now(UTC) - timedelta(hours=20)  # the early warning is due in 4 hours
    with unit_of_work(web.engine) as uow:
        incident.declare_incident(
            uow, CELL, name="t", detected_at=aware - timedelta(minutes=5), confirmed_at=aware
        )
    for path in ("/", "/assets", "/timeline", "/sitreps"):
        text = web.client.get(path).text
        assert BANNER in text, path
        assert "Moins de 6 heures" in text
        assert "NIS2 : alerte précoce au CCB" in text
    overview = web.client.get("/").text
    assert "Obligations légales" in overview
    shown = {datetime.fromisoformat(d) for d in re.findall(r'data-due="([^"]+)"', overview)}
    assert aware + timedelta(hours=72) in shown  # the notification: time left by the page
    web.client.get("/lang/en")
    english = web.client.get("/assets").text
    assert "Less than 6 hours left</strong>: NIS2: early warning to the CCB" in english
    assert "alerte" not in english
    with unit_of_work(web.engine) as uow:
        duties.move_duty(
            uow, CELL, "nis2_early_warning", DutyStatus.NOT_APPLICABLE, reason="not significant"
        )
    assert BANNER not in web.client.get("/assets").text


def test_the_api_gives_a_draft_with_its_sources_to_whoever_may_write_it(web: Web) -> None:
    aware = datetime.now(UTC) - timedelta(hours=2)
    with unit_of_work(web.engine) as uow:
        incident.declare_incident(
            uow, CELL, name="t", detected_at=aware - timedelta(minutes=5), confirmed_at=aware
        )
    path = "/api/v1/duties/nis2_early_warning/draft"
    answer = web.client.get(path, params={"lang": "nl"}, headers=web.as_role(Role.CRISIS_LEAD))
    assert answer.status_code == 200, answer.text
    draft = answer.json()
    assert draft["title"] == "NIS2: vroegtijdige waarschuwing aan het CCB"
    fields = {f["label"]: f for f in draft["fields"]}
    assert fields["Incident"]["lines"] == ["t"]
    assert fields["Incident"]["sources"] == [["incidents.name[id=1]"]]
    assert fields["Mogelijke grensoverschrijdende impact"]["lines"] == [
        "niet geregistreerd in relance"
    ]
    refused = web.client.get(path, headers=web.as_role(Role.OBSERVER))
    assert refused.status_code == 403
    with unit_of_work(web.engine) as uow:  # reading a draft records no drafting
        assert duties.duty_register(uow, CELL).duties[0].status is DutyStatus.TO_DO
