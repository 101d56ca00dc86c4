"""sms at most once: who claimed a message, and the one dispatcher sending

Revision ID: 0006_sms
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sms"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_by", sa.String(length=200), server_default="", nullable=False)
        )
    dispatcher = op.create_table(
        "sms_dispatcher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run", sa.String(length=36), nullable=True),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # the one row every dispatcher locks: nobody sending yet
    op.bulk_insert(dispatcher, [{"id": 1, "run": None, "holder": "", "host": "", "pid": 0}])


def downgrade() -> None:
    op.drop_table("sms_dispatcher")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
