"""Migration 0007_tokens on a database that has tokens: they all expire, the revoked ones go."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from relance.storage.database import alembic_config, migrate

MADE = datetime(2022, 5, 14, 4, 15, tzinfo=UTC)
WHEN = sa.DateTime(timezone=True)


def test_tokens_made_before_expire_within_thirty_days_and_revoked_ones_are_deleted(
    engine: Engine,
) -> None:
    command.downgrade(alembic_config(engine), "0006_sms")
    users = sa.table(
        "users",
        *(sa.column(c) for c in ("id", "login", "name", "role", "sites", "password_hash")),
        sa.column("active", sa.Boolean()),
        sa.column("created_at", WHEN),
        sa.column("password_set_at", WHEN),
    )
    tokens = sa.table(
        "api_tokens",
        *(sa.column(c) for c in ("id", "token_hash", "user_id", "name")),
        sa.column("created_at", WHEN),
        sa.column("expires_at", WHEN),
        sa.column("revoked", sa.Boolean()),
    )
    with engine.begin() as c:
        lead = {"id": 1, "login": "lead", "name": "", "role": "crisis_lead", "sites": ""}
        at = {"active": True, "created_at": MADE, "password_set_at": MADE}
        c.execute(sa.insert(users).values(**lead, **at, password_hash="-"))  # noqa: S106 - unread
        for n, expires, revoked in [
            (1, None, False),
            (2, MADE + timedelta(days=3650), False),
            (3, MADE + timedelta(days=1), False),
            (4, None, True),
        ]:
            c.execute(
                sa.insert(tokens).values(
                    id=n,
                    token_hash=f"{n:064d}",
                    user_id=1,
                    name=f"t{n}",
                    created_at=MADE,
                    expires_at=expires,
                    revoked=revoked,
                )
            )
    migrate(engine)
    after = sa.table("api_tokens", sa.column("id"), sa.column("expires_at", WHEN))
    with engine.connect() as c:
        rows = c.execute(sa.select(after.c.id, after.c.expires_at).order_by(after.c.id)).all()
    month = MADE + timedelta(days=30)
    assert [(n, e if e.tzinfo else e.replace(tzinfo=UTC)) for n, e in rows] == [  # SQLite: UTC
        (1, month),
        (2, month),
        (3, MADE + timedelta(days=1)),
    ]
