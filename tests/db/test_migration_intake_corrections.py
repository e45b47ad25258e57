"""Migration 0005 on a database that already holds a Center's journal, on SQLite and PostgreSQL.

Making a child's birth date optional recreates the children table on SQLite while requests,
consents and identities refer to it; the rows must survive, the new flags must read false, and
foreign keys must be enforced again afterwards.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from pcenter_lib.db import alembic_config, schema_is_current
from pcenter_lib.workbench import Workbench

MOMENT = datetime(2026, 3, 18, 5, 0, tzinfo=UTC)


def _fill_at_0003(engine: Engine) -> None:
    """One school, a child with identity, a request about the child, a consent and a group."""
    stamp = MOMENT.replace(tzinfo=None) if engine.dialect.name == "sqlite" else MOMENT
    statements = [
        "INSERT INTO regions (id, code, name_kk, name_ru, name_en) VALUES (1, 'R', 'a', 'b', 'c')",
        "INSERT INTO districts (id, region_id, code, name_kk, name_ru, name_en, is_urban) "
        "VALUES (1, 1, 'D', 'a', 'b', 'c', true)",
        "INSERT INTO centers (id, region_id, bin, name_kk, name_ru, name_en) "
        "VALUES (1, 1, '100000000001', 'a', 'b', 'c')",
        "INSERT INTO staff_members (id, center_id, full_name, category, position, fte, "
        "is_mobile_group, active, version) VALUES (1, 1, 'A', 'core', 'psychologist', 1, true, "
        "true, 1)",
        "INSERT INTO children (id, code, birth_on, sex, grade, special_needs, version) "
        "VALUES (1, 'C-1', :born, 'male', 8, false, 1)",
        "INSERT INTO child_identities (child_id, full_name_enc) VALUES (1, :blob)",
        "INSERT INTO requests (id, journal_year, journal_seq, received_at, registered_at, "
        "registered_by, channel, source, child_id, description, direct_threat, due_at, status, "
        "priority_review, version) VALUES (1, 2026, 1, :at, :at, 'op', 'phone', 'teacher', 1, "
        "'x', false, :at, 'open', false, 1)",
        "INSERT INTO consents (id, child_id, request_id, kind, given_by_enc, relation, scope, "
        "given_at, recorded_by) VALUES (1, 1, 1, 'written', :blob, 'mother', 's', :at, 'op')",
        "INSERT INTO mobile_groups (id, request_id, formed_at, formed_by) VALUES (1, 1, :at, 'sp')",
        "INSERT INTO mobile_group_members (id, mobile_group_id, staff_member_id, role_in_group) "
        "VALUES (1, 1, 1, 'leader')",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(
                text(statement), {"born": date(2011, 9, 1), "blob": b"\x00", "at": stamp}
            )


def test_upgrade_keeps_the_journal_and_its_keys(migrated_from_empty: Workbench) -> None:
    engine = migrated_from_empty.engine
    config = alembic_config(engine)
    command.downgrade(config, "0003")
    _fill_at_0003(engine)
    command.upgrade(config, "head")
    assert schema_is_current(engine)
    with engine.connect() as connection:
        child = connection.execute(
            text("SELECT birth_on, provisional, merged_into_id FROM children")
        ).one()
        assert (str(child[0]), bool(child[1]), child[2]) == ("2011-09-01", False, None)
        request = connection.execute(
            text("SELECT child_id, applicant_anonymous, reviewed_at FROM requests")
        ).one()
        assert (request[0], bool(request[1]), request[2]) == (1, False, None)
        assert connection.execute(text("SELECT count(*) FROM consents")).scalar() == 1
        member = connection.execute(
            text("SELECT staff_member_id, external_name FROM mobile_group_members")
        ).one()
        assert tuple(member) == (1, None)
    with pytest.raises(IntegrityError), engine.begin() as connection:  # keys enforced again
        connection.execute(
            text(
                "INSERT INTO child_name_tokens (child_id, token_index) VALUES (999, 'x')"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:  # staff or external
        connection.execute(
            text("INSERT INTO mobile_group_members (mobile_group_id, role_in_group) VALUES (1, 'm')")
        )
