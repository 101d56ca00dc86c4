"""The schema comes only from the migrations, and they match the ORM tables on both backends."""

from alembic import command
from sqlalchemy import Engine, inspect

from relance.storage.database import alembic_config, is_current, migrate
from relance.storage.tables import Base


def test_migrations_match_the_tables(engine: Engine) -> None:
    assert is_current(engine)
    command.check(alembic_config(engine))  # raises if a model change has no migration


def test_migrations_go_down_and_up_again(engine: Engine) -> None:
    config = alembic_config(engine)
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
