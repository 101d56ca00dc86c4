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
