"""Alembic environment: the engine comes from relance (or RELANCE_DATABASE_URL for the CLI)."""

from alembic import context
from sqlalchemy import Engine

from relance.storage.database import database_url, make_engine
from relance.storage.tables import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    engine = make_engine(database_url())

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    context.run_migrations()
