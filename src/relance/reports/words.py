"""The crisis cell's words in the reader's language: statuses, measures, days of the incident.

Each code's label is an English message of the catalogue, defined once in reports/codes.py;
`Words` translates it, and the scenario's own names through its `translations`.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from relance.domain.audit_events import REFUSAL, EventType
from relance.domain.delivery import Delivery
from relance.domain.duties import DutyStatus
from relance.domain.errors import RelanceError
from relance.domain.functioning import Functioning
from relance.domain.incident import Measure, Phase, criteria_said
from relance.domain.lifecycle import AssetState
from relance.domain.network import SiteKind, translated
from relance.domain.triage import Decision
from relance.i18n import N_, Texts
from relance.reports.codes import (
    CODES,
    DECISIONS,
    DELIVERIES,
    DUTY_STATUSES,
    FUNCTIONING,
    MEASURES,
    METHODS,
    PATHWAYS,
    PHASES,
    SITE_KINDS,
    STATES,
)


class Words:
    """A report's words in one language: the catalogue's, and the scenario's names."""

    def __init__(self, language: str, names: dict[str, dict[str, str]]) -> None:
        self.t = Texts(language)
        self.language = self.t.language
        self._names = names

    def _(self, message: str, **values: object) -> str:
        return self.t._(message, **values)

    def p_(self, context: str, message: str, **values: object) -> str:
        return self.t.p_(context, message, **values)

    def code(self, value: str) -> str:
        """A domain's code as this reader's word (a state, a decision, a phase...); other text
        as it is."""
        for words in CODES:
            if value in words:
                return self._(words[value])
        return value

    def what(self, message: str, values: dict[str, str]) -> str:
        """A timeline line (app.audit): its message and its codes in this language."""
        return self._(message, **{k: self.code(v) for k, v in values.items()})

    def reason(self, event_type: str, after: Mapping[str, Any] | None, reason: str) -> str:
        """An audit row's reason in this language. A refusal's is kept as a message with its
        values; one recorded before they were (its English sentence only) is "Access refused"
        in other languages. A phase's own entry criteria (recorded in English when nobody typed
        any) are said in this language."""
        if event_type == EventType.PHASE_ENTERED:
            return criteria_said(reason, self._)
        if event_type != EventType.ACCESS_REFUSED:
            return reason
        kept = (after or {}).get(REFUSAL)
        if isinstance(kept, dict):
            try:
                return self.t.error(RelanceError.from_record(kept))
            except (
                TypeError,
                ValueError,
                KeyError,
                IndexError,
            ):  # not a message this version wrote
                pass
        return reason if self.language == "en" else self._(N_("Access refused"))

    def said(self, message: str, values: dict[str, str], event_type: str, reason: str) -> str:
        """A timeline line's reason: a rule's, as the app worded it (a message and its values),
        else the audit row's own (reason())."""
        return self.what(message, values) if message else self.reason(event_type, None, reason)

    def name(self, text: str) -> str:
        """One of the scenario's names (an activity, a site), in this language."""
        return translated(self._names, self.language, text)

    def pathway(self, code: str) -> str:
        """An appointment's care pathway: the known ones in words, a book's own code as it is."""
        return self._(PATHWAYS[code]) if code in PATHWAYS else code

    def waits(self, chain: str) -> str:
        """What a forecast waits for ('MAR/RAD <- RIS <- team SRV', as the planner chains it)
        in this language: the team link is a word, the codes stay codes."""
        links = (part.strip() for part in chain.split("<-"))
        return " <- ".join(
            self._("team {code}", code=link.removeprefix("team "))
            if link.startswith("team ")
            else link
            for link in links
        )

    def functioning(self, value: str) -> str:
        return self._(FUNCTIONING[Functioning(value)])

    def state(self, value: str) -> str:
        return self._(STATES[AssetState(value)])

    def phase(self, value: str) -> str:
        return self._(PHASES[Phase(value)])

    def method(self, value: str) -> str:
        return self._(METHODS[value]) if value in METHODS else value

    def decision(self, value: str) -> str:
        return self._(DECISIONS[Decision(value)]) if value in set(Decision) else value

    def delivery(self, value: str) -> str:
        return self._(DELIVERIES[Delivery(value)]) if value in set(Delivery) else value

    def measure(self, value: str) -> str:
        return self._(MEASURES[Measure(value)])

    def duty_status(self, value: str) -> str:
        return self._(DUTY_STATUSES[DutyStatus(value)])

    def duty(self, title: str, standard: bool) -> str:
        """A standard duty's title in this language; one the cell added, as it typed it."""
        return self._(title) if standard else title

    def span(self, minutes: int) -> str:
        """'3 h 05', or '2 d 4 h' from two days on."""
        if minutes >= 48 * 60:
            return self._("{days} d {hours} h", days=minutes // 1440, hours=minutes % 1440 // 60)
        rest = f"{minutes % 60:02d}"
        return self._("{hours} h {minutes}", hours=minutes // 60, minutes=rest)

    def site_kind(self, value: str) -> str:
        return self._(SITE_KINDS[SiteKind(value)])

    def day(self, number: int) -> str:
        """The incident's day: 'J3' in French, 'D3' in English."""
        return self._("D{n}", n=number)

    def day_of(self, moment: str, day0: str | None) -> str:
        """'J5' for a time of the incident; its date when there is no day 0."""
        when = datetime.fromisoformat(moment).date()
        if day0 is None:
            return self.t.day_month(when)
        return self.day((when - date.fromisoformat(day0)).days)

    def on_day(self, moment: str, day0: str | None) -> str:
        """'J5, jeu. 19/05' for a time of the incident (the day only: no half-hours)."""
        shown = self.t.short_date(datetime.fromisoformat(moment).date())
        return shown if day0 is None else f"{self.day_of(moment, day0)}, {shown}"

    def at(self, moment: str) -> str:
        """'mar. 17/05, 14:00'."""
        local = datetime.fromisoformat(moment)
        return f"{self.t.short_date(local)}, {self.t.time(local)}"

    def percent(self, value: int) -> str:
        return self.t.percent(value)

    def number(self, value: float) -> str:
        return self.t.number(value)
