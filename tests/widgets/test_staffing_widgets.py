"""The staffing app without a browser: sliders and inputs move, the numbers shown follow.

Every expected number is recomputed with the domain function from the same inputs and compared
with what the page shows (formatted the way the page's language writes it), so a view that
forgot to redraw, or showed the wrong figure, fails here.
"""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select

from pcenter_lib.domain.staffing import StaffCategory
from pcenter_lib.domain.workload import (
    Activity,
    CoreGroup,
    ScenarioParameters,
    ScenarioResult,
    evaluate_scenario,
    format_units,
)
from pcenter_lib.i18n import Translator
from pcenter_lib.models import Report
from pcenter_lib.services.staffing_scenarios import list_scenarios
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.staffing.seed import ANALYST, MANAGER, YEAR, seed_center
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.staffing.app import StaffingApp, build_staffing_app
from widgets.staffing.recommendation import RecommendationPanel
from widgets.staffing.scenarios import ScenariosPanel
from widgets.staffing.today import TodayPanel
from widgets.staffing.workload import WorkloadPanel

MANAGER_ENV = {**signed_in(MANAGER), "QUERY_STRING": "lang=en"}


@pytest.fixture
def bench(workbench: Workbench) -> Workbench:
    seed_center(workbench)
    return workbench


@pytest.fixture
def app(bench: Workbench) -> StaffingApp:
    built = StaffingApp(bench, environ=MANAGER_ENV, year=YEAR)
    assert built.shell.banner.text == "", built.shell.banner.text
    return built


def expected(app: StaffingApp, **changes: Any) -> ScenarioResult:
    """The result the domain gives for the app's data with ``changes`` to its parameters."""
    parameters = replace(app.state.parameters, **changes)
    return evaluate_scenario(app.state.baseline, app.state.staff.table, parameters)


def key_figure(app: StaffingApp, label: str) -> str:
    """The value next to ``label`` in the scenario's key-figure table."""
    html = app.panel(ScenariosPanel).summary.value
    start = html.index(f"<td>{label}</td>")
    cell = html[start:].split('<td class="pcenter-num">', 1)[1]
    return cell.split("</td>", 1)[0]


def test_the_app_builds_four_tabs_for_the_manager(app: StaffingApp) -> None:
    assert app.tabs.titles == ("Today", "Workload", "Recommendation", "Scenarios")
    assert "pcenter-app-staffing" in app.widget._dom_classes
    assert find_by_class(app.widget, "pcenter-staffing-chart")


def test_an_analyst_sees_a_notice_and_no_data(bench: Workbench) -> None:
    app = StaffingApp(bench, environ=signed_in(ANALYST), year=YEAR)
    assert app.panels == {}
    assert find_by_class(app.widget, "pcenter-notice")
    assert not find_by_class(app.widget, "pcenter-staffing-tabs")


def test_today_shows_the_table_the_violation_cited_and_the_chart(app: StaffingApp) -> None:
    staff = only_by_class(app.widget, "pcenter-staffing-staff").value
    assert "<td>psychologist</td><td>mobile response group specialists</td>" in staff
    assert '<td class="pcenter-num">6</td><td class="pcenter-num">5.5</td>' in staff
    check = only_by_class(app.widget, "pcenter-staffing-check").value
    # 10 + 30 + 12 = 52 breaks only the total of Rule 24
    assert "at least 55 staff units in total; the Center has 52" in check
    assert "Source: Order No. 264, Rule 24;" in check and "3 units to add" in check
    assert check.count("<li>") == 1
    bars, bounds = app.panel(TodayPanel).bars, app.panel(TodayPanel).bounds
    assert list(bars.y) == [10, 30, 12, 52] and list(bounds.y) == [10, 30, 15, 55]
    assert (
        list(bars.x)
        == list(bounds.x)
        == [
            "administrative-managerial personnel",
            "core personnel",
            "auxiliary personnel",
            "all personnel",
        ]
    )
    assert list(bars.colors) == ["#2e7d32", "#2e7d32", "#2e7d32", "#c62828"], "only 24 broken"


def test_the_extra_auxiliary_slider_turns_compliance_into_a_reported_conflict(
    app: StaffingApp,
) -> None:
    status = app.panel(ScenariosPanel).status
    assert "pcenter-compliant" in status._dom_classes
    assert "Compliant: the proposal meets" in status.value
    app.panel(ScenariosPanel).sliders["extra_auxiliary_posts"].value = 4.0  # 12 + 4 = 16 > 15
    assert "pcenter-not-compliant" in status._dom_classes
    assert "pcenter-compliant" not in status._dom_classes
    assert "needs 16 auxiliary staff units but at most 15" in status.value
    assert key_figure(app, "Proposed: auxiliary personnel") == "15"
    assert key_figure(app, "Rule 24") == "not compliant"
    verdict = only_by_class(app.widget, "pcenter-staffing-verdict").value
    assert "pcenter-conflict" in verdict and "Rule 24.3 conflict" in verdict
    app.panel(ScenariosPanel).sliders["extra_auxiliary_posts"].value = 3.0  # exactly the cap
    assert "pcenter-compliant" in status._dom_classes
    assert key_figure(app, "Rule 24") == "compliant"


@pytest.mark.parametrize(
    ("slider", "value"),
    [
        ("requests_change_percent", 100),
        ("new_district_children", 30_000),
        ("new_district_schools", 6),
        ("duty_line_posts", 2),
    ],
)
def test_demand_sliders_change_the_numbers_shown(app: StaffingApp, slider: str, value: int) -> None:
    before = key_figure(app, "Required (WISN): psychologists")
    result = expected(app, **{slider: value})
    app.panel(ScenariosPanel).sliders[slider].value = value
    shown = key_figure(app, "Required (WISN): psychologists")
    psychologists = next(n for n in result.needs if n.group is CoreGroup.PSYCHOLOGISTS)
    assert shown == format_units(psychologists.required, "en")
    assert shown != before
    assert key_figure(app, "Proposed: all personnel") == format_units(
        result.total_recommended, "en"
    )
    wisn = only_by_class(app.widget, "pcenter-staffing-wisn").value
    assert format_units(psychologists.required, "en") in wisn


def test_a_24_7_post_adds_8760_hours_of_psychologists(app: StaffingApp) -> None:
    hours = app.state.result.available_hours
    before = app.state.result.needs[0].required
    app.panel(ScenariosPanel).sliders["duty_line_posts"].value = 1
    assert app.state.result.needs[0].required == pytest.approx(before + 8760 / hours)


def test_workload_shows_the_recorded_counts_and_the_calendar(app: StaffingApp) -> None:
    counts = only_by_class(app.widget, "pcenter-staffing-counts").value
    assert '<td>requests considered</td><td class="pcenter-num">12</td>' in counts
    assert "Schools served: 3; children: 6,000." in counts
    days = app.state.baseline.working_days
    awt = only_by_class(app.widget, "pcenter-staffing-awt").value
    assert f"{days} working days in {YEAR}" in awt
    assert f"available working time {(days - 30 - 8 - 5) * 8:,} hours" in awt


def test_editing_a_standard_recomputes_wisn_and_marks_the_basis(app: StaffingApp) -> None:
    key = (CoreGroup.PSYCHOLOGISTS, Activity.CONSULTATIONS)
    app.panel(WorkloadPanel).standard_boxes[key].value = 3.0
    result = evaluate_scenario(
        app.state.baseline, app.state.staff.table, ScenarioParameters().with_standard(*key, 3.0)
    )
    assert app.state.result == result
    wisn = only_by_class(app.widget, "pcenter-staffing-wisn").value
    assert format_units(result.needs[0].required, "en") in wisn
    assert "Set by the manager." in app.panel(WorkloadPanel).bases[key].value
    sensitivity = only_by_class(app.widget, "pcenter-staffing-sensitivity").value
    assert f"{result.needs[0].sensitivity[1]:+.3f}" in sensitivity


def test_absences_and_campaigns_move_the_available_time_and_the_demand(app: StaffingApp) -> None:
    days = app.state.baseline.working_days
    app.panel(WorkloadPanel).absences["leave_days"].value = 20.0
    assert app.state.result.available_hours == (days - 20 - 8 - 5) * 8
    app.panel(WorkloadPanel).campaigns.value = 7
    counts = only_by_class(app.widget, "pcenter-staffing-counts").value
    assert '<td>information campaigns</td><td class="pcenter-num">7</td>' in counts


def test_an_impossible_input_is_refused_with_a_message_and_changes_nothing(
    app: StaffingApp,
) -> None:
    before = app.state.result
    app.panel(WorkloadPanel).absences["leave_days"].value = 200.0
    app.panel(WorkloadPanel).absences[
        "sick_days"
    ].value = 100.0  # 300 days of absence > working days
    assert "exceed" in app.shell.banner.text
    assert app.shell.banner.kind == "error"
    assert app.state.parameters.sick_days == before.parameters.sick_days


def test_salary_rates_give_the_cost(app: StaffingApp) -> None:
    for category, box in app.panel(RecommendationPanel).rates.items():
        box.value = {"administrative": 300_000.0, "core": 250_000.0, "auxiliary": 150_000.0}[
            category.value
        ]
    cost = only_by_class(app.widget, "pcenter-staffing-cost").value
    result = app.state.result
    assert result.annual_cost is not None
    assert f"{result.annual_cost:,.0f}" in cost
    assert "Annual cost, tenge" in only_by_class(app.widget, "pcenter-staffing-proposal").value
    app.panel(RecommendationPanel).rates[StaffCategory.CORE].value = 0.0
    cost = only_by_class(app.widget, "pcenter-staffing-cost").value
    assert cost == "The total cost appears once every category has a rate; missing: core personnel."
    proposal = only_by_class(app.widget, "pcenter-staffing-proposal").value
    assert "Annual cost, tenge" in proposal, "the lines with a rate keep their cost"
    assert "36,000,000" in proposal  # 10 administrative units × 300,000 tenge × 12 months


def test_save_compare_and_a_concurrent_save_of_the_same_name(
    app: StaffingApp, bench: Workbench
) -> None:
    scenarios = app.panel(ScenariosPanel)
    scenarios.sliders["requests_change_percent"].value = 20
    scenarios.name.value = "Plus 20"
    scenarios.save_button.click()
    assert app.shell.banner.text == "Scenario Plus 20 saved (version 1)."
    other = StaffingApp(bench, environ=MANAGER_ENV, year=YEAR)
    other.panel(ScenariosPanel).saved.value = ("Plus 20",)
    other.panel(ScenariosPanel).load_button.click()
    assert other.panel(ScenariosPanel).sliders["requests_change_percent"].value == 20
    other.panel(ScenariosPanel).sliders["duty_line_posts"].value = 1
    other.panel(ScenariosPanel).save_button.click()
    assert other.shell.banner.text == "Scenario Plus 20 saved (version 2)."
    scenarios.save_button.click()  # still holding version 1
    assert app.shell.banner.kind == "error"
    assert "already saved (version 2, last saved by manager1)" in app.shell.banner.text
    scenarios.sliders["requests_change_percent"].value = -10
    scenarios.name.value = "Minus 10"
    scenarios.save_button.click()
    scenarios.saved.value = ("Plus 20",)
    scenarios.compare_button.click()
    assert "Choose 2 or 3 saved scenarios" in app.shell.banner.text
    scenarios.saved.value = ("Minus 10", "Plus 20")
    scenarios.compare_button.click()
    table = scenarios.comparison.value
    assert (
        '<th scope="col" class="pcenter-num">Minus 10</th>'
        '<th scope="col" class="pcenter-num">Plus 20</th>'
    ) in table
    assert '<td>Change of requests, %</td><td class="pcenter-num">-10</td>' in table
    assert (
        '<td>24/7 duty line posts</td><td class="pcenter-num">0</td><td class="pcenter-num">1</td>'
        in table
    )
    with bench.sessions() as session:
        assert [s.version for s in list_scenarios(session, actor=MANAGER)] == [1, 2]


def test_export_gives_a_download_and_records_the_report(app: StaffingApp, bench: Workbench) -> None:
    app.panel(ScenariosPanel).export_lang.value = "ru"
    app.panel(ScenariosPanel).docx_button.click()
    link = app.panel(ScenariosPanel).download.value
    assert 'download="staffing-proposal-2025-' in link and "-ru.docx" in link
    payload = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
    text = "\n".join(p.text for p in Document(io.BytesIO(payload)).paragraphs)
    assert "Предложение по штатной численности" in text
    assert "Центр психологической поддержки" in text
    with bench.sessions() as session:
        report = session.scalars(select(Report)).one()
    assert report.content == payload and report.created_by == MANAGER


def test_a_language_switch_keeps_the_scenario_and_translates_the_views(app: StaffingApp) -> None:
    app.panel(ScenariosPanel).sliders["new_district_schools"].value = 12
    app.tabs.selected_index = 3
    app.shell.language_picker.value = "ru"
    t = Translator("ru")
    assert app.tabs.titles[3] == t("Scenarios")
    assert app.tabs.selected_index == 3
    assert app.panel(ScenariosPanel).sliders["new_district_schools"].value == 12
    assert app.panel(ScenariosPanel).sliders["new_district_schools"].description == t(
        "New district: schools"
    )
    check = app.panel(TodayPanel).check.value
    assert "Пункт 24: минимальный штатный норматив — всего не менее 55" in check
    assert "Источник: Приказ № 264, пункт 24" in check
    assert "Соответствует: предложение отвечает" in app.panel(ScenariosPanel).status.value


def test_build_staffing_app_returns_the_shell_widget(bench: Workbench) -> None:
    widget = build_staffing_app(bench, environ=MANAGER_ENV)
    assert "pcenter-app-staffing" in widget._dom_classes


def test_another_year_of_records_becomes_the_baseline(app: StaffingApp) -> None:
    assert YEAR in [value for _label, value in app.panel(WorkloadPanel).year.options]
    app.panel(WorkloadPanel).change_year(YEAR + 1)
    assert app.state.baseline.year == YEAR + 1
    counts = only_by_class(app.widget, "pcenter-staffing-counts").value
    assert '<td>requests considered</td><td class="pcenter-num">1</td>' in counts
    assert f"Recorded in {YEAR + 1}" in counts
