"""The kinds of audited change. Each one is documented in docs/audit-events.md (a test checks)."""

from enum import StrEnum


class EventType(StrEnum):
    NETWORK_LOADED = "network.loaded"
    ASSET_TRANSITIONED = "asset.transitioned"
    PLAN_CREATED = "plan.created"
    DELAY_REPORTED = "plan.delay_reported"
    ACTIVITY_STATUS_CHANGED = "activity.status_changed"
    BOOK_IMPORTED = "appointments.imported"
    APPOINTMENT_DECIDED = "appointment.decided"
    NOTIFICATION_STATUS = "notification.status"
    PATIENTS_LISTED = "patients.listed"


# Events that tell the incident's story; the audit trail holds these and every other change.
TIMELINE_EVENTS: tuple[EventType, ...] = (
    EventType.NETWORK_LOADED,
    EventType.ASSET_TRANSITIONED,
    EventType.PLAN_CREATED,
    EventType.DELAY_REPORTED,
    EventType.ACTIVITY_STATUS_CHANGED,
    EventType.BOOK_IMPORTED,
)
