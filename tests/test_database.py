"""Units of work (read-only ones never write) and bulk inserts straight to the driver."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, exc, select

from relance.app.context import Context
from relance.app.users import add_user
from relance.domain.roles import CONSOLE, Role
from relance.storage import audit_store, bulk
from relance.storage.audit_store import AuditEvent
from relance.storage.database import unit_of_work
from relance.storage.tables import AuditRow, UserRow


def _logins(engine: Engine, *, read_only: bool) -> list[str]:
    with unit_of_work(engine, read_only=read_only) as uow:
        return list(uow.session.scalars(select(UserRow.login)))


def test_a_read_only_unit_refuses_to_write_and_writes_nothing(engine: Engine) -> None:
    with pytest.raises(exc.DBAPIError), unit_of_work(engine, read_only=True) as uow:
        uow.session.execute(UserRow.__table__.delete())
    assert _logins(engine, read_only=True) == []


def test_connections_go_from_reading_to_writing_and_back(engine: Engine) -> None:
    for n in range(3):  # the pool hands the same connection back each time
        assert len(_logins(engine, read_only=True)) == n
        with unit_of_work(engine) as uow:
            add_user(
                uow,
                Context(actor="test", authority=CONSOLE),
                f"user-{n}",
                Role.OBSERVER,
                password="x" * 12,
            )
    assert _logins(engine, read_only=False) == ["user-0", "user-1", "user-2"]


def test_bulk_rows_read_back_as_the_orm_wrote_them(engine: Engine) -> None:
    when = datetime(2022, 5, 14, 3, 42, tzinfo=ZoneInfo("Europe/Brussels"))
    detail = {"decision": "cancel", "rule": "r1"}
    rows = [
        ("r", "lead", when, when, "test.bulk", "thing", f"T{i}", None, detail, "", None)
        for i in range(3)
    ]
    with unit_of_work(engine) as uow:
        audit_store.record(  # one row through the ORM for comparison, then three in bulk
            uow, [AuditEvent("r", "lead", when, when, "test.orm", "thing", "T", after=detail)]
        )
        bulk.insert_tuples(uow, AuditRow, audit_store.FIELDS, rows)
    with unit_of_work(engine, read_only=True) as uow:
        found = list(uow.session.scalars(select(AuditRow).order_by(AuditRow.id)))
    assert [r.object_key for r in found] == ["T", "T0", "T1", "T2"]
    for row in found:
        assert (row.occurred_at, row.before, row.after) == (when, None, detail)
        assert row.occurred_at.tzinfo is not None


def test_reserved_ids_are_never_handed_out_again(engine: Engine) -> None:
    with unit_of_work(engine) as uow:
        add_user(
            uow, Context(actor="test", authority=CONSOLE), "first", Role.OBSERVER, password="x" * 12
        )
        reserved = bulk.reserve_ids(uow, UserRow, 3)
        now = datetime.now(UTC)
        users = [(i, f"bulk-{i}", "", "observer", "", "-", True, now, now) for i in reserved]
        names = ("id", "login", "name", "role", "sites", "password_hash", "active")
        bulk.insert_tuples(uow, UserRow, (*names, "created_at", "password_set_at"), users)
    with unit_of_work(engine) as uow:
        add_user(
            uow, Context(actor="test", authority=CONSOLE), "after", Role.OBSERVER, password="x" * 12
        )
    with unit_of_work(engine, read_only=True) as uow:
        ids = dict(uow.session.execute(select(UserRow.login, UserRow.id)).all())
    assert len(set(ids.values())) == 5
    assert ids["after"] > max(reserved) > min(reserved) > ids["first"]
