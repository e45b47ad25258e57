"""The diagnostics app without a browser: set values, click, and read what a person would see."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import UTC, datetime
from typing import Any

import ipywidgets as widgets
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pcenter_lib.diagnostics.exports import png_available
from pcenter_lib.diagnostics.ppss import DOMAIN_CODES
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.models import AuditEvent, Report, Request, ScreeningRound
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.diagnostics.fixtures import SAMPLES, Place, csv_upload, make_region, phq_row
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.diagnostics.app import DiagnosticsApp, build_diagnostics_app


@pytest.fixture
def place(workbench: Workbench) -> Place:
    return make_region(workbench)


def open_app(
    workbench: Workbench, user: str = "methodologist1", lang: str = "ru"
) -> DiagnosticsApp:
    return DiagnosticsApp(
        workbench, environ={**signed_in(user), "QUERY_STRING": f"lang={lang}"}
    )


def banner(app: DiagnosticsApp) -> str:
    """The banner's text as a person reads it (markup removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", only_by_class(app.widget, "pcenter-banner").value))


def choose_file(app: DiagnosticsApp, data: bytes, name: str) -> None:
    assert app.importer is not None
    app.importer.upload.value = (
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
    importer = app.importer
    assert importer is not None
    importer.school.value = place.schools[school]
    importer.instrument.value = instrument
    importer.period.value = importer.period.options[0]
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
    tabs = only_by_class(app.widget, "pcenter-dx-tabs")
    assert isinstance(tabs, widgets.Tab)
    assert list(tabs.titles) == ["Результаты", "Загрузка", "Изучение школьных служб"]
    assert find_by_class(app.widget, "pcenter-dx-views")


def test_an_analyst_sees_results_only(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, user="analyst1", lang="en")
    assert list(only_by_class(app.widget, "pcenter-dx-tabs").titles) == ["Results"]
    assert app.importer is None and app.study is None


def test_build_without_a_workbench_explains_instead_of_failing(tmp_path: Any) -> None:
    environ = {
        "PCENTER_DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3",
        "PCENTER_SECRET_KEY_FILE": str(tmp_path / "missing.key"),
        "PCENTER_LANG": "en",
    }
    import os

    saved = {k: os.environ.get(k) for k in environ}
    os.environ.update(environ)
    try:
        page = build_diagnostics_app(environ=environ)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert "pcenter-fatal" in page._dom_classes
    assert "cannot open" in page.value


def test_importing_the_sample_shows_the_round_and_its_request(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench)
    import_file(app, place, (SAMPLES / "phq9_sample.csv").read_bytes(), "phq9_sample.csv")
    assert app.importer is not None
    outcome = app.importer.outcome.value
    with workbench.sessions() as session:
        request = session.scalars(select(Request)).one()
        round_id = session.scalars(select(ScreeningRound.id)).one()
    assert f"Тур {round_id}: результатов 12" in outcome
    assert request.journal_number in outcome
    assert request.journal_number in app.importer.rounds.value
    assert "Тур 1 загружен" in banner(app)
    assert app.importer.progress.value == 1.0
    # the results tab was rebuilt from the new data
    prevalence = only_by_class(app.widget, "pcenter-dx-table-prevalence").value
    assert "12" in prevalence


def test_rows_that_skipped_a_critical_item_are_pointed_out_after_import(
    workbench: Workbench, place: Place
) -> None:
    rows = [phq_row("7A-01", [0] * 9), phq_row("7A-02", [1, 1, 1, 1, 1, 1, 1, 1, ""])]
    app = open_app(workbench)
    import_file(app, place, csv_upload("phq9", rows), "skipped.csv")
    assert app.importer is not None
    outcome = app.importer.outcome.value
    assert "Не ответили на критический вопрос: 1 (строки файла 3)" in outcome
    assert "Баллы без диапазона" not in outcome


def test_a_broken_file_shows_every_problem_and_writes_nothing(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench, lang="kk")
    import_file(app, place, (SAMPLES / "phq9_sample_with_errors.csv").read_bytes(), "bad.csv")
    assert app.importer is not None
    report = app.importer.report.value
    assert report.count("<tr>") == 6  # header + five problems
    assert "Не күтіледі" in report and "31" in report
    assert "Файл жүктелмеді" in banner(app)
    with workbench.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ScreeningRound)) == 0


def test_importing_without_a_file_asks_for_one(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    assert app.importer is not None
    app.importer.import_button.click()
    assert "Choose a file" in banner(app)


def test_a_duplicate_upload_is_refused_in_the_banner(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    data = (SAMPLES / "phq9_sample.csv").read_bytes()
    import_file(app, place, data)
    import_file(app, place, data, school=1)
    assert "already imported" in banner(app)


def test_templates_are_offered_in_kazakh_and_russian(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench)
    assert app.importer is not None
    app.importer.instrument.value = "gad7"
    links = app.importer.templates.value
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
    app.filters.sex.value = "male"
    assert '<td class="pcenter-num">15</td>' in table.value
    assert app.results.prevalence_chart.bars.y.tolist()[0] == pytest.approx(100.0)
    app.filters.sex.value = ""
    app.filters.district.value = place.districts[1]
    assert [label for label, _ in app.filters.school.options][1:] == ["Школа №3", "Школа №4"]
    app.results.selector.value = 2  # comparison
    comparison = only_by_class(app.widget, "pcenter-dx-table-comparison").value
    assert "District" in comparison and "Region" in comparison
    app.results.selector.value = 4  # ranking
    ranking = only_by_class(app.widget, "pcenter-dx-table-ranking").value
    assert "Школа №3" in ranking and "<td>1</td>" in ranking  # 30 children: ranked
    app.filters.district.value = place.districts[0]
    ranking = only_by_class(app.widget, "pcenter-dx-table-ranking").value
    assert "Школа №1" in ranking and "Too few results to rank" not in ranking
    app.filters.district.value = place.districts[1]
    app.results.selector.value = 5  # completeness
    completeness = only_by_class(app.widget, "pcenter-dx-table-completeness").value
    assert "Школа №4" in completeness  # district 2: school 4 sent nothing
    app.filters.instrument.value = "sdq_self"
    assert app.choice.scale == "total" and app.choice.top_bands == ("borderline", "abnormal")
    assert app.filters.scale.options[0][1] == "emotional"


def test_language_switch_keeps_the_filters(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    load_results(app, workbench, place)
    app.filters.sex.value = "female"
    app.shell.language_picker.value = "kk"
    assert app.filters.sex.value == "female"
    assert app.filters.sex.description == "Жынысы"


def test_exports_hide_small_counts_and_are_audited(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="ru")
    load_results(app, workbench, place)
    app.results.threshold.value = 20
    app.results.export_format.value = "xlsx"
    app.results.export_button.click()
    book = load_workbook(io.BytesIO(decode_link(app.results.download.value)))
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
    assert comparison["Регион"][:2] == (70, 25)
    app.results.export_format.value = "docx"
    app.results.export_button.click()
    assert decode_link(app.results.download.value).startswith(b"PK")
    app.results.export_format.value = "png"
    app.results.export_button.click()
    if not png_available():  # PNG needs matplotlib; without it the app says so and exports nothing
        assert "matplotlib" in banner(app) and app.results.download.value == ""
    with workbench.sessions() as session:
        exports = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "export")
        ).all()
    assert [e["format"] for e in exports][:2] == ["xlsx", "docx"]
    assert all(e["threshold"] == 20 for e in exports)


def test_study_form_saves_edits_and_writes_the_note(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="ru")
    panel = app.study
    assert panel is not None
    assert "Просрочено" in panel.coverage.value
    panel.school.value = place.schools[1]
    panel.quarter.value = panel.quarter.options[0]
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
    # linking the note made version 3; the form follows it, so the next edit is not a conflict
    panel.recommendations.value = "Вести журнал консультаций."
    panel.save_button.click()
    assert "(версия 4)" in banner(app)


def test_note_needs_a_saved_study(workbench: Workbench, place: Place) -> None:
    app = open_app(workbench, lang="en")
    assert app.study is not None
    app.study.note_button.click()
    assert "Save the study first" in banner(app)


def test_every_view_opens_without_results_and_without_an_error(
    workbench: Workbench, place: Place
) -> None:
    app = open_app(workbench, lang="kk")
    for index in range(6):
        app.results.selector.value = index
        assert banner(app) == ""
    app.results.selector.value = 0
    assert (
        "Сүзгілерге сәйкес нәтижелер жоқ"
        in only_by_class(app.widget, "pcenter-dx-table-prevalence").value
    )
