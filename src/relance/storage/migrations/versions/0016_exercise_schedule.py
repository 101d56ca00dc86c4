"""exercise schedule: each inject's due time beside the injects file

Revision ID: 0016_exercise_schedule
Revises: 0015_account_language
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_exercise_schedule"
down_revision: str | None = "0015_account_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for an exercise started before: its injects file is parsed to know what is due
    with op.batch_alter_table("exercise_script") as batch:
        batch.add_column(sa.Column("schedule", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exercise_script") as batch:
        batch.drop_column("schedule")
