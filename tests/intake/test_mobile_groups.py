"""Mobile response groups (Rule 17) and support plans with remote form and SEN (Rule 26)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.domain.positions import EXTERNAL_POSITIONS, GROUP_ROLES
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.i18n import catalog
from pcenter_lib.models import Case, CaseStatusChange, Request, SupportPlanItem
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.consent_records import ServiceRefusedError
from pcenter_lib.services.mobile_groups import (
    ExternalMember,
    available_core_staff,
    form_mobile_group,
    groups_for_request,
    log_visit,
    plan_visit,
)
from pcenter_lib.services.support_plans import (
    PlanItemDraft,
    draw_up_support_plan,
    mark_plan_item_done,
    plan_items_for_request,
)
from tests.intake.world import BOY_14, NOW, IntakeWorld, iin_for

ITEM = PlanItemDraft(kind="consultation", responsible="Psychologist A", due_on=date(2026, 3, 25))


def _form(world: IntakeWorld, request_id: int) -> int:
    with world.bench.sessions.begin() as session:
        group = form_mobile_group(
            session,
            actor="specialist1",
            request_id=request_id,
            staff_ids=world.staff_ids,
            leader_id=world.staff_ids[0],
        )
    return group.id


def test_only_active_core_staff_on_mobile_duty_are_offered(world: IntakeWorld) -> None:
    with world.bench.sessions() as session:
        staff = available_core_staff(session, actor="specialist1")
    assert [s.full_name for s in staff] == ["Psychologist A", "Psychologist B"]
    done = world.register()
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError):
        form_mobile_group(
            session,
            actor="specialist1",
            request_id=done.id,
            staff_ids=[world.non_mobile_staff_id],
        )
    with world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        form_mobile_group(session, actor="operator1", request_id=done.id, staff_ids=world.staff_ids)


def test_group_visit_and_plan_open_the_childs_case(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id)
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session:
        visit = plan_visit(
            session, actor="specialist1", group_id=group_id, planned_at=NOW + timedelta(hours=1)
        )
        assert visit.education_organization_id == world.school_id
        assert all(s.busy for s in available_core_staff(session, actor="specialist1"))
    departed, arrived = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
    with world.bench.sessions.begin() as session:
        log_visit(
            session, actor="specialist1", visit_id=visit.id, departed_at=departed, now=arrived
        )
        with pytest.raises(IntakeValidationError):
            log_visit(
                session,
                actor="specialist1",
                visit_id=visit.id,
                arrived_at=departed - timedelta(minutes=1),
                now=arrived,
            )
        log_visit(
            session,
            actor="specialist1",
            visit_id=visit.id,
            arrived_at=arrived,
            findings="Conflict in class 8B",
            now=arrived,
        )
        with pytest.raises(ValidationError):
            log_visit(
                session, actor="specialist1", visit_id=visit.id, findings="again", now=arrived
            )
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session,
            actor="specialist1",
            group_id=group_id,
            now=arrived,
            items=[
                ITEM,
                PlanItemDraft(
                    kind="parent_work",
                    responsible="Psychologist B",
                    due_on=date(2026, 4, 1),
                    individual=False,
                    remote=True,
                ),
            ],
        )
    assert plan.case_status == "open" and len(plan.items) == 2
    with world.bench.sessions() as session:
        case = session.get(Case, plan.case_id)
        assert case is not None and case.child_id == done.child_id
        assert case.opened_from_request_id == done.id
        history = session.scalars(select(CaseStatusChange)).all()
        assert [(h.from_status, h.to_status) for h in history] == [(None, "open")]
        remote = session.scalars(select(SupportPlanItem).where(SupportPlanItem.form_remote)).one()
        assert remote.kind == "parent_work" and not remote.form_individual
        request = session.get(Request, done.id)
        assert request is not None and request.status == "in_work"
        (group,) = groups_for_request(session, actor="operator1", request_id=done.id)
        assert group.visits[0].findings == "Conflict in class 8B"


def test_second_plan_updates_the_open_case(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id)
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session:
        first = draw_up_support_plan(
            session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )
        second = draw_up_support_plan(
            session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )
    assert first.case_id == second.case_id
    with world.bench.sessions() as session:
        history = session.scalars(select(CaseStatusChange).order_by(CaseStatusChange.id)).all()
        assert [(h.from_status, h.to_status) for h in history] == [(None, "open"), ("open", "open")]


def test_child_with_special_needs_needs_accommodations_on_every_item(world: IntakeWorld) -> None:
    draft = world.draft(child=ChildDraft(iin=iin_for(BOY_14, serial=9), special_needs=True))
    done = world.register(draft)
    world.consent(done.child_id)
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError) as caught:
        draw_up_support_plan(session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW)
    assert caught.value.field == "sen_accommodation" and "26" in caught.value.localized("kk")
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session,
            actor="specialist1",
            group_id=group_id,
            now=NOW,
            items=[
                PlanItemDraft(
                    "consultation",
                    "Psychologist A",
                    date(2026, 3, 25),
                    sen_accommodation="Sign language interpreter",
                )
            ],
        )
    assert plan.items[0].sen_accommodation == "Sign language interpreter"


@pytest.mark.parametrize(
    "item",
    [
        PlanItemDraft(kind="magic", responsible="A", due_on=date(2026, 3, 25)),
        PlanItemDraft(kind="consultation", responsible=" ", due_on=date(2026, 3, 25)),
        PlanItemDraft(kind="consultation", responsible="A", due_on=date(2026, 3, 17)),
    ],
)
def test_bad_plan_items_are_refused(world: IntakeWorld, item: PlanItemDraft) -> None:
    done = world.register()
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError):
        draw_up_support_plan(session, actor="specialist1", group_id=group_id, items=[item], now=NOW)


def test_plan_needs_a_child(world: IntakeWorld) -> None:
    done = world.register(world.draft(child=None))
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError):
        draw_up_support_plan(session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW)


def test_plan_for_a_child_under_16_checks_consent_like_any_service(world: IntakeWorld) -> None:
    """Rule 15: a support plan is a service; without consent (and no direct threat) it waits."""
    done = world.register()
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session, pytest.raises(ServiceRefusedError) as caught:
        draw_up_support_plan(session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW)
    assert "15" in caught.value.localized("kk") and "14" in caught.value.localized("ru")
    with world.bench.sessions() as session:
        assert session.scalars(select(Case)).all() == []
    world.consent(done.child_id)
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )
    assert plan.basis == "consent"


def test_plan_on_an_open_direct_threat_is_given_under_the_waiver(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session:
        plan = draw_up_support_plan(
            session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW
        )
    assert plan.basis == "direct_threat"


def test_group_includes_specialists_of_other_bodies_with_translated_titles(
    world: IntakeWorld,
) -> None:
    done = world.register()
    guest = ExternalMember("Serik Amanov", "District police department", "juvenile_inspector")
    with world.bench.sessions.begin() as session:
        group = form_mobile_group(
            session,
            actor="specialist1",
            request_id=done.id,
            staff_ids=world.staff_ids[:1],
            leader_id=world.staff_ids[0],
            external=[guest],
        )
    center, police = group.members
    assert (center.organization, center.position, center.role) == (None, "psychologist", "leader")
    assert (police.staff_id, police.full_name, police.organization) == (
        None,
        "Serik Amanov",
        "District police department",
    )
    assert catalog("ru")[EXTERNAL_POSITIONS[police.position]].startswith("инспектор по делам")
    assert catalog("kk")[GROUP_ROLES[center.role]] == "топ жетекшісі"
    with world.bench.sessions.begin() as session, pytest.raises(IntakeValidationError) as caught:
        form_mobile_group(
            session,
            actor="specialist1",
            request_id=done.id,
            staff_ids=world.staff_ids[:1],
            external=[ExternalMember(" ", "Police", "wizard")],
        )
    assert caught.value.field in {"external_name", "external_position"}


def test_plan_items_are_marked_done_with_the_day_and_who(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id)
    group_id = _form(world, done.id)
    with world.bench.sessions.begin() as session:
        draw_up_support_plan(session, actor="specialist1", group_id=group_id, items=[ITEM], now=NOW)
    with world.bench.sessions() as session:
        (item,) = plan_items_for_request(session, actor="operator1", request_id=done.id)
    assert (item.status, item.done_on, item.done_by) == ("planned", None, None)
    later = NOW + timedelta(days=2)
    with world.bench.sessions.begin() as session:
        marked = mark_plan_item_done(session, actor="supervisor1", item_id=item.id, now=later)
    assert (marked.status, marked.done_on, marked.done_by) == ("done", date(2026, 3, 20), "supervisor1")
    with world.bench.sessions.begin() as session, pytest.raises(ValidationError) as again:
        mark_plan_item_done(session, actor="specialist1", item_id=item.id, now=later)
    assert "supervisor1" in again.value.localized("kk")
    with world.bench.sessions.begin() as session, pytest.raises(PermissionDeniedError):
        mark_plan_item_done(session, actor="operator1", item_id=item.id, now=later)
