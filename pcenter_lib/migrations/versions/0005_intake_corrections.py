"""intake corrections: provisional children and the name index, anonymous applicants, same-day
review of critical screening answers, the direct-threat waiver, notifications due in minutes,
members of other bodies in mobile groups, plan items done by whom, reports sent by whom

Revision ID: 0005_intake_corrections
Revises: 0004_trust_base
Create Date: 2026-11-30

Boolean columns added to tables that already hold rows get a server default while they are
added (existing rows read false), which is then dropped so the schema matches the models. On
SQLite, changing a column's nullability recreates the table; ``migrations/env.py`` switches
foreign-key enforcement off around the migration for that and checks the keys afterwards.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pcenter_lib.models.base import AwareDateTime

revision = "0005_intake_corrections"
down_revision = "0004_trust_base"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _add_flag(table: str, column: str) -> None:
    """A NOT NULL boolean column, false for the rows already there."""
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table(table) as batch_op:
        batch_op.alter_column(column, existing_type=sa.Boolean(), server_default=None)


def upgrade() -> None:
    op.create_table(
        "child_name_tokens",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("child_id", ID, nullable=False),
        sa.Column("token_index", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_child_name_tokens_child_id_children")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_name_tokens")),
        sa.UniqueConstraint(
            "child_id", "token_index", name=op.f("uq_child_name_tokens_child_id_token_index")
        ),
    )
    with op.batch_alter_table("child_name_tokens") as batch_op:
        batch_op.create_index(batch_op.f("ix_child_name_tokens_child_id"), ["child_id"])
        batch_op.create_index(batch_op.f("ix_child_name_tokens_token_index"), ["token_index"])

    with op.batch_alter_table("child_identities") as batch_op:
        batch_op.add_column(sa.Column("name_birth_index", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_child_identities_name_birth_index"), ["name_birth_index"]
        )

    _add_flag("children", "provisional")
    with op.batch_alter_table("children") as batch_op:
        batch_op.add_column(sa.Column("approx_age", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", ID, nullable=True))
        batch_op.alter_column("birth_on", existing_type=sa.Date(), nullable=True)
        batch_op.alter_column("sex", existing_type=sa.String(length=6), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_children_merged_into_id_children"), "children", ["merged_into_id"], ["id"]
        )

    with op.batch_alter_table("consultations") as batch_op:
        batch_op.add_column(sa.Column("request_id", ID, nullable=True))
        batch_op.add_column(sa.Column("basis", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_consultations_request_id"), ["request_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_consultations_request_id_requests"), "requests", ["request_id"], ["id"]
        )

    with op.batch_alter_table("mobile_group_members") as batch_op:
        batch_op.add_column(sa.Column("external_name", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("external_organization", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("external_position", sa.String(length=40), nullable=True))
        batch_op.alter_column("staff_member_id", existing_type=ID, nullable=True)
        batch_op.create_check_constraint(
            "staff_or_external", "staff_member_id IS NOT NULL OR external_name IS NOT NULL"
        )

    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("owed_at", AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column("body_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("added_by", sa.String(length=80), nullable=True))

    with op.batch_alter_table("reports") as batch_op:
        batch_op.add_column(sa.Column("sent_by", sa.String(length=80), nullable=True))

    _add_flag("requests", "applicant_anonymous")
    with op.batch_alter_table("requests") as batch_op:
        for name in ("review_due_at", "reviewed_at", "threat_closed_at"):
            batch_op.add_column(sa.Column(name, AwareDateTime(), nullable=True))
        for name in ("reviewed_by", "threat_closed_by"):
            batch_op.add_column(sa.Column(name, sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("review_decision", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("review_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("threat_closed_reason", sa.Text(), nullable=True))
        batch_op.create_index("ix_requests_review", ["priority_review", "reviewed_at"])

    with op.batch_alter_table("support_plan_items") as batch_op:
        batch_op.add_column(sa.Column("done_by", sa.String(length=80), nullable=True))

    with op.batch_alter_table("support_plans") as batch_op:
        batch_op.add_column(sa.Column("basis", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_plans") as batch_op:
        batch_op.drop_column("basis")
    with op.batch_alter_table("support_plan_items") as batch_op:
        batch_op.drop_column("done_by")
    with op.batch_alter_table("requests") as batch_op:
        batch_op.drop_index("ix_requests_review")
        for name in (
            "threat_closed_reason",
            "threat_closed_by",
            "threat_closed_at",
            "review_reason",
            "review_decision",
            "reviewed_by",
            "reviewed_at",
            "review_due_at",
            "applicant_anonymous",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_column("sent_by")
    with op.batch_alter_table("notifications") as batch_op:
        for name in ("added_by", "body_name", "owed_at"):
            batch_op.drop_column(name)
    op.execute("DELETE FROM mobile_group_members WHERE staff_member_id IS NULL")
    with op.batch_alter_table("mobile_group_members") as batch_op:
        batch_op.drop_constraint("staff_or_external", type_="check")
        batch_op.alter_column("staff_member_id", existing_type=ID, nullable=False)
        for name in ("external_position", "external_organization", "external_name"):
            batch_op.drop_column(name)
    with op.batch_alter_table("consultations") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_consultations_request_id_requests"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_consultations_request_id"))
        batch_op.drop_column("basis")
        batch_op.drop_column("request_id")
    with op.batch_alter_table("children") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_children_merged_into_id_children"), type_="foreignkey"
        )
        batch_op.alter_column("sex", existing_type=sa.String(length=6), nullable=False)
        batch_op.alter_column("birth_on", existing_type=sa.Date(), nullable=False)
        for name in ("merged_into_id", "approx_age", "provisional"):
            batch_op.drop_column(name)
    with op.batch_alter_table("child_identities") as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_identities_name_birth_index"))
        batch_op.drop_column("name_birth_index")
    op.drop_table("child_name_tokens")
