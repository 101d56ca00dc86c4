"""account language: the language of the interface chosen for each account

Revision ID: 0015_account_language
Revises: 0014_plan_site_objectives
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_account_language"
down_revision: str | None = "0014_plan_site_objectives"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: not chosen, the reader's browser or RELANCE_LANG decides, as before
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
