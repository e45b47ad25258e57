"""intervision: series, participants and attendance, phase notes, case materials, exports, reviews

Revision ID: 0011_intervision
Revises: 0012_reports
Create Date: 2026-11-30

The first schema kept an intervision session's participants, phase outputs and case material in
JSON and free-text columns of ``intervision_sessions``. They become rows of their own
(participants with attendance, a note per phase, a material with its edits), and the rows a
database already holds are carried over, nothing dropped: each former participant becomes a
Center participant marked present (the session was held), each phase output a phase note, the
case material a material. The formats take the codes of ``data/intervision/formats``:
``incident`` → ``incident_method``, ``balint`` → ``balint_group``, and the former
``documentation_review`` format (a review of documents, now the checklists of
``documentation_reviews``) → ``six_phase_model``, the structured format its phases resemble most.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011_intervision"
down_revision = "0012_reports"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)
FORMATS_OLD = ("incident", "balint", "documentation_review")
FORMATS_NEW = ("incident_method", "balint_group", "six_phase_model", "kollegiale_beratung")
FORMAT_MAP = {
    "incident": "incident_method",
    "balint": "balint_group",
    "documentation_review": "six_phase_model",
}
STATUSES = ("planned", "running", "held", "cancelled")
ORIGINS = ("center", "school")
PACK_FORMATS = ("docx", "html")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _id() -> sa.Column[Any]:
    return sa.Column("id", BIG_ID, autoincrement=True, nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.create_index(batch.f(f"ix_{table}_{column}"), [column], unique=False)


def _member_columns(table: str) -> list[Any]:
    return [
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("staff_member_id", BIG_ID, nullable=True),
        sa.Column("education_organization_id", BIG_ID, nullable=True),
        sa.CheckConstraint(_in("origin", ORIGINS), name=op.f(f"ck_{table}_origin")),
        _fk(table, "staff_member_id", "staff_members"),
        _fk(table, "education_organization_id", "education_organizations"),
    ]


def _create_series() -> None:
    op.create_table(
        "intervision_series",
        _id(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("facilitator", sa.String(length=80), nullable=False),
        sa.Column("planned_sessions", sa.Integer(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("final_evaluation", sa.Text(), nullable=False),
        sa.Column("evaluated_at", AT, nullable=True),
        sa.Column("evaluated_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_series")),
    )
    op.create_table(
        "intervision_series_members",
        _id(),
        sa.Column("series_id", BIG_ID, nullable=False),
        *_member_columns("intervision_series_members"),
        _fk("intervision_series_members", "series_id", "intervision_series"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_series_members")),
        sa.UniqueConstraint(
            "series_id", "full_name", name=op.f("uq_intervision_series_members_series_id_full_name")
        ),
    )
    _index("intervision_series_members", "series_id")


def _widen_sessions() -> None:
    with op.batch_alter_table("intervision_sessions") as batch:
        batch.drop_constraint(op.f("ck_intervision_sessions_format"), type_="check")
        batch.add_column(
            sa.Column("title", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("series_id", BIG_ID, nullable=True))
        batch.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="held")
        )
        batch.add_column(sa.Column("started_at", AT, nullable=True))
        batch.add_column(sa.Column("ended_at", AT, nullable=True))
        batch.add_column(sa.Column("current_phase", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("agreements", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("created_by", sa.String(length=80), nullable=True))
    sessions = sa.table("intervision_sessions", sa.column("format", sa.String))
    for old, new in FORMAT_MAP.items():
        op.execute(sessions.update().where(sessions.c.format == old).values(format=new))


def _create_parts() -> None:
    op.create_table(
        "intervision_participants",
        _id(),
        sa.Column("intervision_session_id", BIG_ID, nullable=False),
        *_member_columns("intervision_participants"),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("credited_minutes", sa.Integer(), nullable=False),
        _fk("intervision_participants", "intervision_session_id", "intervision_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_participants")),
        sa.UniqueConstraint(
            "intervision_session_id",
            "full_name",
            name=op.f("uq_intervision_participants_intervision_session_id_full_name"),
        ),
    )
    op.create_table(
        "intervision_phase_notes",
        _id(),
        sa.Column("intervision_session_id", BIG_ID, nullable=False),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("started_at", AT, nullable=True),
        sa.Column("ended_at", AT, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("intervision_phase_notes", "intervision_session_id", "intervision_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_phase_notes")),
        sa.UniqueConstraint(
            "intervision_session_id",
            "phase",
            name=op.f("uq_intervision_phase_notes_intervision_session_id_phase"),
        ),
    )
    op.create_table(
        "intervision_materials",
        _id(),
        sa.Column("intervision_session_id", BIG_ID, nullable=False),
        sa.Column("case_id", BIG_ID, nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("drafted_at", AT, nullable=False),
        sa.Column("drafted_by", sa.String(length=80), nullable=False),
        _fk("intervision_materials", "intervision_session_id", "intervision_sessions"),
        _fk("intervision_materials", "case_id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_materials")),
    )
    op.create_table(
        "intervision_material_edits",
        _id(),
        sa.Column("material_id", BIG_ID, nullable=False),
        sa.Column("edited_at", AT, nullable=False),
        sa.Column("edited_by", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _fk("intervision_material_edits", "material_id", "intervision_materials"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_material_edits")),
    )
    op.create_table(
        "intervision_exports",
        _id(),
        sa.Column("intervision_session_id", BIG_ID, nullable=False),
        sa.Column("exported_at", AT, nullable=False),
        sa.Column("exported_by", sa.String(length=80), nullable=False),
        sa.Column("file_format", sa.String(length=5), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            _in("file_format", PACK_FORMATS), name=op.f("ck_intervision_exports_pack_format")
        ),
        _fk("intervision_exports", "intervision_session_id", "intervision_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervision_exports")),
    )
    _index("intervision_participants", "intervision_session_id")
    _index("intervision_phase_notes", "intervision_session_id")
    _index("intervision_materials", "intervision_session_id", "case_id")
    _index("intervision_material_edits", "material_id")
    _index("intervision_exports", "intervision_session_id")


def _carry_over() -> None:
    """The JSON participants, phase outputs and case material of existing sessions, as rows."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, held_at, participants, case_material, phases FROM intervision_sessions")
    ).all()
    participants = sa.table(
        "intervision_participants",
        sa.column("intervision_session_id"),
        sa.column("full_name"),
        sa.column("origin"),
        sa.column("attended"),
        sa.column("credited_minutes"),
    )
    notes = sa.table(
        "intervision_phase_notes",
        sa.column("intervision_session_id"),
        sa.column("phase"),
        sa.column("note"),
    )
    materials = sa.table(
        "intervision_materials",
        sa.column("intervision_session_id"),
        sa.column("title"),
        sa.column("language"),
        sa.column("text"),
        sa.column("drafted_at"),  # untyped: the held_at just read is passed on as it is stored
        sa.column("drafted_by"),
    )
    for session_id, held_at, people, material, phases in rows:
        people = json.loads(people) if isinstance(people, str) else (people or [])
        phases = json.loads(phases) if isinstance(phases, str) else (phases or {})
        names = list(dict.fromkeys(str(p).strip() for p in people if str(p).strip()))
        if names:
            op.execute(
                participants.insert().values(
                    [
                        {
                            "intervision_session_id": session_id,
                            "full_name": name[:200],
                            "origin": "center",
                            "attended": True,
                            "credited_minutes": 0,
                        }
                        for name in names
                    ]
                )
            )
        if phases:
            op.execute(
                notes.insert().values(
                    [
                        {
                            "intervision_session_id": session_id,
                            "phase": str(code)[:40],
                            "note": str(text),
                        }
                        for code, text in phases.items()
                    ]
                )
            )
        if material and str(material).strip():
            op.execute(
                materials.insert().values(
                    intervision_session_id=session_id,
                    title="Case material",
                    language="ru",
                    text=str(material),
                    drafted_at=held_at,
                    drafted_by="migration",
                )
            )


def _narrow_sessions() -> None:
    with op.batch_alter_table("intervision_sessions") as batch:
        batch.drop_column("participants")
        batch.drop_column("case_material")
        batch.drop_column("phases")
        batch.alter_column("title", server_default=None)
        batch.alter_column("status", server_default=None)
        batch.alter_column("agreements", server_default=None)
        batch.create_check_constraint(
            op.f("ck_intervision_sessions_format"), _in("format", FORMATS_NEW)
        )
        batch.create_check_constraint(
            op.f("ck_intervision_sessions_intervision_status"), _in("status", STATUSES)
        )
        batch.create_foreign_key(
            op.f("fk_intervision_sessions_series_id_intervision_series"),
            "intervision_series",
            ["series_id"],
            ["id"],
        )
        batch.create_index(batch.f("ix_intervision_sessions_series_id"), ["series_id"])


def _create_reviews() -> None:
    op.create_table(
        "documentation_reviews",
        _id(),
        sa.Column("education_organization_id", BIG_ID, nullable=False),
        sa.Column("checklist", sa.String(length=40), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score_percent", sa.Float(), nullable=True),
        sa.Column("critical_gaps", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("documentation_reviews", "education_organization_id", "education_organizations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documentation_reviews")),
    )
    _index("documentation_reviews", "education_organization_id", "quarter")


def upgrade() -> None:
    _create_series()
    _widen_sessions()
    _create_parts()
    _carry_over()
    _narrow_sessions()
    _create_reviews()


def downgrade() -> None:
    op.drop_table("documentation_reviews")
    with op.batch_alter_table("intervision_sessions") as batch:
        batch.drop_constraint(op.f("ck_intervision_sessions_format"), type_="check")
        batch.drop_constraint(op.f("ck_intervision_sessions_intervision_status"), type_="check")
        batch.drop_constraint(
            op.f("fk_intervision_sessions_series_id_intervision_series"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_intervision_sessions_series_id"))
        batch.add_column(sa.Column("participants", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("case_material", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("phases", sa.JSON(), nullable=False, server_default="{}"))
        for column in (
            "title",
            "series_id",
            "status",
            "started_at",
            "ended_at",
            "current_phase",
            "agreements",
            "created_by",
        ):
            batch.drop_column(column)
    sessions = sa.table("intervision_sessions", sa.column("format", sa.String))
    for old, new in FORMAT_MAP.items():
        op.execute(sessions.update().where(sessions.c.format == new).values(format=old))
    op.execute(
        sessions.update()
        .where(sessions.c.format == "kollegiale_beratung")
        .values(format="incident")
    )
    for table in (
        "intervision_exports",
        "intervision_material_edits",
        "intervision_materials",
        "intervision_phase_notes",
        "intervision_participants",
        "intervision_series_members",
        "intervision_series",
    ):
        op.drop_table(table)
    with op.batch_alter_table("intervision_sessions") as batch:
        batch.create_check_constraint(
            op.f("ck_intervision_sessions_format"), _in("format", FORMATS_OLD)
        )
