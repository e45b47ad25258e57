"""The models on SQLite and PostgreSQL: every aggregate stored and read back, aware datetimes,
encrypted identity fields, optimistic locking and the journal number constraint."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from pcenter_lib.models import (
    AuditChainHead,
    AuditEvent,
    Base,
    CalendarOverride,
    Case,
    CaseStatusChange,
    Center,
    Child,
    ChildIdentity,
    ChildNameToken,
    Consent,
    Consultation,
    CrisisEvent,
    District,
    DocumentationReview,
    EducationOrganization,
    Instrument,
    IntervisionExport,
    IntervisionMaterial,
    IntervisionMaterialEdit,
    IntervisionParticipant,
    IntervisionPhaseNote,
    IntervisionSeries,
    IntervisionSeriesMember,
    IntervisionSession,
    JournalCounter,
    KeyBinding,
    LegalRepresentative,
    MobileGroup,
    MobileGroupMember,
    Notification,
    PpssStudy,
    PriorityOverride,
    Recommendation,
    Region,
    Report,
    Request,
    RequestAmendment,
    RequestConcern,
    RiskAssessment,
    RiskModelVersion,
    ScreeningResult,
    ScreeningRound,
    StaffingScenario,
    StaffMember,
    SupervisionAddendum,
    SupervisionCase,
    SupervisionSession,
    SupervisionTask,
    SupportPlan,
    SupportPlanItem,
    User,
    UserRole,
    Versioned,
    Visit,
    WorkPlan,
    WorkPlanEvent,
)
from pcenter_lib.models.base import NaiveDatetimeError
from pcenter_lib.models.demo import DemoGroundTruth
from pcenter_lib.privacy import IdentityCipher
from pcenter_lib.services.audit import record_event
from pcenter_lib.transactions import StaleRecordError
from pcenter_lib.workbench import Workbench

ASTANA = timezone(timedelta(hours=5))
RECEIVED = datetime(2026, 3, 5, 9, 30, 15, 123456, tzinfo=ASTANA)
CHILD_NAME = "Әлібек Нұрсұлтанұлы Қожахметов"
CHILD_IIN = "150304500123"
CHILD_ADDRESS = "Астана қ., Кенесары к-сі, 40"
PARENT_NAME = "Гүлнар Сапарқызы Қожахметова"
APPLICANT_NAME = "Мария Ивановна Петрова"
SECRETS = (CHILD_NAME, CHILD_IIN, CHILD_ADDRESS, PARENT_NAME, APPLICANT_NAME, "+7 701 555 12 34")


def _org(session: Session) -> EducationOrganization:
    region = Region(code="KZ-AST", name_kk="Астана", name_ru="Астана", name_en="Astana")
    district = District(
        region=region, code="AST-ESIL", name_kk="Есіл", name_ru="Есиль", name_en="Esil",
        is_urban=True,
    )
    school = EducationOrganization(
        district=district, bin="120340012345", name_kk="№ 12 мектеп-лицей",
        name_ru="Школа-лицей № 12", kind="school", is_urban=True, language="mixed",
        student_count=1480,
    )
    session.add_all([region, district, school])
    session.flush()
    return school


def _request(session: Session, cipher: IdentityCipher, *, seq: int, **extra: Any) -> Request:
    request = Request(
        journal_year=2026, journal_seq=seq, received_at=RECEIVED, registered_by="intake1",
        channel="phone", source="legal_representative",
        applicant_name_enc=cipher.encrypt(APPLICANT_NAME), applicant_relation="mother",
        description="Бала мектепке барудан бас тартады.", due_at=RECEIVED + timedelta(days=5),
        **extra,
    )
    session.add(request)
    session.flush()
    return request


def build_everything(session: Session, cipher: IdentityCipher) -> list[Base]:
    """One row of every model, linked as in real use; returns them all."""
    school = _org(session)
    center = Center(
        region_id=school.district.region_id, bin="990140000123",
        name_kk="Психологиялық қолдау орталығы", name_ru="Центр психологической поддержки",
        name_en="Psychological Support Center",
    )
    user = User(username="intake1", full_name="Айгүл Серікқызы", lang="kk")
    user.roles.append(UserRole(role="intake_operator", granted_by="system:test"))
    session.add_all([center, user])
    session.flush()
    staff = StaffMember(
        center_id=center.id, full_name="Айгүл Серікқызы", category="core",
        position="psychologist", fte=Decimal("0.75"), is_mobile_group=True, user_id=user.id,
    )
    child = Child(
        code=cipher.child_code(CHILD_IIN), birth_on=date(2015, 3, 4), sex="male",
        education_organization_id=school.id, grade=5, language="kk", special_needs=True,
    )
    session.add_all([staff, child])
    session.flush()
    identity = ChildIdentity(
        child_id=child.id, iin_index=cipher.blind_index(CHILD_IIN),
        surname_index=cipher.blind_index("Қожахметов"), full_name_enc=cipher.encrypt(CHILD_NAME),
        iin_enc=cipher.encrypt(CHILD_IIN), address_enc=cipher.encrypt(CHILD_ADDRESS),
        contacts_enc=cipher.encrypt("+7 701 555 12 34"),
    )
    token = ChildNameToken(child_id=child.id, token_index="0" * 32)
    parent = LegalRepresentative(
        child_id=child.id, relation="mother", full_name_enc=cipher.encrypt(PARENT_NAME),
        contacts_enc=cipher.encrypt("+7 701 555 12 34"),
    )
    counter = JournalCounter(year=2026, last_number=1)
    request = _request(
        session, cipher, seq=1, child_id=child.id, education_organization_id=school.id,
        direct_threat=True, threat_assessed_by="specialist1", threat_assessed_at=RECEIVED,
        origin="screening:1",
    )
    request.concerns.append(RequestConcern(concern="bullying"))
    amendment = RequestAmendment(
        request_id=request.id, amended_by="intake1", reason="typo in channel",
        changes={"channel": {"from": "email", "to": "phone"}},
    )
    consent = Consent(
        child_id=child.id, request_id=request.id, kind="written",
        given_by_enc=cipher.encrypt(PARENT_NAME), relation="mother", scope="diagnostics",
        given_at=RECEIVED, document_ref="№ 17", recorded_by="intake1",
    )
    notification = Notification(
        request_id=request.id, recipient="police", rule="18", due_at=RECEIVED + timedelta(hours=1),
        channel="phone", recipient_detail="102", sent_at=RECEIVED, sent_by="specialist1",
    )
    case = Case(child_id=child.id, opened_from_request_id=request.id, responsible="specialist1")
    session.add_all([identity, token, parent, counter, amendment, consent, notification, case])
    session.flush()
    case.history.append(
        CaseStatusChange(changed_by="specialist1", from_status=None, to_status="open", note="новое")
    )
    group = MobileGroup(request_id=request.id, formed_by="supervisor1")
    group.members.append(MobileGroupMember(staff_member_id=staff.id, role_in_group="leader"))
    session.add(group)
    session.flush()
    visit = Visit(
        mobile_group_id=group.id, education_organization_id=school.id,
        planned_at=RECEIVED + timedelta(days=1), departed_at=RECEIVED + timedelta(days=1),
        arrived_at=RECEIVED + timedelta(days=1, hours=1), findings="Сынып жетекшісімен сөйлестік.",
        recorded_by="specialist1",
    )
    plan = SupportPlan(case_id=case.id, mobile_group_id=group.id, created_by="specialist1")
    plan.items.append(
        SupportPlanItem(
            kind="consultation", form_remote=True, sen_accommodation="large print",
            responsible="specialist1", due_on=date(2026, 3, 20),
        )
    )
    consultation = Consultation(
        case_id=case.id, child_id=child.id, held_at=RECEIVED, specialist="specialist1",
        recipient="parent", topic="bullying", minutes=50,
    )
    risk = RiskAssessment(
        child_id=child.id, model_version="rules-1", score=0.82, band="high",
        reasons=["critical item", "recent request"], level="mandatory",
        mandatory_rules=["open_direct_threat"],
    )
    crisis = CrisisEvent(
        child_id=child.id, request_id=request.id, kind="suicide_attempt", occurred_at=RECEIVED,
        recorded_by="specialist1", note="Ауруханаға жеткізілді",
    )
    model = RiskModelVersion(
        model_version="risk-2026.12.01-1", trained_by="analyst1", skops_file=b"\x00skops",
        sha256="c" * 64, window_start_on=date(2024, 10, 1), window_end_on=date(2025, 6, 1),
        evaluation={"auc": 0.7}, card={"intended_use": "x"},
    )
    session.add_all([visit, plan, consultation, risk, crisis, model])
    session.flush()
    override = PriorityOverride(
        risk_assessment_id=risk.id, overridden_by="supervisor1", from_band="high",
        to_band="medium", reason="placed with relatives", child_id=child.id, direction="lower",
        reason_code="rule_does_not_apply", rules_set_aside=["violence_at_home"],
        rule_explanation="the child no longer lives with the person who used violence",
    )
    instrument = Instrument(code="sdq", version="2024.1", definition_sha256="a" * 64)
    report = Report(
        kind="analytical_note", period="2026Q1", lang="ru", filename="note.docx",
        sha256="b" * 64, content=b"\x00\x01binary", created_by="methodologist1",
    )
    session.add_all([override, instrument, report])
    session.flush()
    screening = ScreeningRound(
        education_organization_id=school.id, instrument_id=instrument.id, period="2026Q1",
        school_year="2025-2026", conducted_on=date(2026, 2, 10), imported_by="analyst1",
        source_filename="sdq.xlsx", content_sha256="c" * 64, result_count=1,
    )
    session.add(screening)
    session.flush()
    result = ScreeningResult(
        screening_round_id=screening.id, child_id=child.id, student_code="S-001", grade=5,
        age=11, sex="male", responses={"q1": 2, "q2": 0}, scores={"total": 17},
        total_score=17.0, band="high", critical=True,
    )
    study = PpssStudy(
        education_organization_id=school.id, quarter="2026Q1", mode="visit",
        studied_on=date(2026, 3, 1), studied_by="methodologist1",
        domain_scores={"diagnostics_done": 3}, report_id=report.id,
    )
    supervision = SupervisionSession(
        held_at=RECEIVED, supervisor="supervisor1", question="Риск?",
        follow_up=[{"task": "call", "who": "specialist1", "due_on": "2026-03-10"}],
        signed_at=RECEIVED, signed_by="supervisor1",
    )
    supervision.cases.append(
        SupervisionCase(
            case_id=case.id, child_id=child.id, presenter="specialist1", question="Қауіп?",
            template="signs_of_safety", formulation={"worried": "...", "safety_scale": 4},
            decision="Келісілді", status="submitted",
        )
    )
    series = IntervisionSeries(title="Топ", facilitator="Әдіскер", created_by="methodologist1")
    series.members.append(IntervisionSeriesMember(full_name="Айгүл Серікқызы", origin="center",
                                                  staff_member_id=staff.id))
    intervision = IntervisionSession(
        held_at=RECEIVED, facilitator="methodologist1", format="balint_group", series=series,
        participants=[IntervisionParticipant(full_name="Айгүл Серікқызы", origin="center",
                                             staff_member_id=staff.id, attended=True,
                                             credited_minutes=50),
                      IntervisionParticipant(full_name="Мектеп психологы", origin="school",
                                             education_organization_id=school.id)],
        phase_notes=[IntervisionPhaseNote(phase="questions", note="...")],
        materials=[IntervisionMaterial(case_id=case.id, title="Виньетка", language="kk",
                                       text="Бала 12–14 жаста.", drafted_by="methodologist1",
                                       edits=[IntervisionMaterialEdit(edited_by="methodologist1",
                                                                      text="Бала 12–14 жаста.")])],
    )
    review = DocumentationReview(
        education_organization_id=school.id, checklist="annual_plan", visited_on=date(2026, 3, 2),
        quarter="2026Q1", reviewed_by="methodologist1", answers={"a": "met"}, score_percent=100.0,
        critical_gaps=[],
    )
    scenario = StaffingScenario(
        center_id=center.id, name="base", created_by="manager1",
        parameters={"growth": 0.1}, result={"need": 24.5},
    )
    plan_of_work = WorkPlan(center_id=center.id, school_year="2026-2027", items=[{"n": 1}])
    override_day = CalendarOverride(
        day_on=date(2026, 1, 2), working=False, reason="transfer", changed_by="administrator1",
    )
    session.add_all([result, study, supervision, intervision, scenario, plan_of_work, override_day,
                     review])
    session.flush()
    export = IntervisionExport(
        intervision_session_id=intervision.id, exported_by="methodologist1", file_format="docx",
        language="kk", filename="pack.docx", sha256="0" * 64, size_bytes=10,
    )
    addendum = SupervisionAddendum(
        supervision_session_id=supervision.id, supervision_case_id=supervision.cases[0].id,
        added_by="supervisor1", reason="Жаңа дерек", text="Қосымша",
    )
    task = SupervisionTask(
        supervision_case_id=supervision.cases[0].id, child_id=child.id, description="Қоңырау",
        responsible="specialist1", due_on=date(2026, 3, 10), created_by="supervisor1",
    )
    truth = DemoGroundTruth(
        child_id=child.id, latent_risk=0.3, risk_tier="elevated", family_situation="divorce",
        escalated=True, escalated_at=RECEIVED + timedelta(days=30),
    )
    event_of_plan = WorkPlanEvent(
        work_plan_id=plan_of_work.id, direction="methodical", month="2026-10",
        title="Семинар для педагогов-психологов", responsible="Ержанова А. Б.",
        expected_result="70 участников", status="done", done_on=date(2026, 10, 14), note="",
    )
    recommendation = Recommendation(
        quarter="2026Q1", education_organization_id=school.id, addressee="Отдел образования",
        text="Вести журнал консультаций", study_id=study.id, written_by="methodologist1",
        sent_at=RECEIVED, sent_by="methodologist1", sent_ref="01-15/7",
        measures_taken="Журнал заведён", measures_at=RECEIVED + timedelta(days=20),
        measures_by="methodologist1",
    )
    session.add_all([addendum, truth, task, export, event_of_plan, recommendation])
    event = record_event(
        session, actor="intake1", action="create", entity="request", entity_id=request.id,
        details={"journal": request.journal_number},
    )
    session.flush()
    return [
        school, school.district, school.district.region, center, user, *user.roles, staff, child,
        identity, token, parent, counter, request, *request.concerns, amendment, consent, notification,
        case, *case.history, group, *group.members, visit, plan, *plan.items, consultation, risk,
        crisis, model,
        override, instrument, report, screening, result, study, supervision, *supervision.cases,
        intervision, series, *series.members, *intervision.participants, *intervision.phase_notes,
        *intervision.materials, *intervision.materials[0].edits, export, review,
        scenario, plan_of_work, override_day, addendum, task, truth, event_of_plan, recommendation, event,
        session.get_one(AuditChainHead, 1),
        session.get_one(KeyBinding, 1),  # written by init-db: the key's fingerprint
    ]


def _columns(obj: Base) -> dict[str, Any]:
    mapper = inspect(type(obj))
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


def _primary_key(obj: Base) -> tuple[Any, ...]:
    return tuple(inspect(obj).identity or ())


def test_every_aggregate_is_stored_and_read_back(any_workbench: Workbench) -> None:
    with any_workbench.sessions.begin() as session:
        objects = build_everything(session, any_workbench.cipher)
        written = {(type(o), _primary_key(o)): _columns(o) for o in objects}
    mapped = {m.class_ for m in Base.registry.mappers}
    assert {cls for cls, _ in written} == mapped, "build_everything must create every model"
    with any_workbench.sessions() as session:
        for (cls, key), columns in written.items():
            loaded = session.get(cls, key)
            assert loaded is not None, f"{cls.__name__} {key} not found"
            assert _columns(loaded) == columns, cls.__name__


def test_readback_through_relationships(any_workbench: Workbench) -> None:
    cipher = any_workbench.cipher
    with any_workbench.sessions.begin() as session:
        build_everything(session, cipher)
    with any_workbench.sessions() as session:
        request = session.scalars(select(Request)).one()
        assert request.journal_number == "2026/000001"
        assert [c.concern for c in request.concerns] == ["bullying"]
        assert request.amendments[0].changed_fields() == {"channel": {"from": "email", "to": "phone"}}
        assert request.child is not None and request.child.identity is not None
        assert cipher.decrypt(request.child.identity.full_name_enc) == CHILD_NAME
        assert cipher.decrypt(request.child.identity.iin_enc) == CHILD_IIN
        assert cipher.decrypt(request.applicant_name_enc) == APPLICANT_NAME
        found = session.scalars(
            select(ChildIdentity).where(ChildIdentity.iin_index == cipher.blind_index(CHILD_IIN))
        ).one()
        assert found.child.code == cipher.child_code(CHILD_IIN)
        user = session.scalars(select(User)).one()
        assert user.role_codes == ("intake_operator",)
        staff = session.scalars(select(StaffMember)).one()
        assert staff.fte == Decimal("0.75")
        assert staff.user is not None and staff.user.username == "intake1"
        case = session.scalars(select(Case)).one()
        assert [h.to_status for h in case.history] == ["open"]
        group = session.scalars(select(MobileGroup)).one()
        assert [m.role_in_group for m in group.members] == ["leader"]
        assert len(group.visits) == 1
        plan = session.scalars(select(SupportPlan)).one()
        assert plan.items[0].form_remote is True
        assert plan.items[0].due_on == date(2026, 3, 20)
        supervision = session.scalars(select(SupervisionSession)).one()
        assert [c.case_id for c in supervision.cases] == [case.id]
        assert [a.text for a in supervision.addenda] == ["Қосымша"]
        assert session.scalars(select(ScreeningRound)).one().instrument.code == "sdq"
        assert session.scalars(select(EducationOrganization)).one().district.region.code == "KZ-AST"
        assert session.scalars(select(Report)).one().content == b"\x00\x01binary"


def test_aware_datetimes_roundtrip_in_utc(any_workbench: Workbench) -> None:
    with any_workbench.sessions.begin() as session:
        _org(session)
        request_id = _request(session, any_workbench.cipher, seq=7).id
    with any_workbench.sessions() as session:
        request = session.get_one(Request, request_id)
        assert request.received_at == RECEIVED
        assert request.received_at.utcoffset() == timedelta(0)
        assert request.received_at == datetime(2026, 3, 5, 4, 30, 15, 123456, tzinfo=UTC)
        assert request.registered_at.tzinfo is not None
        assert abs(datetime.now(UTC) - request.registered_at) < timedelta(minutes=5)


def test_naive_datetime_is_refused(any_workbench: Workbench) -> None:
    with any_workbench.sessions() as session:
        _org(session)
        naive = RECEIVED.replace(tzinfo=None)
        session.add(
            Request(
                journal_year=2026, journal_seq=1, received_at=naive, registered_by="x",
                channel="phone", source="x", due_at=RECEIVED,
            )
        )
        with pytest.raises(StatementError) as caught:
            session.flush()
        assert isinstance(caught.value.orig, NaiveDatetimeError)
        session.rollback()
        assert session.scalar(select(Request.id)) is None


def _raw_rows(session: Session, table: str) -> list[bytes]:
    """Every value of every row of ``table`` as raw bytes, read without the models."""
    values: list[bytes] = []
    for row in session.execute(text(f"SELECT * FROM {table}")):
        for value in row:
            if isinstance(value, bytes | bytearray | memoryview):
                values.append(bytes(value))
            elif value is not None:
                values.append(str(value).encode())
    return values


def test_identity_fields_are_stored_encrypted(any_workbench: Workbench) -> None:
    with any_workbench.sessions.begin() as session:
        build_everything(session, any_workbench.cipher)
    with any_workbench.sessions() as session:
        for table in Base.metadata.tables:
            stored = b"\n".join(_raw_rows(session, table))
            for secret in SECRETS:
                assert secret.encode() not in stored, f"{secret!r} in clear in {table}"
        raw_name = session.execute(text("SELECT full_name_enc FROM child_identities")).scalar_one()
        assert any_workbench.cipher.decrypt(bytes(raw_name)) == CHILD_NAME


def test_sqlite_files_hold_no_identity_in_clear(workbench: Workbench, tmp_path: Path) -> None:
    with workbench.sessions.begin() as session:
        build_everything(session, workbench.cipher)
    workbench.engine.dispose()
    content = b"".join(p.read_bytes() for p in tmp_path.glob("pcenter.sqlite3*"))
    assert b"KZ-AST" in content  # the check reads the real data
    for secret in SECRETS:
        assert secret.encode() not in content


@pytest.mark.parametrize("model", [Request, Case])
def test_second_concurrent_edit_is_refused(any_workbench: Workbench, model: type[Base]) -> None:
    with any_workbench.sessions.begin() as session:
        build_everything(session, any_workbench.cipher)
    field = "outcome" if model is Request else "closure_reason"
    first, second = any_workbench.sessions(), any_workbench.sessions()
    try:
        mine = first.scalars(select(model)).one()
        theirs = second.scalars(select(model)).one()
        setattr(mine, field, "first edit")
        first.commit()
        setattr(theirs, field, "second edit")
        theirs.status = "closed"  # type: ignore[attr-defined]
        with pytest.raises(StaleRecordError) as caught:  # the project's conflict, not the driver's
            second.commit()
        second.rollback()
        conflict = caught.value
        assert (conflict.seen_version, conflict.current_version) == (1, 2)
        assert conflict.attempted[field] == "second edit"
        assert conflict.current[field] == "first edit"
        assert "version 1" in str(conflict) and "version 2" in str(conflict)
    finally:
        first.close()
        second.close()
    with any_workbench.sessions() as session:
        stored = session.scalars(select(model)).one()
        assert getattr(stored, field) == "first edit"
        assert stored.status == "open"  # type: ignore[attr-defined]
        assert stored.version == 2  # type: ignore[attr-defined]


def test_every_versioned_model_is_optimistically_locked() -> None:
    versioned = [m for m in Base.registry.mappers if issubclass(m.class_, Versioned)]
    assert len(versioned) >= 10
    for mapper in versioned:
        assert mapper.version_id_col is not None, mapper.class_.__name__
        assert mapper.version_id_col.name == "version"


def test_version_counts_up_with_each_save(any_workbench: Workbench) -> None:
    with any_workbench.sessions.begin() as session:
        build_everything(session, any_workbench.cipher)
    for expected, outcome in ((2, "a"), (3, "b")):
        with any_workbench.sessions.begin() as session:
            request = session.scalars(select(Request)).one()
            request.outcome = outcome
        assert request.version == expected


def test_journal_number_is_unique(any_workbench: Workbench) -> None:
    cipher = any_workbench.cipher
    with any_workbench.sessions.begin() as session:
        _org(session)
        _request(session, cipher, seq=1)
    with any_workbench.sessions() as session, pytest.raises(IntegrityError):
        _request(session, cipher, seq=1)
    with any_workbench.sessions.begin() as session:
        _request(session, cipher, seq=2)
        session.add(
            Request(
                journal_year=2027, journal_seq=1, received_at=RECEIVED, registered_by="x",
                channel="phone", source="x", due_at=RECEIVED,
            )
        )
    with any_workbench.sessions() as session:
        numbers = sorted(r.journal_number for r in session.scalars(select(Request)))
        assert numbers == ["2026/000001", "2026/000002", "2027/000001"]
        assert session.scalar(select(AuditEvent.id)) is None


def test_typed_text_limits_are_read_from_the_columns_that_keep_them() -> None:
    from sqlalchemy import String

    from pcenter_lib.services.text_fields import FIELD_COLUMNS, FIELD_LIMITS, column_limit

    assert FIELD_LIMITS["document_ref"] == 100  # Consent.document_ref is String(100)
    assert FIELD_LIMITS["description"] == 4000  # a Text column states its limit in info
    assert FIELD_LIMITS["reason"] == 1000, "a reason kept in three columns fits the smallest"
    assert FIELD_LIMITS["note"] == 2000
    for field, columns in FIELD_COLUMNS.items():
        for column in columns:
            if isinstance(column.type, String) and column.type.length:
                assert "max_length" not in column.info, f"{field}: the length is said twice"
            assert column_limit(column) >= FIELD_LIMITS[field], field
