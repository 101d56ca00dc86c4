"""Errors in the reader's language: the English sentence for logs and the API, the French one
for the cell, with the words inside (states, roles, permissions) translated too."""

import pytest

from relance.app import access
from relance.app.context import Context
from relance.domain.errors import N_, InvalidInput, Problem, RejectedInput
from relance.domain.lifecycle import AssetState, check_transition
from relance.domain.roles import Authority, Permission, Role
from relance.i18n import Texts

FR, EN = Texts("fr"), Texts("en")


def _refusal(role: Role, permission: Permission, sites: tuple[str, ...] = ()) -> access.Refused:
    ctx = Context(actor="nurse", authority=Authority(role, sites))
    try:
        access.authority(ctx, permission)
    except access.Refused as refused:
        return refused
    raise AssertionError("not refused")


def test_a_refusal_names_what_the_permission_lets_one_do_never_its_code() -> None:
    refused = _refusal(Role.TECHNICIAN, Permission.MANAGE_USERS)
    assert str(refused) == "the role Technician may not manage accounts"
    assert refused.why == str(refused)  # the trail keeps the English sentence
    assert FR.error(refused) == "le rôle Technicien ne permet pas de gérer les comptes"
    assert EN.error(refused) == str(refused)
    assert "manage_users" not in FR.error(refused)


def test_every_permission_has_its_deed_in_french() -> None:
    for permission in Permission:
        assert permission.value not in permission.deed
        assert FR._(permission.deed) != permission.deed, permission


def test_an_account_of_some_sites_is_told_so_in_french() -> None:
    refused = _refusal(Role.CRISIS_LEAD, Permission.MANAGE_USERS, ("A",))
    assert FR.error(refused) == (
        "ce compte est limité à A : seul un compte de tout le réseau peut gérer les comptes"
    )


def test_an_illegal_transition_names_the_states_in_the_readers_words() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_transition(AssetState.COMPROMISED, AssetState.REDEPLOYED)
    assert str(caught.value) == (
        "cannot go from Compromised to Redeployed (allowed: Isolated, Decommissioned)"
    )
    assert FR.error(caught.value) == (
        "passage impossible de « Compromise » à « Redéployée » "
        "(possibles : Isolée, Retirée du service)"
    )


def test_a_problem_keeps_its_place_and_says_its_message_in_french() -> None:
    first = Problem("scan.csv", 3, "hostname", N_("unknown host {host}"), host="A-SRV-01")
    second = Problem("scan.csv", 4, "hostname", N_("unknown host {host}"), host="A-SRV-02")
    assert first.message == "unknown host A-SRV-01"  # the API's and the report's field
    assert FR.error(first) == "scan.csv:3: hostname: machine inconnue : A-SRV-01"
    rejected = RejectedInput([first, second])
    assert str(rejected) == "scan.csv:3: hostname: unknown host A-SRV-01 (and 1 more problems)"
    assert FR.error(rejected) == (
        "scan.csv:3: hostname: machine inconnue : A-SRV-01 (et 1 autres problèmes)"
    )


def test_a_message_of_old_stays_as_it_is_said() -> None:
    plain = InvalidInput("a {brace} written before the catalogue")
    assert str(plain) == FR.error(plain) == "a {brace} written before the catalogue"
