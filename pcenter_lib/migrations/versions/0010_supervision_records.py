"""supervision records per case: formulation, decision, sign-and-lock, tasks, addenda, attendance

Revision ID: 0010_supervision_records
Revises: 0011_intervision
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_supervision_records"
down_revision = "0011_intervision"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


SERVER_DEFAULTS = {
    "supervision_sessions": ("form", "minutes", "participants"),
    "supervision_cases": (
        "question", "formulation", "hypotheses", "decision", "dissent", "recommendations",
        "status", "version",
    ),
}  # fmt: skip


def _check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("supervision_sessions") as batch:
        batch.add_column(
            sa.Column("form", sa.String(length=20), nullable=False, server_default="individual")
        )
        batch.add_column(sa.Column("minutes", sa.Integer(), nullable=False, server_default="90"))
        batch.add_column(sa.Column("participants", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("planned_by", sa.String(length=80), nullable=True))
        batch.create_check_constraint(
            op.f("ck_supervision_sessions_supervision_form"),
            _check("form", ("individual", "group", "case_conference")),
        )

    with op.batch_alter_table("supervision_cases") as batch:
        batch.alter_column("case_id", existing_type=BIG_ID, nullable=True)
        batch.add_column(sa.Column("child_id", BIG_ID, nullable=True))
        batch.add_column(sa.Column("presenter", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("question", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("template", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("formulation", sa.JSON(), nullable=False, server_default="{}"))
        for name in ("hypotheses", "decision", "dissent", "recommendations"):
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("status", sa.String(length=12), nullable=False, server_default="draft")
        )
        batch.add_column(sa.Column("review_comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("signed_by", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key(
            op.f("fk_supervision_cases_child_id_children"), "children", ["child_id"], ["id"]
        )
        batch.create_index(batch.f("ix_supervision_cases_child_id"), ["child_id"], unique=False)
        batch.create_check_constraint(
            op.f("ck_supervision_cases_record_status"),
            _check("status", ("draft", "submitted", "returned", "signed")),
        )

    # the defaults above only filled the rows that exist; the models give new rows their values
    for table, columns in SERVER_DEFAULTS.items():
        with op.batch_alter_table(table) as batch:
            for name in columns:
                batch.alter_column(name, server_default=None)

    with op.batch_alter_table("supervision_addenda") as batch:
        batch.add_column(sa.Column("supervision_case_id", BIG_ID, nullable=True))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_supervision_addenda_supervision_case_id_supervision_cases"),
            "supervision_cases",
            ["supervision_case_id"],
            ["id"],
        )
        batch.create_index(
            batch.f("ix_supervision_addenda_supervision_case_id"),
            ["supervision_case_id"],
            unique=False,
        )

    op.create_table(
        "supervision_tasks",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("supervision_case_id", BIG_ID, nullable=False),
        sa.Column("child_id", BIG_ID, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=80), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            _check("status", ("open", "in_progress", "done", "cancelled")),
            name=op.f("ck_supervision_tasks_task_status"),
        ),
        sa.ForeignKeyConstraint(
            ["supervision_case_id"],
            ["supervision_cases.id"],
            name=op.f("fk_supervision_tasks_supervision_case_id_supervision_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["children.id"], name=op.f("fk_supervision_tasks_child_id_children")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_tasks")),
    )
    with op.batch_alter_table("supervision_tasks") as batch:
        for column in ("supervision_case_id", "child_id", "responsible"):
            batch.create_index(batch.f(f"ix_supervision_tasks_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("supervision_tasks")
    with op.batch_alter_table("supervision_addenda") as batch:
        batch.drop_index(batch.f("ix_supervision_addenda_supervision_case_id"))
        batch.drop_constraint(
            op.f("fk_supervision_addenda_supervision_case_id_supervision_cases"),
            type_="foreignkey",
        )
        batch.drop_column("reason")
        batch.drop_column("supervision_case_id")
    with op.batch_alter_table("supervision_cases") as batch:
        batch.drop_constraint(op.f("ck_supervision_cases_record_status"), type_="check")
        batch.drop_index(batch.f("ix_supervision_cases_child_id"))
        batch.drop_constraint(op.f("fk_supervision_cases_child_id_children"), type_="foreignkey")
        for name in (
            "version", "signed_by", "signed_at", "submitted_at", "review_comment", "status",
            "recommendations", "dissent", "decision", "hypotheses", "formulation", "template",
            "question", "presenter", "child_id",
        ):  # fmt: skip
            batch.drop_column(name)
        batch.alter_column("case_id", existing_type=BIG_ID, nullable=False)
    with op.batch_alter_table("supervision_sessions") as batch:
        batch.drop_constraint(op.f("ck_supervision_sessions_supervision_form"), type_="check")
        for name in ("planned_by", "participants", "minutes", "form"):
            batch.drop_column(name)
