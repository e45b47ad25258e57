"""Attacks on the audit trail by somebody who can write to the database but lacks the key file.

Before the trail was keyed, each of these left ``pcenter audit verify`` saying "intact": the
chain was plain SHA-256 that anybody could recompute, and the chain head had no protection. Now
every attack is detected and the first bad row is named; a tail cut off together with the head is
caught by the anchors kept outside the database. Triggers are removed first, as the database's
owner (or a superuser) could.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from pcenter_lib.db import MIGRATIONS_DIR
from pcenter_lib.errors import ValidationError
from pcenter_lib.models import AuditEvent
from pcenter_lib.services.audit import (
    BINDING_ALTERED,
    CHANGED,
    NOT_LINKED,
    OUT_OF_SEQUENCE,
    TRUNCATED,
    UNKNOWN_KEY,
    event_content,
    event_hash,
    event_mac,
    record_event,
    verify_chain,
)
from pcenter_lib.services.audit_anchors import (
    DIFFERS_FROM_ANCHOR,
    SHORTER_THAN_ANCHOR,
    check_anchors,
    write_anchor,
)
from pcenter_lib.workbench import Workbench

ATTACKER_KEY = b"attacker does not have the key!!"


def _record(bench: Workbench, count: int) -> list[int]:
    ids = []
    for number in range(count):
        with bench.sessions.begin() as session:
            ids.append(
                record_event(
                    session,
                    actor="specialist1",
                    action="view_identity",
                    entity="child",
                    entity_id=number,
                    details={"n": number},
                ).id
            )
    return ids


def _unprotect(bench: Workbench) -> None:
    """Remove every trigger of the trail, as the owner or a superuser could."""
    with bench.engine.begin() as connection:
        if bench.engine.dialect.name == "sqlite":
            for name in ("no_update", "no_delete", "continue_chain", "move_head"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS audit_events_{name}"))
        else:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER ALL"))


def _protect_again(bench: Workbench) -> None:
    """Put the chain triggers back (as the migrations made them), so the app can append again."""
    if bench.engine.dialect.name == "postgresql":
        _sql(bench, "ALTER TABLE audit_events ENABLE TRIGGER ALL")
        return
    path = MIGRATIONS_DIR / "versions" / "0004_trust_base.py"
    spec = importlib.util.spec_from_file_location("trust_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for statement in module._SQLITE:
        _sql(bench, statement)


def _sql(bench: Workbench, sql: str, **params: object) -> None:
    with bench.engine.begin() as connection:
        connection.execute(text(sql), params)


def _rows(bench: Workbench) -> list[AuditEvent]:
    with bench.sessions() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _verdict(bench: Workbench, anchors: Path | None = None) -> tuple[bool, int | None, str | None]:
    with bench.sessions() as session:
        report = check_anchors(session, anchors) if anchors else verify_chain(session)
    return report.intact, report.broken_event_id, report.problem


def _content(row: AuditEvent, **changes: Any) -> dict[str, Any]:
    return {**event_content(row), **changes}


def test_edit_re_macked_with_a_guessed_key_is_named(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    row = _rows(any_workbench)[2]
    forged = event_mac(
        ATTACKER_KEY, seq=row.id, key_id=str(row.key_id), **_content(row, actor="nobody")
    )
    _unprotect(any_workbench)
    _sql(
        any_workbench,
        "UPDATE audit_events SET actor = 'nobody', hash = :h WHERE id = :id",
        h=forged,
        id=ids[2],
    )
    assert _verdict(any_workbench) == (False, ids[2], CHANGED)


def test_inserted_row_that_continues_the_head_is_named(any_workbench: Workbench) -> None:
    """Even with the triggers in place a well-linked row can be inserted; its MAC gives it away."""
    ids = _record(any_workbench, 3)
    last = _rows(any_workbench)[-1]
    content = _content(
        last,
        prev_hash=last.hash,
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        actor="ghost",
        details={},
    )
    forged = event_mac(ATTACKER_KEY, seq=last.id + 1, key_id=str(last.key_id), **content)
    with any_workbench.sessions.begin() as session:
        session.add(AuditEvent(id=last.id + 1, hash=forged, key_id=last.key_id, **content))
    assert _verdict(any_workbench) == (False, ids[-1] + 1, CHANGED)
    _record(any_workbench, 1)  # the app goes on appending after the forgery
    assert _verdict(any_workbench) == (False, ids[-1] + 1, CHANGED)


def test_row_that_does_not_continue_the_head_is_refused_by_the_database(
    any_workbench: Workbench,
) -> None:
    _record(any_workbench, 2)
    last = _rows(any_workbench)[-1]
    content = _content(last, prev_hash="f" * 64, actor="ghost")
    refused = pytest.raises(DBAPIError, match="continue the chain head")
    with refused, any_workbench.sessions.begin() as session:
        session.add(AuditEvent(id=last.id + 1, hash="e" * 64, key_id=last.key_id, **content))
    assert _verdict(any_workbench) == (True, None, None)


def test_reordered_rows_are_named(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    _unprotect(any_workbench)
    _sql(any_workbench, "UPDATE audit_events SET id = -1 WHERE id = :id", id=ids[1])
    _sql(any_workbench, "UPDATE audit_events SET id = :new WHERE id = :old", new=ids[1], old=ids[2])
    _sql(any_workbench, "UPDATE audit_events SET id = :new WHERE id = -1", new=ids[2])
    assert _verdict(any_workbench) == (False, ids[1], NOT_LINKED)


def test_renumbered_row_is_out_of_sequence(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 4)
    _unprotect(any_workbench)
    _sql(
        any_workbench,
        "UPDATE audit_events SET id = :new WHERE id = :old",
        new=ids[-1] + 5,
        old=ids[-1],
    )
    _sql(any_workbench, "UPDATE audit_chain_head SET last_event_id = :new", new=ids[-1] + 5)
    assert _verdict(any_workbench) == (False, ids[-1] + 5, OUT_OF_SEQUENCE)


def test_everything_rehashed_and_the_head_moved_is_named_at_the_first_row(
    any_workbench: Workbench,
) -> None:
    """The old attack: rewrite every row, recompute every hash, move the head — "intact" before."""
    ids = _record(any_workbench, 4)
    _unprotect(any_workbench)
    prev = "0" * 64
    for row in _rows(any_workbench):
        content = _content(row, prev_hash=prev, actor="nobody")
        digest = event_hash(**content)  # all an attacker without the key can compute
        _sql(
            any_workbench,
            "UPDATE audit_events SET actor = 'nobody', prev_hash = :p, hash = :h WHERE id = :id",
            p=prev,
            h=digest,
            id=row.id,
        )
        prev = digest
    _sql(any_workbench, "UPDATE audit_chain_head SET last_hash = :h", h=prev)
    assert _verdict(any_workbench) == (False, ids[0], CHANGED)


def test_rows_marked_as_written_under_an_unknown_key_are_named(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 3)
    _unprotect(any_workbench)
    _sql(
        any_workbench,
        "UPDATE audit_events SET key_id = 'ffffffffffffffff' WHERE id = :id",
        id=ids[1],
    )
    intact, broken, problem = _verdict(any_workbench)
    assert (intact, broken, problem) == (False, ids[1], UNKNOWN_KEY)


def test_moving_the_legacy_boundary_breaks_the_binding_seal(any_workbench: Workbench) -> None:
    """Declaring keyed rows "legacy" (plain SHA-256) would let a forger recompute them."""
    _record(any_workbench, 3)
    _sql(any_workbench, "UPDATE key_bindings SET legacy_event_id = 1000")
    assert _verdict(any_workbench) == (False, None, BINDING_ALTERED)


def test_deleted_tail_is_named_while_the_head_remembers_it(any_workbench: Workbench) -> None:
    ids = _record(any_workbench, 5)
    _unprotect(any_workbench)
    _sql(any_workbench, "DELETE FROM audit_events WHERE id >= :id", id=ids[3])
    assert _verdict(any_workbench) == (False, ids[-1], TRUNCATED)


def _cut_back_to(bench: Workbench, keep: AuditEvent) -> None:
    """Delete every event after ``keep`` and move the chain head back to it."""
    _sql(bench, "DELETE FROM audit_events WHERE id > :id", id=keep.id)
    _sql(
        bench,
        "UPDATE audit_chain_head SET last_event_id = :i, last_hash = :h",
        i=keep.id,
        h=keep.hash,
    )


def _anchor(bench: Workbench, path: Path) -> None:
    with bench.sessions.begin() as session:
        write_anchor(session, path=path, actor="system:test")


def test_tail_cut_with_the_head_moved_back_is_caught_by_the_anchor(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    anchors = tmp_path / "anchors.jsonl"
    ids = _record(any_workbench, 5)
    _anchor(any_workbench, anchors)  # the anchor event itself is number 6
    rows = _rows(any_workbench)
    _unprotect(any_workbench)
    keep = rows[2]
    _cut_back_to(any_workbench, keep)
    assert _verdict(any_workbench) == (True, None, None)  # what the database alone can tell
    intact, broken, problem = _verdict(any_workbench, anchors)
    assert (intact, broken, problem) == (False, ids[3], SHORTER_THAN_ANCHOR)


def test_trail_rolled_back_and_continued_is_caught_by_the_anchor(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    """An old copy put back (events 4–5 gone) and used on: a valid chain of the same length."""
    anchors = tmp_path / "anchors.jsonl"
    ids = _record(any_workbench, 4)
    _anchor(any_workbench, anchors)  # anchors event 4 (the anchoring itself is event 5)
    keep = _rows(any_workbench)[2]
    _unprotect(any_workbench)
    _cut_back_to(any_workbench, keep)
    _protect_again(any_workbench)
    _record(any_workbench, 2)  # the app works on with the old copy
    assert _verdict(any_workbench)[0] is True
    assert _verdict(any_workbench, anchors) == (False, ids[-1], DIFFERS_FROM_ANCHOR)


def test_forged_anchor_line_is_refused(any_workbench: Workbench, tmp_path: Path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _record(any_workbench, 2)
    _anchor(any_workbench, anchors)
    anchored = json.loads(anchors.read_text())
    anchors.write_text(json.dumps(dict(anchored, seq=1)) + "\n")
    with any_workbench.sessions() as session, pytest.raises(ValidationError, match="anchor file"):
        check_anchors(session, anchors)


def test_anchor_is_an_appended_json_line_with_its_own_mac(
    any_workbench: Workbench, tmp_path: Path
) -> None:
    anchors = tmp_path / "anchors.jsonl"
    _record(any_workbench, 2)
    _anchor(any_workbench, anchors)
    _record(any_workbench, 1)
    _anchor(any_workbench, anchors)
    first, second = (json.loads(line) for line in anchors.read_text().splitlines())
    assert (first["seq"], second["seq"]) == (2, 4)
    assert len(first["anchor_mac"]) == 64 and first["anchor_mac"] != hashlib.sha256(b"").hexdigest()
    assert oct(anchors.stat().st_mode & 0o777) == "0o600"
    assert _verdict(any_workbench, anchors) == (True, None, None)
