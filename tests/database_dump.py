"""Every row of every table of a database: to show that a refused command wrote nothing."""

from sqlalchemy import select

from relance.storage.database import make_engine, unit_of_work
from relance.storage.tables import Base

Dump = dict[str, list[tuple[object, ...]]]


def dump(url: str) -> Dump:
    engine = make_engine(url)
    try:
        with unit_of_work(engine, read_only=True) as uow:
            return {
                table.name: sorted(
                    (tuple(row) for row in uow.session.execute(select(table))), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()
