"""plan site objectives: each site's share of a plan's weighted hours of clinical activity lost

Revision ID: 0014_plan_site_objectives
Revises: 0013_exercise
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_plan_site_objectives"
down_revision: str | None = "0013_exercise"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plans stored before this revision keep an empty map: they did not record it.
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("site_objectives", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_versions", schema=None) as batch_op:
        batch_op.drop_column("site_objectives")
