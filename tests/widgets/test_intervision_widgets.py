"""The intervision app without a browser: plan, run phase by phase, draft, edit, refuse, export,
series and hours, documentation reviews — each step through the widgets a person presses."""

from __future__ import annotations

import base64
import re

import pytest
from sqlalchemy import select

from pcenter_lib.intervision import checklist_registry, get_format
from pcenter_lib.models import IntervisionExport
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from tests.intervision.seed import (
    CHILD_NAME,
    METHODOLOGIST,
    MOTHER_NAME,
    OPERATOR,
    seed_intervision,
)
from tests.widgets.lookup import find_by_class
from widgets.intervision.app import IntervisionApp
from widgets.intervision.materials import MaterialsPanel
from widgets.intervision.reviews import ReviewsPanel
from widgets.intervision.run import RunPanel
from widgets.intervision.series import SeriesPanel
from widgets.intervision.sessions import SessionsPanel


@pytest.fixture
def app(workbench: Workbench) -> IntervisionApp:
    seed_intervision(workbench)
    built = IntervisionApp(
        workbench, environ={**signed_in(METHODOLOGIST), "QUERY_STRING": "lang=ru"}
    )
    assert built.shell.banner.text == "", built.shell.banner.text
    return built


def _plan(app: IntervisionApp) -> SessionsPanel:
    panel = app.panel(SessionsPanel)
    panel.format.value = "incident_method"
    panel.title_text.value = "Буллинг в 7 классе"
    panel.facilitator.value = "Ерлан Сапаров"
    panel.center_people.value = ("Мәдина Оспанова",)
    panel.school_people.value = "Алия Нұрланқызы"
    panel.plan_button.click()
    assert "error" not in app.shell.banner.kind, app.shell.banner.text
    return panel


def test_plan_and_run_a_session_phase_by_phase(app: IntervisionApp) -> None:
    sessions = _plan(app)
    assert "Буллинг в 7 классе" in sessions.list.value
    run = app.panel(RunPanel)
    assert run.view is not None and run.view.title == "Буллинг в 7 классе"
    phases = get_format("incident_method").phases
    assert len(run.phase_bar.children) == len(phases)
    run.phase_bar.children[0].click()
    assert run.view.current_phase == phases[0].code and run.timer.playing
    assert phases[0].prompts[0]["ru"] in run.prompts.value
    run.timer.value = phases[0].minutes * 60 + 5
    assert "pcenter-iv-timer-over" in run.clock.value
    run.phase_note.value = "Факты случая собраны"
    run.phase_bar.children[1].click()  # moving on keeps the note of the phase left
    assert run.view.note_of(phases[0].code).note == "Факты случая собраны"
    run.learning.value = "Первый контакт с семьёй в течение двух дней"
    run.agreements.value = "Психолог школы готовит план"
    run.outcomes_button.click()
    first, _second = run.checks.values()
    first.value = True
    run.close_button.click()
    assert run.view.status == "held", app.shell.banner.text
    assert "Мәдина Оспанова" in run.outcome.value
    assert all(button.disabled for button in run.phase_bar.children)
    series = app.panel(SeriesPanel)
    series.hours_button.click()
    assert "Мәдина Оспанова" in series.hours.value and "Алия" not in series.hours.value


def test_draft_edit_refuse_fix_and_export(app: IntervisionApp) -> None:
    _plan(app)
    materials = app.panel(MaterialsPanel)
    materials.draft_button.click()
    assert CHILD_NAME not in materials.text.value and materials.text.value
    assert "pcenter-iv-clean" in materials.findings.value
    clean = materials.text.value
    materials.text.value = clean + f"\nМама — {MOTHER_NAME}."
    materials.save_button.click()
    assert (
        "pcenter-iv-leaks" in materials.findings.value
        and MOTHER_NAME not in materials.findings.value
    )
    assert '<mark class="pcenter-iv-leak">' in materials.findings.value
    materials.docx_button.click()
    assert "pcenter-iv-refused" in materials.export_result.value
    assert "download" not in materials.export_result.value
    assert app.shell.banner.kind == "error"
    materials.text.value = clean + "\nМама пришла сама."
    materials.save_button.click()
    assert "pcenter-iv-clean" in materials.findings.value
    materials.html_button.click()
    link = re.search(r'href="data:[^;]+;[^,]*base64,([^"]+)"', materials.export_result.value)
    assert link, materials.export_result.value
    page = base64.b64decode(link.group(1)).decode()
    assert "Мама пришла сама." in page and CHILD_NAME not in page
    with app.workbench.sessions() as session:
        assert len(session.scalars(select(IntervisionExport)).all()) == 1


def test_series_with_final_evaluation(app: IntervisionApp) -> None:
    series = app.panel(SeriesPanel)
    series.series_title.value = "Осенняя группа"
    series.facilitator.value = "Ерлан Сапаров"
    series.members.value = ("Мәдина Оспанова",)
    series.create_button.click()
    assert "Осенняя группа" in series.table.value
    series.evaluation.value = "Группа сработалась"
    series.evaluate_button.click()  # no session of the series is pending
    assert "Группа сработалась" in series.table.value, app.shell.banner.text


def test_a_documentation_review_needs_every_answer(app: IntervisionApp) -> None:
    reviews = app.panel(ReviewsPanel)
    reviews.checklist.value = "annual_plan"
    items = list(reviews.answers.values())
    assert len(items) == len(checklist_registry()["annual_plan"].items)
    reviews.save_button.click()
    assert app.shell.banner.kind == "error" and "Ответьте" in app.shell.banner.text
    for control in items:
        control.value = "met"
    reviews.save_button.click()
    assert "100" in reviews.result.value and "100" in reviews.list.value


def test_the_app_is_not_shown_to_an_intake_operator(workbench: Workbench) -> None:
    seed_intervision(workbench)
    built = IntervisionApp(workbench, environ={**signed_in(OPERATOR), "QUERY_STRING": "lang=kk"})
    assert built.panels == {}
    assert not find_by_class(built.widget, "pcenter-iv-plan")
