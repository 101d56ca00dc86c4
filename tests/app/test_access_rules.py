"""The access policy's rules on their own, for any role, account sites and request (no database)."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.app import access
from relance.app.context import Context
from relance.domain.audit_events import ACCOUNT_OBJECTS, PATIENT_OBJECTS, SITE_OBJECTS
from relance.domain.roles import PERMISSIONS, SITE_BOUND, Authority, Permission, Role
from relance.storage.audit_store import AuditEvent, AuditQuery

SITES = st.lists(st.sampled_from(["ARL", "BAS", "LIB", "MAR", "VIR"]), unique=True, max_size=3)


def ctx(role: Role, sites: list[str]) -> Context:
    return Context("someone", authority=Authority(role, tuple(sites)))


@given(st.sampled_from(Role), SITES, st.sampled_from(Permission), SITES)
def test_sites_are_those_asked_within_the_accounts(
    role: Role, mine: list[str], permission: Permission, asked: list[str]
) -> None:
    may = permission in PERMISSIONS[role] and (permission in SITE_BOUND or not mine)
    outside = set(asked) - set(mine) if mine else set()
    asking = ctx(role, mine)
    if may and not outside:
        found = access.sites(asking, permission, [s.lower() for s in asked])
        assert found == (tuple(asked) or tuple(mine))
    else:
        with pytest.raises(access.Refused, match=r"may not|limited to"):
            access.sites(asking, permission, asked)


@given(st.sampled_from(Permission))
def test_no_account_no_access(permission: Permission) -> None:
    with pytest.raises(access.Refused, match="gateway acts without an account"):
        access.authority(Context("gateway"), permission)


def _event(object_type: str) -> AuditEvent:
    now = datetime(2022, 5, 16, tzinfo=UTC)
    return AuditEvent(
        "r", "dr-x", now, now, "x", object_type, "K", reason="free text", evidence="e"
    )


@given(
    st.sampled_from(Role), SITES, st.sampled_from(sorted(SITE_OBJECTS | ACCOUNT_OBJECTS | {"plan"}))
)
def test_free_text_about_patients_is_for_patient_readers(
    role: Role, mine: list[str], object_type: str
) -> None:
    (shown,) = access.shown(ctx(role, mine), [_event(object_type)])
    hidden = object_type in PATIENT_OBJECTS and Permission.VIEW_PATIENTS not in PERMISSIONS[role]
    assert (shown.reason, shown.evidence) == (("", None) if hidden else ("free text", "e"))


@given(st.sampled_from(Role), SITES)
def test_account_records_are_for_account_administrators(role: Role, mine: list[str]) -> None:
    try:
        query = access.trail(ctx(role, mine), AuditQuery(), Permission.VIEW_AUDIT)
    except access.Refused:
        assert Permission.VIEW_AUDIT not in PERMISSIONS[role]
        return
    administrator = Permission.MANAGE_USERS in PERMISSIONS[role] and not mine
    assert set(query.hidden_objects) == (set() if administrator else set(ACCOUNT_OBJECTS))
    assert query.sites == tuple(mine)
