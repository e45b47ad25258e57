"""Registering requests (Rules 12, 13, 15, 16, 18, 22) on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.iin import InvalidIinError
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.errors import PcenterError, PermissionDeniedError
from pcenter_lib.models import (
    AuditEvent,
    Child,
    ChildIdentity,
    JournalCounter,
    Notification,
    Request,
)
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.intake import PossibleDuplicateError, RequestDraft, register_request
from tests.intake.world import BOY_14, GIRL_17, NOW, IntakeWorld, iin_for


def _count(world: IntakeWorld, model: type) -> int:
    with world.bench.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_registration_numbers_dates_and_requires_consent(world: IntakeWorld) -> None:
    first = world.register()
    second = world.register(world.draft(child=ChildDraft(iin=iin_for(GIRL_17, "female", 7))))
    assert (first.journal_number, second.journal_number) == ("2026/000001", "2026/000002")
    # Wednesday 18 March 2026: two working days after → Friday 20 March, end of day (Rule 16).
    assert first.due_at == datetime(2026, 3, 20, 23, 59, 59, tzinfo=KZ_TZ)
    assert first.consent_needed is True and not first.help_immediately
    assert second.consent_needed is False  # 17 years old: no consent needed (Rule 15)
    assert first.notifications == ()
    with world.bench.sessions() as session:
        request = session.get(Request, first.id)
        assert request is not None
        assert request.registered_by == "operator1"
        assert [c.concern for c in request.concerns] == ["bullying"]
        child = session.get(Child, first.child_id)
        assert child is not None and child.birth_on == BOY_14 and child.sex == "male"
        identity = session.get(ChildIdentity, child.id)
        assert identity is not None and b"Nurlan" not in identity.full_name_enc
        assert world.bench.cipher.decrypt(identity.full_name_enc) == "Nurlan Serikov"
        assert world.bench.cipher.decrypt(request.applicant_name_enc) == "Aliya Nurlanovna"
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "request"))
        assert list(actions) == ["create", "create"]
        assert session.get(JournalCounter, 2026).last_number == 2  # type: ignore[union-attr]


def test_request_received_friday_2359_before_nauryz_is_due_a_week_later(world: IntakeWorld) -> None:
    friday = datetime(2026, 3, 20, 23, 59, tzinfo=KZ_TZ)
    done = world.register(world.draft(received_at=friday), now=friday + timedelta(minutes=1))
    # 21–23 March Nauryz, 24–25 March transferred days off: Thursday 26 and Friday 27 count.
    assert done.due_at == datetime(2026, 3, 27, 23, 59, 59, tzinfo=KZ_TZ)


def test_direct_threat_for_14_year_old_owes_four_notifications_today(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True, concerns=("suicidal",)))
    assert done.due_at == datetime(2026, 3, 18, 23, 59, 59, tzinfo=KZ_TZ)
    assert done.help_immediately and done.consent_needed is False
    assert [n.recipient for n in done.notifications] == [
        "health",
        "police",
        "child_rights_body",
        "legal_representative",
    ]
    assert {n.due_at for n in done.notifications} == {done.due_at}
    assert all(n.state == "pending" for n in done.notifications)
    assert done.notifications[0].rule == "Rule 15, Rule 18"
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None
        assert request.threat_assessed_by == "operator1"
        assert request.threat_assessed_at == NOW


def test_direct_threat_for_17_year_old_does_not_notify_parents(world: IntakeWorld) -> None:
    draft = world.draft(
        source="minor_over_16",
        applicant_name=None,
        applicant_relation=None,
        child=ChildDraft(full_name="Aru", iin=iin_for(GIRL_17, "female", 3)),
        direct_threat=True,
    )
    done = world.register(draft)
    assert {n.recipient for n in done.notifications} == {"health", "police", "child_rights_body"}


def test_mass_media_report_about_unknown_child_notifies_everybody(world: IntakeWorld) -> None:
    draft = world.draft(
        source="mass_media",
        channel="official_platform",
        applicant_name=None,
        applicant_relation=None,
        child=None,
        direct_threat=True,
    )
    done = world.register(draft)
    assert done.child_id is None and done.consent_needed is None
    assert len(done.notifications) == 4  # age unknown: the legal representative too


def test_minor_under_16_may_not_apply_personally(world: IntakeWorld) -> None:
    draft = world.draft(source="minor_over_16", applicant_name=None, applicant_relation=None)
    with pytest.raises(IntakeValidationError) as caught:
        world.register(draft)
    assert caught.value.field == "source"
    assert "16" in caught.value.localized("ru") and "14" in caught.value.localized("kk")
    assert _count(world, Request) == 0


def test_duplicate_is_shown_before_saving_and_can_be_confirmed(world: IntakeWorld) -> None:
    first = world.register()
    audit_before = _count(world, AuditEvent)
    with pytest.raises(PossibleDuplicateError) as caught:
        world.register()
    assert [d.journal_number for d in caught.value.duplicates] == [first.journal_number]
    assert first.journal_number in caught.value.localized("kk")
    assert _count(world, Request) == 1 and _count(world, AuditEvent) == audit_before
    again = world.register(replace(world.draft(), confirm_duplicate=True))
    assert again.journal_number == "2026/000002" and again.child_id == first.child_id
    assert _count(world, Child) == 1


def test_received_time_within_clock_skew_is_accepted(world: IntakeWorld) -> None:
    done = world.register(world.draft(received_at=NOW + timedelta(minutes=4)))
    assert done.received_at == NOW + timedelta(minutes=4)


BAD_DRAFTS = {
    "invalid IIN": (
        lambda w: w.draft(child=ChildDraft(full_name="X", iin="111111111111")),
        InvalidIinError,
        None,
    ),
    "received in the future": (
        lambda w: w.draft(received_at=NOW + timedelta(minutes=6)),
        IntakeValidationError,
        "received_at",
    ),
    "birth date after the request": (
        lambda w: w.draft(
            child=ChildDraft(full_name="X", birth_date=date(2026, 3, 19), sex="male")
        ),
        IntakeValidationError,
        "birth_date",
    ),
    "IIN and typed birth date disagree": (
        lambda w: w.draft(child=ChildDraft(iin=iin_for(BOY_14), birth_date=date(2011, 9, 2))),
        IntakeValidationError,
        "birth_date",
    ),
    "missing channel": (lambda w: w.draft(channel=None), IntakeValidationError, "channel"),
    "unknown channel": (lambda w: w.draft(channel="pigeon"), IntakeValidationError, "channel"),
    "missing source": (lambda w: w.draft(source=""), IntakeValidationError, "source"),
    "description too long": (
        lambda w: w.draft(description="x" * 4001),
        IntakeValidationError,
        "description",
    ),
    "applicant name too long": (
        lambda w: w.draft(applicant_name="A" * 201),
        IntakeValidationError,
        "applicant_name",
    ),
    "teacher without a name": (
        lambda w: w.draft(source="teacher", applicant_name=" "),
        IntakeValidationError,
        "applicant_name",
    ),
    "unknown concern": (
        lambda w: w.draft(concerns=("boredom",)),
        IntakeValidationError,
        "concerns",
    ),
    "naive received time": (
        lambda w: w.draft(received_at=datetime(2026, 3, 18, 9)),  # noqa: DTZ001 - the bad input
        IntakeValidationError,
        "received_at",
    ),
}


@pytest.mark.parametrize("case", list(BAD_DRAFTS))
def test_bad_input_is_refused_in_the_users_language_and_writes_nothing(
    world: IntakeWorld, case: str
) -> None:
    make, error_type, field = BAD_DRAFTS[case]
    audit_before = _count(world, AuditEvent)
    with pytest.raises(error_type) as caught:
        world.register(make(world))
    error = caught.value
    assert isinstance(error, PcenterError)
    if field is not None:
        assert getattr(error, "field", None) == field
    english = error.localized("en")
    for lang in ("kk", "ru"):
        text = error.localized(lang)
        assert text and text != english, f"{case}: no {lang} translation of {error.msgid!r}"
    assert _count(world, Request) == 0
    assert _count(world, Child) == 0
    assert _count(world, Notification) == 0
    assert _count(world, JournalCounter) == 0
    assert _count(world, AuditEvent) == audit_before


def test_roles_without_intake_may_not_register(world: IntakeWorld) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        world.register(actor="methodologist1")
    assert caught.value.localized("ru") != str(caught.value)
    with pytest.raises(PermissionDeniedError):
        world.register(actor="nobody")


def test_concurrent_registrations_get_sequential_numbers(world: IntakeWorld) -> None:
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def register(index: int) -> None:
        draft = RequestDraft(
            received_at=NOW - timedelta(hours=1),
            channel="phone",
            source="helpline_111",
            description=f"call {index}",
        )
        try:
            start.wait()
            with world.bench.sessions.begin() as session:
                done = register_request(
                    session, actor="operator1", cipher=world.bench.cipher, draft=draft, now=NOW
                )
            results.append(done.journal_number)
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [f"2026/{n:06d}" for n in range(1, 7)]
