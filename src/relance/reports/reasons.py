"""Why an activity is not fully functional, in the reader's words: a line a tablet shows."""

from collections.abc import Mapping

from relance.domain.functioning import ActivityStatus
from relance.reports.codes import ASSET_KINDS_SAID
from relance.reports.words import Words


def activity_reasons(words: Words, status: ActivityStatus, services: Mapping[str, str]) -> str:
    """'on paper at 70 %; down: Patient record (DPI)' from the functioning rules' facts;
    `services` names the services by code."""
    parts = []
    if status.on_paper:
        parts.append(words._("on paper at {share}", share=words.t.percent(status.capacity)))
    if status.services_down:
        named = (f"{words.name(services.get(c, c))} ({c})" for c in status.services_down)
        parts.append(words._("down: {services}", services=words.t.join(named)))
    parts.extend(
        words._(
            "{have} of {need} {machines} back in {department}",
            have=words.t.number(s.have),
            need=words.t.number(s.need),
            machines=words._(ASSET_KINDS_SAID[s.kind]),
            department=s.department,
        )
        for s in status.short
    )
    text = parts[0] if parts else ""
    for part in parts[1:]:  # French puts a space before the semicolon
        text = words._("{before}; {after}", before=text, after=part)
    return text
