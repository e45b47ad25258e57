"""Alembic migrations on SQLite and PostgreSQL: they build exactly the schema the models describe."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcenter_lib.db import alembic_config, make_engine, schema_is_current, upgrade_to_head
from pcenter_lib.models import AuditChainHead, Base
from pcenter_lib.services.audit import GENESIS_HASH, record_event, verify_chain
from pcenter_lib.workbench import Workbench


def _differences(engine: Engine, metadata: MetaData) -> list[Any]:
    """What autogenerate would change to make the database match ``metadata``."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        # No filter is needed today: compare_metadata reports nothing on either engine. If a
        # benign dialect quirk ever shows up, filter it here with a comment saying why.
        return list(compare_metadata(context, metadata))


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_to_head(migrated_from_empty: Workbench) -> None:
    engine = migrated_from_empty.engine
    assert schema_is_current(engine)
    assert _tables(engine) == set(Base.metadata.tables)
    with Session(engine) as session:
        head = session.get_one(AuditChainHead, 1)
        assert (head.last_event_id, head.last_hash) == (0, GENESIS_HASH)


def test_migrated_schema_matches_the_models(migrated_from_empty: Workbench) -> None:
    assert _differences(migrated_from_empty.engine, Base.metadata) == []


def test_the_fixtures_copied_from_a_template_are_current(any_workbench: Workbench) -> None:
    assert schema_is_current(any_workbench.engine)
    assert _differences(any_workbench.engine, Base.metadata) == []


def test_comparison_notices_a_model_the_migrations_lack(migrated_from_empty: Workbench) -> None:
    extended = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(extended)
    extended.tables["users"].append_column(Column("shoe_size", Integer, nullable=True))
    diff = _differences(migrated_from_empty.engine, extended)
    assert [(d[0], d[3].name) for d in diff] == [("add_column", "shoe_size")]


def test_fresh_database_is_not_current(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert not schema_is_current(engine)
        upgrade_to_head(engine)
        assert schema_is_current(engine)
        upgrade_to_head(engine)  # a second run changes nothing
        assert schema_is_current(engine)
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(migrated_from_empty: Workbench) -> None:
    engine = migrated_from_empty.engine
    config = alembic_config(engine)
    with migrated_from_empty.sessions.begin() as session:
        record_event(session, actor="t", action="create", entity="x")
    command.downgrade(config, "base")
    assert _tables(engine) == set()
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == ()
    upgrade_to_head(engine)
    assert schema_is_current(engine)
    assert _differences(engine, Base.metadata) == []
    with migrated_from_empty.sessions.begin() as session:
        record_event(session, actor="t", action="create", entity="x")
    with migrated_from_empty.sessions() as session:
        report = verify_chain(session)
        assert (report.intact, report.checked) == (True, 1)


def _audit_triggers(engine: Engine) -> set[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        if engine.dialect.name == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
        "AND NOT tgisinternal"
    )
    with engine.connect() as connection:
        return set(connection.execute(text(query)).scalars())


def test_step_down_to_the_first_revision_removes_the_triggers(
    migrated_from_empty: Workbench,
) -> None:
    engine = migrated_from_empty.engine
    assert _audit_triggers(engine)
    command.downgrade(alembic_config(engine), "0001")
    assert _audit_triggers(engine) == set()
    with Session(engine) as session:
        assert session.scalars(select(AuditChainHead)).all() == []
    command.upgrade(alembic_config(engine), "head")
    assert _audit_triggers(engine)
    assert schema_is_current(engine)


def test_revisions_form_one_line_from_base_to_head(workbench: Workbench) -> None:
    script = ScriptDirectory.from_config(alembic_config(workbench.engine))
    revisions = list(script.walk_revisions())  # newest first
    assert script.get_heads() == [revisions[0].revision]
    assert revisions[-1].down_revision is None
    for newer, older in itertools.pairwise(revisions):
        assert newer.down_revision == older.revision
    assert [r.revision for r in reversed(revisions)][:2] == ["0001", "0002"]


def _insert_request(session: Session, status: str) -> None:
    session.execute(
        text(
            "INSERT INTO requests (journal_year, journal_seq, received_at, registered_at, "
            "registered_by, channel, source, description, direct_threat, due_at, status, "
            "priority_review, applicant_anonymous, version) VALUES (2026, :seq, :at, :at, 't', "
            "'phone', 'teacher', '', false, :at, :status, false, false, 1)"
        ),
        {"seq": abs(hash(status)) % 100_000, "at": "2026-11-20 10:00:00", "status": status},
    )


def test_codes_outside_their_enumeration_are_refused_by_the_database(
    migrated_from_empty: Workbench,
) -> None:
    """The CHECK constraints of 0006 hold on both engines, below the ORM, and come back up."""
    engine = migrated_from_empty.engine
    with Session(engine) as session, session.begin():
        _insert_request(session, "in_work")
    with Session(engine) as session, pytest.raises(IntegrityError), session.begin():
        _insert_request(session, "forgotten")
    command.downgrade(alembic_config(engine), "0008_ground_truth_hazard")
    with Session(engine) as session, session.begin():
        _insert_request(session, "forgotten")  # before 0006 any text was taken
        session.execute(text("DELETE FROM requests WHERE status = 'forgotten'"))
    upgrade_to_head(engine)
    with Session(engine) as session:
        assert session.scalar(text("SELECT status FROM requests")) == "in_work", "data kept"
    with Session(engine) as session, pytest.raises(IntegrityError), session.begin():
        _insert_request(session, "forgotten")
    assert _audit_triggers(engine), "tables rebuilt on SQLite keep the audit triggers"


def test_the_orm_reads_codes_as_their_enumeration(any_workbench: Workbench) -> None:
    from pcenter_lib.domain.codes import RequestStatus
    from pcenter_lib.models import Request

    with Session(any_workbench.engine) as session, session.begin():
        _insert_request(session, "in_work")
    with Session(any_workbench.engine) as session:
        status = session.scalars(select(Request.status)).one()
    assert status is RequestStatus.IN_WORK and status == "in_work"
