"""The words of the domain's codes: one mapping per code, from its value to its English message
in the catalogue (marked with N_ here, or on the domain's own label, so the extractor finds it).

The reports, the pages and the command line all take them from here and translate them at read
time in the reader's language (`Words`, cli/wording.py's `label`). A StrEnum member and its
plain value look up alike. Light on purpose: only the domain's enums and the N_ marker, so a
command may import it without slowing its start.
"""

from relance.domain.delivery import Delivery
from relance.domain.duties import AwarenessSource, DutyStatus
from relance.domain.errors import N_  # the marker alone: no catalogue read on import
from relance.domain.exercise import InjectKind
from relance.domain.functioning import Functioning
from relance.domain.incident import Audience, LogKind, Measure, Phase, Priority
from relance.domain.lifecycle import AssetState
from relance.domain.network import AssetKind, SiteKind
from relance.domain.review import ActionStatus, FindingKind
from relance.domain.roles import Role
from relance.domain.triage import Decision

FUNCTIONING = {
    Functioning.FULLY: N_("fully functional"),
    Functioning.PARTIALLY: N_("partially functional"),
    Functioning.NOT: N_("not functional"),
}
# A machine's state in a sentence; STATE_TITLES in a table's cell or a heading.
STATES = {
    AssetState.COMPROMISED: N_("compromised"),
    AssetState.ISOLATED: N_("isolated"),
    AssetState.IMAGED: N_("forensic copy kept"),
    AssetState.REIMAGED: N_("reimaged"),
    AssetState.VALIDATED: N_("validated (scanned clean)"),
    AssetState.CLEAN_ZONE: N_("in the clean zone"),
    AssetState.REDEPLOYED: N_("redeployed"),
    AssetState.DECOMMISSIONED: N_("decommissioned"),
}
STATE_TITLES = {state: state.label for state in AssetState}
PHASES = {
    Phase.DETECTION: N_("detection"),
    Phase.CONTAINMENT: N_("containment"),
    Phase.ERADICATION: N_("eradication"),
    Phase.RECOVERY: N_("recovery"),
    Phase.POST_INCIDENT: N_("post-incident"),
}
METHODS = {"tiers": N_("by tiers"), "cpsat": N_("optimised"), "rule": N_("by priority rule")}
DECISIONS = {
    Decision.MAINTAIN: N_("maintained"),
    Decision.CANCEL: N_("cancelled"),
    Decision.REVIEW: N_("for a physician's review"),
    Decision.RESCHEDULE: N_("rescheduled"),
    Decision.PHONE: N_("to phone"),
}
DELIVERIES = {
    Delivery.QUEUED: N_("waiting to be sent"),
    Delivery.SENDING: N_("being sent"),
    Delivery.SUBMITTED: N_("handed to the gateway"),
    Delivery.ACCEPTED: N_("accepted by the operator"),
    Delivery.DELIVERED: N_("delivered"),
    Delivery.FAILED: N_("failed"),
    Delivery.UNCONFIRMED: N_("unconfirmed"),
    Delivery.UNKNOWN: N_("may have been sent"),  # never sent again without a person deciding
}
# A measure as the crisis cell's report states it (the communiqué words it for patients).
MEASURES = {
    Measure.MAINTAINED: N_("maintained"),
    Measure.CANCELLED: N_("planned appointments cancelled"),
    Measure.CANCELLED_BY_SMS: N_(
        "cancelled, each patient told by SMS; a physician may keep an appointment and then "
        "calls the patient"
    ),
    Measure.CASE_BY_CASE: N_("each patient called; kept or not case by case"),
    Measure.STOPPED: N_("stopped"),
    Measure.LIFTED: N_("lifted"),
}
AWARENESS_SOURCES = {  # {who} and {reason}: a corrected moment's, as typed
    AwarenessSource.CORRECTED: N_("corrected by {who}: {reason}"),
    AwarenessSource.CONFIRMED: N_("attack confirmed (the incident's declaration)"),
    AwarenessSource.CONTAINMENT: N_("containment entered: attack confirmed"),
}
DUTY_STATUSES = {status: status.label for status in DutyStatus}
SITE_KINDS = {
    SiteKind.HOSPITAL: N_("hospital"),
    SiteKind.POLYCLINIC: N_("polyclinic"),
    SiteKind.NURSING_HOME: N_("nursing home"),
    SiteKind.BLOOD_SAMPLING: N_("blood sampling centre"),
    SiteKind.CRECHE: N_("creche"),
    SiteKind.ADMINISTRATION: N_("administration"),
}


# The records' own states (sitreps, public messages), the clock's modes, the solver's outcomes.
RECORD_STATES = {
    "draft": N_("draft"),
    "approved": N_("approved"),
    "published": N_("published"),
    "sent": N_("sent"),
    "replay": N_("replay"),
    "live": N_("live"),
    "optimal": N_("optimal"),
    "feasible": N_("feasible"),
    "heuristic": N_("heuristic"),
    "critical path": N_("critical path"),  # what proved a plan's lower bound
    "fluid relaxation": N_("fluid relaxation"),
}
# The care pathways of relance.domain.appointments (a book's other codes are shown as they are).
PATHWAYS = {
    "routine": N_("routine"),
    "pregnancy": N_("pregnancy"),
    "chemotherapy": N_("chemotherapy"),
    "oncology": N_("oncology"),
    "diabetology": N_("diabetology"),
    "plaster": N_("plaster"),
    "surgery": N_("surgery"),
    "follow-up": N_("follow-up"),
}
ASSET_KINDS = {  # headings: a table's row, a filter
    AssetKind.SERVER: N_("Servers"),
    AssetKind.WORKSTATION: N_("Workstations"),
    AssetKind.MEDICAL_DEVICE: N_("Medical device PCs"),
}
ASSET_KIND = {  # one machine of the kind, in a sentence or a legend
    AssetKind.SERVER: N_("server"),
    AssetKind.WORKSTATION: N_("workstation"),
    AssetKind.MEDICAL_DEVICE: N_("medical device PC"),
}
ASSET_KINDS_SAID = {  # several machines, inside a sentence
    AssetKind.SERVER: N_("servers"),
    AssetKind.WORKSTATION: N_("workstations"),
    AssetKind.MEDICAL_DEVICE: N_("medical device PCs"),
}
ROLES = {role: role.label for role in Role}
AUDIENCES = {
    Audience.STAFF: N_("staff"),
    Audience.CERT: N_("national CERT"),
    Audience.DPA: N_("data-protection authority"),
    Audience.POLICE: N_("police"),
    Audience.PRESS: N_("press"),
    Audience.PUBLIC: N_("public"),
}
LOG_KINDS = {
    LogKind.DECISION: N_("decision"),
    LogKind.SITUATION: N_("situation"),
    LogKind.ACTION: N_("action"),
    LogKind.REQUEST: N_("request"),
    LogKind.COMMUNICATION: N_("communication"),
}
PRIORITIES = {
    Priority.ROUTINE: N_("routine"),
    Priority.IMPORTANT: N_("important"),
    Priority.URGENT: N_("urgent"),
}
FINDING_KINDS = {FindingKind.WENT_WELL: N_("went well"), FindingKind.TO_IMPROVE: N_("to improve")}
ACTION_STATUSES = {
    ActionStatus.PLANNED: N_("planned"),
    ActionStatus.IN_PROGRESS: N_("in progress"),
    ActionStatus.DONE: N_("done"),
    ActionStatus.DROPPED: N_("dropped"),
}
INJECT_KINDS = {
    InjectKind.ALERT: N_("alert"),
    InjectKind.FINDING: N_("finding"),
    InjectKind.PRESS: N_("press"),
    InjectKind.CLAIM: N_("claim"),
    InjectKind.SITUATION: N_("situation"),
}
# The codes a timeline line may carry, by value (none of these values is in two maps).
CODES: tuple[dict[str, str], ...] = tuple(
    {str(code): text for code, text in words.items()}
    for words in (STATES, DECISIONS, PHASES, DELIVERIES, FUNCTIONING, RECORD_STATES)
)
