"""Registering requests (Rules 12, 13, 15, 16, 18, 22) on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.field_errors import IntakeValidationErrors
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
from pcenter_lib.services.intake import (
    PossibleDuplicateChildError,
    PossibleDuplicateError,
    RequestDraft,
    register_request,
)
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


def test_direct_threat_for_14_year_old_owes_five_notifications_within_the_hour(
    world: IntakeWorld,
) -> None:
    done = world.register(world.draft(direct_threat=True, concerns=("suicidal",)))
    assert done.due_at == datetime(2026, 3, 18, 23, 59, 59, tzinfo=KZ_TZ)  # Rule 16: that day
    assert done.help_immediately and done.consent_needed is False
    assert [n.recipient for n in done.notifications] == [
        "health",
        "police",
        "local_executive_body",
        "child_rights_body",
        "legal_representative",
    ]
    # Rules 18, 22: "immediately" — 60 minutes after registration, not "by 23:59".
    assert {n.due_at for n in done.notifications} == {NOW + timedelta(minutes=60)}
    assert {n.owed_at for n in done.notifications} == {NOW}
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
    assert {n.recipient for n in done.notifications} == {
        "health",
        "police",
        "local_executive_body",
        "child_rights_body",
    }


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
    assert len(done.notifications) == 5  # age unknown: the legal representative too


@pytest.mark.parametrize("typed_source", ["minor_over_16", "minor_personal_appeal"])
def test_personal_appeal_of_a_child_under_16_is_registered_and_waits_for_consent(
    world: IntakeWorld, typed_source: str
) -> None:
    """Rule 13: every request is registered; Rule 15: services then need consent."""
    draft = world.draft(source=typed_source, applicant_name=None, applicant_relation=None)
    done = world.register(draft)
    assert done.source == "minor_personal_appeal"
    assert done.consent_needed is True and not done.help_immediately
    assert done.notifications == ()
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None
        assert (request.source, request.applicant_relation) == ("minor_personal_appeal", "self")


def test_personal_appeal_of_a_15_year_old_with_a_direct_threat_starts_the_same_day_path(
    world: IntakeWorld,
) -> None:
    fifteen = date(2010, 12, 1)
    draft = world.draft(
        source="minor_personal_appeal",
        channel="messenger",
        applicant_name=None,
        applicant_relation=None,
        child=ChildDraft(full_name="Aruzhan Bekova", iin=iin_for(fifteen, "female", 5)),
        concerns=("suicidal",),
        direct_threat=True,
    )
    done = world.register(draft)
    assert done.source == "minor_personal_appeal"
    assert done.help_immediately and done.consent_needed is False  # Rule 15: help at once
    assert done.due_at == datetime(2026, 3, 18, 23, 59, 59, tzinfo=KZ_TZ)  # Rule 16
    assert "legal_representative" in {n.recipient for n in done.notifications}
    assert {n.due_at for n in done.notifications} == {NOW + timedelta(minutes=60)}


def test_a_child_who_turned_16_applies_personally(world: IntakeWorld) -> None:
    draft = world.draft(
        source="minor_personal_appeal",
        applicant_name=None,
        applicant_relation=None,
        child=ChildDraft(full_name="Aru", iin=iin_for(GIRL_17, "female", 8)),
    )
    assert world.register(draft).source == "minor_over_16"


def test_notification_minutes_are_the_centers_setting(world: IntakeWorld) -> None:
    with world.bench.sessions.begin() as session:
        done = register_request(
            session,
            actor="operator1",
            cipher=world.bench.cipher,
            draft=world.draft(direct_threat=True),
            notify_minutes=15,
            now=NOW,
        )
    assert {n.due_at for n in done.notifications} == {NOW + timedelta(minutes=15)}


@pytest.mark.parametrize("source", ["helpline_111", "legal_representative", "teacher"])
def test_anonymous_applicant_is_registered_as_anonymous(world: IntakeWorld, source: str) -> None:
    draft = world.draft(
        source=source,
        applicant_name=None,
        applicant_relation=None,
        applicant_anonymous=True,
        child=None,
    )
    done = world.register(draft)
    assert done.applicant_anonymous
    with world.bench.sessions() as session:
        request = session.get(Request, done.id)
        assert request is not None and request.applicant_anonymous
        assert request.applicant_name_enc is None


def test_unknown_child_is_attached_as_a_provisional_record(world: IntakeWorld) -> None:
    draft = world.draft(
        child=ChildDraft(
            full_name="Aigerim", approx_age=13, grade=7, education_organization_id=world.school_id
        )
    )
    done = world.register(draft)
    assert done.provisional_child and done.child_id is not None
    assert done.consent_needed is None  # age not established: checked when completed
    with world.bench.sessions() as session:
        child = session.get(Child, done.child_id)
        assert child is not None and child.provisional
        assert (child.birth_on, child.sex, child.approx_age, child.grade) == (None, None, 13, 7)


def test_provisional_child_needs_a_name_and_an_age_or_grade(world: IntakeWorld) -> None:
    with pytest.raises(IntakeValidationErrors) as caught:
        world.register(world.draft(child=ChildDraft(education_organization_id=world.school_id)))
    assert {e.field for e in caught.value.errors} == {"child_name", "approx_age"}
    assert _count(world, Child) == 0


def test_every_wrong_field_is_reported_at_once_in_the_users_language(world: IntakeWorld) -> None:
    draft = world.draft(
        channel=None,
        source=None,
        concerns=(),
        description="x" * 4001,
        child=ChildDraft(full_name="X", iin="111111111111"),
    )
    with pytest.raises(IntakeValidationErrors) as caught:
        world.register(draft)
    fields = caught.value.by_field("kk")
    assert set(fields) == {"channel", "source", "concerns", "description", "iin"}
    russian = caught.value.by_field("ru")
    assert "Выберите канал" in russian["channel"][0]
    assert all(text != caught.value.by_field("en")[f] for f, text in russian.items())
    assert _count(world, Request) == 0 and _count(world, Child) == 0


def test_a_second_record_of_the_same_child_is_noticed_before_it_is_made(
    world: IntakeWorld,
) -> None:
    typed = ChildDraft(full_name="Dana Seitova", birth_date=date(2012, 4, 2), sex="female")
    first = world.register(world.draft(child=typed))
    again = replace(typed, full_name="seitova  DANA")  # same words, other order and case
    with pytest.raises(PossibleDuplicateChildError) as caught:
        world.register(world.draft(child=again, received_at=NOW))
    (match,) = caught.value.matches
    assert match.child_id == first.child_id and match.birth_on == date(2012, 4, 2)
    assert match.education_organization_id is None and match.full_name == "Dana Seitova"
    assert _count(world, Child) == 1 and _count(world, Request) == 1
    confirmed = world.register(
        world.draft(child=again, received_at=NOW, confirm_new_child=True)
    )
    assert confirmed.child_id != first.child_id and _count(world, Child) == 2


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
        IntakeValidationError,
        "iin",
    ),
    "no concern": (lambda w: w.draft(concerns=()), IntakeValidationError, "concerns"),
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
    if case == "invalid IIN":  # the IIN's own message, shown beside the IIN field
        assert isinstance(error.__cause__, InvalidIinError)
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
            concerns=("psycho_emotional",),
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
