"""ORM tables of the hospital network and its audit trail, by name.

Each table is defined in the module of its subject (relance.storage.rows), imported the first
time one of its names is asked for here: a command maps only the tables it uses (mapping all
46 costs about 0.1 s of CPU; `relance status` needs a third of them). `Base` asked for here
comes with every table, for whoever needs the whole schema (migrations, tests).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relance.storage.rows.audit import AuditRow, IncidentClockRow
    from relance.storage.rows.base import Base
    from relance.storage.rows.clinic import (
        AppointmentRow,
        NotificationRow,
        PatientRow,
        SmsDispatcherRow,
        TriageDecisionRow,
    )
    from relance.storage.rows.duties import DutyClockRow, ExtortionClaimRow, LegalDutyRow
    from relance.storage.rows.incident import (
        CustodyTransferRow,
        EvidenceRow,
        IncidentPhaseRow,
        IncidentRow,
        LogEntryRow,
        MessageRow,
        ObjectiveRow,
        OperationalPeriodRow,
        SitrepDocumentRow,
        SitrepRow,
    )
    from relance.storage.rows.network import (
        ActivityMachineNeedRow,
        ActivityRow,
        ActivityServiceNeedRow,
        AssetRow,
        AssetServiceRow,
        DepartmentRow,
        NetworkRow,
        ServiceDependencyRow,
        ServiceRow,
        SiteRow,
        TeamRow,
    )
    from relance.storage.rows.plan import (
        ActivityStatusRow,
        DelayRow,
        PlanForecastRow,
        PlanLevelRow,
        PlanTaskRow,
        PlanVersionRow,
    )
    from relance.storage.rows.review import (
        ExerciseInjectRow,
        ExerciseScriptRow,
        FindingRow,
        ImprovementActionRow,
    )
    from relance.storage.rows.users import ApiTokenRow, LoginAttemptRow, UserRow, WebSessionRow

__all__ = [
    "ActivityMachineNeedRow",
    "ActivityRow",
    "ActivityServiceNeedRow",
    "ActivityStatusRow",
    "ApiTokenRow",
    "AppointmentRow",
    "AssetRow",
    "AssetServiceRow",
    "AuditRow",
    "Base",
    "CustodyTransferRow",
    "DelayRow",
    "DepartmentRow",
    "DutyClockRow",
    "EvidenceRow",
    "ExerciseInjectRow",
    "ExerciseScriptRow",
    "ExtortionClaimRow",
    "FindingRow",
    "ImprovementActionRow",
    "IncidentClockRow",
    "IncidentPhaseRow",
    "IncidentRow",
    "LegalDutyRow",
    "LogEntryRow",
    "LoginAttemptRow",
    "MessageRow",
    "NetworkRow",
    "NotificationRow",
    "ObjectiveRow",
    "OperationalPeriodRow",
    "PatientRow",
    "PlanForecastRow",
    "PlanLevelRow",
    "PlanTaskRow",
    "PlanVersionRow",
    "ServiceDependencyRow",
    "ServiceRow",
    "SiteRow",
    "SitrepDocumentRow",
    "SitrepRow",
    "SmsDispatcherRow",
    "TeamRow",
    "TriageDecisionRow",
    "UserRow",
    "WebSessionRow",
    "every_table",
]

# The module of each table, by name.
WHERE = {
    "NetworkRow": "network",
    "SiteRow": "network",
    "DepartmentRow": "network",
    "ServiceRow": "network",
    "ServiceDependencyRow": "network",
    "TeamRow": "network",
    "ActivityRow": "network",
    "ActivityServiceNeedRow": "network",
    "ActivityMachineNeedRow": "network",
    "AssetRow": "network",
    "AssetServiceRow": "network",
    "AuditRow": "audit",
    "IncidentClockRow": "audit",
    "PlanVersionRow": "plan",
    "PlanTaskRow": "plan",
    "PlanForecastRow": "plan",
    "DelayRow": "plan",
    "PlanLevelRow": "plan",
    "ActivityStatusRow": "plan",
    "PatientRow": "clinic",
    "AppointmentRow": "clinic",
    "TriageDecisionRow": "clinic",
    "NotificationRow": "clinic",
    "SmsDispatcherRow": "clinic",
    "IncidentRow": "incident",
    "IncidentPhaseRow": "incident",
    "OperationalPeriodRow": "incident",
    "ObjectiveRow": "incident",
    "LogEntryRow": "incident",
    "EvidenceRow": "incident",
    "CustodyTransferRow": "incident",
    "SitrepRow": "incident",
    "SitrepDocumentRow": "incident",
    "MessageRow": "incident",
    "UserRow": "users",
    "WebSessionRow": "users",
    "ApiTokenRow": "users",
    "LoginAttemptRow": "users",
    "ExerciseScriptRow": "review",
    "ExerciseInjectRow": "review",
    "FindingRow": "review",
    "ImprovementActionRow": "review",
    "DutyClockRow": "duties",
    "LegalDutyRow": "duties",
    "ExtortionClaimRow": "duties",
}


def every_table() -> "type[Base]":
    """The declarative base, with every table of the schema mapped on it."""
    for module in dict.fromkeys(WHERE.values()):
        importlib.import_module(f"relance.storage.rows.{module}")
    from relance.storage.rows.base import Base  # noqa: PLC0415 - after the tables: complete

    return Base


def __getattr__(name: str) -> Any:
    if name == "Base":
        return every_table()
    module = WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"relance.storage.rows.{module}"), name)
