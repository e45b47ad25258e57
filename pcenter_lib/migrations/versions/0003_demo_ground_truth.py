"""demo ground truth: the hidden latent risk of each synthetic demo child

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_ground_truth",
        sa.Column("child_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("latent_risk", sa.Float(), nullable=False),
        sa.Column("risk_tier", sa.String(length=10), nullable=False),
        sa.Column("family_situation", sa.String(length=20), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_demo_ground_truth_child_id_children")
        ),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_demo_ground_truth")),
    )


def downgrade() -> None:
    op.drop_table("demo_ground_truth")
