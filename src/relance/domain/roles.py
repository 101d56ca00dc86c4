"""Who may do what: the crisis cell's roles and the one table of their permissions."""

from collections.abc import Sequence
from enum import StrEnum

from relance.domain.errors import RelanceError


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
    Role.CRISIS_LEAD: "Crisis lead",
    Role.IT_LEAD: "IT lead",
    Role.TECHNICIAN: "Technician",
    Role.CLINICIAN: "Clinician",
    Role.COMMUNICATION: "Communication officer",
    Role.OBSERVER: "Observer",
}


class Permission(StrEnum):
    VIEW_STATUS = "view_status"  # overview, assets, services, plan, timeline, counts
    VIEW_AUDIT = "view_audit"  # the full audit trail, with actors and before/after
    VIEW_PATIENTS = "view_patients"  # names and phone numbers: the review queue, the call list
    TRANSITION_ASSETS = "transition_assets"
    DECIDE_APPOINTMENTS = "decide_appointments"
    MANAGE_PLAN = "manage_plan"  # report a delay, make a plan
    EDIT_SITREP = "edit_sitrep"  # draft and edit the day's report
    APPROVE_SITREP = "approve_sitrep"  # approve and publish it
    MANAGE_USERS = "manage_users"  # add, disable, reset passwords, change roles


P = Permission
_READ = frozenset({P.VIEW_STATUS})

# Least privilege: a technician moves machines but never sees a patient; an observer reads.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CRISIS_LEAD: frozenset(P),
    Role.IT_LEAD: _READ | {P.VIEW_AUDIT, P.TRANSITION_ASSETS, P.MANAGE_PLAN},
    Role.TECHNICIAN: _READ | {P.TRANSITION_ASSETS},
    Role.CLINICIAN: _READ | {P.VIEW_PATIENTS, P.DECIDE_APPOINTMENTS},
    Role.COMMUNICATION: _READ | {P.EDIT_SITREP},
    Role.OBSERVER: _READ | {P.VIEW_AUDIT},
}


class Forbidden(RelanceError):
    """The account's role (or its sites) does not allow this; nothing was done."""


def allows(role: Role, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def check(role: Role, permission: Permission) -> None:
    if not allows(role, permission):
        raise Forbidden(f"the role {role.value} may not {permission.value.replace('_', ' ')}")


def scope_sites(asked: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """The sites a request is about, within an account's sites (none: every site is allowed)."""
    wanted = tuple(s.upper() for s in asked)
    if not allowed:
        return wanted
    outside = sorted(set(wanted) - set(allowed))
    if outside:
        raise Forbidden(
            f"this account is limited to {', '.join(allowed)}: not {', '.join(outside)}"
        )
    return wanted or tuple(allowed)
