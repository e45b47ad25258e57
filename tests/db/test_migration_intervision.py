"""Migration 0011 on a database that already holds intervision sessions, on SQLite and PostgreSQL.

The former JSON participants, phase outputs and case material become rows; the formats take
their new codes; nothing a Center recorded is lost, and the schema matches the models after.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from pcenter_lib.db import alembic_config, schema_is_current
from pcenter_lib.workbench import Workbench

MOMENT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def test_existing_sessions_are_carried_over(migrated_from_empty: Workbench) -> None:
    engine = migrated_from_empty.engine
    config = alembic_config(engine)
    command.downgrade(config, "0012_reports")
    stamp = MOMENT.replace(tzinfo=None) if engine.dialect.name == "sqlite" else MOMENT
    with engine.begin() as connection:
        for number, fmt in enumerate(("incident", "balint", "documentation_review"), 1):
            connection.execute(
                text(
                    "INSERT INTO intervision_sessions (id, held_at, facilitator, format, "
                    "participants, case_material, phases, learning_points, version) VALUES "
                    "(:id, :at, 'method1', :fmt, :people, :material, :phases, 'LP', 1)"
                ),
                {
                    "id": number,
                    "at": stamp,
                    "fmt": fmt,
                    "people": json.dumps(["specialist1", "specialist2", "specialist1"]),
                    "material": "Виньетка" if number == 1 else "",
                    "phases": json.dumps({"presentation": "итог", "hypotheses": "гипотезы"}),
                },
            )
    command.upgrade(config, "head")
    assert schema_is_current(engine)
    with engine.connect() as connection:
        formats = connection.execute(
            text("SELECT format, status, learning_points FROM intervision_sessions ORDER BY id")
        ).all()
        assert [tuple(row) for row in formats] == [
            ("incident_method", "held", "LP"),
            ("balint_group", "held", "LP"),
            ("six_phase_model", "held", "LP"),
        ]
        people = connection.execute(
            text(
                "SELECT intervision_session_id, full_name, origin, attended FROM "
                "intervision_participants ORDER BY id"
            )
        ).all()
        assert [(r[0], r[1], r[2], bool(r[3])) for r in people][:2] == [
            (1, "specialist1", "center", True),
            (1, "specialist2", "center", True),
        ]
        assert len(people) == 6  # the duplicate name is kept once per session
        notes = connection.execute(text("SELECT count(*) FROM intervision_phase_notes")).scalar()
        assert notes == 6
        material = connection.execute(
            text("SELECT intervision_session_id, text FROM intervision_materials")
        ).all()
        assert [tuple(r) for r in material] == [(1, "Виньетка")]
