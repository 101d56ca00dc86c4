"""exercise: its clock (speed, wall start), its injects file, the injects applied (one row each)

Revision ID: 0013_exercise
Revises: 0012_duties
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_exercise"
down_revision: str | None = "0012_duties"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident_clock", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speed", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("wall_start", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "exercise_script",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "exercise_injects",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("exercise_injects")
    op.drop_table("exercise_script")
    with op.batch_alter_table("incident_clock", schema=None) as batch_op:
        batch_op.drop_column("wall_start")
        batch_op.drop_column("speed")
