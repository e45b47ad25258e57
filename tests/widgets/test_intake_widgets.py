"""The intake app driven without a browser: set ``.value``, ``.click()``, check DB and screen.

The app runs on the SQLite workbench with the small Center of ``tests/intake/world.py`` and a
clock fixed at Wednesday 18 March 2026, 10:00 Kazakhstan time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import Translator
from pcenter_lib.models import Consent, Notification, Request, SupportPlan
from tests.conftest import signed_in
from tests.intake.world import BOY_14, IntakeWorld, iin_for
from tests.widgets.conftest import open_intake_app as open_app
from tests.widgets.lookup import only_by_class
from widgets.intake.app import IntakeApp, build_intake_app
from widgets.intake.calendar import CalendarEditor
from widgets.intake.compliance import ComplianceView
from widgets.intake.consent import ConsentPanel
from widgets.intake.correction import CorrectionPanel
from widgets.intake.form import IntakeForm
from widgets.intake.journal import JournalTable
from widgets.intake.mobile import MobileGroupPanel
from widgets.intake.threat import DirectThreatPanel


def fill_form(app: IntakeApp, *, threat: bool = False, iin: str | None = None) -> IntakeForm:
    form = app.panel(IntakeForm)
    assert isinstance(form, IntakeForm)
    form.channel.value = "phone"
    form.source.value = "legal_representative"
    form.applicant_name.value = "Aliya Nurlanovna"
    form.applicant_relation.value = "mother"
    form.child_name.value = "Nurlan Serikov"
    form.iin.value = iin or iin_for(BOY_14)
    form.concerns.value = ("suicidal",) if threat else ("bullying",)
    form.description.value = "Said he does not want to live" if threat else "Bullied at school"
    form.direct_threat.value = threat
    return form


def count(world: IntakeWorld, model: type) -> int:
    with world.bench.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_operator_registers_a_request_in_kazakh(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "kk")
    assert [kind.tab for kind in app.panels] == [
        "register",
        "journal",
        "threat",
        "consent",
        "child",
    ]
    form = fill_form(app)
    form.save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "2026/000001 тіркелді" in app.shell.banner.text
    assert "2026-03-20 23:59" in form.result.value
    assert "заңды өкілдің келісімі қажет" in form.result.value
    assert app.tabs.selected_index == list(app.panels).index(ConsentPanel)  # Rule 15: next step
    with world.bench.sessions() as session:
        request = session.scalars(select(Request)).one()
        assert request.channel == "phone" and request.registered_by == "operator1"
    assert form.description.value == "" and form.channel.value is None
    assert app.picker is not None and "2026/000001" in app.picker.summary.value
    journal = app.panel(JournalTable)
    assert "2026/000001" in journal.table.value


def test_direct_threat_for_a_14_year_old_through_the_form_in_russian(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "ru")
    fill_form(app, threat=True).save_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "до 2026-03-18 23:59" in app.shell.banner.text
    threat = app.panel(DirectThreatPanel)
    assert isinstance(threat, DirectThreatPanel)
    assert [row.view.recipient for row in threat.rows] == [
        "health",
        "police",
        "local_executive_body",
        "child_rights_body",
        "legal_representative",
    ]
    assert "Органы здравоохранения" in threat.rows[0].text.value
    assert "2026-03-18 11:00" in threat.rows[0].text.value  # due 60 minutes after registration
    assert "ещё не отправлено" in threat.rows[0].text.value
    police = threat.rows[1]
    police.channel.value = "phone"
    police.recipient.value = "Дежурная часть РУВД"
    police.send_button.click()
    assert app.shell.banner.kind != "error", app.shell.banner.text
    police = threat.rows[1]
    assert police.view.sent_by == "operator1" and "отправлено" in police.text.value
    police.reference.value = "КУСП 1234"
    police.confirm_button.click()
    with world.bench.sessions() as session:
        row = session.scalars(select(Notification).where(Notification.recipient == "police")).one()
        assert row.sent_at is not None and row.confirmation_ref == "КУСП 1234"
        assert row.due_at == datetime(2026, 3, 18, 11, 0, tzinfo=KZ_TZ)  # an hour, not 23:59


@pytest.mark.parametrize(
    ("lang", "change", "expected"),
    [
        ("kk", {"iin": "111111111111"}, "ЖСН"),
        ("ru", {"channel": None}, "Выберите канал"),
        ("kk", {"source": None}, "Сұраудың көзін таңдаңыз"),
        ("ru", {"received_time": "10:30"}, "в будущем"),
        ("ru", {"received_time": "ten"}, "ЧЧ:ММ"),
        ("kk", {"description": "x" * 4001}, "4001"),
        (
            "ru",
            {"iin": "", "birth_date": date(2026, 3, 19), "sex": "male"},
            "позже дня поступления",
        ),
    ],
)
def test_bad_input_is_shown_in_the_users_language_and_writes_nothing(
    world: IntakeWorld, lang: str, change: dict[str, object], expected: str
) -> None:
    app = open_app(world, "operator1", lang)
    form = fill_form(app)
    for name, value in change.items():
        getattr(form, name).value = value
    form.save_button.click()
    assert app.shell.banner.kind == "error"
    assert expected in app.shell.banner.text
    assert count(world, Request) == 0
    assert form.child_name.value == "Nurlan Serikov"  # what was typed stays


def test_possible_duplicate_is_confirmed_before_saving(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "kk")
    fill_form(app).save_button.click()
    form = fill_form(app)
    form.save_button.click()
    assert count(world, Request) == 1
    assert "2026/000001" in form.duplicate_box.value
    assert form.confirm_button.layout.display is None
    form.confirm_button.click()
    assert count(world, Request) == 2
    assert form.confirm_button.layout.display == "none"


def test_marking_a_registered_request_as_a_direct_threat(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "kk")
    fill_form(app).save_button.click()
    threat = app.panel(DirectThreatPanel)
    assert isinstance(threat, DirectThreatPanel)
    assert threat.rows == []
    threat.note.value = "Қоңырау кезінде қатер анықталды"
    threat.mark_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert len(threat.rows) == 5
    assert app.picker is not None and "тікелей қатер" in app.picker.summary.value.lower()


def test_two_operators_correcting_the_same_entry_see_a_conflict_and_lose_nothing(
    world: IntakeWorld,
) -> None:
    world.register()
    first, second = open_app(world, "operator1", "kk"), open_app(world, "operator2", "ru")
    panels = []
    for app in (first, second):
        app.state.request_id = 1
        panel = app.panel(JournalTable).correction
        assert isinstance(panel, CorrectionPanel) and panel.detail is not None
        panels.append(panel)
    panels[0].description.value = "Первая формулировка"
    panels[0].reason.value = "уточнение"
    panels[1].description.value = "Вторая формулировка"
    panels[1].reason.value = "уточнение"
    panels[0].save_button.click()
    assert first.shell.banner.kind == "success"
    panels[1].save_button.click()
    assert second.shell.banner.kind == "error"
    assert "operator1" in second.shell.banner.text and "не сохранены" in second.shell.banner.text
    assert "Первая формулировка" in panels[1].conflict_view.value
    assert "Вторая формулировка" in panels[1].conflict_view.value
    assert panels[1].description.value == "Вторая формулировка"
    with world.bench.sessions() as session:
        assert session.get(Request, 1).description == "Первая формулировка"
    panels[1].save_button.click()
    assert second.shell.banner.kind == "success", second.shell.banner.text
    # who corrected, by the name colleagues know, not the login
    assert "Operator1" in panels[1].history.value and "Operator2" in panels[1].history.value
    assert "operator1" not in panels[1].history.value


def test_consent_gate_refuses_then_allows(world: IntakeWorld) -> None:
    done = world.register()
    app = open_app(world, "operator1", "ru")
    app.state.request_id = done.id
    consent = app.panel(ConsentPanel)
    consent.check_button.click()
    assert app.shell.banner.kind == "error" and "пункт 15" in app.shell.banner.text
    consent.kind.value = "written"
    consent.relation.value = "mother"
    consent.given_by.value = "Алия Нурлановна"
    consent.scope.value = "Консультации"
    consent.record_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert "Алия Нурлановна" in consent.listing.value
    consent.check_button.click()
    assert app.shell.banner.kind == "success" and "согласие" in app.shell.banner.text
    assert count(world, Consent) == 1


def test_specialist_forms_a_group_and_draws_up_a_plan(world: IntakeWorld) -> None:
    done = world.register()
    world.consent(done.child_id)
    app = open_app(world, "specialist1", "kk")
    app.state.request_id = done.id
    mobile = app.panel(MobileGroupPanel)
    mobile.staff.value = tuple(world.staff_ids)
    mobile.form_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    mobile.kind.value = "consultation"
    mobile.responsible.value = "Psychologist A"
    mobile.due_on.value = date(2026, 3, 25)
    mobile.remote.value = True
    mobile.add_button.click()
    assert "қашықтықтан" in mobile.items_view.value
    mobile.draw_button.click()
    assert app.shell.banner.kind == "success", app.shell.banner.text
    assert count(world, SupportPlan) == 1


def test_tabs_follow_the_roles(world: IntakeWorld) -> None:
    admin = open_app(world, "admin1", "en")
    assert [kind.tab for kind in admin.panels] == [
        "compliance",
        "calendar",
    ] and admin.picker is None
    supervisor = open_app(world, "supervisor1", "ru")
    assert IntakeForm not in supervisor.panels and ComplianceView in supervisor.panels
    methodologist = open_app(world, "methodologist1", "kk")
    assert methodologist.panels == {} and not methodologist.shell.allowed


def test_language_switch_keeps_what_was_typed(world: IntakeWorld) -> None:
    app = open_app(world, "operator1", "kk")
    form = fill_form(app)
    app.shell.language_picker.value = "ru"
    assert form.save_button.description == Translator("ru")("Register the request")
    assert form.description.value == "Bullied at school" and form.channel.value == "phone"
    assert app.tabs.titles[0] == "Регистрация"


def test_journal_filters_and_export_link(world: IntakeWorld) -> None:
    world.register()
    world.register(world.draft(child=None, concerns=("violence",), channel="email"))
    app = open_app(world, "operator1", "ru")
    journal = app.panel(JournalTable)
    journal.channel.value = "email"
    journal.apply_button.click()
    assert "2026/000002" in journal.table.value and "2026/000001" not in journal.table.value
    journal.channel.value = None
    journal.school.value = world.school_id
    journal.apply_button.click()
    assert "2026/000001" in journal.table.value and "2026/000002" in journal.table.value
    journal.school.value = world.other_school_id
    journal.apply_button.click()
    assert "2026/000001" not in journal.table.value
    journal.export_button.click()
    assert 'download="journal-' in journal.download.value


def test_compliance_records_are_one_click_away_and_calendar_is_editable(world: IntakeWorld) -> None:
    yesterday = datetime(2026, 3, 17, 15, 0, tzinfo=KZ_TZ)
    world.register(
        world.draft(direct_threat=True, received_at=yesterday), now=yesterday + timedelta(minutes=5)
    )
    admin = open_app(world, "admin1", "ru")
    view = admin.panel(ComplianceView)
    view.date_from.value = date(2026, 3, 1)
    view.show_button.click()
    assert "пункт 16" in view.table.value
    assert view.records.value == ""
    view.record_choice.value = "rule_18"
    records = view.records.value
    assert "2026/000001" in records and "<td>нет</td>" in records
    assert "Органы здравоохранения" in records
    calendar = admin.panel(CalendarEditor)
    calendar.day.value = date(2026, 3, 19)
    calendar.reason.value = "Перенос"
    calendar.save_button.click()
    assert admin.shell.banner.kind == "success", admin.shell.banner.text
    assert "2026-03-19" in calendar.listing.value


def test_build_intake_app_returns_the_page(world: IntakeWorld) -> None:
    page = build_intake_app(world.bench, signed_in("operator1"))
    assert "pcenter-app-intake" in page._dom_classes


def test_counts_take_the_plural_form_of_the_language(world: IntakeWorld) -> None:
    """One request is "1 request" / "1 обращение", five are "5 обращений" (ngettext)."""
    world.register(world.draft())
    english = open_app(world, "operator1", "en").panel(JournalTable)
    english.view.value = "all"
    assert "; 1 request." in english.page_line.value
    russian = open_app(world, "operator1", "ru").panel(JournalTable)
    russian.view.value = "all"
    assert "; 1 обращение." in russian.page_line.value
    for serial in range(2, 6):
        world.register(world.draft(child=None, description=f"Обращение {serial}"))
    russian.reload()
    assert "; 5 обращений." in russian.page_line.value


def test_opening_the_journal_loads_it_once_and_a_language_switch_not_again(
    world: IntakeWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each load reads and decrypts the whole journal: at region scale a second one on opening
    cost about a second. Relabelling the views in another language is not a new query either."""
    import pcenter_lib.services.journal as journal_service
    import widgets.intake.journal as journal_widget

    loads: list[str] = []
    real = journal_service.load_journal_frame

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(str(kwargs.get("actor")))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(journal_service, "load_journal_frame", counted)
    monkeypatch.setattr(journal_widget, "load_journal_frame", counted)
    app = open_app(world, "supervisor1", lang="ru")
    assert app.panel(JournalTable).page is not None
    assert loads == ["supervisor1"]
    only_by_class(app.widget, "pcenter-lang").value = "kk"
    assert loads == ["supervisor1"]
    app.panel(JournalTable).view.value = "all"  # the person chooses another view: it answers
    assert loads == ["supervisor1"] and app.panel(JournalTable).page is not None
