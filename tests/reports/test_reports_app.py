"""The reports app as the manager and a methodologist see it on the demo region."""

from __future__ import annotations

from datetime import UTC, datetime

from pcenter_lib.workbench import Workbench
from tests.reports.conftest import MONTH
from tests.widgets.lookup import find_by_class
from widgets.reports.app import ReportsApp
from widgets.reports.register import RegisterPanel
from widgets.reports.report_panel import MonthlyPanel

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _app(region: Workbench, role: str, lang: str) -> ReportsApp:
    return ReportsApp(region, environ={"QUERY_STRING": f"demo_role={role}&lang={lang}"})


def test_the_manager_previews_writes_and_records_the_sending(region: Workbench) -> None:
    app = _app(region, "manager", "ru")
    monthly = app.panel(MonthlyPanel)
    assert monthly.period.options[0][1] == "2026-10", "last month comes first"
    monthly.period.value = MONTH
    monthly.preview_button.click()
    preview = monthly.preview.value
    assert "Информация об обращениях" in preview and "Обращения по району" not in preview
    assert "Обращения по районам" in preview
    assert "Ведомство уполномоченного органа" in monthly.addressee.value
    monthly.docx_button.click()
    assert 'download="monthly_exchange_2026-10_ru_' in monthly.links.value
    assert find_by_class(app.widget, "pcenter-reports-annex"), "the management exports the annex"
    monthly.annex_button.click()
    assert 'download="threat_annex_2026-10_ru_' in monthly.links.value
    register = app.panel(RegisterPanel)
    assert "threat_annex" not in register.table.value  # the register names reports in words
    assert "Приложение ограниченного доступа" in register.table.value
    waiting = [value for _label, value in register.unsent.options]
    assert len(waiting) == 2
    register.sent_to.value = "Департамент по защите прав детей"
    register.send_button.click()
    assert len(register.unsent.options) == 1
    assert "Департамент по защите прав детей" in register.table.value


def test_a_methodologist_writes_reports_but_never_sees_the_annex(region: Workbench) -> None:
    app = _app(region, "methodologist", "kk")
    monthly = app.panel(MonthlyPanel)
    assert not find_by_class(app.widget, "pcenter-reports-annex")
    assert monthly.doc_lang.value == "kk"
    monthly.period.value = MONTH
    monthly.preview_button.click()
    assert "Орталыққа түскен сұраулар туралы ақпарат" in monthly.preview.value
    register = app.panel(RegisterPanel)
    assert "Шектеулі қосымша" not in register.table.value


def test_other_roles_get_no_panel(region: Workbench) -> None:
    for role in ("intake_operator", "specialist", "supervisor", "analyst", "administrator"):
        app = _app(region, role, "ru")
        assert not app.panels, role


def test_a_recommendation_names_the_school_and_the_study_it_follows_from(
    region: Workbench,
) -> None:
    from datetime import date

    from sqlalchemy import text

    from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
    from pcenter_lib.services.ppss_studies import StudyDraft, record_study
    from pcenter_lib.services.recommendations import list_recommendations
    from widgets.reports.report_panel import QuarterlyPanel

    with region.sessions.begin() as session:
        school_id, name_ru = session.execute(
            text("SELECT id, name_ru FROM education_organizations ORDER BY id DESC LIMIT 1")
        ).one()
        study = record_study(
            session,
            actor="methodologist1",
            draft=StudyDraft(
                school_id, "2026Q3", "desk", date(2026, 9, 24), dict.fromkeys(DOMAIN_CODES, 2)
            ),
        )
    # the manager writes it, without the screening results' permission
    app = _app(region, "manager", "ru")
    quarterly = app.panel(QuarterlyPanel)
    quarterly.period.value = "2026Q3"
    box = quarterly.recommendations
    assert box.school.options[0] == ("не выбрано", 0)
    box.school.value = school_id
    assert box.addressee.value == name_ru, "the school's name is offered as the addressee"
    labels = {value: label for label, value in box.study.options}
    assert labels[study.id].startswith("24.09.2026, III квартал 2026")
    box.study.value = study.id
    box.text.value = "Вести журнал консультаций по единой форме"
    box.add_button.click()
    with region.sessions() as session:
        made = list_recommendations(session, actor="manager1", quarter="2026Q3")[0]
    assert (made.school_id, made.study_id) == (school_id, study.id)
    assert made.addressee == name_ru
    assert name_ru in box.table.value and "24.09.2026" in box.table.value
    assert box.school.value == 0 and box.study.value == 0, "the form is empty again"
