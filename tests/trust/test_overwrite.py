"""No silent overwrite: an aggregate's version rises with any of its parts, every race is a conflict.

Each test reproduces an attack found on the code before this suite: a concerns-only correction
left the request's version where it was (a stale save replaced another person's concerns), a
consideration racing a direct-threat marking surfaced a raw ``StaleDataError``, and two support
plans drawn up at once opened two cases for one child.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcenter_lib.errors import ConflictError
from pcenter_lib.models import Case, Child, Request, SupportPlan
from pcenter_lib.services.amendments import StaleRequestError, amend_request, record_consideration
from pcenter_lib.services.consent_records import record_consent, record_help
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.services.direct_threat import mark_direct_threat
from pcenter_lib.services.mobile_groups import ExternalMember, form_mobile_group
from pcenter_lib.services.notifications import list_notifications, record_notification_sent
from pcenter_lib.services.screening_review import record_review_decision
from pcenter_lib.services.support_plans import (
    PlanItemDraft,
    draw_up_support_plan,
    mark_plan_item_done,
    plan_items_for_request,
)
from tests.diagnostics.fixtures import csv_upload, phq_row
from tests.intake.world import NOW, IntakeWorld
from tests.trust.conftest import race

ITEM = PlanItemDraft(kind="consultation", responsible="Psychologist A", due_on=date(2026, 3, 25))


def _version(world: IntakeWorld, model: type, key: int) -> int:
    with world.bench.sessions() as session:
        return int(session.get_one(model, key).version)


def _amend_concerns(
    session: Session, world: IntakeWorld, request_id: int, version: int, concerns: tuple[str, ...]
) -> Any:
    return amend_request(
        session,
        actor="operator1",
        cipher=world.bench.cipher,
        request_id=request_id,
        expected_version=version,
        changes={"concerns": concerns},
        reason="concerns clarified on a call back",
        now=NOW,
    )


def _concerns(world: IntakeWorld, request_id: int) -> tuple[str, ...]:
    with world.bench.sessions() as session:
        request = session.get_one(Request, request_id)
        return tuple(sorted(c.concern for c in request.concerns))


def test_concerns_only_correction_raises_the_request_version(world: IntakeWorld) -> None:
    done = world.register()
    with world.bench.sessions.begin() as session:
        detail = _amend_concerns(session, world, done.id, 1, ("bullying", "cyberbullying"))
    assert detail.version == 2
    assert _version(world, Request, done.id) == 2


def test_stale_concerns_only_correction_is_a_conflict_not_a_silent_overwrite(
    world: IntakeWorld,
) -> None:
    done = world.register()
    with world.bench.sessions.begin() as session:  # operator 1 saves first
        _amend_concerns(session, world, done.id, 1, ("bullying", "cyberbullying"))
    with pytest.raises(StaleRequestError) as caught, world.bench.sessions.begin() as session:
        _amend_concerns(session, world, done.id, 1, ("violence",))  # operator 2 saw version 1
    assert caught.value.attempted == {"concerns": ("violence",)}
    assert caught.value.current["concerns"] == ("bullying", "cyberbullying")
    assert _concerns(world, done.id) == ("bullying", "cyberbullying")


def test_overlapping_concerns_only_corrections_one_wins_the_other_conflicts(
    world: IntakeWorld,
) -> None:
    done = world.register()
    outcome = race(
        world.bench,
        lambda s: _amend_concerns(s, world, done.id, 1, ("bullying", "cyberbullying")),
        lambda s: _amend_concerns(s, world, done.id, 1, ("violence",)),
    )
    assert isinstance(outcome.error, ConflictError), outcome
    assert _concerns(world, done.id) == ("bullying", "cyberbullying")
    assert _version(world, Request, done.id) == 2


def test_consideration_racing_a_threat_marking_is_a_conflict_with_both_versions(
    world: IntakeWorld,
) -> None:
    done = world.register()

    def consider(session: Session) -> object:
        return record_consideration(
            session, actor="operator1", request_id=done.id, expected_version=1,
            outcome="Consultation arranged", now=NOW,
        )

    def mark(session: Session) -> object:
        return mark_direct_threat(
            session, actor="specialist1", request_id=done.id, expected_version=1, now=NOW
        )

    outcome = race(world.bench, consider, mark)
    assert isinstance(outcome.error, ConflictError), outcome  # never a raw StaleDataError
    text = outcome.error.localized("en")
    assert "version 1" in text and "version 2" in text
    for lang in ("kk", "ru"):
        assert outcome.error.localized(lang) != text
    with world.bench.sessions() as session:
        request = session.get_one(Request, done.id)
        assert (request.outcome, request.direct_threat, request.version) == (
            "Consultation arranged", False, 2,
        )


def test_sending_a_notification_raises_the_request_version(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    version = _version(world, Request, done.id)
    with world.bench.sessions.begin() as session:
        owed = list_notifications(session, actor="specialist1", request_id=done.id).rows
        record_notification_sent(
            session, actor="specialist1", notification_id=owed[0].id, channel="phone",
            recipient_detail="Duty officer", now=NOW,
        )
    assert _version(world, Request, done.id) == version + 1


def test_recording_a_consent_raises_the_request_and_child_versions(world: IntakeWorld) -> None:
    done = world.register()
    with world.bench.sessions() as session:
        child_id = session.get_one(Request, done.id).child_id
    assert child_id is not None
    before = (_version(world, Request, done.id), _version(world, Child, child_id))
    with world.bench.sessions.begin() as session:
        record_consent(
            session, actor="operator1", cipher=world.bench.cipher, child_id=child_id,
            kind="written", given_by="Aliya Nurlanovna", relation="mother",
            scope="consultations", given_at=NOW - timedelta(hours=1), request_id=done.id, now=NOW,
        )
    after = (_version(world, Request, done.id), _version(world, Child, child_id))
    assert after == (before[0] + 1, before[1] + 1)


def _group(world: IntakeWorld, request_id: int, staff_id: int) -> int:
    with world.bench.sessions.begin() as session:
        return form_mobile_group(
            session, actor="specialist1", request_id=request_id, staff_ids=[staff_id],
            leader_id=staff_id,
        ).id


def test_changing_a_plan_item_raises_the_plan_version(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id)  # Rule 15: a plan for a child under 16 needs consent
    group_id = _group(world, done.id, world.staff_ids[0])
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )
    with world.bench.sessions.begin() as session:
        row = session.get_one(SupportPlan, plan.id)
        row.items[0].status = "done"
    assert _version(world, SupportPlan, plan.id) == 2


def _open_cases(world: IntakeWorld) -> int:
    with world.bench.sessions() as session:
        return int(
            session.scalar(select(func.count()).select_from(Case).where(Case.status != "closed"))
            or 0
        )


def test_the_database_keeps_one_open_case_per_child(world: IntakeWorld) -> None:
    done = world.register()
    with world.bench.sessions() as session:
        child_id = session.get_one(Request, done.id).child_id
    with world.bench.sessions.begin() as session:
        session.add(Case(child_id=child_id, status="closed"))
        session.add(Case(child_id=child_id, status="closed"))  # closed cases may be many
        session.add(Case(child_id=child_id, status="open"))
    with pytest.raises(ConflictError) as caught, world.bench.sessions.begin() as session:
        session.add(Case(child_id=child_id, status="monitoring"))
    assert "one open case" in str(caught.value)
    assert _open_cases(world) == 1


def test_two_plans_drawn_up_at_once_leave_one_open_case(world: IntakeWorld) -> None:
    first = world.register()
    second = world.register(replace(world.draft(), confirm_duplicate=True))
    world.consent(first.child_id)  # Rule 15: a plan for a child under 16 needs consent
    groups = (
        _group(world, first.id, world.staff_ids[0]),
        _group(world, second.id, world.staff_ids[1]),
    )

    def plan(group_id: int) -> Any:
        return lambda s: draw_up_support_plan(
            s, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )

    outcome = race(world.bench, plan(groups[0]), plan(groups[1]))
    assert outcome.error is None or isinstance(outcome.error, ConflictError), outcome
    assert _open_cases(world) == 1


def test_help_external_members_and_items_done_raise_their_aggregates_versions(
    world: IntakeWorld,
) -> None:
    """The parts the intake corrections added: help given under the waiver, a specialist of
    another body in a mobile group, a plan item marked done."""
    done = world.register(world.draft(direct_threat=True))
    before = _version(world, Request, done.id)
    with world.bench.sessions.begin() as session:
        record_help(
            session, actor="specialist1", request_id=done.id, note="Crisis talk", now=NOW
        )
    assert _version(world, Request, done.id) == before + 1
    with world.bench.sessions.begin() as session:
        group = form_mobile_group(
            session, actor="specialist1", request_id=done.id, staff_ids=[world.staff_ids[0]],
            leader_id=world.staff_ids[0],
            external=[ExternalMember("Serikbayev Dauren", "District police", "juvenile_inspector")],
        )
    assert _version(world, Request, done.id) == before + 2
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session, actor="specialist1", group_id=group.id, items=[ITEM], now=NOW
        )
    with world.bench.sessions.begin() as session:
        (item,) = plan_items_for_request(session, actor="specialist1", request_id=done.id)
        mark_plan_item_done(session, actor="specialist1", item_id=item.id, now=NOW)
    assert _version(world, SupportPlan, plan.id) == 2


def test_two_reviews_of_one_critical_answer_one_wins_the_other_conflicts(
    world: IntakeWorld,
) -> None:
    data = csv_upload("phq9", [phq_row("7A-02", [1, 1, 2, 1, 0, 1, 2, 1, 2])])
    with world.bench.sessions.begin() as session:
        (critical,) = import_round(
            session, actor="methodologist1", cipher=world.bench.cipher, data=data,
            filename="round.csv", instrument="phq9", school_id=world.school_id, period="2026Q1",
            conducted_on=date(2026, 3, 2), now=NOW,
        ).requests

    def decide(decision: str, who: str) -> Any:
        return lambda s: record_review_decision(
            s, actor=who, request_id=critical.request_id, expected_version=1,
            decision=decision, reason="Spoke with the school psychologist", now=NOW,
        )

    outcome = race(
        world.bench, decide("no_direct_threat", "specialist1"), decide("direct_threat", "supervisor1")
    )
    assert isinstance(outcome.error, ConflictError), outcome
    with world.bench.sessions() as session:
        request = session.get_one(Request, critical.request_id)
        assert (request.review_decision, request.reviewed_by, request.direct_threat) == (
            "no_direct_threat", "specialist1", False,
        )
