"""The kinds of audited change. Each one is documented in docs/audit-events.md (a test checks)."""

from enum import StrEnum


class EventType(StrEnum):
    NETWORK_LOADED = "network.loaded"
    ASSET_TRANSITIONED = "asset.transitioned"
    INVENTORY_IMPORTED = "inventory.imported"
    ASSET_IMPORTED = "asset.imported"  # a machine first known from an inventory export
    ASSET_RECLASSIFIED = "asset.reclassified"  # its site, department, kind or role changed
    PLAN_CREATED = "plan.created"
    DELAY_REPORTED = "plan.delay_reported"
    ACTIVITY_STATUS_CHANGED = "activity.status_changed"
    BOOK_IMPORTED = "appointments.imported"
    APPOINTMENT_DECIDED = "appointment.decided"
    NOTIFICATION_STATUS = "notification.status"
    NOTIFICATION_SETTLED = "notification.settled"  # a person says whether an SMS in doubt left
    PATIENTS_LISTED = "patients.listed"
    INCIDENT_DECLARED = "incident.declared"
    PHASE_ENTERED = "incident.phase_entered"
    PERIOD_OPENED = "incident.period_opened"
    OBJECTIVE_SET = "incident.objective_set"
    TIMELINE_NOTED = "timeline.noted"
    LOG_ADDED = "log.added"
    LOG_EDITED = "log.edited"
    EVIDENCE_REGISTERED = "evidence.registered"
    EVIDENCE_TRANSFERRED = "evidence.transferred"
    SITREP_DRAFTED = "sitrep.drafted"
    SITREP_UPDATED = "sitrep.updated"
    SITREP_APPROVED = "sitrep.approved"
    SITREP_PUBLISHED = "sitrep.published"
    MESSAGE_DRAFTED = "comms.drafted"
    MESSAGE_APPROVED = "comms.approved"
    MESSAGE_SENT = "comms.sent"
    AWARENESS_SET = "duties.awareness_set"  # when the cell became aware, corrected with a reason
    DUTY_ADDED = "duty.added"
    DUTY_OFFICER_NAMED = "duty.officer_named"
    DUTY_DRAFTED = "duty.drafted"
    DUTY_APPROVED = "duty.approved"
    DUTY_SUBMITTED = "duty.submitted"
    DUTY_NOT_APPLICABLE = "duty.not_applicable"
    DUTY_REOPENED = "duty.reopened"
    CLAIM_RECORDED = "claim.recorded"
    CLAIM_UPDATED = "claim.updated"
    SELF_APPROVED = "approval.self_approved"  # four eyes waived for a cell of one person
    USER_ADDED = "user.added"
    USER_DISABLED = "user.disabled"
    PASSWORD_RESET = "user.password_reset"  # noqa: S105 - an event name, not a password
    ROLE_CHANGED = "user.role_changed"
    LANGUAGE_CHANGED = "user.language_changed"
    TOKEN_CREATED = "user.token_created"  # noqa: S105 - an event name, not a token
    TOKEN_REVOKED = "user.token_revoked"  # noqa: S105 - an event name, not a token
    LOGGED_IN = "user.logged_in"
    LOGIN_FAILED = "user.login_failed"
    LOGGED_OUT = "user.logged_out"
    ACCESS_REFUSED = "access.refused"
    DATABASE_BACKED_UP = "database.backed_up"
    DATABASE_RESTORED = "database.restored"
    CLOCK_REPLAY_STARTED = "clock.replay_started"  # a database made to replay an incident
    CLOCK_SET = "clock.set"
    CLOCK_ADVANCED = "clock.advanced"
    CLOCK_LIVE = "clock.live"  # a replay switched to the wall clock
    CLOCK_EXERCISE_STARTED = "clock.exercise_started"  # a new database made an exercise
    FINDING_ADDED = "review.finding_added"
    ACTION_ADDED = "review.action_added"
    ACTION_UPDATED = "review.action_updated"


# Events that tell the incident's story; the audit trail holds these and every other change.
TIMELINE_EVENTS: tuple[EventType, ...] = (
    EventType.NETWORK_LOADED,
    EventType.ASSET_TRANSITIONED,
    EventType.INVENTORY_IMPORTED,
    EventType.PLAN_CREATED,
    EventType.DELAY_REPORTED,
    EventType.ACTIVITY_STATUS_CHANGED,
    EventType.BOOK_IMPORTED,
    EventType.APPOINTMENT_DECIDED,
    EventType.NOTIFICATION_STATUS,
    EventType.NOTIFICATION_SETTLED,
    EventType.INCIDENT_DECLARED,
    EventType.PHASE_ENTERED,
    EventType.PERIOD_OPENED,
    EventType.TIMELINE_NOTED,
    EventType.LOG_ADDED,
    EventType.EVIDENCE_REGISTERED,
    EventType.EVIDENCE_TRANSFERRED,
    EventType.SITREP_APPROVED,
    EventType.SITREP_PUBLISHED,
    EventType.MESSAGE_APPROVED,
    EventType.MESSAGE_SENT,
    EventType.DATABASE_RESTORED,
    EventType.SELF_APPROVED,
    EventType.CLOCK_REPLAY_STARTED,
    EventType.CLOCK_SET,
    EventType.CLOCK_ADVANCED,
    EventType.CLOCK_LIVE,
    EventType.CLOCK_EXERCISE_STARTED,
    EventType.AWARENESS_SET,
    EventType.DUTY_SUBMITTED,
    EventType.DUTY_NOT_APPLICABLE,
    EventType.CLAIM_RECORDED,
    EventType.CLAIM_UPDATED,
)

# Events made in bulk by one command (a machine each, an appointment each, an SMS each): the
# timeline shows those alike (same request, kind, before, after, reason) as one line.
BULK_EVENTS: frozenset[EventType] = frozenset(
    {
        EventType.ASSET_TRANSITIONED,
        EventType.ASSET_IMPORTED,
        EventType.ASSET_RECLASSIFIED,
        EventType.APPOINTMENT_DECIDED,
        EventType.NOTIFICATION_STATUS,
        EventType.NOTIFICATION_SETTLED,
    }
)

# The key of an access.refused row's `after`: the refusal as its message and values
# (RelanceError.as_record), said in each reader's language; its reason is the English sentence.
REFUSAL = "refusal"

# Events about who looked or signed in, not about the crisis: pages do not refresh for them.
ACCESS_EVENTS: tuple[EventType, ...] = (
    EventType.PATIENTS_LISTED,
    EventType.LOGGED_IN,
    EventType.LOGIN_FAILED,
    EventType.LOGGED_OUT,
    EventType.TOKEN_CREATED,
    EventType.TOKEN_REVOKED,
    EventType.ACCESS_REFUSED,
    EventType.DATABASE_BACKED_UP,
    EventType.LANGUAGE_CHANGED,
)

# What the audit rows are about (their object_type), as the access policy sees them.
# Records of one site: a machine (hostname), a clinical activity ("SITE/activity"), an
# appointment (its reference) and an SMS (its id). Rows about anything else concern the network.
SITE_OBJECTS: frozenset[str] = frozenset({"asset", "activity", "appointment", "notification"})
# Their free text (a physician's reason, a gateway's answer) is patient data.
PATIENT_OBJECTS: frozenset[str] = frozenset({"appointment", "notification"})
# Accounts, sign-ins with their addresses, refused requests: for account administrators only.
ACCOUNT_OBJECTS: frozenset[str] = frozenset({"user", "request"})

# Events dated by the wall clock whatever time the database lives in: accounts, sign-ins and
# backups are about the people and the machine of today, not about the incident replayed. The
# incident clock of a replay ignores them when it looks for the latest recorded moment.
WALL_CLOCK_EVENTS: tuple[EventType, ...] = (
    EventType.USER_ADDED,
    EventType.USER_DISABLED,
    EventType.PASSWORD_RESET,
    EventType.ROLE_CHANGED,
    EventType.LANGUAGE_CHANGED,
    EventType.TOKEN_CREATED,
    EventType.TOKEN_REVOKED,
    EventType.LOGGED_IN,
    EventType.LOGIN_FAILED,
    EventType.LOGGED_OUT,
    EventType.ACCESS_REFUSED,
    EventType.DATABASE_BACKED_UP,
    EventType.DATABASE_RESTORED,
)
