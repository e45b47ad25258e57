"""The access table walked role by role: each service allows or refuses, each widget shows or hides.

For every role and every use case of ``domain.access.USE_CASES`` a service of that use case is
called as a user holding only that role: it must refuse (``PermissionDeniedError``) exactly when
the table says so — any other outcome (a missing record, a bad value) means the permission check
let the person through. Then the apps are built for the same user and the tab, button or app
card of the use case must be shown exactly when the table allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from pcenter_lib.diagnostics.view_tables import ViewChoice
from pcenter_lib.domain.access import APPS, ROLE_CODES, USE_CASES, UseCase
from pcenter_lib.domain.workload import ScenarioParameters
from pcenter_lib.errors import PcenterError, PermissionDeniedError
from pcenter_lib.models import Request
from pcenter_lib.services import (
    alerts,
    amendments,
    calendar_admin,
    child_records,
    children,
    compliance,
    consent_records,
    crisis_events,
    diagnostics,
    direct_threat,
    intake,
    intervision_sessions,
    journal,
    journal_export,
    mobile_groups,
    notifications,
    override_rates,
    ppss_studies,
    priority_queue,
    report_registry,
    risk_models,
    screening_data,
    screening_exports,
    screening_review,
    staffing,
    staffing_exports,
    staffing_scenarios,
    supervision_records,
    supervision_sessions,
    supervision_tasks,
    work_plans,
)
from pcenter_lib.services.case_file import open_case_file
from pcenter_lib.services.journal import JournalFilter
from pcenter_lib.services.ppss_studies import StudyDraft
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.staffing.seed import seed_center
from tests.widgets.conftest import PEOPLE
from tests.widgets.lookup import displayed_by_class, find_by_class
from widgets.diagnostics.app import DiagnosticsApp
from widgets.diagnostics.import_panel import ImportPanel
from widgets.diagnostics.results import ResultsPanel
from widgets.diagnostics.study_panel import StudyPanel
from widgets.home import build_home_app
from widgets.intake.app import IntakeApp
from widgets.intake.calendar import CalendarEditor
from widgets.intake.child import ChildRecordPanel
from widgets.intake.compliance import ComplianceView
from widgets.intake.consent import ConsentPanel
from widgets.intake.form import IntakeForm
from widgets.intake.journal import JournalTable
from widgets.intake.mobile import MobileGroupPanel
from widgets.intake.threat import DirectThreatPanel
from widgets.intervision.app import IntervisionApp
from widgets.reports.app import ReportsApp
from widgets.risk_model.app import RiskModelApp
from widgets.risk_model.evaluation import EvaluationPanel
from widgets.risk_model.publish import PublishPanel
from widgets.staffing.app import StaffingApp
from widgets.supervision.app import SupervisionApp
from widgets.supervision.case_file_panel import CaseFilePanel
from widgets.supervision.counts_panel import CountsPanel
from widgets.supervision.queue_panel import QueuePanel
from widgets.supervision.sessions_panel import SessionsPanel
from widgets.supervision.tasks_panel import TasksPanel

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
USER_OF = {roles[0]: username for username, _name, roles, _lang in PEOPLE if username != "retired1"}
Probe = Callable[[Session, str, Workbench], object]


def _result(workbench: Workbench) -> Any:
    from pcenter_lib.domain.workload import StaffTable, WorkloadBaseline, evaluate_scenario

    staff = StaffTable(10, {}, 15)
    return evaluate_scenario(WorkloadBaseline(2025, 247, {}, 1, 1), staff, ScenarioParameters())


# one service call per use case; arguments that do not exist are fine (the check comes first)
SERVICE_PROBES: dict[UseCase, Probe] = {
    UseCase.REGISTER_REQUEST: lambda s, a, w: intake.register_request(
        s, actor=a, cipher=w.cipher, draft=intake.RequestDraft(NOW, "phone", "teacher"), now=NOW
    ),
    UseCase.VIEW_JOURNAL: lambda s, a, w: journal.load_journal_frame(s, actor=a),
    UseCase.EXPORT_JOURNAL: lambda s, a, w: journal_export.export_journal_xlsx(
        s, actor=a, cipher=w.cipher, flt=JournalFilter(), lang="ru", now=NOW
    ),
    UseCase.AMEND_REQUEST: lambda s, a, w: amendments.record_consideration(
        s, actor=a, request_id=999, expected_version=1, outcome="x", now=NOW
    ),
    UseCase.MARK_DIRECT_THREAT: lambda s, a, w: direct_threat.mark_direct_threat(
        s, actor=a, request_id=999, expected_version=1, now=NOW
    ),
    UseCase.RECORD_NOTIFICATION: lambda s, a, w: notifications.record_notification_sent(
        s, actor=a, notification_id=999, channel="phone", recipient_detail="x", now=NOW
    ),
    UseCase.ADD_NOTIFICATION_BODY: lambda s, a, w: notifications.add_notification_body(
        s, actor=a, request_id=999, body_name="x", now=NOW
    ),
    UseCase.CLOSE_DIRECT_THREAT: lambda s, a, w: direct_threat.close_direct_threat(
        s, actor=a, request_id=999, expected_version=1, reason="x", now=NOW
    ),
    UseCase.REVIEW_CRITICAL: lambda s, a, w: screening_review.record_review_decision(
        s,
        actor=a,
        request_id=999,
        expected_version=1,
        decision="no_direct_threat",
        reason="x",
        now=NOW,
    ),
    UseCase.EDIT_CHILD_RECORD: lambda s, a, w: child_records.merge_children(
        s, actor=a, source_id=998, into_id=999, reason="x", expected_version=1, now=NOW
    ),
    UseCase.VIEW_ALERTS: lambda s, a, w: alerts.threat_alerts(s, actor=a, now=NOW),
    UseCase.RECORD_CONSENT: lambda s, a, w: consent_records.withdraw_consent(
        s, actor=a, cipher=w.cipher, consent_id=999, reason="x", now=NOW
    ),
    UseCase.RECORD_HELP: lambda s, a, w: consent_records.record_help(
        s, actor=a, request_id=999, note="x", now=NOW
    ),
    UseCase.MOBILE_GROUP: lambda s, a, w: mobile_groups.available_core_staff(s, actor=a),
    UseCase.VIEW_COMPLIANCE: lambda s, a, w: compliance.compliance_report(
        s, actor=a, date_from=date(2026, 11, 1), date_to=date(2026, 11, 19), now=NOW
    ),
    UseCase.EDIT_CALENDAR: lambda s, a, w: calendar_admin.list_calendar_overrides(s, actor=a),
    UseCase.SEE_IDENTITY: lambda s, a, w: children.show_child_identity(
        s, actor=a, cipher=w.cipher, child_id=999
    ),
    UseCase.VIEW_RESULTS: lambda s, a, w: screening_data.load_schools(s, actor=a),
    UseCase.IMPORT_ROUND: lambda s, a, w: diagnostics.import_round(
        s,
        actor=a,
        cipher=w.cipher,
        data=b"",
        filename="x.csv",
        instrument="phq9",
        school_id=999,
        period="2026Q4",
        conducted_on=date(2026, 11, 2),
        now=NOW,
    ),
    UseCase.EXPORT_RESULTS: lambda s, a, w: screening_exports.export_screening_views(
        s, actor=a, choice=ViewChoice("phq9", "total", ("moderate",)), fmt="xlsx", lang="ru"
    ),
    UseCase.RECORD_STUDY: lambda s, a, w: ppss_studies.record_study(
        s,
        actor=a,
        draft=StudyDraft(999, "2026Q4", "visit", date(2026, 11, 2), {}),
    ),
    UseCase.WRITE_NOTE: lambda s, a, w: ppss_studies.write_analytical_note(
        s, actor=a, study_id=999, lang="ru", now=NOW
    ),
    UseCase.PLAN_STAFFING: lambda s, a, w: staffing.read_staff_table(s, actor=a),
    UseCase.RUN_INTERVISION: lambda s, a, w: intervision_sessions.list_sessions(s, actor=a),
    UseCase.TRAIN_RISK_MODEL: lambda s, a, w: risk_models.train_risk_model(s, actor=a, now=NOW),
    UseCase.EVALUATE_RISK_MODEL: lambda s, a, w: risk_models.stored_evaluation(
        s, actor=a, version="missing"
    ),
    UseCase.PUBLISH_RISK_MODEL: lambda s, a, w: risk_models.publish_risk_model(
        s, actor=a, version="missing", now=NOW
    ),
    UseCase.VIEW_RISK_MODELS: lambda s, a, w: risk_models.list_risk_models(s, actor=a),
    UseCase.SCORE_CHILDREN: lambda s, a, w: priority_queue.score_children(
        s, actor=a, on=NOW, store=False
    ),
    UseCase.VIEW_PRIORITY_QUEUE: lambda s, a, w: priority_queue.priority_queue(s, actor=a, on=NOW),
    UseCase.OVERRIDE_PRIORITY: lambda s, a, w: priority_queue.override_priority(
        s, actor=a, child_id=999, on=NOW, to_level="x", reason_code="x", reason="x"
    ),
    UseCase.VIEW_OVERRIDE_RATES: lambda s, a, w: override_rates.override_rates(
        s, actor=a, since=NOW, until=NOW
    ),
    UseCase.RECORD_CRISIS_EVENT: lambda s, a, w: crisis_events.record_crisis_event(
        s, actor=a, child_id=999, kind="x", occurred_at=NOW, now=NOW
    ),
    UseCase.EXPORT_PROPOSAL: lambda s, a, w: staffing_exports.export_proposal(
        s,
        actor=a,
        fmt="docx",
        lang="ru",
        result=_result(w),
        center_name="C",
        scenario_name="S",
        year=2025,
        now=NOW,
    ),
    UseCase.REVIEW_CASES: lambda s, a, w: supervision_sessions.add_case(
        s, actor=a, session_id=999, child_id=999, expected_version=1
    ),
    UseCase.VIEW_CASE_FILE: lambda s, a, w: open_case_file(
        s, actor=a, cipher=w.cipher, child_id=999
    ),
    UseCase.PLAN_SUPERVISION: lambda s, a, w: supervision_sessions.plan_session(
        s, actor=a, held_at=NOW, form="x"
    ),
    UseCase.PRESENT_CASE: lambda s, a, w: supervision_records.save_record(
        s, actor=a, record_id=999, expected_version=1, draft=supervision_records.RecordDraft()
    ),
    UseCase.SIGN_SUPERVISION: lambda s, a, w: supervision_records.sign_record(
        s, actor=a, record_id=999, expected_version=1, now=NOW
    ),
    UseCase.RECORD_TASK_PROGRESS: lambda s, a, w: supervision_tasks.update_task(
        s, actor=a, task_id=999, expected_version=1, status="done", now=NOW
    ),
    UseCase.READ_SUPERVISION: lambda s, a, w: supervision_sessions.list_sessions(s, actor=a),
    UseCase.COUNT_SUPERVISION: lambda s, a, w: supervision_sessions.count_supervision(
        s, actor=a, since=NOW, until=NOW
    ),
}
SCENARIO_SERVICES = (staffing_scenarios.list_scenarios,)  # PLAN_STAFFING has more than one call
SERVICE_PROBES[UseCase.WRITE_REPORTS] = lambda s, a, w: report_registry.list_reports(s, actor=a)
SERVICE_PROBES[UseCase.EXPORT_THREAT_ANNEX] = lambda s, a, w: report_registry.build_content(
    s, actor=a, kind="threat_annex", period="2026-10", lang="ru", now=NOW
)
SERVICE_PROBES[UseCase.APPROVE_WORK_PLAN] = lambda s, a, w: work_plans.approve_work_plan(
    s, actor=a, plan_id=999, expected_version=1, today=NOW.date(), now=NOW
)
# Use cases of apps not built yet: no service exists; the home page is their only widget.
IN_PREPARATION: dict[UseCase, str] = {}
# Use cases whose services exist but no app shows yet: the services are walked; the home page
# lists the app for its roles (checked for every app below).
NO_APP_YET = {
    UseCase.VIEW_RISK_MODELS,  # the analyst's app shows it; the supervisors' app will too
    UseCase.SCORE_CHILDREN,
    UseCase.RECORD_CRISIS_EVENT,
}
# Buttons inside the intake app's panels, shown for a chosen request: walked on three requests
# (an ordinary one, an open direct threat owing notifications, a critical screening answer
# awaiting its same-day review), each button by its hook class.
INTAKE_BUTTONS: dict[UseCase, tuple[str, str]] = {  # use case → (request, hook class)
    UseCase.EXPORT_JOURNAL: ("plain", "pcenter-journal-export"),
    UseCase.AMEND_REQUEST: ("plain", "pcenter-correct-save"),
    UseCase.MARK_DIRECT_THREAT: ("plain", "pcenter-threat-mark-button"),
    UseCase.RECORD_NOTIFICATION: ("threat", "pcenter-notification-send"),
    UseCase.ADD_NOTIFICATION_BODY: ("threat", "pcenter-threat-add-body"),
    UseCase.RECORD_HELP: ("threat", "pcenter-threat-help"),
    UseCase.CLOSE_DIRECT_THREAT: ("threat", "pcenter-threat-close"),
    UseCase.REVIEW_CRITICAL: ("critical", "pcenter-review-record"),
}


def allowed(role: str, use_case: UseCase) -> bool:
    return role in USE_CASES[use_case].roles


@pytest.fixture
def world(people_workbench: Workbench) -> Workbench:
    seed_center(people_workbench, with_activity=False)
    return people_workbench


def _requests(workbench: Workbench) -> dict[str, int]:
    """The three requests the intake buttons are walked on (registered by a specialist)."""
    made = {}
    with workbench.sessions.begin() as session:
        for name, threat in (("plain", False), ("threat", True), ("critical", False)):
            draft = intake.RequestDraft(
                NOW,
                "phone",
                "teacher",
                applicant_anonymous=True,
                concerns=("bullying",),
                description="Classmates bully a pupil after school.",
                direct_threat=threat,
            )
            made[name] = intake.register_request(
                session, actor=USER_OF["specialist"], cipher=workbench.cipher, draft=draft, now=NOW
            ).id
        # a critical screening answer's request, as a screening import makes it (Rule 16)
        session.execute(
            update(Request)
            .where(Request.id == made["critical"])
            .values(priority_review=True, review_due_at=NOW + timedelta(hours=6))
        )
    return made


def _intake_buttons(app: IntakeApp, requests: dict[str, int]) -> dict[UseCase, bool]:
    """Which intake buttons the app shows, each on its request in the panel that holds it."""
    shown = {}
    for use_case, (request, hook) in INTAKE_BUTTONS.items():
        roots = [app.panel(kind).widget for kind in (JournalTable, DirectThreatPanel)
                 if app.has_panel(kind)]  # fmt: skip
        if roots:
            app.state.request_id = requests[request]
        shown[use_case] = any(displayed_by_class(root, hook) for root in roots)
    return shown


def test_every_use_case_is_probed() -> None:
    assert set(SERVICE_PROBES) | set(IN_PREPARATION) == set(UseCase)
    assert not set(SERVICE_PROBES) & set(IN_PREPARATION)
    assert set(IN_PREPARATION.values()) <= {app.code for app in APPS}


@pytest.mark.parametrize("role", ROLE_CODES)
def test_services_refuse_exactly_the_roles_the_table_refuses(world: Workbench, role: str) -> None:
    actor = USER_OF[role]
    wrong = []
    for use_case, probe in SERVICE_PROBES.items():
        refused = False
        try:
            with world.sessions() as session:
                probe(session, actor, world)
                session.rollback()
        except PermissionDeniedError:
            refused = True
        except PcenterError:
            pass  # let through, then stopped by the data: not a refusal
        if refused == allowed(role, use_case):
            wrong.append(f"{use_case}: {'refused' if refused else 'allowed'}")
    assert wrong == [], f"{role}: {wrong}"


def _shown(world: Workbench, role: str) -> dict[UseCase, bool]:
    """What the apps show ``role``, by use case."""
    environ = {**signed_in(USER_OF[role]), "QUERY_STRING": "lang=ru"}
    requests = _requests(world)
    intake_app = IntakeApp(world, environ=environ, clock=lambda: NOW)
    tabs = set(intake_app.panels)
    dx = DiagnosticsApp(world, environ=environ)
    staff = StaffingApp(world, environ=environ, year=2025)
    sup = SupervisionApp(world, environ=environ)
    risk = RiskModelApp(world, environ=environ)
    reports = ReportsApp(world, environ=environ)
    home = build_home_app(world, environ)
    cards = find_by_class(home, "pcenter-app-list")[0].value
    journal_panel = intake_app.panels.get(JournalTable)
    identity = journal_panel is not None and any(
        getattr(w, "layout", None) is not None and w.layout.display != "none"
        for w in find_by_class(journal_panel.widget, "pcenter-journal-with-identity")
    )
    shown = {
        UseCase.REGISTER_REQUEST: IntakeForm in tabs,
        UseCase.VIEW_JOURNAL: JournalTable in tabs,
        UseCase.RECORD_CONSENT: ConsentPanel in tabs,
        UseCase.MOBILE_GROUP: MobileGroupPanel in tabs,
        UseCase.EDIT_CHILD_RECORD: ChildRecordPanel in tabs,
        UseCase.VIEW_ALERTS: bool(find_by_class(home, "pcenter-alerts")),
        UseCase.VIEW_COMPLIANCE: ComplianceView in tabs,
        UseCase.EDIT_CALENDAR: CalendarEditor in tabs,
        UseCase.SEE_IDENTITY: identity,
        UseCase.VIEW_RESULTS: dx.has_panel(ResultsPanel),
        UseCase.IMPORT_ROUND: dx.has_panel(ImportPanel),
        UseCase.EXPORT_RESULTS: bool(find_by_class(dx.widget, "pcenter-dx-export")),
        UseCase.RECORD_STUDY: dx.has_panel(StudyPanel),
        UseCase.WRITE_NOTE: bool(find_by_class(dx.widget, "pcenter-dx-note-button")),
        UseCase.PLAN_STAFFING: bool(staff.panels),
        UseCase.EXPORT_PROPOSAL: bool(find_by_class(staff.widget, "pcenter-staffing-export-docx")),
        UseCase.VIEW_PRIORITY_QUEUE: sup.has_panel(QueuePanel),
        UseCase.OVERRIDE_PRIORITY: bool(find_by_class(sup.widget, "pcenter-override")),
        UseCase.REVIEW_CASES: bool(find_by_class(sup.widget, "pcenter-queue-pick-button")),
        UseCase.VIEW_CASE_FILE: sup.has_panel(CaseFilePanel),
        UseCase.PLAN_SUPERVISION: bool(find_by_class(sup.widget, "pcenter-plan-session")),
        UseCase.PRESENT_CASE: bool(find_by_class(sup.widget, "pcenter-record-save")),
        UseCase.SIGN_SUPERVISION: bool(find_by_class(sup.widget, "pcenter-record-sign")),
        UseCase.RECORD_TASK_PROGRESS: sup.has_panel(TasksPanel),
        UseCase.READ_SUPERVISION: sup.has_panel(SessionsPanel),
        UseCase.COUNT_SUPERVISION: sup.has_panel(CountsPanel),
        UseCase.VIEW_OVERRIDE_RATES: bool(find_by_class(sup.widget, "pcenter-override-rates")),
        UseCase.TRAIN_RISK_MODEL: bool(find_by_class(risk.widget, "pcenter-risk-train")),
        UseCase.EVALUATE_RISK_MODEL: risk.has_panel(EvaluationPanel),
        UseCase.PUBLISH_RISK_MODEL: risk.has_panel(PublishPanel),
        UseCase.RUN_INTERVISION: bool(IntervisionApp(world, environ=environ).panels),
        UseCase.WRITE_REPORTS: bool(reports.panels),
        UseCase.EXPORT_THREAT_ANNEX: bool(find_by_class(reports.widget, "pcenter-reports-annex")),
        UseCase.APPROVE_WORK_PLAN: bool(find_by_class(reports.widget, "pcenter-reports-plan-approve")),
    }
    shown.update(_intake_buttons(intake_app, requests))
    for use_case, code in IN_PREPARATION.items():
        shown[use_case] = f'data-app="{code}"' in cards
    for app in APPS:
        assert (f'data-app="{app.code}"' in cards) == (role in app.roles), (role, app.code)
    return shown


@pytest.mark.parametrize("role", ROLE_CODES)
def test_widgets_show_exactly_what_the_table_allows(world: Workbench, role: str) -> None:
    shown = _shown(world, role)
    assert set(shown) == set(UseCase) - NO_APP_YET
    wrong = [
        f"{use_case}: {'shown' if visible else 'hidden'}"
        for use_case, visible in shown.items()
        if visible != allowed(role, use_case)
    ]
    assert wrong == [], f"{role}: {wrong}"
