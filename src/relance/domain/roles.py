"""Who may do what: the crisis cell's roles, the one table of their permissions, and sites."""

from dataclasses import dataclass
from enum import StrEnum

from relance.domain.errors import N_, RelanceError, Word


class Role(StrEnum):
    CRISIS_LEAD = "crisis_lead"
    IT_LEAD = "it_lead"
    TECHNICIAN = "technician"
    CLINICIAN = "clinician"
    COMMUNICATION = "communication"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.CRISIS_LEAD: N_("Crisis lead"),
    Role.IT_LEAD: N_("IT lead"),
    Role.TECHNICIAN: N_("Technician"),
    Role.CLINICIAN: N_("Clinician"),
    Role.COMMUNICATION: N_("Communication officer"),
    Role.OBSERVER: N_("Observer"),
}


class Permission(StrEnum):
    VIEW_STATUS = "view_status"
    VIEW_AUDIT = "view_audit"
    VIEW_PATIENTS = "view_patients"
    TRANSITION_ASSETS = "transition_assets"
    DECIDE_APPOINTMENTS = "decide_appointments"
    MANAGE_PLAN = "manage_plan"
    IMPORT_INVENTORY = "import_inventory"
    EDIT_SITREP = "edit_sitrep"
    APPROVE_SITREP = "approve_sitrep"
    VIEW_REVIEW = "view_review"
    RECORD_REVIEW = "record_review"
    MANAGE_DUTIES = "manage_duties"
    MANAGE_USERS = "manage_users"

    @property
    def label(self) -> str:
        return _WHAT[self]

    @property
    def deed(self) -> Word:
        """What it lets one do, in a few words a refusal can end with ("manage accounts")."""
        return Word(_DEED[self])


P = Permission
_WHAT = {
    P.VIEW_STATUS: "read machines, activities, timeline, message counts; services, plan",
    P.VIEW_AUDIT: "read the audit trail (who, when, before and after)",
    P.VIEW_PATIENTS: "read patient data: review queue, call list, the text of decisions",
    P.TRANSITION_ASSETS: "move machines along their lifecycle",
    P.DECIDE_APPOINTMENTS: "decide appointments",
    P.MANAGE_PLAN: "report delays, make restoration plans",
    P.IMPORT_INVENTORY: "import the IT team's inventory exports (machines, sites)",
    P.EDIT_SITREP: "draft and edit sitreps",
    P.APPROVE_SITREP: "approve and publish sitreps",
    P.VIEW_REVIEW: "read the after-action review (every site)",
    P.RECORD_REVIEW: "record the after-action review's findings and improvement actions",
    P.MANAGE_DUTIES: "keep the legal duties register: approve, submit, name who drafts each",
    P.MANAGE_USERS: "manage accounts and roles; read sign-ins and refusals",
}
# "the role Technician may not {deed}": a verb and its object, short enough for one line
_DEED = {
    P.VIEW_STATUS: N_("read the status of machines and activities"),
    P.VIEW_AUDIT: N_("read the audit trail"),
    P.VIEW_PATIENTS: N_("read patient data"),
    P.TRANSITION_ASSETS: N_("move machines along their lifecycle"),
    P.DECIDE_APPOINTMENTS: N_("decide appointments"),
    P.MANAGE_PLAN: N_("make restoration plans"),
    P.IMPORT_INVENTORY: N_("import the inventory"),
    P.EDIT_SITREP: N_("draft sitreps"),
    P.APPROVE_SITREP: N_("approve sitreps"),
    P.VIEW_REVIEW: N_("read the after-action review"),
    P.RECORD_REVIEW: N_("record the after-action review"),
    P.MANAGE_DUTIES: N_("keep the legal duties register"),
    P.MANAGE_USERS: N_("manage accounts"),
}
_READ = frozenset({P.VIEW_STATUS, P.VIEW_REVIEW})

# Least privilege: a technician moves machines but never sees a patient; an observer reads.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CRISIS_LEAD: frozenset(P),
    Role.IT_LEAD: _READ | {P.VIEW_AUDIT, P.TRANSITION_ASSETS, P.MANAGE_PLAN, P.IMPORT_INVENTORY},
    Role.TECHNICIAN: _READ | {P.TRANSITION_ASSETS},
    Role.CLINICIAN: _READ | {P.VIEW_PATIENTS, P.DECIDE_APPOINTMENTS},
    Role.COMMUNICATION: _READ | {P.EDIT_SITREP},
    Role.OBSERVER: _READ | {P.VIEW_AUDIT},
}

# Permissions over records that belong to a site (machines, activities, appointments and their
# patients, SMS, and the timeline and audit entries about them): an account limited to some
# sites has them there only. The others act on the whole network (its plan, its reports, its
# accounts): an account limited to some sites does not have them at all.
SITE_BOUND: frozenset[Permission] = frozenset(
    {P.VIEW_STATUS, P.VIEW_AUDIT, P.VIEW_PATIENTS, P.TRANSITION_ASSETS, P.DECIDE_APPOINTMENTS}
)


class Forbidden(RelanceError):
    """The account's role (or its sites) does not allow this; nothing was done."""


def allows(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


@dataclass(frozen=True)
class Authority:
    """What an account may do: its role's permissions, within its sites (none: every site)."""

    role: Role
    sites: tuple[str, ...] = ()

    def allows(self, permission: Permission) -> bool:
        """The role has it, and it is of the sites, or the account is of the whole network."""
        return allows(self.role, permission) and (permission in SITE_BOUND or not self.sites)

    def covers(self, site: str) -> bool:
        return not self.sites or site in self.sites


# The operator named on the command line (--actor, RELANCE_ACTOR) at the server's keyboard:
# every right; a signed-in operator has the account's. Both through the same access helpers
# as the pages and the API.
CONSOLE = Authority(Role.CRISIS_LEAD)
# Nobody signed in or named: what an observer reads, never patient data, never a change.
UNSIGNED = Authority(Role.OBSERVER)
