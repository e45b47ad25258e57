"""trust base: key binding, keyed audit chain moved by a trigger, one open case per child

Revision ID: 0004_trust_base
Revises: 0007_risk_models
Create Date: 2026-11-26

- ``key_bindings``: the secret key's fingerprint and the facts it seals (written by init-db).
- ``audit_events.key_id``: which key MACs a row; a trigger accepts only the row that continues
  the chain head (next sequence number, previous MAC) and moves the head. On PostgreSQL the
  trigger function runs as the owner (SECURITY DEFINER), so the application role needs neither
  UPDATE on the head nor ownership of anything.
- ``uq_cases_one_open_per_child``: a partial unique index, one case not yet closed per child.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_trust_base"
down_revision = "0007_risk_models"
branch_labels = None
depends_on = None

OPEN_CASE = "status <> 'closed'"
_REFUSED = "audit_events: a new event must continue the chain head"

_SQLITE = (
    "CREATE TRIGGER audit_events_continue_chain BEFORE INSERT ON audit_events "
    "BEGIN SELECT RAISE(ABORT, '" + _REFUSED + "') "
    "WHERE NEW.prev_hash IS NOT (SELECT last_hash FROM audit_chain_head WHERE id = 1) "
    "OR NEW.id IS NOT (SELECT last_event_id + 1 FROM audit_chain_head WHERE id = 1); END",
    "CREATE TRIGGER audit_events_move_head AFTER INSERT ON audit_events "
    "BEGIN UPDATE audit_chain_head SET last_event_id = NEW.id, last_hash = NEW.hash "
    "WHERE id = 1; END",
)


def _postgres(schema: str) -> tuple[str, ...]:
    return (
        "CREATE FUNCTION audit_events_continue_chain() RETURNS trigger LANGUAGE plpgsql "
        f"SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$ "
        "DECLARE head record; "
        "BEGIN "
        "SELECT last_event_id, last_hash INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE; "
        "IF NEW.prev_hash IS DISTINCT FROM head.last_hash "
        "OR NEW.id IS DISTINCT FROM head.last_event_id + 1 THEN "
        f"RAISE EXCEPTION '{_REFUSED}'; "
        "END IF; "
        "UPDATE audit_chain_head SET last_event_id = NEW.id, last_hash = NEW.hash WHERE id = 1; "
        "RETURN NEW; "
        "END; $$",
        "REVOKE ALL ON FUNCTION audit_events_continue_chain() FROM PUBLIC",
        "CREATE TRIGGER audit_events_continue_chain BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_continue_chain()",
    )


def _refuse_duplicate_open_cases() -> None:
    rows = op.get_bind().execute(
        sa.text(
            f"SELECT child_id FROM cases WHERE {OPEN_CASE} GROUP BY child_id HAVING COUNT(*) > 1"
        )
    )
    children = [str(row[0]) for row in rows]
    if children:
        raise RuntimeError(
            "These children have more than one case not yet closed: "
            + ", ".join(children)
            + ". Close the extra cases (keep one open case per child) and run pcenter init-db again."
        )


def upgrade() -> None:
    op.create_table(
        "key_bindings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("check_value", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("bound_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("legacy_event_id", sa.Integer(), nullable=False),
        sa.Column("legacy_hash", sa.String(length=64), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_bindings")),
    )
    op.add_column("audit_events", sa.Column("key_id", sa.String(length=16), nullable=True))
    _refuse_duplicate_open_cases()
    op.create_index(
        "uq_cases_one_open_per_child",
        "cases",
        ["child_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_CASE),
        postgresql_where=sa.text(OPEN_CASE),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        statements: tuple[str, ...] = _SQLITE
    else:
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        statements = _postgres(f'"{schema}"')
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_continue_chain")
        op.execute("DROP TRIGGER IF EXISTS audit_events_move_head")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_continue_chain ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_continue_chain()")
    op.drop_index("uq_cases_one_open_per_child", table_name="cases")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("key_id")
    op.drop_table("key_bindings")
