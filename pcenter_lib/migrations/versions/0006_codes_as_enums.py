"""codes as enumerations: CHECK constraints on every status, kind, sex and language

Revision ID: 0006_codes_as_enums
Revises: 0008_ground_truth_hazard
Create Date: 2026-11-30

The columns keep their VARCHAR type (the enumerations are non-native); each gets a CHECK
constraint listing its values, named as the models name it (``ck_<table>_<name>``), so the
database refuses a code no enumeration of ``pcenter_lib.domain.codes`` has. The values are
written out here, as they were when this revision was made. SQLite cannot add a constraint to
a table: the table is rebuilt (Alembic batch mode), with foreign keys switched off around the
whole migration by ``migrations/env.py`` as SQLite's documentation prescribes.
"""

from __future__ import annotations

from alembic import op

revision = "0006_codes_as_enums"
down_revision = "0008_ground_truth_hazard"
branch_labels = None
depends_on = None

# table → (constraint name without the ck_<table>_ prefix, column, allowed values)
CHECKS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "requests": [("request_status", "status", ("open", "in_work", "closed"))],
    "cases": [
        ("case_status", "status", ("open", "monitoring", "closed")),
        ("complexity", "complexity", ("routine", "complex")),
    ],
    "support_plans": [("plan_status", "status", ("active", "completed"))],
    "support_plan_items": [("item_status", "status", ("planned", "done", "dropped"))],
    "consents": [("consent_kind", "kind", ("written", "informed"))],
    "consultations": [("recipient", "recipient", ("child", "parent", "teacher"))],
    "education_organizations": [
        ("school_kind", "kind", ("school", "college")),
        ("language", "language", ("kk", "ru", "mixed")),
    ],
    "children": [("sex", "sex", ("male", "female"))],
    "screening_results": [("sex", "sex", ("male", "female"))],
    "staff_members": [("category", "category", ("administrative", "core", "auxiliary"))],
    "ppss_studies": [("mode", "mode", ("visit", "desk"))],
    "intervision_sessions": [("format", "format", ("incident", "balint", "documentation_review"))],
    "demo_ground_truth": [("risk_tier", "risk_tier", ("low", "elevated", "high"))],
}


def _condition(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, column, values in checks:
                batch.create_check_constraint(op.f(f"ck_{table}_{name}"), _condition(column, values))


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, _column, _values in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
