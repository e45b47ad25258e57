"""The home app: the apps each role may open, the database summary, readable failures."""

from __future__ import annotations

import html
import logging
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest

from pcenter_lib.config import load_settings
from pcenter_lib.errors import ValidationError
from pcenter_lib.models import Case, Child, District, EducationOrganization, Region, Request
from pcenter_lib.privacy import ensure_key_file
from pcenter_lib.services.overview import DatabaseOverview, summarize_database
from pcenter_lib.workbench import Workbench, open_workbench
from tests.conftest import signed_in
from tests.widgets.lookup import find_by_class, only_by_class
from widgets.home import build_home_app
from widgets.launch import launch_app

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def app_links(page: widgets.Widget) -> list[tuple[str, str]]:
    """(href, title) of every app card on the home page, in order; href "" for an app in preparation."""
    markup = only_by_class(page, "pcenter-app-list").value
    cards = re.findall(
        r'<div class="pcenter-app-card" data-app="\w+">'
        r'(?:<a class="pcenter-app-link" href="([^"]+)">([^<]+)</a>'
        r'|<span class="pcenter-app-planned-title">([^<]+)</span> <span class="pcenter-app-planned">)',
        markup,
    )
    return [
        (html.unescape(href), html.unescape(linked or planned)) for href, linked, planned in cards
    ]


def app_codes(page: widgets.Widget) -> list[str]:
    markup = only_by_class(page, "pcenter-app-list").value
    return re.findall(r'data-app="(\w+)"', markup)


def overview_counts(page: widgets.Widget) -> dict[str, int]:
    markup = only_by_class(page, "pcenter-overview").value
    return {
        k: int(v) for k, v in re.findall(r'data-count="(\w+)">.*?"pcenter-count">(\d+)<', markup)
    }


# --- the list of apps ---------------------------------------------------------------------


def test_methodologist_sees_their_apps_with_links_in_russian(people_workbench: Workbench) -> None:
    page = build_home_app(people_workbench, signed_in("methodologist1"))
    assert app_links(page) == [
        ("../render/supervision.ipynb?lang=ru", "Супервизия"),
        ("../render/intervision.ipynb?lang=ru", "Интервизия"),
        ("../render/diagnostics.ipynb?lang=ru", "Диагностика"),
        ("../render/reports.ipynb?lang=ru", "Отчёты"),
    ]
    markup = only_by_class(page, "pcenter-app-list").value
    assert "<h2>Ваши приложения</h2>" in markup
    assert "Загрузка и обработка результатов скрининга школ" in markup
    assert "Пункты Правил (приказ № 264): 20–21" in markup
    assert only_by_class(page, "pcenter-title").value == (
        "<h1>Рабочее место Центра психологической поддержки</h1>"
    )


def test_language_switch_relabels_the_app_list_and_links(people_workbench: Workbench) -> None:
    page = build_home_app(people_workbench, signed_in("manager1"))
    # Rule 18: the management follows direct threats in the requests app.
    assert [title for _, title in app_links(page)] == [
        "Обращения и сроки",
        "Супервизия",
        "Штатная численность",
        "Отчёты",
    ]
    only_by_class(page, "pcenter-lang").value = "kk"
    assert app_links(page)[2:] == [
        ("../render/staffing.ipynb?lang=kk", "Штат саны"),
        ("../render/reports.ipynb?lang=kk", "Есептер"),
    ]
    assert "Дерекқор бүгін" in only_by_class(page, "pcenter-overview").value
    only_by_class(page, "pcenter-lang").value = "en"
    assert [title for _, title in app_links(page)] == [
        "Requests and deadlines",
        "Supervision",
        "Staffing",
        "Reports",
    ]
    assert "Rules of Order No. 264: 24" in only_by_class(page, "pcenter-app-list").value


@pytest.mark.parametrize(
    ("username", "apps"),
    [
        ("operator1", ["intake"]),
        ("specialist1", ["intake", "supervision"]),
        ("supervisor1", ["intake", "supervision", "intervision"]),
        ("analyst1", ["supervision", "diagnostics", "risk_model"]),
        ("admin1", ["intake", "staffing"]),
    ],
)
def test_each_role_sees_exactly_its_apps(
    people_workbench: Workbench, username: str, apps: list[str]
) -> None:
    page = build_home_app(people_workbench, signed_in(username))
    assert app_codes(page) == apps


def test_demo_role_picker_switches_the_app_list(people_workbench: Workbench) -> None:
    page = build_home_app(people_workbench, {"QUERY_STRING": "lang=en"})
    assert find_by_class(page, "pcenter-app-list") == []
    notice = only_by_class(page, "pcenter-notice")
    assert notice.value.startswith("Demo mode: choose a role above")

    only_by_class(page, "pcenter-role-picker").value = "analyst"
    assert [t for _, t in app_links(page)] == ["Supervision", "Diagnostics", "Risk indicators"]
    assert app_links(page)[1][0] == "../render/diagnostics.ipynb?lang=en&demo_role=analyst"

    only_by_class(page, "pcenter-role-picker").value = "intake_operator"
    assert app_links(page) == [
        ("../render/intake.ipynb?lang=en&demo_role=intake_operator", "Requests and deadlines")
    ]


def test_apps_without_a_served_notebook_are_shown_in_preparation_without_a_link(
    people_workbench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every app has its notebook now; a folder without risk_model.ipynb stands for one to come
    import widgets.home

    for served in ("intake", "supervision", "diagnostics"):
        (tmp_path / f"{served}.ipynb").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(widgets.home, "NOTEBOOKS_DIR", tmp_path)
    page = build_home_app(people_workbench, {**signed_in("analyst1"), "QUERY_STRING": "lang=en"})
    links = {title: href for href, title in app_links(page)}
    assert links["Supervision"].startswith("../render/supervision.ipynb")
    assert links["Risk indicators"] == ""
    markup = only_by_class(page, "pcenter-app-list").value
    assert "render/risk_model.ipynb" not in markup


def test_outside_demo_mode_without_user_no_data_is_shown(production_workbench: Workbench) -> None:
    page = build_home_app(production_workbench, {})
    assert find_by_class(page, "pcenter-overview") == []
    assert find_by_class(page, "pcenter-app-list") == []
    assert only_by_class(page, "pcenter-notice").value.startswith("Сіз жүйеге кірмегенсіз.")


# --- failures become readable pages -------------------------------------------------------


def fatal_text(page: widgets.Widget) -> str:
    return str(only_by_class(page, "pcenter-fatal").value)


def test_unsupported_database_is_explained_in_the_configured_language(tmp_path: Path) -> None:
    ensure_key_file(tmp_path / "secret.key")
    page = build_home_app(
        None,
        {
            "PCENTER_DATABASE_URL": "mysql://db.example/pcenter",
            "PCENTER_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
            "PCENTER_DATA_DIR": str(tmp_path),
            "PCENTER_LANG": "ru",
        },
    )
    text = fatal_text(page)
    assert "<h1>Рабочее место не может открыть эту страницу.</h1>" in text
    assert "mysql://db.example/pcenter" in text


def test_missing_key_file_is_explained_rather_than_raised(tmp_path: Path) -> None:
    page = build_home_app(
        None,
        {
            "PCENTER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PCENTER_SECRET_KEY_FILE": str(tmp_path / "missing.key"),
            "PCENTER_DATA_DIR": str(tmp_path),
            "QUERY_STRING": "lang=en",
        },
    )
    assert "The workbench cannot open this page." in fatal_text(page)
    assert "missing.key" in fatal_text(page)


def test_database_without_schema_asks_for_init_db(tmp_path: Path) -> None:
    env = {
        "PCENTER_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PCENTER_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
        "PCENTER_DATA_DIR": str(tmp_path),
        "PCENTER_LANG": "kk",
    }
    bench = open_workbench(load_settings(env), create_key=True)
    try:
        page = build_home_app(bench, env)
    finally:
        bench.engine.dispose()
    assert "дерекқорында өзекті схема жоқ; орындаңыз: pcenter init-db" in fatal_text(page)


def test_unexpected_error_while_building_is_logged_with_a_reference(
    people_workbench: Workbench, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_app(workbench: Workbench, environ: object) -> widgets.Widget:
        raise KeyError("layout")

    with caplog.at_level(logging.ERROR, logger="pcenter.widgets"):
        page = launch_app(
            broken_app, workbench=people_workbench, environ={"QUERY_STRING": "lang=en"}
        )
    ref = re.search(r"recorded under reference ([0-9a-f]{8});", fatal_text(page))
    assert ref, fatal_text(page)
    (record,) = caplog.records
    assert ref.group(1) in record.getMessage() and record.exc_info is not None


# --- the summary service ------------------------------------------------------------------


def add_request(
    seq: int, *, status: str, due_at: datetime, considered: bool, threat: bool
) -> Request:
    return Request(
        journal_year=2026,
        journal_seq=seq,
        received_at=due_at - timedelta(days=2),
        registered_by="operator1",
        channel="phone",
        source="legal_representative",
        due_at=due_at,
        status=status,
        direct_threat=threat,
        considered_at=due_at - timedelta(hours=1) if considered else None,
    )


@pytest.fixture
def busy_workbench(people_workbench: Workbench) -> Workbench:
    """Four requests, three cases, one school: counts worked out by hand in the tests below."""
    with people_workbench.sessions.begin() as session:
        region = Region(code="KZ-TEST", name_kk="Облыс", name_ru="Область", name_en="Region")
        district = District(
            region=region, code="D1", name_kk="А", name_ru="Р", name_en="D", is_urban=True
        )
        school = EducationOrganization(
            district=district,
            bin="123456789012",
            name_kk="Мектеп",
            name_ru="Школа",
            kind="school",
            is_urban=True,
            language="kk",
            student_count=900,
        )
        session.add_all([region, district, school])
        session.add_all(
            [
                # open, not considered, due an hour ago: overdue
                add_request(
                    1,
                    status="open",
                    due_at=NOW - timedelta(hours=1),
                    considered=False,
                    threat=False,
                ),
                # in work, considered in time although due has passed: open, not overdue
                add_request(
                    2,
                    status="in_work",
                    due_at=NOW - timedelta(days=1),
                    considered=True,
                    threat=False,
                ),
                # closed without consideration time: neither open nor overdue
                add_request(
                    3,
                    status="closed",
                    due_at=NOW - timedelta(days=3),
                    considered=False,
                    threat=True,
                ),
                # open direct threat due tomorrow: open, a threat, not overdue
                add_request(
                    4, status="open", due_at=NOW + timedelta(days=1), considered=False, threat=True
                ),
                # due exactly now: not yet overdue (strictly before now)
                add_request(5, status="open", due_at=NOW, considered=False, threat=False),
            ]
        )
        session.flush()
        for number, status in enumerate(("open", "monitoring", "closed")):
            child = Child(code=f"C-{number}", birth_on=date(2012, 1, 1), sex="female")
            session.add(child)
            session.flush()
            session.add(Case(child_id=child.id, status=status))
    return people_workbench


def test_summary_counts_open_overdue_and_threat_requests(busy_workbench: Workbench) -> None:
    with busy_workbench.sessions() as session:
        overview = summarize_database(session, now=NOW)
    assert overview == DatabaseOverview(
        open_requests=4,
        overdue_requests=1,
        open_direct_threats=1,
        open_cases=2,
        education_organizations=1,
        active_users=7,
    )


def test_summary_refuses_a_naive_time(workbench: Workbench) -> None:
    with workbench.sessions() as session, pytest.raises(ValidationError, match="no time zone"):
        summarize_database(session, now=datetime(2026, 11, 24, 9, 0))  # noqa: DTZ001


def test_home_page_shows_the_summary(busy_workbench: Workbench) -> None:
    page = build_home_app(busy_workbench, signed_in("supervisor1"))
    counts = overview_counts(page)
    assert counts["open_requests"] == 4 and counts["open_cases"] == 2
    assert counts["active_users"] == 7 and counts["education_organizations"] == 1
    assert "Просроченные обращения (п. 16)" in only_by_class(page, "pcenter-overview").value
