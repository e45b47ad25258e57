"""demo ground truth: each synthetic child's log-hazard, crisis episode and school years

Revision ID: 0008_ground_truth_hazard
Revises: 0005_intake_corrections
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_ground_truth_hazard"
down_revision = "0005_intake_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("demo_ground_truth", schema=None) as batch_op:
        batch_op.add_column(sa.Column("log_hazard", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("episode_began_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("episode_ended_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("school_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("school_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("demo_ground_truth", schema=None) as batch_op:
        batch_op.drop_column("school_until")
        batch_op.drop_column("school_from")
        batch_op.drop_column("episode_ended_on")
        batch_op.drop_column("episode_began_on")
        batch_op.drop_column("log_hazard")
