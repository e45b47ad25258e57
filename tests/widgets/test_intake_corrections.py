"""The corrected intake app without a browser: each role sees what it may do, every request is
registered, errors beside their fields, critical answers first, notices in minutes, alerts.

Clock fixed at Wednesday 18 March 2026, 10:00 Kazakhstan time (``tests/intake/world.py``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from pcenter_lib.i18n import gettext
from pcenter_lib.models import Child, MobileGroupMember, Request
from pcenter_lib.services.child_records import merge_children
from pcenter_lib.services.children import ChildDraft
from pcenter_lib.services.diagnostics import import_round
from tests.conftest import signed_in
from tests.diagnostics.fixtures import csv_upload, phq_row
from tests.intake.world import BOY_14, NOW, IntakeWorld, iin_for
from tests.widgets.conftest import open_intake_app as open_app
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.home import build_home_app
from widgets.intake.app import IntakeApp
from widgets.intake.child import ChildRecordPanel
from widgets.intake.compliance import ComplianceView
from widgets.intake.consent import ConsentPanel
from widgets.intake.form import IntakeForm
from widgets.intake.journal import JournalTable
from widgets.intake.mobile import MobileGroupPanel
from widgets.intake.threat import DirectThreatPanel

FIFTEEN = date(2010, 12, 1)
CRITICAL = [1, 1, 2, 1, 0, 1, 2, 1, 2]


def form_of(app: IntakeApp) -> IntakeForm:
    form = app.panel(IntakeForm)
    assert isinstance(form, IntakeForm)
    return form


def threat_of(app: IntakeApp) -> DirectThreatPanel:
    panel = app.panel(DirectThreatPanel)
    assert isinstance(panel, DirectThreatPanel)
    return panel


def count(world: IntakeWorld, model: type) -> int:
    with world.bench.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def visible(widget: object) -> bool:
    return getattr(getattr(widget, "layout", None), "display", None) != "none"


def test_a_15_year_olds_own_appeal_with_a_direct_threat_is_registered_in_kazakh(
    world: IntakeWorld,
) -> None:
    app = open_app(world, "operator1", "kk")
    form = form_of(app)
    form.channel.value = "messenger"
    form.source.value = "minor_personal_appeal"
    form.child_name.value = "Аружан Бекова"
    form.iin.value = iin_for(FIFTEEN, "female", 5)
    form.concerns.boxes["suicidal"].value = True
    form.description.value = "Бүгін түнде өмірден кеткім келеді деп жазды"
    form.direct_threat.value = True
    form.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    result = form.result.value
    assert "2026-03-18 11:00" in result and "60" in result  # notify within 60 minutes
    assert "16 жасқа дейін" in result  # registered as a personal appeal under 16
    assert app.tabs.selected_index == list(app.panels).index(DirectThreatPanel)
    with world.bench.sessions() as session:
        request = session.scalars(select(Request)).one()
        assert (request.source, request.direct_threat) == ("minor_personal_appeal", True)


def test_a_personal_appeal_without_a_threat_opens_the_consent_step(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "ru")
    form = form_of(app)
    form.channel.value = "phone"
    form.source.value = "minor_over_16"  # typed as over 16, but the child is 15
    form.child_name.value = "Аружан Бекова"
    form.iin.value = iin_for(FIFTEEN, "female", 6)
    form.concerns.boxes["bullying"].value = True
    form.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert (
        "до 16 лет" in form.result.value and "согласие законного представителя" in form.result.value
    )
    assert app.tabs.selected_index == list(app.panels).index(ConsentPanel)


def test_every_wrong_field_is_shown_at_once_beside_it_in_russian(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "ru")
    form = form_of(app)
    form.source.value = "teacher"
    form.iin.value = "111111111111"
    form.child_name.value = "Нурлан"
    form.save_button.click()
    notes = form.notes.texts()
    assert set(notes) == {"channel", "applicant_name", "concerns", "iin"}
    assert "Выберите канал" in notes["channel"] and "анонимн" in notes["applicant_name"]
    assert "пункт 19" in notes["concerns"] and "ИИН" in notes["iin"]
    assert app.shell.banner.kind == "error" and "4" in app.shell.banner.text
    assert count(world, Request) == 0
    form.channel.value = "phone"
    form.anonymous.value = True
    form.iin.value = ""
    form.approx_age.value = 12
    form.concerns.boxes["crisis_bereavement"].value = True
    form.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert form.notes.texts() == {}
    with world.bench.sessions() as session:
        request = session.scalars(select(Request)).one()
        child = session.get(Child, request.child_id)
        assert request.applicant_anonymous and child is not None and child.provisional


def test_concerns_are_one_grouped_list_of_checkboxes(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "kk")
    picker = form_of(app).concerns
    assert len(picker.boxes) == 17 and all(visible(box) for box in picker.boxes.values())
    headings = [h.value for h in picker.headings]
    assert any("Дағдарыстық" in h for h in headings)
    picker.boxes["violence"].value = True
    picker.boxes["cyberbullying"].value = True
    assert picker.value == ("violence", "cyberbullying")


def test_child_search_lists_matches_and_never_chooses(world: IntakeWorld) -> None:
    world.register()  # Nurlan Serikov
    world.register(
        world.draft(
            child=ChildDraft(
                full_name="Nurlan Serikov",
                iin=iin_for(date(2013, 5, 5), "male", 3),
                education_organization_id=world.other_school_id,
                grade=5,
            ),
        )
    )
    app = open_app(world, "operator1", "ru")
    finder = form_of(app).finder
    finder.query.value = "serikov nurlan"
    finder.search_button.click()
    labels = [label for label, _ in finder.choice.options]
    assert len(labels) == 3 and finder.value is None  # "new child" + two matches, none chosen
    assert any("род. 2011-09-01" in label and "Школа №1" in label for label in labels)
    assert any("род. 2013-05-05" in label and "5 класс" in label for label in labels)


def test_a_second_record_of_the_same_child_is_stopped_then_confirmed(world: IntakeWorld) -> None:
    world.register(
        world.draft(
            child=ChildDraft(full_name="Dana Seitova", birth_date=date(2012, 4, 2), sex="female")
        )
    )
    app = open_app(world, "operator1", "kk")
    form = form_of(app)
    form.channel.value = "phone"
    form.source.value = "helpline_111"
    form.child_name.value = "Seitova Dana"
    form.birth_date.value = date(2012, 4, 2)
    form.sex.value = "female"
    form.concerns.boxes["psycho_emotional"].value = True
    form.save_button.click()
    assert count(world, Child) == 1 and visible(form.finder.another_button)
    assert "2012-04-02" in str(form.finder.choice.options)
    form.finder.another_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert count(world, Child) == 2


def test_each_role_sees_only_the_buttons_it_may_press(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    operator = open_app(world, "operator1")
    operator.state.request_id = done.id
    panel = threat_of(operator)
    assert not visible(panel.help_box)  # record_help is for specialists and supervisors
    assert not visible(panel.close_box) and not visible(panel.body_box)
    assert visible(panel.rows[0].send_button)
    specialist = open_app(world, "specialist1")
    specialist.state.request_id = done.id
    sp_panel = threat_of(specialist)
    assert visible(sp_panel.help_box) and visible(sp_panel.close_box) and visible(sp_panel.body_box)
    manager = open_app(world, "manager1", "ru")
    assert [kind.tab for kind in manager.panels] == ["journal", "threat", "compliance"]
    manager.state.request_id = done.id
    m_panel = threat_of(manager)
    assert not visible(m_panel.mark_box) and not visible(m_panel.rows[0].send_button)
    m_journal = manager.panel(JournalTable)
    assert isinstance(m_journal, JournalTable) and not visible(m_journal.export_row)
    assert not visible(m_journal.correction.save_button)  # reads the entry, corrects nothing
    assert manager.alerts is not None and "2026/000001" in manager.alerts.banner.value


def test_sending_a_notice_confirms_on_screen_and_clears_the_stale_alert(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    app = open_app(world, "specialist1", "ru")
    assert app.alerts is not None and "2026/000001" in app.alerts.banner.value
    app.state.request_id = done.id
    panel = threat_of(app)
    panel.body_name.value = "Комиссия по делам несовершеннолетних"
    panel.add_body_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert len(panel.rows) == 6
    for index in range(len(panel.rows)):
        row = panel.rows[index]
        row.channel.value = "phone"
        row.recipient.value = "Дежурный"
        row.send_button.click()
        assert app.shell.banner.kind == "success", app.shell.banner.text
        assert "записана" in app.shell.banner.text
    assert app.alerts.banner.value == ""  # every notice sent: no stale alert


def test_help_under_the_waiver_is_listed_and_closing_the_threat_ends_it(world: IntakeWorld) -> None:
    done = world.register(world.draft(direct_threat=True))
    app = open_app(world, "specialist1", "kk")
    app.state.request_id = done.id
    panel = threat_of(app)
    panel.help_note.value = "Дағдарыстық әңгіме"
    panel.help_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "Дағдарыстық әңгіме" in panel.waiver.value
    panel.close_reason.value = "Бала ауруханада, қауіпсіз"
    panel.close_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert not visible(panel.help_box) and "ауруханада" in panel.status.value
    assert app.picker is not None and "15-тармақ" in app.picker.summary.value


def _import_critical(world: IntakeWorld) -> int:
    with world.bench.sessions.begin() as session:
        imported = import_round(
            session,
            actor="methodologist1",
            cipher=world.bench.cipher,
            data=csv_upload("phq9", [phq_row("7A-02", CRITICAL)]),
            filename="phq9.csv",
            instrument="phq9",
            school_id=world.school_id,
            period="2026Q1",
            conducted_on=date(2026, 3, 2),
            lang="ru",
            now=NOW - timedelta(minutes=30),
        )
    return imported.requests[0].request_id


def test_critical_answer_first_in_the_supervisors_action_needed_view(world: IntakeWorld) -> None:
    world.register(world.draft(received_at=NOW - timedelta(days=5)))  # overdue
    world.register(world.draft(direct_threat=True, child=None))
    critical = _import_critical(world)
    app = open_app(world, "supervisor1", "ru")
    journal = app.panel(JournalTable)
    assert isinstance(journal, JournalTable) and journal.view.value == "action_needed"
    assert journal.page is not None and journal.page.rows[0].id == critical
    table = journal.table.value
    assert table.index("рассмотреть до 2026-03-18 18:00") < table.index("Непосредственная угроза")
    journal.critical_only.value = True
    journal.apply_button.click()
    assert [row.id for row in journal.page.rows] == [critical]
    app.state.request_id = critical
    review = threat_of(app).review
    assert visible(review.form) and "18:00" in review.state_line.value
    review.decision.value = "no_direct_threat"
    review.reason.value = "Связались с психологом школы: угрозы нет"
    review.record_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert not visible(review.form) and "угрозы нет" in review.state_line.value


def test_compliance_shows_minutes_per_body(world: IntakeWorld) -> None:
    world.register(world.draft(direct_threat=True))
    app = open_app(world, "supervisor1", "ru")
    view = app.panel(ComplianceView)
    assert isinstance(view, ComplianceView)
    view.compute()
    minutes = view.minutes_table.value
    assert "Медиана, мин" in minutes and "Органы здравоохранения" in minutes
    view.record_choice.value = "rule_16_review"
    assert "Критические ответы скрининга" in view.records.value
    # shares in the reader's language (Babel): "100 %" in Russian, never "100%"
    assert re.search(r"\d\xa0%", view.table.value), view.table.value
    assert not re.search(r"\d%", view.table.value)


def test_group_with_a_police_inspector_and_a_plan_item_done(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id, relation="foster_parent")
    app = open_app(world, "specialist1", "ru")
    app.state.request_id = done.id
    mobile = app.panel(MobileGroupPanel)
    assert isinstance(mobile, MobileGroupPanel)
    assert all("psychologist" not in label for label, _ in mobile.staff.options)
    mobile.staff.value = (world.staff_ids[0],)
    mobile.external.full_name.value = "Серик Аманов"
    mobile.external.organization.value = "РУВД"
    mobile.external.position.value = "juvenile_inspector"
    mobile.external.add_button.click()
    mobile.form_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "инспектор по делам несовершеннолетних (полиция) (РУВД)" in mobile.groups_view.value
    assert "Psychologist A — психолог (Центр), участник" in mobile.groups_view.value
    assert count(world, MobileGroupMember) == 2
    mobile.kind.value = "consultation"
    mobile.responsible.value = "Psychologist A"
    mobile.due_on.value = date(2026, 3, 25)
    mobile.add_button.click()
    mobile.draw_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    items = mobile.plan_items
    items.item.value = items.items[0].id
    items.mark_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "specialist1" in items.table.value and "выполнено" in items.table.value


def test_child_tab_completes_a_provisional_record(world: IntakeWorld) -> None:
    done = world.register(
        world.draft(
            child=ChildDraft(
                full_name="Nurik", approx_age=14, education_organization_id=world.school_id
            )
        )
    )
    app = open_app(world, "operator1", "kk")
    app.state.request_id = done.id
    panel = app.panel(ChildRecordPanel)
    assert isinstance(panel, ChildRecordPanel) and "алдын ала" in panel.info.value
    panel.full_name.value = "Nurlan Serikov"
    panel.iin.value = iin_for(BOY_14)
    panel.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "2011-09-01" in panel.info.value and "алдын ала жазба" not in panel.info.value.lower()


def test_home_page_alerts_the_manager_and_lists_the_threats(world: IntakeWorld) -> None:
    world.register(world.draft(direct_threat=True))
    page = build_home_app(world.bench, {**signed_in("manager1"), "QUERY_STRING": "lang=ru"})
    banner = only_by_class(page, "pcenter-alert-banner")
    assert "2026/000001" in banner.value and "не отправлено 5 из 5" in banner.value
    assert (
        "Непосредственные угрозы за последние 30 дней"
        in only_by_class(page, "pcenter-alert-list").value
    )
    operator_page = build_home_app(world.bench, signed_in("operator1"))
    assert find_by_class(operator_page, "pcenter-alert-list")[0].value == ""
    methodologist = build_home_app(world.bench, signed_in("methodologist1"))
    assert find_by_class(methodologist, "pcenter-alert-banner") == []


def test_the_history_shows_children_by_code_or_name_and_codes_by_label(world: IntakeWorld) -> None:
    """A merge moves the entry from one child to another: the history names the children as the
    role may see them — the pseudonymous code, the name once an identity role asks — and never
    the database id; a corrected status reads as its label, not its code."""
    provisional = world.register(
        world.draft(
            child=ChildDraft(
                full_name="Nurik", approx_age=14, education_organization_id=world.school_id
            )
        )
    )
    known = world.register(world.draft(confirm_duplicate=True))
    with world.bench.sessions.begin() as session:
        first = session.get(Child, provisional.child_id)
        second = session.get(Child, known.child_id)
        assert first is not None and second is not None
        codes, ids = (first.code, second.code), (first.id, second.id)
        merge_children(
            session,
            actor="operator1",
            source_id=first.id,
            into_id=second.id,
            reason="тот же ребёнок",
            expected_version=first.version,
            now=NOW,
        )
    app = open_app(world, "supervisor1", "ru")
    app.state.request_id = provisional.id
    correction = app.panel(JournalTable).correction
    correction.status.value = "in_work"
    correction.reason.value = "принято в работу"
    correction.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    history = correction.history.value
    assert f"Ребёнок: {codes[0]} → {codes[1]}" in history
    assert f"{ids[0]} → {ids[1]}" not in history and "Nurlan Serikov" not in history
    in_work = gettext("In work", "ru")
    assert f"Статус: Открыто → {in_work}" in history and "in_work" not in history
    correction.names_button.click()  # an identity role asks for names (audited)
    assert f"Nurik ({codes[0]}) → Nurlan Serikov ({codes[1]})" in correction.history.value
    manager = open_app(world, "manager1", "ru")  # the management reads the entry without names
    manager.state.request_id = provisional.id
    assert f"{codes[0]} → {codes[1]}" in manager.panel(JournalTable).correction.history.value
