"""The supervision app and the priority queue widget, step by step, without a browser."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select

from pcenter_lib.models import PriorityOverride, SupervisionCase, SupervisionTask, User
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.supervision.world import SupervisionWorld, build_supervision_world
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.home import build_home_app
from widgets.supervision.app import SupervisionApp
from widgets.supervision.case_file_panel import CaseFilePanel
from widgets.supervision.counts_panel import CountsPanel
from widgets.supervision.queue_panel import QueuePanel
from widgets.supervision.record_panel import RecordPanel
from widgets.supervision.sessions_panel import SessionsPanel
from widgets.supervision.tasks_panel import TasksPanel


@pytest.fixture
def sworld(workbench: Workbench) -> SupervisionWorld:
    return build_supervision_world(workbench)


def open_app(world: SupervisionWorld, user: str, lang: str = "ru") -> SupervisionApp:
    environ = {**signed_in(user), "QUERY_STRING": f"lang={lang}"}
    return SupervisionApp(world.bench, environ=environ)


def banner(app: SupervisionApp) -> str:
    return html.unescape(app.shell.banner.widget.value)


def test_home_shows_supervisors_the_queue_mandatory_first_and_the_advice(
    sworld: SupervisionWorld,
) -> None:
    page = build_home_app(sworld.bench, {**signed_in("supervisor1"), "QUERY_STRING": "lang=ru"})
    table = html.unescape(only_by_class(page, "pcenter-queue-table").value)
    advice = html.unescape(only_by_class(page, "pcenter-queue-advice").value)
    assert "Оценка подсказывает; решают люди" in advice
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4
    assert all("Обязательный" in row for row in rows[:2]) and "Насилие в семье" in table
    assert not any("Обязательный" in row for row in rows[2:])
    with sworld.bench.sessions() as session:  # the responsible colleague by name, not login
        name = session.scalar(select(User.full_name).where(User.username == "specialist1"))
    assert name and name != "specialist1" and name in table and "specialist1" not in table
    for user in ("operator1", "manager1", "analyst1"):
        other = build_home_app(sworld.bench, signed_in(user))
        assert find_by_class(other, "pcenter-queue-table") == []


def test_a_mandatory_child_is_lowered_only_with_why_the_rule_does_not_apply(
    sworld: SupervisionWorld,
) -> None:
    app = open_app(sworld, "supervisor1", "en")
    form = app.panel(QueuePanel).queue.override
    assert form.widget.layout.display != "none"
    form.child.value = sworld.violent
    form.level.value = "medium"
    assert [code for _l, code in form.reason_code.options] == ["rule_does_not_apply"]
    assert form.rule_box.layout.display != "none"
    form.reason.value = "Placed with her grandmother."
    form.save.click()  # no explanation why the rule does not apply
    assert "hard rule" in banner(app)
    with sworld.bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PriorityOverride)) == 0
    form.explanation.value = "The violent father no longer lives with the child."
    form.save.click()
    table = html.unescape(app.panel(QueuePanel).queue.table.value)
    assert "Medium (set by supervisor1; the model: Mandatory (hard rule))" in table
    with sworld.bench.sessions() as session:
        stored = session.scalars(select(PriorityOverride)).one()
        assert stored.rules_set_aside == ["violence_at_home"] and stored.to_band == "medium"
    # the override is counted for its supervisor and its level before the change
    rates = html.unescape(open_app(sworld, "manager1", "en").panel(CountsPanel).rates.value)
    assert "By supervisor" in rates and "supervisor1" in rates
    assert "Mandatory (hard rule)" in rates


def test_review_decide_task_sign_lock_addendum_and_the_specialists_list(
    sworld: SupervisionWorld,
) -> None:
    app = open_app(sworld, "supervisor1")
    queue = app.panel(QueuePanel).queue
    assert queue.pick.value == queue.rows[0].child_id  # the top of the queue
    queue.pick_button.click()
    record = app.panel(RecordPanel)
    assert app.tabs.selected_index == list(app.panels).index(RecordPanel)
    assert record.view is not None and record.view.child_code == queue.rows[0].child_code
    record.texts["question"].value = "Is she safe now?"
    record.template.value = "signs_of_safety"
    record.fields["safety_scale"].value = 3
    record.fields["worried"].value = "Threats at home"
    record.texts["decision"].value = "Daily contact until the family is met"
    record.task_text.value = "Visit the family with the school PPSS"
    record.task_person.value = "specialist1"
    record.task_due.value = date(2026, 12, 1)
    record.add_task.click()
    record.sign.click()
    assert record.view is not None and record.view.locked, banner(app)
    # reload: a new page shows the record locked, with no editor
    again = open_app(sworld, "supervisor1")
    again.state.record_id = record.view.record_id
    shown = again.panel(RecordPanel)
    header = html.unescape(shown.header.value)
    assert "Подписано и закрыто: supervisor1" in header and "Шкала безопасности" in header
    assert shown.editor.layout.display == "none" and shown.addendum_box.layout.display != "none"
    shown.addendum_reason.value = "Новые сведения"
    shown.addendum_text.value = "Отец выехал из квартиры."
    shown.add_addendum.click()
    assert "Отец выехал" in html.unescape(shown.addenda.value)
    with sworld.bench.sessions() as session:
        stored = session.scalars(select(SupervisionCase)).one()
        assert stored.decision == "Daily contact until the family is met"
        assert stored.formulation == {"safety_scale": 3, "worried": "Threats at home"}
    # the specialist's action-needed list
    specialist = open_app(sworld, "specialist1", "kk")
    tasks = specialist.panel(TasksPanel)
    assert "Visit the family with the school PPSS" in html.unescape(tasks.table.value)
    tasks.status.value = "done"
    tasks.note.value = "Барып келдім"
    tasks.save.click()
    with sworld.bench.sessions() as session:
        assert session.scalars(select(SupervisionTask.status)).one() == "done"
    assert "Visit the family" not in html.unescape(tasks.table.value)


def test_case_file_follows_the_child_and_hides_names_from_readers(
    sworld: SupervisionWorld,
) -> None:
    app = open_app(sworld, "methodologist1")
    assert set(app.panels) == {RecordPanel, CaseFilePanel, SessionsPanel, CountsPanel}
    panel = app.panel(CaseFilePanel)
    panel.code.value = "C1"
    panel.find.click()
    text = html.unescape(panel.entries.value + panel.header.value)
    assert "C1" in text and "Обращение" in text and "ФИО" not in text
    panel.kinds.value = ("screening",)
    assert "Обращение" not in html.unescape(panel.entries.value)


def test_each_role_gets_the_tabs_of_its_use_cases(sworld: SupervisionWorld) -> None:
    expected = {
        "supervisor1": {QueuePanel, RecordPanel, CaseFilePanel, SessionsPanel, TasksPanel,
                        CountsPanel},
        "specialist1": {RecordPanel, CaseFilePanel, SessionsPanel, TasksPanel, CountsPanel},
        "manager1": {RecordPanel, CaseFilePanel, SessionsPanel, CountsPanel},
        "analyst1": {CountsPanel},
    }  # fmt: skip
    for user, panels in expected.items():
        assert set(open_app(sworld, user).panels) == panels, user
    specialist = open_app(sworld, "specialist1")
    record = specialist.panel(RecordPanel)
    assert find_by_class(record.review, "pcenter-record-submit") == [record.submit]
    assert find_by_class(record.widget, "pcenter-record-sign") == []
    sessions = specialist.panel(SessionsPanel)
    assert sessions.plan not in sessions.widget.children


def test_a_case_found_by_code_goes_on_the_planned_session(sworld: SupervisionWorld) -> None:
    app = open_app(sworld, "supervisor1", "en")
    sessions = app.panel(SessionsPanel)
    sessions.child_code.value = "C2"
    sessions.add_child.click()
    assert "Plan a session first." in banner(app)
    sessions.staff.value = "specialist1\n"
    sessions.ppss.value = "Aizhan Serikova"
    sessions.plan.click()
    sessions.child_code.value = "C2"
    sessions.add_child.click()
    record = app.panel(RecordPanel)
    assert record.view is not None and record.view.child_code == "C2"
    assert "C2" in html.unescape(sessions.table.value)
    sessions.child_code.value = "nobody"
    sessions.add_child.click()
    assert "There is no child with code nobody." in banner(app)
    with sworld.bench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SupervisionCase)) == 1


def test_attendance_counts_hours_and_the_protocol_downloads(sworld: SupervisionWorld) -> None:
    app = open_app(sworld, "supervisor1", "ru")
    sessions = app.panel(SessionsPanel)
    sessions.staff.value = "specialist1"
    sessions.ppss.value = "Aizhan Serikova"
    sessions.minutes.value = 120
    sessions.plan.click()
    assert set(sessions.attended.value) == {"specialist1", "Aizhan Serikova"}
    sessions.attended.value = ("specialist1",)
    sessions.save_attendance.click()
    hours = html.unescape(app.panel(CountsPanel).table.value)
    assert "specialist1" in hours and "Aizhan Serikova" not in hours
    sessions.protocol["ru"].click()
    link = sessions.download.value
    assert 'download="supervision-protocol-' in link and link.count("-ru.docx") == 2


def test_a_specialist_sends_and_the_supervisor_returns_with_comments(
    sworld: SupervisionWorld,
) -> None:
    supervisor = open_app(sworld, "supervisor1", "en")
    sessions = supervisor.panel(SessionsPanel)
    sessions.plan.click()
    sessions.child_code.value = "C3"
    sessions.add_child.click()
    record_id = supervisor.state.record_id
    specialist = open_app(sworld, "specialist1", "en")
    specialist.state.record_id = record_id
    mine = specialist.panel(RecordPanel)
    mine.texts["question"].value = "How to reach the father?"
    mine.submit.click()
    assert mine.view is not None and mine.view.status == "submitted", banner(specialist)
    theirs = open_app(sworld, "supervisor1", "en")
    theirs.state.record_id = record_id
    panel = theirs.panel(RecordPanel)
    panel.comment.value = "Add what the school knows"
    panel.send_back.click()
    specialist.state.changed += 1
    header = html.unescape(mine.header.value)
    assert "Returned with comments: Add what the school knows" in header
    # the specialist's stale page saves over nothing: the supervisor's return came first
    stale = open_app(sworld, "specialist1", "en")
    stale.state.record_id = record_id
    old = stale.panel(RecordPanel)
    mine.texts["hypotheses"].value = "first"
    mine.save.click()
    old.texts["hypotheses"].value = "second"
    old.save.click()
    assert "Somebody else changed this supervision record" in banner(stale)
    with sworld.bench.sessions() as session:
        assert session.scalars(select(SupervisionCase.hypotheses)).one() == "first"


def test_a_task_past_its_due_date_shows_in_the_compliance_view(sworld: SupervisionWorld) -> None:
    """Rule 11.4: a follow-up task the supervision decided and nobody did in time is a figure
    the management follows, beside the other terms."""
    from datetime import datetime

    from pcenter_lib.domain.deadlines import KZ_TZ
    from tests.supervision.test_supervision_services import _signed
    from widgets.intake.app import IntakeApp
    from widgets.intake.compliance import ComplianceView

    _signed(sworld)  # a task due on 25 March 2026

    def compliance(user: str, day: int) -> ComplianceView:
        clock = datetime(2026, 3, day, 10, 0, tzinfo=KZ_TZ)
        environ = {**signed_in(user), "QUERY_STRING": "lang=ru"}
        return IntakeApp(sworld.bench, environ=environ, clock=lambda: clock).panel(ComplianceView)

    before = html.unescape(compliance("manager1", 25).tasks_table.value)
    assert "Просроченных задач по итогам супервизии нет" in before
    after = compliance("manager1", 27)
    shown = html.unescape(after.tasks_table.value)
    with sworld.bench.sessions() as session:
        name = session.scalar(select(User.full_name).where(User.username == "specialist1"))
    assert "Meet the class teacher" in shown and "C3" in shown and f"{name}" in shown
    assert "25.03.2026" in shown and "<td" in shown and ">2<" in shown.replace(" ", "")
    # an administrator sees the compliance figures but may not read supervision records
    admin = compliance("admin1", 27)
    assert admin.tasks_table.layout.display == "none" and admin.tasks_table.value == ""
