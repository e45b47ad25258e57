"""The diagnostics app without a browser: set values, click, and read what a person would see."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import UTC, datetime

import ipywidgets as widgets
import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import AuditEvent, Report, Request, ScreeningRound
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.diagnostics.fixtures import SAMPLES, Place, csv_upload, make_region, phq_row
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.diagnostics.app import DiagnosticsApp
from widgets.diagnostics.import_panel import ImportPanel
from widgets.diagnostics.results import ResultsPanel
from widgets.diagnostics.study_panel import StudyPanel


@pytest.fixture
def place(workbench: Workbench) -> Place:
    return make_region(workbench)


def open_app(
    workbench: Workbench, user: str = "methodologist1", lang: str = "ru"
) -> DiagnosticsApp:
    return DiagnosticsApp(workbench, environ={**signed_in(user), "QUERY_STRING": f"lang={lang}"})


def banner(app: DiagnosticsApp) -> str:
    """The banner's text as a person reads it (markup removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", only_by_class(app.widget, "pcenter-banner").value))


def choose_file(app: DiagnosticsApp, data: bytes, name: str) -> None:
    app.panel(ImportPanel).upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2026, 2, 12, tzinfo=UTC),
        },
    )


def import_file(
    app: DiagnosticsApp,
    place: Place,
    data: bytes,
    name: str = "round.csv",
    instrument: str = "phq9",
    school: int = 0,
) -> None:
    importer = app.panel(ImportPanel)
    importer.school.value = place.schools[school]
    importer.instrument.value = instrument
    importer.period.value = importer.period.options[0][1]
    choose_file(app, data, name)
    importer.import_button.click()


def decode_link(html_value: str) -> bytes:
    match = re.search(r'base64,([^"]+)"', html_value)
    assert match, html_value
    return base64.b64decode(match.group(1))


def test_the_app_builds_its_three_tabs_for_a_methodologist(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench)
    tabs = only_by_class(app.widget, "pcenter-diagnostics-tabs")
    assert isinstance(tabs, widgets.Tab)
    assert list(tabs.titles) == ["Результаты", "Загрузка", "Изучение СППС"]
    assert app.panel(ImportPanel).import_button.description == "Загрузить"  # a verb
    assert find_by_class(app.widget, "pcenter-dx-views")


def test_an_analyst_sees_results_only(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, user="analyst1", lang="en")
    assert app.has_panel(ResultsPanel)
    assert not app.has_panel(ImportPanel) and not app.has_panel(StudyPanel)
    assert find_by_class(app.widget, "pcenter-dx-export"), "analysts export"


def test_importing_the_sample_shows_the_round_and_its_request(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench)
    app.open_tab(ImportPanel)
    import_file(app, place, (SAMPLES / "phq9_sample.csv").read_bytes(), "phq9_sample.csv")
    importer = app.panel(ImportPanel)
    outcome = importer.outcome.value
    with workbench.sessions() as session:
        request = session.scalars(select(Request)).one()
        round_id = session.scalars(select(ScreeningRound.id)).one()
    assert f"Тур {round_id}: 12 результатов" in outcome
    assert request.journal_number in outcome
    assert request.journal_number in importer.rounds.value
    assert "Тур 1 загружен" in banner(app)
    assert importer.progress.value == 1.0
    # the outcome stays in sight: the import tab is still open, its lines are paragraphs
    assert app.tabs.selected_index == 1
    assert re.search(r"\)\.</span></p><p><span class=\"pcenter-critical\">Критических", outcome)
    # the results tab read the new data without being rebuilt
    prevalence = only_by_class(app.widget, "pcenter-dx-table-prevalence").value
    assert '<td class="pcenter-num">12</td>' in prevalence


def test_rows_that_skipped_a_critical_item_are_pointed_out_after_import(
    workbench: Workbench, place: Place
) -> None:
    rows = [phq_row("7A-01", [0] * 9), phq_row("7A-02", [1, 1, 1, 1, 1, 1, 1, 1, ""])]
    app = open_app(workbench)
    import_file(app, place, csv_upload("phq9", rows), "skipped.csv")
    outcome = app.panel(ImportPanel).outcome.value
    assert "1 респондент не ответил на критический вопрос (строки файла 3)" in outcome
    assert "Баллы без диапазона" not in outcome


def test_a_broken_file_shows_every_problem_and_writes_nothing(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench, lang="kk")
    import_file(app, place, (SAMPLES / "phq9_sample_with_errors.csv").read_bytes(), "bad.csv")
    report = app.panel(ImportPanel).report.value
    assert report.count("<tr>") == 6  # header + five problems
    assert "Не күтіледі" in report and "31" in report
    assert "Файл жүктелмеді" in banner(app)
    with workbench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ScreeningRound)) == 0


def test_importing_without_a_file_asks_for_one(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    app.panel(ImportPanel).import_button.click()
    assert "Choose a file" in banner(app)


def test_a_duplicate_upload_is_refused_in_the_banner(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    data = (SAMPLES / "phq9_sample.csv").read_bytes()
    import_file(app, place, data)
    import_file(app, place, data, school=1)
    assert "already imported" in banner(app)


def test_templates_are_offered_in_kazakh_and_russian(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench)
    app.panel(ImportPanel).instrument.value = "gad7"
    links = app.panel(ImportPanel).templates.value
    assert re.findall(r'download="([^"]+)"', links) == [
        "gad7_kk_template.xlsx",
        "gad7_kk_template.csv",
        "gad7_ru_template.xlsx",
        "gad7_ru_template.csv",
    ]
    first = decode_link(links.split(" · ")[0])
    assert load_workbook(io.BytesIO(first)).worksheets[0]["A1"].value == "Оқушы коды [student_code]"


def load_results(app: DiagnosticsApp, workbench: Workbench, place: Place) -> None:
    rows = [phq_row(f"A{k}", [2] * 9) for k in range(25)] + [
        phq_row(f"B{k}", [0] * 9, sex="м") for k in range(15)
    ]
    import_file(app, place, csv_upload("phq9", rows))
    import_file(
        app, place, csv_upload("phq9", [phq_row(f"C{k}", [1] * 9) for k in range(30)]), school=2
    )


def test_filters_recompute_the_open_view(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    load_results(app, workbench, place)
    table = only_by_class(app.widget, "pcenter-dx-table-prevalence")
    assert "70" in table.value  # all children
    app.panel(ResultsPanel).filters.sex.value = "male"
    assert '<td class="pcenter-num">15</td>' in table.value
    assert app.panel(ResultsPanel).charts["prevalence"].bars.y.tolist()[0] == pytest.approx(100.0)
    app.panel(ResultsPanel).filters.sex.value = ""
    app.panel(ResultsPanel).filters.district.value = place.districts[1]
    assert [label for label, _ in app.panel(ResultsPanel).filters.school.options][1:] == [
        "Школа №3",
        "Школа №4",
    ]
    app.panel(ResultsPanel).selector.value = "comparison"
    comparison = only_by_class(app.widget, "pcenter-dx-table-comparison").value
    # the schools of the selection side by side, then the selection and the region as a whole
    assert comparison.index("Школа №3") < comparison.index("All schools of the selection")
    assert "Школа №4" not in comparison, "school 4 sent nothing"
    assert "Region" in comparison
    app.panel(ResultsPanel).selector.value = "ranking"
    ranking = only_by_class(app.widget, "pcenter-dx-table-ranking").value
    assert '<td>Школа №3</td><td class="pcenter-num">1</td>' in ranking  # 30 children: ranked
    app.panel(ResultsPanel).filters.district.value = place.districts[0]
    ranking = only_by_class(app.widget, "pcenter-dx-table-ranking").value
    assert "Школа №1" in ranking and "Too few results to rank" not in ranking
    app.panel(ResultsPanel).filters.district.value = place.districts[1]
    app.panel(ResultsPanel).selector.value = "completeness"
    completeness = only_by_class(app.widget, "pcenter-dx-table-completeness").value
    assert "Школа №4" in completeness  # district 2: school 4 sent nothing
    app.panel(ResultsPanel).filters.instrument.value = "sdq_self"
    assert app.state.scale == "total" and app.state.top_bands == ("borderline", "abnormal")
    assert app.panel(ResultsPanel).filters.scale.options[0][1] == "emotional"


def test_language_switch_keeps_the_filters(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    load_results(app, workbench, place)
    app.panel(ResultsPanel).filters.sex.value = "female"
    app.shell.language_picker.value = "kk"
    assert app.panel(ResultsPanel).filters.sex.value == "female"
    assert app.panel(ResultsPanel).filters.sex.description == "Жынысы"


def test_exports_hide_small_counts_and_are_audited(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="ru")
    load_results(app, workbench, place)
    app.panel(ResultsPanel).threshold.value = 20
    app.panel(ResultsPanel).export_format.value = "xlsx"
    app.panel(ResultsPanel).export_button.click()
    book = load_workbook(io.BytesIO(decode_link(app.panel(ResultsPanel).download.value)))
    prevalence = {
        row[0]: row[1:] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)
    }
    # 15 boys scored 0 (minimal), under the threshold of 20: count and share hidden
    assert prevalence["Минимальная"][:3] == ("<20", 70, "<20")
    # secondary suppression: the smallest other non-zero band (25) goes too, so the hidden 15 is
    # not 70 − 30 − 25; the 30 with mild symptoms stay visible
    assert prevalence["Умеренно тяжёлая"][0] == "<20" and prevalence["Лёгкая"][0] == 30
    comparison = {
        row[0]: row[1:] for row in book.worksheets[2].iter_rows(min_row=5, values_only=True)
    }
    assert comparison["Регион"][:2] == (25, 70)  # 25 children in the top bands of 70
    assert "Школа №1" in comparison and "Школа №3" in comparison, "the schools are compared"
    assert book.worksheets[2]["A4"].value == "Школа" and book.worksheets[2]["B4"].value == "Дети"
    app.panel(ResultsPanel).export_format.value = "docx"
    app.panel(ResultsPanel).export_button.click()
    assert decode_link(app.panel(ResultsPanel).download.value).startswith(b"PK")
    docx = Document(io.BytesIO(decode_link(app.panel(ResultsPanel).download.value)))
    assert len(docx.inline_shapes) == 3, "a chart beside each table of shares"
    app.panel(ResultsPanel).export_format.value = "png"
    app.panel(ResultsPanel).export_button.click()
    assert decode_link(app.panel(ResultsPanel).download.value).startswith(b"\x89PNG")
    with workbench.sessions() as session:
        exports = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "export")
        ).all()
    assert [e["format"] for e in exports] == ["xlsx", "docx", "png"]
    assert all(e["threshold"] == 20 for e in exports)


def test_study_form_saves_edits_and_writes_the_note(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="ru")
    panel = app.panel(StudyPanel)
    assert "Просрочено" in panel.coverage.value
    panel.school.value = place.schools[1]
    panel.quarter.value = panel.quarter.options[0][1]
    panel.studied_on.value = datetime.now(UTC).astimezone(KZ_TZ).date()
    for code in DOMAIN_CODES:
        panel.scores[code].value = 3
    panel.scores["documentation_kept"].value = 1
    panel.findings.value = "Документация неполная."
    panel.save_button.click()
    assert "Изучение сохранено (версия 1)" in banner(app)
    assert "Изучена в этом квартале: 1" in panel.coverage.value
    panel.findings.value = "Документация неполная; журнал не ведётся."
    panel.save_button.click()
    assert "(версия 2)" in banner(app)
    panel.note_lang.value = "kk"
    panel.note_button.click()
    content = decode_link(panel.note_link.value)
    with workbench.sessions() as session:
        report = session.scalars(select(Report)).one()
    assert report.content == content and report.lang == "kk"
    # Rule 21: the sending to the education management body is recorded, when and by whom
    assert panel.sent_box.layout.display is None
    panel.sent_to.value = "Управление образования области; школа"
    panel.sent_button.click()
    assert "направлен" in banner(app)
    with workbench.sessions() as session:
        report = session.scalars(select(Report)).one()
    assert report.sent_to == "Управление образования области; школа"
    assert report.sent_by is not None and report.sent_at is not None
    assert panel.sent_box.layout.display == "none"
    # linking the note made version 3; the form follows it, so the next edit is not a conflict
    panel.recommendations.value = "Вести журнал консультаций."
    panel.save_button.click()
    assert "(версия 4)" in banner(app)


def test_note_needs_a_saved_study(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    app.panel(StudyPanel).note_button.click()
    assert "Save the study first" in banner(app)


def test_every_view_opens_without_results_and_without_an_error(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench, lang="kk")
    for key in ("distribution", "comparison", "trend", "ranking", "completeness", "prevalence"):
        app.panel(ResultsPanel).selector.value = key
        assert banner(app) == ""
    assert (
        "Сүзгілерге сәйкес нәтижелер жоқ"
        in only_by_class(app.widget, "pcenter-dx-table-prevalence").value
    )


def test_the_study_form_shows_the_quarters_documentation_reviews(
    workbench: Workbench, place: Place
) -> None:
    """A methodologist's documentation review (Rule 11.3) is read where the school's quarterly
    study (Rule 21) is recorded, with its critical gaps named."""
    from pcenter_lib.intervision import get_checklist
    from pcenter_lib.services.documentation_reviews import save_review

    checklist = get_checklist("annual_plan")
    answers = {item.code: "met" for item in checklist.items}
    critical = next(item for item in checklist.items if item.critical)
    answers[critical.code] = "not_met"
    today = datetime.now(UTC).astimezone(KZ_TZ).date()
    with workbench.sessions.begin() as session:
        save_review(
            session,
            actor="methodologist1",
            school_id=place.schools[1],
            checklist="annual_plan",
            visited_on=today,
            answers=answers,
        )
    app = open_app(workbench, lang="ru")
    panel = app.panel(StudyPanel)
    panel.school.value = place.schools[1]
    panel.quarter.value = panel.quarter.options[0][1]  # this quarter, the review's
    shown = html.unescape(panel.reviews.value)
    assert checklist.title["ru"] in shown and critical.text["ru"] in shown
    panel.school.value = place.schools[0]
    assert "Нет проверки документации" in html.unescape(panel.reviews.value)
    assert banner(app) == ""
