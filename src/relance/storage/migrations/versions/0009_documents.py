"""documents: organisation identity, public names of sites, standing measures, published sitreps

Revision ID: 0009_documents
Revises: 0008_plan_export
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_documents"
down_revision: str | None = "0008_plan_export"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NETWORK_TEXTS = (
    ("public_name", 200),
    ("short_name", 40),
    ("patient_line", 40),
    ("switchboard", 40),
    ("website", 200),
    ("sms_sender", 11),
)


def upgrade() -> None:
    with op.batch_alter_table("network", schema=None) as batch_op:
        for name, length in NETWORK_TEXTS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("short_name", sa.String(length=40), server_default="", nullable=False)
        )
    with op.batch_alter_table("clinical_activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_service", sa.String(length=20), nullable=True))
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("measure", sa.String(length=30), nullable=True))
    op.create_table(
        "sitrep_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitrep_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["sitrep_id"], ["sitreps.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sitrep_id", "name"),
    )
    with op.batch_alter_table("sitrep_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sitrep_documents_sitrep_id"), ["sitrep_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sitrep_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sitrep_documents_sitrep_id"))
    op.drop_table("sitrep_documents")
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_column("measure")
    with op.batch_alter_table("clinical_activities", schema=None) as batch_op:
        batch_op.drop_column("public_service")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("short_name")
        batch_op.drop_column("public_name")
    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.drop_column("translations")
        for name, _ in reversed(NETWORK_TEXTS):
            batch_op.drop_column(name)
