"""The kinds of audited change. Each one is documented in docs/audit-events.md (a test checks)."""

from enum import StrEnum


class EventType(StrEnum):
    NETWORK_LOADED = "network.loaded"
    ASSET_TRANSITIONED = "asset.transitioned"
    PLAN_CREATED = "plan.created"
    DELAY_REPORTED = "plan.delay_reported"


# Events that tell the incident's story; the audit trail holds these and every other change.
TIMELINE_EVENTS: tuple[EventType, ...] = tuple(EventType)
