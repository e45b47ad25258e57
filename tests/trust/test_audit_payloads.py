"""Audit payloads never hold identity data (Rule 14; the trail can never be erased).

The attack: a journal export's audit event stored its search text, so IINs and surnames sat in
clear in the one table nothing may delete. This test builds the demo region, runs the flows of
every app — registration, searches by name and IIN, corrections, consents, the direct-threat
path, mobile groups and plans, the journal export (searched by IIN and by name, with identity),
a screening import with IINs, the diagnostics and staffing exports, and the intake corrections:
a provisional child of an anonymous call completed and merged (with a reason that names the
child), a critical answer's same-day review, other bodies notified, the waiver's help and its
closing, a plan item done — then reads every name, IIN, address and contact stored (decrypted)
and looks for each in every audit event.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from pcenter_lib.demo import build_demo_region
from pcenter_lib.demo.scales import REFERENCE_MOMENT
from pcenter_lib.diagnostics.view_tables import ViewChoice
from pcenter_lib.domain.iin import make_iin, parse_iin
from pcenter_lib.models import (
    AuditEvent,
    Child,
    ChildIdentity,
    Consent,
    EducationOrganization,
    LegalRepresentative,
    Request,
    StaffMember,
)
from pcenter_lib.services.amendments import amend_request, record_consideration
from pcenter_lib.services.child_records import (
    ChildCompletion,
    complete_child_record,
    merge_children,
)
from pcenter_lib.services.child_search import find_children, identity_matches
from pcenter_lib.services.children import ChildDraft, show_child_identity
from pcenter_lib.services.consent_records import (
    list_consents,
    record_consent,
    record_help,
    withdraw_consent,
)
from pcenter_lib.services.diagnostics import import_round
from pcenter_lib.services.direct_threat import close_direct_threat, mark_direct_threat
from pcenter_lib.services.intake import RequestDraft, register_request
from pcenter_lib.services.journal import JournalFilter
from pcenter_lib.services.journal_export import export_journal_xlsx
from pcenter_lib.services.mobile_groups import (
    ExternalMember,
    form_mobile_group,
    log_visit,
    plan_visit,
)
from pcenter_lib.services.notifications import (
    add_notification_body,
    list_notifications,
    record_notification_confirmed,
    record_notification_sent,
)
from pcenter_lib.services.request_records import get_request
from pcenter_lib.services.screening_exports import export_screening_views
from pcenter_lib.services.screening_review import record_review_decision
from pcenter_lib.services.staffing_exports import export_proposal
from pcenter_lib.services.support_plans import (
    PlanItemDraft,
    draw_up_support_plan,
    mark_plan_item_done,
    plan_items_for_request,
)
from pcenter_lib.services.users import first_user_with_role
from pcenter_lib.workbench import Workbench
from tests.diagnostics.fixtures import csv_upload, phq_row
from tests.staffing.test_staffing_exports import conflicted_result

NOW = REFERENCE_MOMENT + timedelta(days=3)
CHILD = "Әлімжанов Ерасыл Бауыржанұлы"
APPLICANT = "Әлімжанова Сәуле"
PROVISIONAL = "Нұрикжан Төлеуова"  # as a caller said it on the phone
COMPLETED = "Нұрила Төлеуова Асқарқызы"
NEW_IIN = make_iin(date(2013, 4, 9), "male", 77)


def _sex(iin: str) -> str:
    return "м" if parse_iin(iin).sex == "male" else "ж"


def _user(bench: Workbench, role: str) -> str:
    with bench.sessions() as session:
        user = first_user_with_role(session, role)
    assert user is not None, role
    return user.username


def _run_the_apps(bench: Workbench) -> None:
    operator, specialist = _user(bench, "intake_operator"), _user(bench, "specialist")
    supervisor, methodologist = _user(bench, "supervisor"), _user(bench, "methodologist")
    manager, cipher = _user(bench, "manager"), bench.cipher
    with bench.sessions.begin() as session:
        school = session.scalars(select(EducationOrganization.id)).first()
        staff = session.scalars(select(StaffMember.id).where(StaffMember.is_mobile_group)).first()
        known_iin = cipher.decrypt(
            session.scalars(select(ChildIdentity.iin_enc).where(ChildIdentity.iin_enc.is_not(None))).first()
        )
        made = register_request(
            session, actor=operator, cipher=cipher, now=NOW,
            draft=RequestDraft(
                received_at=NOW - timedelta(hours=1), channel="phone",
                source="legal_representative", applicant_name=APPLICANT,
                applicant_relation="mother", education_organization_id=school,
                child=ChildDraft(full_name=CHILD, iin=NEW_IIN, education_organization_id=school),
                concerns=("bullying",), description="Classmates mock the boy.",
            ),
        )
    surname = CHILD.split()[0]
    assert known_iin is not None and made.child_id is not None
    with bench.sessions.begin() as session:
        find_children(session, actor=supervisor, cipher=cipher, query=surname)
        find_children(session, actor=supervisor, cipher=cipher, query=NEW_IIN)
        identity_matches(session, actor=supervisor, cipher=cipher, text=known_iin)
        get_request(session, actor=supervisor, cipher=cipher, request_id=made.id, with_identity=True)
        show_child_identity(session, actor=supervisor, cipher=cipher, child_id=made.child_id)
        amend_request(
            session, actor=operator, cipher=cipher, request_id=made.id, expected_version=1,
            changes={"applicant_name": APPLICANT + " Нұрланқызы"}, reason="spelling", now=NOW,
        )
    with bench.sessions.begin() as session:
        version = session.get_one(Request, made.id).version
        record_consideration(
            session, actor=operator, request_id=made.id, expected_version=version,
            outcome="Consultation arranged", now=NOW,
        )
    with bench.sessions.begin() as session:
        version = session.get_one(Request, made.id).version
        mark_direct_threat(session, actor=specialist, request_id=made.id, expected_version=version, now=NOW)
        owed = list_notifications(session, actor=specialist, request_id=made.id).rows
        record_notification_sent(
            session, actor=specialist, notification_id=owed[0].id, channel="phone",
            recipient_detail="Duty officer", now=NOW,
        )
        record_notification_confirmed(
            session, actor=specialist, notification_id=owed[0].id, confirmation_ref="No. 12", now=NOW,
        )
        consent = record_consent(
            session, actor=operator, cipher=cipher, child_id=made.child_id, kind="written",
            given_by=APPLICANT, relation="mother", scope="consultations",
            given_at=NOW - timedelta(minutes=30), request_id=made.id, now=NOW,
        )
        list_consents(session, actor=supervisor, cipher=cipher, child_id=made.child_id)
        withdraw_consent(
            session, actor=operator, cipher=cipher, consent_id=consent.id, reason="moved", now=NOW
        )
        add_notification_body(
            session, actor=specialist, request_id=made.id, body_name="Аудандық әкімдік", now=NOW
        )
        record_help(
            session, actor=specialist, request_id=made.id, note="Crisis talk by phone", now=NOW
        )
        group = form_mobile_group(
            session, actor=specialist, request_id=made.id, staff_ids=[staff], leader_id=staff,
            external=[ExternalMember("Серікбаев Дәурен", "Аудандық полиция", "juvenile_inspector")],
        )
        visit = plan_visit(session, actor=specialist, group_id=group.id, planned_at=NOW)
        log_visit(session, actor=specialist, visit_id=visit.id, departed_at=NOW, now=NOW)
        draw_up_support_plan(
            session, actor=specialist, group_id=group.id, now=NOW,
            items=[PlanItemDraft("consultation", "Psychologist", NOW.date() + timedelta(days=7))],
        )
        (item,) = plan_items_for_request(session, actor=specialist, request_id=made.id)
        mark_plan_item_done(session, actor=specialist, item_id=item.id, now=NOW)
    with bench.sessions.begin() as session:
        close_direct_threat(
            session, actor=specialist, request_id=made.id,
            expected_version=session.get_one(Request, made.id).version,
            reason="The boy is safe at his aunt's", now=NOW,
        )
    _run_the_child_corrections(bench, school=school, into=made.child_id)
    for search in (NEW_IIN, surname, known_iin):
        with bench.sessions.begin() as session:
            export_journal_xlsx(
                session, actor=supervisor, cipher=cipher, flt=JournalFilter(search=search),
                lang="ru", with_identity=True, now=NOW,
            )
    upload = csv_upload(
        "phq9",
        [
            *(
                phq_row(f"S-{n}", [3] * 9, iin=iin, sex=_sex(iin))
                for n, iin in enumerate((known_iin, NEW_IIN))
            ),
            phq_row("S-9", [3] * 9, age=12, grade=6),  # a provisional child for this one
        ],
    )
    with bench.sessions.begin() as session:
        imported = import_round(
            session, actor=methodologist, cipher=cipher, data=upload, filename="school.csv",
            instrument="phq9", school_id=school, period="2026Q2", conducted_on=date(2026, 5, 20),
            now=NOW,
        )
    for critical, decision in zip(imported.requests, ("direct_threat", "no_direct_threat"), strict=False):
        with bench.sessions.begin() as session:
            record_review_decision(
                session, actor=specialist, request_id=critical.request_id,
                expected_version=session.get_one(Request, critical.request_id).version,
                decision=decision, reason="Spoke with the school psychologist", now=NOW,
            )
    with bench.sessions.begin() as session:
        export_screening_views(
            session, actor=methodologist, fmt="xlsx", lang="kk",
            choice=ViewChoice("phq9", "total", ("moderate", "moderately_severe", "severe")),
        )
        export_proposal(
            session, actor=manager, fmt="xlsx", lang="kk", result=conflicted_result(),
            center_name="Орталық", scenario_name="2027", year=2025,
        )


def _run_the_child_corrections(bench: Workbench, *, school: int | None, into: int) -> None:
    """An anonymous call about a child nobody can identify: a provisional record, searched by
    name, completed, then merged into the known child with a reason that names both."""
    operator, supervisor = _user(bench, "intake_operator"), _user(bench, "supervisor")
    cipher = bench.cipher
    with bench.sessions.begin() as session:
        made = register_request(
            session, actor=operator, cipher=cipher, now=NOW,
            draft=RequestDraft(
                received_at=NOW - timedelta(minutes=20), channel="phone", source="helpline_111",
                applicant_anonymous=True, education_organization_id=school,
                child=ChildDraft(full_name=PROVISIONAL, approx_age=11, education_organization_id=school),
                concerns=("bullying",), description="A caller worries about a girl in grade 5.",
            ),
        )
    assert made.child_id is not None and made.provisional_child
    with bench.sessions.begin() as session:
        for query in (PROVISIONAL, PROVISIONAL.split()[1], COMPLETED.split()[0]):
            find_children(session, actor=operator, cipher=cipher, query=query)
            identity_matches(session, actor=supervisor, cipher=cipher, text=query)
        complete_child_record(
            session, actor=operator, cipher=cipher, child_id=made.child_id,
            expected_version=session.get_one(Child, made.child_id).version,
            completion=ChildCompletion(full_name=COMPLETED),
        )
    with bench.sessions.begin() as session:
        merge_children(
            session, actor=supervisor, source_id=made.child_id, into_id=into,
            reason=f"The school says {COMPLETED} is {CHILD}",
            expected_version=session.get_one(Child, made.child_id).version, now=NOW,
        )


def _identity_values(bench: Workbench) -> set[str]:
    cipher, found = bench.cipher, set()
    with bench.sessions() as session:
        for row in session.scalars(select(ChildIdentity)):
            for token in (row.full_name_enc, row.iin_enc, row.address_enc, row.contacts_enc):
                found.add(cipher.decrypt(token) or "")
        for rep in session.scalars(select(LegalRepresentative)):
            found.update({cipher.decrypt(rep.full_name_enc) or "", cipher.decrypt(rep.contacts_enc) or ""})
        for token in session.scalars(select(Request.applicant_name_enc)):
            found.add(cipher.decrypt(token) or "")
        for token in session.scalars(select(Consent.given_by_enc)):
            found.add(cipher.decrypt(token) or "")
    names = {v for v in found if v}
    surnames = {v.split()[0] for v in names if not v[0].isdigit() and not v.startswith("+")}
    return {v.casefold() for v in names | {s for s in surnames if len(s) >= 5}}


def test_no_audit_payload_holds_a_name_or_an_iin(any_workbench: Workbench) -> None:
    build_demo_region(any_workbench, seed=264, scale="tiny", compliant=True)
    _run_the_apps(any_workbench)
    secrets = _identity_values(any_workbench)
    assert CHILD.casefold() in secrets and NEW_IIN in secrets and len(secrets) > 500
    assert COMPLETED.casefold() in secrets
    leaks = []
    with any_workbench.sessions() as session:
        events = list(session.scalars(select(AuditEvent)))
    assert {e.action for e in events} >= {
        "export", "view_identity", "search_identity", "import", "merge_children",
        "complete_child", "review_critical_answer", "close_direct_threat", "plan_item_done",
    }
    for event in events:
        text = json.dumps(
            [event.actor, event.entity_id, event.details], ensure_ascii=False, default=str
        ).casefold()
        leaks.extend((event.id, event.action, s) for s in secrets if s in text)
    assert leaks == []
