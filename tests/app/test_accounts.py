"""Accounts, sign-in waits and API tokens through the app services, on SQLite and PostgreSQL.

Time comes from a FixedClock: the waits and expiries are checked without sleeping.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Engine

from relance.app import access, tokens, users
from relance.app.context import Context
from relance.app.users import MIN_PASSWORD
from relance.domain.clock import FixedClock
from relance.domain.errors import InvalidInput
from relance.domain.roles import CONSOLE, Authority, Forbidden, Role
from relance.domain.throttle import FIRST_WAIT, FREE_FAILURES, LONGEST_WAIT
from relance.storage import audit_store
from relance.storage.audit_store import AuditQuery
from relance.storage.database import UnitOfWork, unit_of_work
from relance.storage.tables import ApiTokenRow

T = TypeVar("T")
PASSWORD = "correct horse battery"  # noqa: S105 - the test accounts' password
A, B = "10.0.0.1", "10.0.0.2"


class Cell:
    """The database and the one clock of a test."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.clock = FixedClock(datetime(2022, 5, 14, 4, 15, tzinfo=UTC))
        self.ctx = Context(actor="console", clock=self.clock, authority=CONSOLE)

    def run(self, action: Callable[[UnitOfWork], T]) -> T:
        with unit_of_work(self.engine) as uow:
            return action(uow)

    def add(self, login: str, role: Role = Role.OBSERVER) -> None:
        self.run(lambda uow: users.add_user(uow, self.ctx, login, role, password=PASSWORD))

    def sign_in(self, login: str, password: str, address: str) -> users.SignIn:
        return self.run(lambda uow: users.log_in(uow, self.ctx, login, password, address))

    def token(self, login: str, lifetime: str = "12h") -> tokens.NewToken:
        return self.run(
            lambda uow: tokens.create_token(uow, self.ctx, login, "wallboard", lifetime, by=None)
        )

    def opens(self, secret: str) -> bool:
        return self.run(lambda uow: tokens.token_user(uow, self.ctx, secret)) is not None

    def audited(self, event_type: str) -> list[audit_store.AuditEvent]:
        return self.run(lambda uow: audit_store.find(uow, AuditQuery(event_types=(event_type,))))


@pytest.fixture
def cell(engine: Engine) -> Cell:
    cell = Cell(engine)
    cell.add("lead", Role.CRISIS_LEAD)
    cell.add("nurse")
    return cell


# M6: a guesser slows only their own attempts, on one account, from one address.


def test_five_wrong_passwords_do_not_lock_the_account_from_another_address(cell: Cell) -> None:
    for _ in range(5):
        assert cell.sign_in("nurse", "wrong", A).refused in {"credentials", "rate_limited"}
        cell.clock.advance(timedelta(seconds=1))
    assert cell.sign_in("nurse", PASSWORD, A).refused == "rate_limited"
    assert cell.sign_in("nurse", PASSWORD, B).session is not None


def test_many_failures_from_one_address_do_not_lock_the_other_accounts(cell: Cell) -> None:
    for n in range(21):  # main locked every account of an address after 20
        cell.sign_in(f"user-{n}", "wrong", A)
    assert cell.sign_in("lead", PASSWORD, A).session is not None


def test_the_wait_grows_after_a_few_typos_and_is_capped(cell: Cell) -> None:
    waits = []
    for _ in range(FREE_FAILURES + 8):  # FIRST_WAIT doubled 8 times is past the cap
        failed = cell.sign_in("nurse", "wrong", A)
        assert failed.refused == "credentials"
        waits.append(failed.wait)
        cell.clock.advance(failed.wait)
    assert waits[: FREE_FAILURES - 1] == [timedelta(0)] * (FREE_FAILURES - 1)
    assert waits[FREE_FAILURES - 1 : FREE_FAILURES + 1] == [FIRST_WAIT, 2 * FIRST_WAIT]
    assert waits[-1] == LONGEST_WAIT
    assert waits == sorted(waits)


def test_an_attempt_during_the_wait_is_not_even_checked(cell: Cell) -> None:
    for _ in range(FREE_FAILURES):
        cell.sign_in("nurse", "wrong", A)
    early = cell.sign_in("nurse", PASSWORD, A)
    assert (early.refused, early.wait) == ("rate_limited", FIRST_WAIT)
    cell.clock.advance(FIRST_WAIT - timedelta(seconds=1))
    assert cell.sign_in("nurse", PASSWORD, A).wait == timedelta(seconds=1)  # not lengthened
    cell.clock.advance(timedelta(seconds=1))
    assert cell.sign_in("nurse", PASSWORD, A).session is not None
    reasons = [e.reason for e in cell.audited("user.login_failed")]
    assert reasons.count("rate limited") == 2


def test_a_success_lifts_the_wait_of_its_own_address_only(cell: Cell) -> None:
    for address in (A, B):
        for _ in range(FREE_FAILURES):
            cell.sign_in("nurse", "wrong", address)
    cell.clock.advance(FIRST_WAIT)
    assert cell.sign_in("nurse", PASSWORD, A).session is not None
    assert cell.sign_in("nurse", "wrong", A).wait == timedelta(0)  # a fresh start at A
    assert cell.sign_in("nurse", "wrong", B).wait == 2 * FIRST_WAIT  # B's guesser waits on


def test_a_password_reset_from_the_console_lifts_every_wait(cell: Cell) -> None:
    for _ in range(FREE_FAILURES):
        cell.sign_in("nurse", "wrong", A)
    assert cell.sign_in("nurse", PASSWORD, A).refused == "rate_limited"
    _, password = cell.run(lambda uow: users.reset_password(uow, cell.ctx, "nurse"))
    assert cell.sign_in("nurse", password, A).session is not None


def test_failures_are_forgotten_after_a_day(cell: Cell) -> None:
    for _ in range(FREE_FAILURES):
        cell.sign_in("nurse", "wrong", A)
    cell.clock.advance(timedelta(hours=24, seconds=1))
    assert cell.sign_in("nurse", "wrong", A).wait == timedelta(0)


# M6 and the last crisis lead.


def test_the_last_crisis_lead_can_be_neither_disabled_nor_demoted(cell: Cell) -> None:
    with pytest.raises(InvalidInput, match="lead is the last active crisis lead"):
        cell.run(lambda uow: users.disable_user(uow, cell.ctx, "lead"))
    with pytest.raises(InvalidInput, match="last active crisis lead"):
        cell.run(lambda uow: users.change_role(uow, cell.ctx, "lead", Role.OBSERVER))
    cell.run(lambda uow: users.change_role(uow, cell.ctx, "lead", Role.CRISIS_LEAD, ("",)))
    cell.run(lambda uow: users.change_role(uow, cell.ctx, "nurse", Role.CRISIS_LEAD))
    cell.run(lambda uow: users.disable_user(uow, cell.ctx, "lead"))  # another lead remains
    with pytest.raises(InvalidInput, match="nurse is the last active crisis lead"):
        cell.run(lambda uow: users.change_role(uow, cell.ctx, "nurse", Role.TECHNICIAN))


# M5: tokens expire, are listed and revoked one by one, and die with the password.


def test_a_token_lives_twelve_hours_unless_said(cell: Cell) -> None:
    made = cell.token("nurse")
    assert made.token.expires_at == cell.clock.now() + timedelta(hours=12)
    cell.clock.advance(timedelta(hours=12) - timedelta(seconds=1))
    assert cell.opens(made.secret)
    cell.clock.advance(timedelta(seconds=1))
    assert not cell.opens(made.secret)


def test_a_token_lives_thirty_days_at_most(cell: Cell) -> None:
    month = cell.token("nurse", "30d")
    assert month.token.expires_at == cell.clock.now() + timedelta(days=30)
    with pytest.raises(InvalidInput, match="from 1h to 30d"):
        cell.token("nurse", "31d")


def test_tokens_are_listed_without_their_secret_and_revoked_one_by_one(cell: Cell) -> None:
    first, second = cell.token("nurse"), cell.token("nurse", "7d")
    listed = cell.run(lambda uow: tokens.list_tokens(uow, cell.ctx, "nurse", by=None))
    assert [(t.id, t.name, t.last_used_at) for t in listed] == [
        (first.token.id, "wallboard", None),
        (second.token.id, "wallboard", None),
    ]
    assert all(first.secret not in repr(t) for t in listed)
    stored = cell.run(lambda uow: [r.token_hash for r in uow.session.query(ApiTokenRow)])
    assert first.secret not in stored
    assert users.digest(first.secret) in stored  # only its SHA-256
    cell.run(lambda uow: tokens.revoke_token(uow, cell.ctx, "nurse", first.token.id, by=None))
    assert not cell.opens(first.secret)
    assert cell.opens(second.secret)
    with pytest.raises(InvalidInput, match="lead has no token"):  # not its own
        cell.run(lambda uow: tokens.revoke_token(uow, cell.ctx, "lead", second.token.id, by=None))
    [revoked] = cell.audited("user.token_revoked")
    assert (revoked.actor, revoked.object_key) == ("console", "nurse")
    assert revoked.after == {"token": first.token.id, "name": "wallboard"}


def test_a_password_reset_or_a_disabled_account_kills_its_tokens(cell: Cell) -> None:
    made = cell.token("nurse")
    cell.run(lambda uow: users.reset_password(uow, cell.ctx, "nurse"))
    assert not cell.opens(made.secret)
    again = cell.token("nurse")
    cell.run(lambda uow: users.disable_user(uow, cell.ctx, "nurse"))
    assert not cell.opens(again.secret)
    [reset] = cell.audited("user.password_reset")
    assert reset.after == {"sessions_ended": 0, "tokens_revoked": 1}


def test_the_last_use_is_recorded_a_few_minutes_apart(cell: Cell) -> None:
    made = cell.token("nurse")

    def use() -> tokens.TokenUse:
        found = cell.run(lambda uow: tokens.token_user(uow, cell.ctx, made.secret))
        assert found is not None
        return found

    assert use().record
    assert use().principal.token == made.token.id
    first = cell.clock.now()
    cell.run(lambda uow: tokens.record_use(uow, cell.ctx, made.token.id))
    cell.clock.advance(tokens.LAST_USED_STEP - timedelta(seconds=1))
    assert not use().record
    cell.clock.advance(timedelta(seconds=1))
    assert use().record
    [listed] = cell.run(lambda uow: tokens.list_tokens(uow, cell.ctx, "nurse", by=None))
    assert listed.last_used_at == first


def test_only_a_password_makes_a_token_and_only_for_oneself_or_by_the_lead(cell: Cell) -> None:
    made = cell.token("nurse")
    use = cell.run(lambda uow: tokens.token_user(uow, cell.ctx, made.secret))
    assert use is not None
    with pytest.raises(Forbidden, match="a token cannot make tokens"):
        cell.run(lambda uow: tokens.create_token(uow, cell.ctx, "nurse", "x", by=use.principal))
    signed = cell.sign_in("nurse", PASSWORD, A).session
    assert signed is not None
    nurse = signed.principal
    cell.run(lambda uow: tokens.create_token(uow, cell.ctx, "nurse", "mine", by=nurse))
    with pytest.raises(Forbidden):
        cell.run(lambda uow: tokens.create_token(uow, cell.ctx, "lead", "x", by=nurse))
    with pytest.raises(Forbidden):
        cell.run(lambda uow: tokens.list_tokens(uow, cell.ctx, "lead", by=nurse))
    lead = cell.sign_in("lead", PASSWORD, A).session
    assert lead is not None
    listed = cell.run(lambda uow: tokens.list_tokens(uow, cell.ctx, "nurse", by=lead.principal))
    assert [t.name for t in listed] == ["wallboard", "mine"]


# At the same moment: the row locks, not luck, keep the rules.


def test_parallel_guesses_are_counted_one_after_the_other(cell: Cell) -> None:
    """Eight guesses at once from one address: only the free ones are checked (the clock stands
    still, so the others all fall in the wait, whatever the machine's load)."""
    barrier = threading.Barrier(8)

    def guess() -> str:
        barrier.wait(timeout=60)
        return cell.sign_in("nurse", "wrong", A).refused

    with ThreadPoolExecutor(8) as pool:
        answers = sorted(pool.map(lambda _: guess(), range(8)))
    assert answers == ["credentials"] * FREE_FAILURES + ["rate_limited"] * (8 - FREE_FAILURES)


def test_two_crisis_leads_disabling_each_other_at_once_leave_one(cell: Cell) -> None:
    cell.add("second", Role.CRISIS_LEAD)
    barrier = threading.Barrier(2)

    def disable(login: str) -> str:
        barrier.wait(timeout=60)
        try:
            cell.run(lambda uow: users.disable_user(uow, cell.ctx, login))
        except InvalidInput as error:
            return str(error)
        return "disabled"

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(disable, ["lead", "second"]))
    assert answers[0] == "disabled"
    assert "is the last active crisis lead" in answers[1]
    active = cell.run(lambda uow: [a.login for a in users.list_users(uow, cell.ctx) if a.active])
    assert len(set(active) & {"lead", "second"}) == 1


# Who may manage accounts is decided in the app layer, for the pages, the API and the CLI alike.

ACTS: dict[str, Callable[[UnitOfWork, Context], object]] = {
    "list": users.list_users,
    "add": lambda uow, ctx: users.add_user(uow, ctx, "intruder", Role.CRISIS_LEAD),
    "disable": lambda uow, ctx: users.disable_user(uow, ctx, "nurse"),
    "reset": lambda uow, ctx: users.reset_password(uow, ctx, "lead", "x" * MIN_PASSWORD),
    "role": lambda uow, ctx: users.change_role(uow, ctx, "nurse", Role.CRISIS_LEAD),
}


@pytest.mark.parametrize("act", sorted(ACTS))
@pytest.mark.parametrize(
    "authority",
    [None, Authority(Role.TECHNICIAN), Authority(Role.CRISIS_LEAD, ("A",))],
    ids=["no account", "technician", "lead of one site"],
)
def test_only_a_whole_network_lead_manages_accounts(
    cell: Cell, act: str, authority: Authority | None
) -> None:
    caller = Context(actor="nurse", clock=cell.clock, authority=authority)
    before = cell.run(lambda uow: users.list_users(uow, cell.ctx))
    with pytest.raises(access.Refused) as refused:
        cell.run(lambda uow: ACTS[act](uow, caller))
    assert cell.run(lambda uow: users.list_users(uow, cell.ctx)) == before  # nothing changed
    assert len(cell.audited("user.added")) == 2  # lead and nurse, made by the fixture
    for done in ("user.disabled", "user.password_reset", "user.role_changed"):
        assert cell.audited(done) == []
    # the refusal is audited as the pages and the API audit theirs: who asked, and why not
    ctx = Context(refused.value.actor, cell.clock, refused.value.request_id)
    cell.run(lambda uow: users.refuse_access(uow, ctx, f"users {act}", refused.value.refusal))
    [audited] = cell.audited("access.refused")
    assert (audited.actor, audited.object_key) == ("nurse", f"users {act}")
    assert "manage accounts" in audited.reason or "not every site" in audited.reason


@pytest.mark.parametrize("act", sorted(ACTS))
def test_the_console_manages_accounts(cell: Cell, act: str) -> None:
    cell.run(lambda uow: ACTS[act](uow, cell.ctx))
    assert cell.audited("access.refused") == []
