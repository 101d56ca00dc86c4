"""The audit page's Before and After columns: what changed, for every kind of event."""

import re
from datetime import UTC, datetime

from relance.domain.audit_events import EventType
from relance.reports.words import Words
from relance.storage.audit_store import AuditEvent
from relance.web.audit_view import FIELDS, changes
from relance.web.render import local
from tests.conftest import ROOT

AT = datetime(2022, 5, 17, 8, tzinfo=UTC)
FR, EN = Words("fr", {}), Words("en", {})


def _event(
    kind: EventType, before: dict[str, object] | None, after: dict[str, object], on: str = "x"
) -> AuditEvent:
    return AuditEvent("r", "lead", AT, AT, kind.value, on, "k", before, after)


def _after(words: Words, kind: EventType, after: dict[str, object], on: str = "x") -> list[str]:
    return changes(words, _event(kind, None, after, on), local)[1]


def test_a_machine_move_reads_as_its_states_in_the_readers_language() -> None:
    moved = _event(EventType.ASSET_TRANSITIONED, {"state": "isolated"}, {"state": "imaged"})
    french = changes(FR, moved, local)
    assert french == (["état : " + FR.state("isolated")], ["état : " + FR.state("imaged")])
    assert "isolated" not in str(french)
    assert changes(EN, moved, local) == (["state: isolated"], ["state: forensic copy kept"])


def test_only_what_changed_shows_and_times_are_the_cells() -> None:
    edited = _event(
        EventType.LOG_EDITED,
        {"text": "old", "priority": "urgent", "version": 1},
        {"text": "new", "priority": "urgent", "version": 2},
    )
    assert changes(EN, edited, local) == (["text: old", "version: 1"], ["text: new", "version: 2"])
    aware = {"aware_at": "2022-05-14T01:42:00+00:00"}
    assert _after(FR, EventType.AWARENESS_SET, aware) == ["connaissance depuis : 2022-05-14 03:42"]


def test_every_kind_of_fact_is_worded() -> None:
    plan = {"method": "tiers", "weighted_downtime": 20218100, "changes_missed": 0}
    assert _after(FR, EventType.PLAN_CREATED, plan) == [
        "méthode : par paliers",
        "indisponibilité pondérée : 20\u202f218\u202f100",
        "changements non pris en compte : 0",
    ]
    user = {"role": "crisis_lead", "sites": [], "active": False}
    assert _after(EN, EventType.USER_ADDED, user) == [
        "role: Crisis lead",
        "sites: -",
        "active: no",
    ]
    activity = {"functioning": "partially", "capacity": 70}
    assert _after(EN, EventType.ACTIVITY_STATUS_CHANGED, activity) == [
        "functioning: partially functional",
        "capacity: 70%",
    ]
    submitted = {"status": "submitted"}
    assert _after(FR, EventType.DUTY_SUBMITTED, submitted, "duty") == ["statut : remise"]
    assert _after(EN, EventType.NOTIFICATION_STATUS, submitted, "notification") == [
        "status: handed to the gateway"
    ]


def test_the_fields_the_events_record_are_named() -> None:
    """Every key of a before or after written as a literal in the application is named."""
    written = set()
    for source in (ROOT / "src/relance/app").glob("*.py"):
        for literal in re.findall(r"(?:before|after)\s*=\s*\{([^}]*)\}", source.read_text()):
            written |= set(re.findall(r'"(\w+)":', literal))
    assert len(written) > 40
    assert sorted(written - set(FIELDS)) == []
