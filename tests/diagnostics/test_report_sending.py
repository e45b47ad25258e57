"""Rule 21: the analytical note's sending to the education management body is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import AuditEvent, Report
from pcenter_lib.services.ppss_studies import record_study, write_analytical_note
from pcenter_lib.services.report_dispatch import record_report_sent
from pcenter_lib.workbench import Workbench
from tests.diagnostics.fixtures import make_region
from tests.diagnostics.test_ppss import draft

WRITTEN = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _note(workbench: Workbench) -> int:
    place = make_region(workbench)
    with workbench.sessions.begin() as session:
        study = record_study(session, actor="methodologist1", draft=draft(place))
        note = write_analytical_note(
            session, actor="methodologist1", study_id=study.id, lang="kk", now=WRITTEN
        )
    return note.report_id


def test_sending_is_recorded_once_with_when_and_by_whom(workbench: Workbench) -> None:
    report_id = _note(workbench)
    sent = WRITTEN + timedelta(hours=3)
    to = "Education department of the region; school No. 1"
    with workbench.sessions.begin() as session:
        with pytest.raises(IntakeValidationError):
            record_report_sent(
                session, actor="methodologist1", report_id=report_id, sent_to=" ", now=sent
            )
        with pytest.raises(PermissionDeniedError):
            record_report_sent(
                session, actor="analyst1", report_id=report_id, sent_to=to, now=sent
            )
    with workbench.sessions.begin() as session:
        done = record_report_sent(
            session, actor="methodologist1", report_id=report_id, sent_to=to, now=sent
        )
    assert (done.sent_to, done.sent_at, done.sent_by) == (to, sent, "methodologist1")
    with workbench.sessions() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert (report.sent_to, report.sent_at, report.sent_by) == (to, sent, "methodologist1")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "send_report")).one()
        assert event.details["sent_to"] == to and event.entity_id == str(report_id)
    with workbench.sessions.begin() as session, pytest.raises(ValidationError) as again:
        record_report_sent(
            session, actor="methodologist1", report_id=report_id, sent_to="x", now=sent
        )
    assert "methodologist1" in again.value.localized("ru")
