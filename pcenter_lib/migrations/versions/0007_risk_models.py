"""risk models: crisis events, trained model versions, richer assessments and overrides

Revision ID: 0007_risk_models
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_risk_models"
down_revision = "0003"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "crisis_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("child_id", BIG_ID, nullable=False),
        sa.Column("request_id", BIG_ID, nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_crisis_events_child_id_children")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_crisis_events_request_id_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_events")),
    )
    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crisis_events_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_crisis_events_request_id"), ["request_id"], unique=False
        )
        batch_op.create_index(
            "ix_crisis_events_child_occurred", ["child_id", "occurred_at"], unique=False
        )

    op.create_table(
        "risk_models",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trained_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("skops_file", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("window_start_on", sa.Date(), nullable=False),
        sa.Column("window_end_on", sa.Date(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_models")),
        sa.UniqueConstraint("model_version", name=op.f("uq_risk_models_model_version")),
    )

    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.alter_column("score", existing_type=sa.Float(), nullable=True)
        batch_op.add_column(
            sa.Column("level", sa.String(length=20), nullable=False, server_default="low")
        )
        batch_op.add_column(
            sa.Column("mandatory_rules", sa.JSON(), nullable=False, server_default="[]")
        )

    with op.batch_alter_table("priority_overrides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("child_id", BIG_ID, nullable=True))
        batch_op.add_column(
            sa.Column("direction", sa.String(length=10), nullable=False, server_default="raise")
        )
        batch_op.add_column(
            sa.Column(
                "reason_code", sa.String(length=40), nullable=False, server_default="other"
            )
        )
        batch_op.add_column(
            sa.Column("rules_set_aside", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("rule_explanation", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_priority_overrides_child_id_children"), "children", ["child_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_priority_overrides_child_id"), ["child_id"], unique=False
        )

    # The server defaults only filled rows that existed before; the models set values themselves.
    for table, columns in _FILLED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, kind in columns:
                batch_op.alter_column(column, existing_type=kind, server_default=None)


_FILLED = {
    "risk_assessments": (("level", sa.String(length=20)), ("mandatory_rules", sa.JSON())),
    "priority_overrides": (
        ("direction", sa.String(length=10)),
        ("reason_code", sa.String(length=40)),
        ("rules_set_aside", sa.JSON()),
    ),
}

def downgrade() -> None:
    with op.batch_alter_table("priority_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_overrides_child_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_priority_overrides_child_id_children"), type_="foreignkey"
        )
        for column in ("rule_explanation", "rules_set_aside", "reason_code", "direction"):
            batch_op.drop_column(column)
        batch_op.drop_column("child_id")
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.drop_column("mandatory_rules")
        batch_op.drop_column("level")
        batch_op.alter_column("score", existing_type=sa.Float(), nullable=False)
    op.drop_table("risk_models")
    with op.batch_alter_table("crisis_events", schema=None) as batch_op:
        batch_op.drop_index("ix_crisis_events_child_occurred")
        batch_op.drop_index(batch_op.f("ix_crisis_events_request_id"))
        batch_op.drop_index(batch_op.f("ix_crisis_events_child_id"))
    op.drop_table("crisis_events")
