"""The schema comes only from the migrations, and they match the ORM tables on both backends."""

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from relance.storage.database import HEAD, alembic_config, is_current, migrate
from relance.storage.tables import Base


def test_migrations_match_the_tables(engine: Engine) -> None:
    assert is_current(engine)
    command.check(alembic_config(engine))  # raises if a model change has no migration


def test_head_is_the_newest_migration() -> None:
    """A new migration moves HEAD with it: commands compare the database with HEAD."""
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_an_older_database_is_not_current(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "-1")
    assert not is_current(engine)
    migrate(engine)
    assert is_current(engine)


def test_migrations_go_down_and_up_again(engine: Engine) -> None:
    config = alembic_config(engine)
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
