"""Critical screening answers: linked to the child, reviewed the same working day (Rule 16).

A PHQ-9 round with a critical item 9 is imported into the intake test Center; the request it
makes must name its child (found, made from the IIN, or provisional), be due for review the
same working day (the next working morning after hours), come first in the action-needed view,
and the specialist's decision — with its reason — is recorded and counted in compliance.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.iin import make_iin
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import Child, Request, ScreeningResult, awaiting_review
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.compliance import compliance_report
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.services.journal import JournalFilter, query_journal
from pcenter_lib.services.screening_review import ReviewDecision, record_review_decision
from tests.diagnostics.fixtures import csv_upload, phq_row
from tests.intake.world import NOW, IntakeWorld

ZEROS = [0] * 9
CRITICAL = [1, 1, 2, 1, 0, 1, 2, 1, 2]  # item 9 = 2: thoughts of being better off dead
KNOWN_BIRTH = date(2012, 10, 3)


def _import(world: IntakeWorld, rows: list[list[object]], at: datetime) -> list[int]:
    data = csv_upload("phq9", rows)
    with world.bench.sessions.begin() as session:
        imported = import_round(
            session,
            actor="methodologist1",
            cipher=world.bench.cipher,
            data=data,
            filename="round.csv",
            instrument="phq9",
            school_id=world.school_id,
            period="2026Q1",
            conducted_on=date(2026, 3, 2),
            lang="ru",
            now=at,
        )
    return [r.request_id for r in imported.requests]


def _decide(
    world: IntakeWorld,
    request_id: int,
    decision: str,
    *,
    at: datetime,
    reason: str = "Called the school psychologist: safe",
    actor: str = "specialist1",
    version: int = 1,
) -> ReviewDecision:
    with world.bench.sessions.begin() as session:
        return record_review_decision(
            session,
            actor=actor,
            request_id=request_id,
            expected_version=version,
            decision=decision,
            reason=reason,
            now=at,
        )


def _request(world: IntakeWorld, request_id: int) -> Request:
    with world.bench.sessions() as session:
        request = session.get(Request, request_id)
        assert request is not None
        session.expunge(request)
        return request


@pytest.mark.parametrize(
    ("imported_at", "due"),
    [
        # Wednesday 18 March 10:00, working hours: due by the end of that working day.
        (datetime(2026, 3, 18, 10, 0, tzinfo=KZ_TZ), datetime(2026, 3, 18, 18, 0, tzinfo=KZ_TZ)),
        # Wednesday 18 March 19:30, after hours: the next working morning, Thursday 12:00.
        (datetime(2026, 3, 18, 19, 30, tzinfo=KZ_TZ), datetime(2026, 3, 19, 12, 0, tzinfo=KZ_TZ)),
        # Thursday 19 March 07:40, before work: that same morning.
        (datetime(2026, 3, 19, 7, 40, tzinfo=KZ_TZ), datetime(2026, 3, 19, 12, 0, tzinfo=KZ_TZ)),
        # Friday 20 March 18:00 exactly, the end of the day: Nauryz and its transfers follow;
        # the next working morning is Thursday 26 March.
        (datetime(2026, 3, 20, 18, 0, tzinfo=KZ_TZ), datetime(2026, 3, 26, 12, 0, tzinfo=KZ_TZ)),
    ],
)
def test_critical_answer_is_due_for_review_the_same_working_day(
    world: IntakeWorld, imported_at: datetime, due: datetime
) -> None:
    (request_id,) = _import(
        world, [phq_row("7A-01", ZEROS), phq_row("7A-02", CRITICAL)], imported_at
    )
    request = _request(world, request_id)
    assert request.priority_review and not request.direct_threat
    assert request.review_due_at == due
    assert request.due_at > due  # the ordinary Rule 16 term stays, later than the review


def test_the_child_of_a_critical_answer_is_always_linked(world: IntakeWorld) -> None:
    known = world.register(
        world.draft(
            child=ChildDraft(full_name="Known Child", iin=make_iin(KNOWN_BIRTH, "female", 11))
        )
    )
    new_iin = make_iin(date(2012, 1, 15), "male", 12)
    rows = [
        phq_row("7A-01", CRITICAL, iin=make_iin(KNOWN_BIRTH, "female", 11)),
        phq_row("7A-02", CRITICAL, iin=new_iin, sex="м"),
        phq_row("7A-03", CRITICAL, age=12, grade=6),
        phq_row("7A-04", ZEROS),
    ]
    ids = _import(world, rows, NOW)
    with world.bench.sessions() as session:
        requests = [session.get(Request, i) for i in ids]
        children = [session.get(Child, r.child_id) for r in requests if r is not None]
        assert all(c is not None for c in children) and len(children) == 3
        first, second, third = children
        assert first is not None and first.id == known.child_id
        assert second is not None and (second.birth_on, second.sex) == (date(2012, 1, 15), "male")
        assert not second.provisional
        assert third is not None and third.provisional
        assert (third.approx_age, third.grade, third.education_organization_id) == (
            12,
            6,
            world.school_id,
        )
        results = session.scalars(
            select(ScreeningResult).where(ScreeningResult.critical.is_(True))
        ).all()
        assert {r.child_id for r in results} == {c.id for c in children if c is not None}


def test_specialist_records_the_decision_with_its_reason(world: IntakeWorld) -> None:
    (request_id,) = _import(world, [phq_row("7A-02", CRITICAL)], NOW)
    later = NOW + timedelta(hours=2)
    with world.bench.sessions.begin() as session:
        assert session.scalars(select(Request.id).where(awaiting_review())).all() == [request_id]
        with pytest.raises(PermissionDeniedError):
            record_review_decision(
                session,
                actor="operator1",
                request_id=request_id,
                expected_version=1,
                decision="no_direct_threat",
                reason="x",
                now=later,
            )
        with pytest.raises(IntakeValidationError) as missing:
            record_review_decision(
                session,
                actor="specialist1",
                request_id=request_id,
                expected_version=1,
                decision="no_direct_threat",
                reason=" ",
                now=later,
            )
        assert missing.value.field == "review_reason"
    decided = _decide(
        world,
        request_id,
        "no_direct_threat",
        at=later,
        reason="Called the school psychologist: the pupil is safe, sessions agreed.",
    )
    assert decided.on_time and decided.threat is None
    request = _request(world, request_id)
    assert (request.reviewed_by, request.review_decision) == ("specialist1", "no_direct_threat")
    assert "pupil is safe" in (request.review_reason or "")
    with world.bench.sessions() as session:
        assert session.scalars(select(Request.id).where(awaiting_review())).all() == []
    with pytest.raises(ValidationError):
        _decide(
            world,
            request_id,
            "direct_threat",
            at=later,
            actor="supervisor1",
            version=request.version,
        )


def test_a_direct_threat_decision_starts_the_same_day_path(world: IntakeWorld) -> None:
    (request_id,) = _import(world, [phq_row("7A-02", CRITICAL)], NOW)
    decided_at = NOW + timedelta(minutes=40)
    decided = _decide(
        world,
        request_id,
        "direct_threat",
        at=decided_at,
        reason="Plan and means described; cannot promise safety.",
    )
    assert decided.threat is not None
    assert decided.threat.due_at == datetime(2026, 3, 18, 23, 59, 59, tzinfo=KZ_TZ)
    assert {n.due_at for n in decided.threat.notifications} == {decided_at + timedelta(hours=1)}
    request = _request(world, request_id)
    assert request.direct_threat and request.threat_assessed_by == "specialist1"


def test_critical_answers_come_first_in_the_action_needed_view(world: IntakeWorld) -> None:
    overdue = world.register(world.draft(received_at=NOW - timedelta(days=5)))
    threat = world.register(world.draft(direct_threat=True, child=None))
    (critical,) = _import(world, [phq_row("7A-02", CRITICAL)], NOW)
    later = NOW + timedelta(minutes=5)
    with world.bench.sessions() as session:
        page = query_journal(
            session,
            actor="supervisor1",
            cipher=world.bench.cipher,
            flt=JournalFilter(view="action_needed"),
            now=later,
        )
        marked = query_journal(
            session,
            actor="supervisor1",
            cipher=world.bench.cipher,
            flt=JournalFilter(critical_only=True),
            now=later,
        )
    ids = [row.id for row in page.rows]
    assert ids[:3] == [critical, threat.id, overdue.id]
    assert page.rows[0].action == "review" and page.rows[0].awaiting_review
    assert page.rows[0].review_due_at == datetime(2026, 3, 18, 18, 0, tzinfo=KZ_TZ)
    assert [row.id for row in marked.rows] == [critical]


def test_compliance_counts_reviews_on_time(world: IntakeWorld) -> None:
    on_time, late, waiting = _import(world, [phq_row(f"7A-0{i}", CRITICAL) for i in (1, 2, 3)], NOW)
    for request_id, at in ((on_time, NOW + timedelta(hours=1)), (late, NOW + timedelta(days=1))):
        _decide(world, request_id, "no_direct_threat", at=at)
    with world.bench.sessions() as session:
        figures = compliance_report(
            session,
            actor="supervisor1",
            date_from=date(2026, 3, 1),
            date_to=date(2026, 3, 31),
            now=NOW + timedelta(days=1, hours=1),
        )
    figure = next(f for f in figures if f.key == "rule_16_review")
    assert (figure.complying, figure.counted, figure.pending) == (1, 3, 0)
    failing = {r.request_id for r in figure.records if not r.ok}
    assert failing == {late, waiting}
