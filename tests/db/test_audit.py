"""The hash-chained, append-only audit trail (Rule 14) on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pcenter_lib.models import AuditChainHead, AuditEvent
from pcenter_lib.services.audit import (
    GENESIS_HASH,
    ChainReport,
    count_events,
    event_hash,
    event_mac,
    record_event,
    verify_chain,
)
from pcenter_lib.workbench import Workbench

CHANGED = "Audit event {id} was changed after it was written."
UNLINKED = "Audit event {id} does not follow the event before it (a row was removed or inserted)."
TRUNCATED = "The audit trail ends before its recorded last event {id}: events were removed."


def _record(bench: Workbench, count: int, actor: str = "specialist1") -> list[int]:
    ids = []
    for number in range(count):
        with bench.sessions.begin() as session:
            event = record_event(
                session,
                actor=actor,
                action="view_identity",
                entity="child",
                entity_id=number,
                details={"reason": "консультация", "n": number},
            )
            ids.append(event.id)
    return ids


def _unprotect(bench: Workbench) -> None:
    """Remove the append-only protection, as an attacker with database access could."""
    with bench.engine.begin() as connection:
        if bench.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
            connection.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER ALL"))


def _tamper(bench: Workbench, sql: str, **params: object) -> None:
    _unprotect(bench)
    with bench.engine.begin() as connection:
        assert connection.execute(text(sql), params).rowcount == 1


def _verify(bench: Workbench) -> tuple[bool, int | None, str | None]:
    with bench.sessions() as session:
        report = verify_chain(session)
    return report.intact, report.broken_event_id, report.problem


def test_empty_trail_is_intact(any_workbench: Workbench) -> None:
    with any_workbench.sessions() as session:
        report = verify_chain(session)
        assert (report.intact, report.checked) == (True, 0)
        assert count_events(session) == 0


def test_recorded_events_form_an_intact_chain(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    with any_workbench.sessions() as session:
        report = verify_chain(session)
        assert (report.intact, report.checked) == (True, 5)
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        head = session.get_one(AuditChainHead, 1)
    assert [e.id for e in events] == ids
    assert events[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert (head.last_event_id, head.last_hash) == (ids[-1], events[-1].hash)
    assert events[2].details == {"reason": "консультация", "n": 2}
    assert events[2].entity_id == "2"
    assert events[2].occurred_at.tzinfo is not None


def test_event_mac_is_keyed_and_a_pure_function_of_the_content() -> None:
    fields: dict[str, Any] = {
        "prev_hash": GENESIS_HASH,
        "occurred_at": datetime(2026, 3, 5, 4, 30, tzinfo=UTC),
        "actor": "a",
        "action": "create",
        "entity": "request",
        "entity_id": "1",
        "details": {"b": 1, "a": [1, 2]},
    }
    key, other_key = b"k" * 32, b"o" * 32
    digest = event_mac(key, seq=7, key_id="id", **fields)
    assert digest == event_mac(key, seq=7, key_id="id", **{**fields, "details": {"a": [1, 2], "b": 1}})
    assert len(digest) == 64
    assert event_mac(other_key, seq=7, key_id="id", **fields) != digest
    assert event_mac(key, seq=8, key_id="id", **fields) != digest
    assert digest != event_hash(**fields)  # not the plain hash of the legacy chain
    for name, value in (("actor", "b"), ("entity_id", None), ("details", {"b": 2, "a": [1, 2]})):
        assert event_mac(key, seq=7, key_id="id", **{**fields, name: value}) != digest


def test_event_in_a_rolled_back_transaction_leaves_no_trace(any_workbench: Workbench) -> None:
    _record(any_workbench, 2)
    with any_workbench.sessions() as session:
        record_event(session, actor="x", action="create", entity="e")
        session.rollback()
    _record(any_workbench, 1)
    assert _verify(any_workbench) == (True, None, None)


@pytest.mark.parametrize(
    ("column", "value"),
    [("details", '{"reason": "nothing to see"}'), ("actor", "someone_else"), ("entity_id", "99")],
)
def test_changed_row_is_named(any_workbench: Workbench, column: str, value: str) -> None:
    ids = _record(any_workbench, 5)
    _tamper(
        any_workbench, f"UPDATE audit_events SET {column} = :v WHERE id = :id", v=value, id=ids[2]
    )
    assert _verify(any_workbench) == (False, ids[2], CHANGED)


def test_changed_time_is_named(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 3)
    with any_workbench.sessions() as session:
        original = session.get_one(AuditEvent, ids[1]).occurred_at
    earlier = original.replace(year=original.year - 1)
    stored = (
        earlier.replace(tzinfo=None) if any_workbench.engine.dialect.name == "sqlite" else earlier
    )
    _tamper(
        any_workbench,
        "UPDATE audit_events SET occurred_at = :v WHERE id = :id",
        v=stored,
        id=ids[1],
    )
    assert _verify(any_workbench) == (False, ids[1], CHANGED)


def test_deleted_middle_row_is_named_by_its_successor(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    _tamper(any_workbench, "DELETE FROM audit_events WHERE id = :id", id=ids[2])
    assert _verify(any_workbench) == (False, ids[3], UNLINKED)


def test_deleted_first_row_is_named_by_its_successor(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 3)
    _tamper(any_workbench, "DELETE FROM audit_events WHERE id = :id", id=ids[0])
    assert _verify(any_workbench) == (False, ids[1], UNLINKED)


def test_deleted_last_row_is_named(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    _tamper(any_workbench, "DELETE FROM audit_events WHERE id = :id", id=ids[-1])
    assert _verify(any_workbench) == (False, ids[-1], TRUNCATED)


def test_deleting_every_row_is_noticed(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 2)
    _unprotect(any_workbench)
    with any_workbench.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))
    assert _verify(any_workbench) == (False, ids[-1], TRUNCATED)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"],
    ids=["update", "delete"],
)
def test_trigger_refuses_changes(any_workbench: Workbench, statement: str) -> None:
    _record(any_workbench, 2)
    with pytest.raises(DBAPIError, match="append-only"), any_workbench.engine.begin() as connection:
        connection.execute(text(statement))
    with any_workbench.sessions() as session:
        assert count_events(session) == 2
    assert _verify(any_workbench) == (True, None, None)


def test_orm_cannot_change_an_event(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 1)
    with any_workbench.sessions() as session:
        session.get_one(AuditEvent, ids[0]).actor = "x"
        with pytest.raises(DBAPIError, match="append-only"):
            session.commit()
    assert _verify(any_workbench) == (True, None, None)


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(pg_workbench: Workbench) -> None:
    _record(pg_workbench, 1)
    with pytest.raises(DBAPIError, match="append-only"), pg_workbench.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_events"))


def _append_concurrently(bench: Workbench, workers: int, each: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def work(worker: int) -> None:
        start.wait()
        try:
            for number in range(each):
                with bench.sessions.begin() as session:
                    record_event(
                        session,
                        actor=f"worker{worker}",
                        action="create",
                        entity="e",
                        entity_id=number,
                    )
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_appends_keep_the_chain_valid(any_workbench: Workbench) -> None:
    workers, each = 4, 25
    assert _append_concurrently(any_workbench, workers, each) == []
    with any_workbench.sessions() as session:
        report = verify_chain(session)
        assert (report.intact, report.checked) == (True, workers * each)
        prevs = session.scalars(select(AuditEvent.prev_hash)).all()
    assert len(set(prevs)) == len(prevs), "two events share one predecessor: the chain forked"


def test_check_during_concurrent_appends_raises_no_false_alarm(any_workbench: Workbench) -> None:
    stop = threading.Event()
    appended: list[int] = []

    def append_until_stopped() -> None:
        while not stop.is_set():
            appended.extend(_record(any_workbench, 1, actor="busy"))

    thread = threading.Thread(target=append_until_stopped)
    thread.start()
    reports: list[ChainReport] = []
    deadline = time.monotonic() + 20
    try:
        while (len(appended) < 20 or len(reports) < 20) and time.monotonic() < deadline:
            with any_workbench.sessions() as session:
                reports.append(verify_chain(session))
            time.sleep(0.001)  # let the appender in: SQLite serialises writers
    finally:
        stop.set()
        thread.join()
    assert len(appended) >= 20 and len(reports) >= 20
    assert [r for r in reports if not r.intact] == []
    assert _verify(any_workbench) == (True, None, None)


def test_concurrent_appends_in_one_transaction_each(any_workbench: Workbench) -> None:
    """Two open sessions that both append: the second waits for the first instead of forking."""
    _record(any_workbench, 1)
    first: Session = any_workbench.sessions()
    try:
        record_event(first, actor="first", action="create", entity="e")
        done = threading.Event()

        def second() -> None:
            with any_workbench.sessions.begin() as session:
                record_event(session, actor="second", action="create", entity="e")
            done.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(0.5), "the second append did not wait for the chain head"
        first.commit()
        thread.join(timeout=30)
        assert done.is_set()
    finally:
        first.close()
    with any_workbench.sessions() as session:
        actors = session.scalars(select(AuditEvent.actor).order_by(AuditEvent.id)).all()
        assert verify_chain(session).intact
    assert actors == ["specialist1", "first", "second"]


def test_a_session_reused_after_another_writer_does_not_fork_the_chain(
    any_workbench: Workbench,
) -> None:
    """Sessions keep loaded objects after commit; the head must be re-read, not taken from memory."""
    from pcenter_lib.services.audit import record_event, verify_chain

    first = any_workbench.sessions()
    with first.begin():
        record_event(first, actor="a", action="create", entity="request", entity_id=1)
        held = first.get(AuditChainHead, 1)  # the app keeps objects of its session alive
    with any_workbench.sessions.begin() as other:
        record_event(other, actor="b", action="create", entity="request", entity_id=2)
    with first.begin():
        record_event(first, actor="a", action="create", entity="request", entity_id=3)
    first.close()
    with any_workbench.sessions() as session:
        report = verify_chain(session)
    assert report.intact, report
    assert report.checked == 3
    assert held is not None
