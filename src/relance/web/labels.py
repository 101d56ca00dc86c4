"""The pages' words for the domain's codes, marked for the catalogue (the pages translate them)."""

from relance.domain.network import AssetKind
from relance.domain.roles import Role
from relance.i18n import N_

KINDS = {
    AssetKind.SERVER: N_("Servers"),
    AssetKind.WORKSTATION: N_("Workstations"),
    AssetKind.MEDICAL_DEVICE: N_("Medical device PCs"),
}
ROLES = {
    Role.CRISIS_LEAD: N_("Crisis lead"),
    Role.IT_LEAD: N_("IT lead"),
    Role.TECHNICIAN: N_("Technician"),
    Role.CLINICIAN: N_("Clinician"),
    Role.COMMUNICATION: N_("Communication officer"),
    Role.OBSERVER: N_("Observer"),
}
