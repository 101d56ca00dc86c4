"""plan export: each task's machines and predecessors, the state and teams a plan was solved from

Revision ID: 0008_plan_export
Revises: 0007_tokens
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_plan_export"
down_revision: str | None = "0007_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plans stored before this revision keep empty lists: they did not record these facts.
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("based_on", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("changes_missed", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("bound_method", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("teams", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hostnames", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("predecessors", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.drop_column("predecessors")
        batch_op.drop_column("hostnames")
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_column("teams")
        batch_op.drop_column("bound_method")
        batch_op.drop_column("changes_missed")
        batch_op.drop_column("based_on")
