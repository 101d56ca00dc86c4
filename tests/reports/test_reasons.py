"""Why an activity is not fully functional: worded from the functioning rules' facts, per reader."""

from relance.domain.functioning import Functioning, Shortfall, activity_status
from relance.domain.network import AssetKind, ClinicalActivity, MachineNeed
from relance.reports.reasons import activity_reasons
from relance.reports.words import Words

W = AssetKind.WORKSTATION
SERVICES = {"DPI": "Patient record", "AD": "Directory"}
SURGERY = ClinicalActivity(
    "A", "surgery", "Surgery", 40, True, 30, ("AD", "DPI"), (MachineNeed(W, "BOP", 4),)
)


def test_services_down_and_paper_are_named_in_the_readers_language() -> None:
    status = activity_status(SURGERY, set(), {})
    assert (status.functioning, status.services_down, status.on_paper) == (
        Functioning.PARTIALLY,
        ("AD", "DPI"),
        True,
    )
    english = activity_reasons(Words("en", {}), status, SERVICES)
    assert english == "on paper at 30%; down: Directory (AD) and Patient record (DPI)"
    names = {"fr": {"Patient record": "Dossier patient", "Directory": "Annuaire"}}
    french = activity_reasons(Words("fr", names), status, SERVICES)
    assert french == (
        "sur papier à 30\u00a0% ; hors service : Annuaire (AD) et Dossier patient (DPI)"
    )


def test_missing_machines_are_counted_per_department() -> None:
    status = activity_status(SURGERY, {"AD", "DPI"}, {(W, "BOP"): 1})
    assert status.short == (Shortfall(W, "BOP", 1, 4),)
    assert status.reason == "1 of 4 workstation in BOP"  # as the history keeps it
    assert activity_reasons(Words("en", {}), status, SERVICES) == (
        "1 of 4 workstations back in BOP"
    )
    assert activity_reasons(Words("fr", {}), status, SERVICES) == (
        "postes de travail rendus en BOP : 1 sur 4"
    )
