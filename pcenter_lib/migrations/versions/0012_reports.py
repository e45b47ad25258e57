"""reports of Rules 20–23: the events of the annual work plan, written recommendations with their
sending and the measures taken, and the outgoing number, addressee and restriction of a report

Revision ID: 0012_reports
Revises: 0006_codes_as_enums
Create Date: 2026-11-30

``work_plan_events`` are parts of a ``work_plans`` row (its version rises when an event
changes); ``recommendations`` are versioned themselves. The new boolean ``reports.restricted``
gets a server default while it is added (existing reports are not restricted), then the default
is dropped so the schema matches the models.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_reports"
down_revision = "0006_codes_as_enums"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.add_column(sa.Column("outgoing_number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("addressee", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("reports") as batch_op:
        batch_op.alter_column("restricted", existing_type=sa.Boolean(), server_default=None)

    op.create_table(
        "work_plan_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("work_plan_id", ID, nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "consultative_developmental",
                "methodical",
                "education",
                "mobile_response",
                name="direction",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("expected_result", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "done",
                "moved",
                "dropped",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["work_plan_id"],
            ["work_plans.id"],
            name=op.f("fk_work_plan_events_work_plan_id_work_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_plan_events")),
    )
    with op.batch_alter_table("work_plan_events") as batch_op:
        batch_op.create_index(batch_op.f("ix_work_plan_events_work_plan_id"), ["work_plan_id"])

    op.create_table(
        "recommendations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("education_organization_id", ID, nullable=True),
        sa.Column("addressee", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("study_id", ID, nullable=True),
        sa.Column("written_at", MOMENT, nullable=False),
        sa.Column("written_by", sa.String(length=80), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.Column("sent_by", sa.String(length=80), nullable=True),
        sa.Column("sent_ref", sa.String(length=100), nullable=True),
        sa.Column("measures_taken", sa.Text(), nullable=True),
        sa.Column("measures_at", MOMENT, nullable=True),
        sa.Column("measures_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["education_organization_id"],
            ["education_organizations.id"],
            name=op.f("fk_recommendations_education_organization_id_education_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["study_id"], ["ppss_studies.id"], name=op.f("fk_recommendations_study_id_ppss_studies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
    )
    with op.batch_alter_table("recommendations") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendations_education_organization_id"),
            ["education_organization_id"],
        )
        batch_op.create_index(batch_op.f("ix_recommendations_quarter"), ["quarter"])


def downgrade() -> None:
    op.drop_table("recommendations")
    op.drop_table("work_plan_events")
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_column("restricted")
        batch_op.drop_column("addressee")
        batch_op.drop_column("outgoing_number")
