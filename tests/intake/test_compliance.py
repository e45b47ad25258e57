"""Compliance figures (Rules 13, 15, 16, 18, 22) with the records behind them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, event, select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.errors import PermissionDeniedError, ValidationError
from pcenter_lib.models import Notification, Request, RequestConcern
from pcenter_lib.services.amendments import record_consideration
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.compliance import (
    ComplianceFigure,
    compliance_report,
    rule_15_consent_first,
)
from pcenter_lib.services.consent_records import record_consent, record_help
from pcenter_lib.services.intake import RequestDraft
from pcenter_lib.services.notifications import record_notification_sent
from tests.intake.world import BOY_14, NOW, IntakeWorld, iin_for

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _report(world: IntakeWorld, now: datetime) -> dict[str, ComplianceFigure]:
    with world.bench.sessions() as session:
        figures = compliance_report(
            session, actor="supervisor1", date_from=MARCH[0], date_to=MARCH[1], now=now
        )
    return {f.key: f for f in figures}


def _consider(world: IntakeWorld, request_id: int, at: datetime) -> None:
    with world.bench.sessions.begin() as session:
        record_consideration(
            session,
            actor="specialist1",
            request_id=request_id,
            expected_version=1,
            outcome="done",
            considered_at=at,
            now=at,
        )


def test_rule_16_share_considered_on_time(world: IntakeWorld) -> None:
    on_time = world.register()
    late = world.register(world.draft(child=None, received_at=NOW - timedelta(days=3)))
    world.register(world.draft(child=None))  # not considered, not yet due on the 19th: pending
    _consider(world, on_time.id, NOW + timedelta(hours=3))
    _consider(world, late.id, NOW + timedelta(hours=4))  # Sunday 15 → due Tuesday 17 March
    figure = _report(world, NOW + timedelta(days=1))["rule_16"]
    assert (figure.complying, figure.counted, figure.pending) == (1, 2, 1)
    assert figure.share == 0.5
    assert [(r.journal_number, r.ok) for r in figure.records] == [
        ("2026/000002", False),
        ("2026/000001", True),
    ]
    after = _report(world, datetime(2026, 3, 21, 0, 0, tzinfo=KZ_TZ))["rule_16"]
    assert (after.complying, after.counted, after.pending) == (1, 3, 0)


def _send(world: IntakeWorld, notification_id: int, at: datetime) -> None:
    with world.bench.sessions.begin() as session:
        record_notification_sent(
            session,
            actor="operator1",
            notification_id=notification_id,
            channel="phone",
            recipient_detail="duty officer",
            sent_at=at,
            now=at,
        )


def test_rules_18_and_22_notifications_sent_within_the_hour(world: IntakeWorld) -> None:
    good = world.register(world.draft(direct_threat=True))
    bad = world.register(world.draft(direct_threat=True, child=None))
    for n in good.notifications:
        _send(world, n.id, NOW + timedelta(minutes=40))
    police = next(n for n in bad.notifications if n.recipient == "police")
    _send(world, police.id, NOW + timedelta(minutes=30))
    within = _report(world, NOW + timedelta(minutes=45))
    assert (within["rule_18"].counted, within["rule_18"].pending) == (1, 1)
    # "By the end of the day" no longer counts: an hour and a minute later it is late.
    after = _report(world, NOW + timedelta(minutes=61))
    rule_18, rule_22 = after["rule_18"], after["rule_22"]
    assert (rule_18.complying, rule_18.counted) == (1, 2)
    assert (rule_22.complying, rule_22.counted) == (1, 2)
    failing = rule_18.records[0]
    assert failing.journal_number == bad.journal_number and not failing.ok
    assert failing.params["recipients"] == "health, local_executive_body"


def test_a_notice_sent_in_the_evening_is_late_though_the_same_day(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    for n in done.notifications:
        _send(world, n.id, NOW + timedelta(hours=8))
    figure = _report(world, NOW + timedelta(days=1))["rule_18"]
    assert (figure.complying, figure.counted) == (0, 1)


def test_rule_15_consent_before_the_first_service(world: IntakeWorld) -> None:
    with_consent = world.register()
    assert with_consent.child_id is not None
    with world.bench.sessions.begin() as session:
        record_consent(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            child_id=with_consent.child_id,
            kind="informed",
            given_by="Mother",
            relation="mother",
            scope="all",
            given_at=NOW,
            now=NOW,
        )
        record_help(
            session,
            actor="specialist1",
            request_id=with_consent.id,
            note="talk",
            now=NOW + timedelta(hours=1),
        )
    figure = _report(world, NOW + timedelta(days=1))["rule_15_consent"]
    assert (figure.complying, figure.counted) == (1, 1)


def test_rule_13_finds_gaps_in_numbering(world: IntakeWorld) -> None:
    for _ in range(3):
        world.register(
            RequestDraft(
                received_at=NOW, channel="phone", source="helpline_111", concerns=("crisis",)
            )
        )
    assert _report(world, NOW)["rule_13"].share == 1.0
    with world.bench.sessions.begin() as session:
        session.execute(delete(Notification))
        session.execute(delete(RequestConcern).where(RequestConcern.request_id == 2))
        session.execute(delete(Request).where(Request.journal_seq == 2))
    figure = _report(world, NOW)["rule_13"]
    assert (figure.complying, figure.counted) == (2, 3)
    assert [r.journal_number for r in figure.records] == ["2026/000002"]


def test_compliance_needs_a_role_and_a_real_period(world: IntakeWorld) -> None:
    with world.bench.sessions() as session:
        with pytest.raises(PermissionDeniedError):
            compliance_report(session, actor="operator1", date_from=MARCH[0], date_to=MARCH[1])
        with pytest.raises(ValidationError):
            compliance_report(session, actor="supervisor1", date_from=MARCH[1], date_to=MARCH[0])


GIVEN_NAMES = ("Айдос", "Бекзат", "Дархан", "Ерлан", "Жандос", "Нұрлан", "Серік", "Тимур")


def _children_with_help(world: IntakeWorld, first: int, count: int, consent_every: int) -> None:
    """``count`` requests about different 14-year-olds; every ``consent_every``-th child has a
    consent and is helped an hour after NOW, the others wait for a consent (Rule 15)."""
    for k in range(first, first + count):
        child = ChildDraft(
            full_name=f"Серіков {GIVEN_NAMES[k - 1]}",
            iin=iin_for(BOY_14, serial=k),
            education_organization_id=world.school_id,
        )
        registered = world.register(world.draft(child=child))
        if k % consent_every:
            continue
        world.consent(registered.child_id)
        with world.bench.sessions.begin() as session:
            record_help(
                session, actor="specialist1", request_id=registered.id, note="talk",
                now=NOW + timedelta(hours=1),
            )


def test_rule_15_reads_a_period_in_the_same_few_queries_whatever_its_size(
    world: IntakeWorld,
) -> None:
    """A region's quarter holds thousands of requests: the figure must not ask the database
    again for each one (it did: three queries per request)."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    figures: list[ComplianceFigure] = []
    counts: list[tuple[int, int, int, int]] = []
    for first, size in ((1, 2), (3, 6)):
        _children_with_help(world, first, size, consent_every=2)
        with world.bench.sessions() as session:
            requests = list(session.scalars(select(Request).order_by(Request.id)))
            event.listen(world.bench.engine, "before_cursor_execute", count)
            try:
                statements.clear()
                figures.append(rule_15_consent_first(session, requests))
                used = len(statements)
            finally:
                event.remove(world.bench.engine, "before_cursor_execute", count)
        counts.append((figures[-1].complying, figures[-1].counted, figures[-1].pending, used))
    (*small, small_queries), (*large, large_queries) = counts
    assert small == [1, 1, 1]  # child 2 helped with a consent; child 1 waits for one
    assert large == [4, 4, 4]  # children 2, 4, 6, 8 helped; 1, 3, 5, 7 wait
    assert large_queries == small_queries
