"""tokens: every API token expires and records its last use; revoked tokens are deleted;
failed sign-ins are counted per (login, address) pair

Revision ID: 0007_tokens
Revises: 0006_sms
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0007_tokens"
down_revision: str | None = "0006_sms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LONGEST = timedelta(days=30)  # the longest a token may live from now on
_tokens = sa.table(
    "api_tokens",
    sa.column("id", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("expires_at", sa.DateTime(timezone=True)),
    sa.column("revoked", sa.Boolean()),
)


def upgrade() -> None:
    connection = op.get_bind()
    # A revoked token was only flagged; now revoking deletes it. A token made to live for ever
    # (or longer than 30 days) expires 30 days after it was made.
    connection.execute(sa.delete(_tokens).where(_tokens.c.revoked))
    for token_id, created, expires in connection.execute(
        sa.select(_tokens.c.id, _tokens.c.created_at, _tokens.c.expires_at)
    ).all():
        if expires is None or expires > created + LONGEST:
            connection.execute(
                sa.update(_tokens)
                .where(_tokens.c.id == token_id)
                .values(expires_at=created + LONGEST)
            )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.drop_column("revoked")

    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_login"))
        batch_op.drop_index(batch_op.f("ix_login_failures_address"))
        batch_op.create_index("ix_login_failures_pair", ["login", "address"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_pair")
        batch_op.create_index(batch_op.f("ix_login_failures_address"), ["address"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_login"), ["login"], unique=False)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=True)
        batch_op.drop_column("last_used_at")
