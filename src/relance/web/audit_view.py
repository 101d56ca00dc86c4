"""What an audit row changed, field by field, in the reader's words: the audit page's columns.

Every kind of event keeps its facts in `before` and `after` (docs/audit-events.md); this names
each field, words the domain's codes (states, phases, decisions) and writes times in the crisis
cell's zone. A field the same before and after is left out: the columns show what changed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from relance.domain.audit_events import REFUSAL
from relance.domain.delivery import Delivery
from relance.domain.duties import DutyStatus
from relance.domain.functioning import Functioning
from relance.domain.incident import Measure, Phase
from relance.domain.lifecycle import AssetState
from relance.domain.roles import Role
from relance.domain.triage import Decision
from relance.i18n import N_
from relance.reports.codes import RECORD_STATES, ROLES
from relance.reports.words import Words
from relance.storage.audit_store import AuditEvent

FIELDS = {
    "state": N_("state"),
    "status": N_("status"),
    "phase": N_("phase"),
    "functioning": N_("functioning"),
    "capacity": N_("capacity"),
    "decision": N_("decision"),
    "rule": N_("rule"),
    "rules_version": N_("rules version"),
    "name": N_("name"),
    "scenario_sha256": N_("scenario file (SHA-256)"),
    "sites": N_("sites"),
    "services": N_("IT services"),
    "activities": N_("activities"),
    "servers": N_("servers"),
    "workstations": N_("workstations"),
    "medical_devices": N_("medical device PCs"),
    "files": N_("files"),
    "added": N_("added"),
    "changed": N_("changed"),
    "isolated": N_("isolated"),
    "sites_added": N_("sites added"),
    "kind": N_("kind"),
    "site": N_("site"),
    "department": N_("department"),
    "role": N_("role"),
    "method": N_("method"),
    "weighted_downtime": N_("weighted downtime"),
    "lower_bound": N_("lower bound"),
    "makespan_hours": N_("working hours to the last task"),
    "based_on": N_("state read up to audit row"),
    "changes_missed": N_("changes not in it"),
    "not_before": N_("not before"),
    "appointments": N_("appointments"),
    "created": N_("created"),
    "updated": N_("updated"),
    "patients": N_("patients"),
    "messages": N_("messages"),
    "detected_at": N_("detected"),
    "confirmed_at": N_("confirmed"),
    "starts_at": N_("starts"),
    "ends_at": N_("ends"),
    "objective": N_("objective"),
    "owner": N_("owner"),
    "entry": N_("entry"),
    "priority": N_("priority"),
    "text": N_("text"),
    "measure": N_("measure"),
    "version": N_("version"),
    "decided_by": N_("decided by"),
    "rationale": N_("rationale"),
    "asset": N_("machine"),
    "holder": N_("holder"),
    "note": N_("note"),
    "audience": N_("audience"),
    "subject": N_("subject"),
    "aware_at": N_("aware since"),
    "title": N_("title"),
    "authority": N_("authority"),
    "due_at": N_("due"),
    "officer": N_("officer"),
    "reference": N_("reference"),
    "submitted_at": N_("submitted"),
    "group": N_("group"),
    "where": N_("where"),
    "volume": N_("volume"),
    "deadline": N_("deadline"),
    "personal_data": N_("personal data"),
    "evidence": N_("evidence"),
    "drafted_by": N_("drafted by"),
    "approved_by": N_("approved by"),
    "active": N_("active"),
    "sessions_ended": N_("sessions ended"),
    "tokens_revoked": N_("tokens revoked"),
    "token": N_("token"),
    "expires_at": N_("expires"),
    "address": N_("address"),
    "mode": N_("clock"),
    "at": N_("incident time"),
    "before": N_("was"),
    "file": N_("file"),
    "sha256": N_("SHA-256"),
    "encrypted": N_("encrypted"),
    "rows": N_("rows"),
    "taken_at": N_("taken"),
    "taken_by": N_("taken by"),
    "finding_id": N_("finding"),
    "due_on": N_("due"),
    "language": N_("language"),
    "speed": N_("speed (times the wall clock)"),
}
TIMES = {"at", "before", "not_before", "deadline", "due_on"}  # and every field ending in _at
DIGESTS = {"sha256", "scenario_sha256"}
DELIVERIES = {d.value for d in Delivery}
DUTY_STATUSES = {d.value for d in DutyStatus}


@dataclass(frozen=True)
class _Reader:
    words: Words
    object_type: str  # a status means a duty's or an SMS's, by the object
    local: Callable[[datetime], str]

    def lines(self, shown: Mapping[str, Any], other: Mapping[str, Any]) -> list[str]:
        return [
            self.words._(
                "{field}: {value}",
                field=self.words._(FIELDS[key]) if key in FIELDS else key,
                value=self.value(key, value),
            )
            for key, value in shown.items()
            if key not in other or other[key] != value  # the same on both sides: not a change
        ]

    def value(self, key: str, value: Any) -> str:
        words = self.words
        if value is None or value in ([], {}, ""):
            return "-"
        if isinstance(value, bool):
            return words._("yes") if value else words._("no")
        if isinstance(value, int | float):
            return words.t.percent(int(value)) if key == "capacity" else words.t.number(value)
        if isinstance(value, list):
            return ", ".join(self.value(key, v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {self.value(key, v)}" for k, v in value.items())
        return self.text(key, str(value))

    def text(self, key: str, text: str) -> str:
        if key in TIMES or key.endswith("_at"):
            try:
                return self.local(datetime.fromisoformat(text))
            except ValueError:
                return text
        if key in DIGESTS:
            return f"{text[:12]}…"
        if key == "status" and self.object_type == "notification" and text in DELIVERIES:
            return self.words.delivery(text)
        if key == "status" and self.object_type == "duty" and text in DUTY_STATUSES:
            return self.words._(DutyStatus(text).label)
        return self.code(key, text)

    def code(self, key: str, value: str) -> str:
        """A domain code in the reader's words, or as recorded when the field holds none."""
        words = self.words
        known: Mapping[str, tuple[set[str], Callable[[str], str]]] = {
            "state": ({s.value for s in AssetState}, words.state),
            "functioning": ({f.value for f in Functioning}, words.functioning),
            "phase": ({p.value for p in Phase}, words.phase),
            "decision": ({d.value for d in Decision}, words.decision),
            "measure": ({m.value for m in Measure}, words.measure),
            "method": ({"tiers", "cpsat", "rule"}, words.method),
            "role": ({r.value for r in Role}, lambda v: words._(ROLES[Role(v)])),
        }
        if key in known and value in known[key][0]:
            return known[key][1](value)
        return words._(RECORD_STATES[value]) if value in RECORD_STATES else value


def changes(
    words: Words, event: AuditEvent, local: Callable[[datetime], str]
) -> tuple[list[str], list[str]]:
    """The lines of the Before and After columns of one audit row."""
    before, after = event.before or {}, event.after or {}
    after = {k: v for k, v in after.items() if k != REFUSAL}  # the Reason column says it
    reader = _Reader(words, event.object_type, local)
    return reader.lines(before, after), reader.lines(after, before)
