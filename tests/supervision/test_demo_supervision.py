"""The demo region's supervision: real per-case records, signed, with tasks for specialists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pcenter_lib.demo import build_demo_region
from pcenter_lib.errors import LockedRecordError
from pcenter_lib.models import Case, SupervisionCase, SupervisionSession, SupervisionTask, UserRole
from pcenter_lib.services.supervision_records import read_record, save_record
from pcenter_lib.services.supervision_tasks import action_needed
from pcenter_lib.workbench import Workbench
from tests.test_demo import fresh_workbench


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    bench = fresh_workbench(Path(tmp_path_factory.mktemp("tiny-supervision")))
    build_demo_region(bench, seed=7, scale="tiny", compliant=True, progress=None)
    return bench


def test_demo_sessions_hold_signed_records_of_real_cases(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        records = session.scalars(select(SupervisionCase)).all()
        assert session.scalar(select(func.count()).select_from(SupervisionSession)) > 0
        assert records and all(r.decision and r.question for r in records)
        assert all(r.status in ("signed", "submitted") for r in records)
        signed = [r for r in records if r.status == "signed"]
        assert signed and all(r.signed_by and r.signed_at for r in signed)
        for r in records[:20]:
            case = session.get_one(Case, r.case_id)
            assert case.child_id == r.child_id and case.responsible == r.presenter
        supervisor = signed[0].signed_by
        assert supervisor is not None
    with tiny.sessions.begin() as session:
        view = read_record(session, actor=supervisor, record_id=signed[0].id)
        assert view.locked
        with pytest.raises(LockedRecordError):
            save_record(session, actor=supervisor, record_id=view.record_id,
                        expected_version=view.version, draft=view.draft)  # fmt: skip


def test_demo_tasks_are_in_the_specialists_action_needed_lists(tiny: Workbench) -> None:
    with tiny.sessions() as session:
        tasks = session.scalars(select(SupervisionTask)).all()
        assert {t.status for t in tasks} == {"done", "open"}
        specialists = set(session.scalars(select(UserRole.user_id).where(
            UserRole.role == "specialist")))  # fmt: skip
        assert specialists
        person = next(t.responsible for t in tasks if t.status == "open")
        listed = action_needed(session, actor=person, today=date(2026, 11, 20))
    assert listed and all(t.responsible == person for t in listed)
