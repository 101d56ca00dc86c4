"""Units of work: read-only ones never write, and leave their connection fit for writing."""

import pytest
from sqlalchemy import Engine, exc, select

from relance.app.context import Context
from relance.app.users import add_user
from relance.domain.roles import Role
from relance.storage.database import unit_of_work
from relance.storage.tables import UserRow


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
            add_user(uow, Context(actor="test"), f"user-{n}", Role.OBSERVER, password="x" * 12)
    assert _logins(engine, read_only=False) == ["user-0", "user-1", "user-2"]
