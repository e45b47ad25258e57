"""The app shell: sign-in, language switch, guarded callbacks, access, demo role picker."""

from __future__ import annotations

import dataclasses
import logging
import re

import pytest

from pcenter_lib.errors import NotFoundError, PcenterError, ValidationError
from pcenter_lib.i18n import N_
from pcenter_lib.services.key_binding import set_demo_database
from pcenter_lib.services.users import first_user_with_role
from pcenter_lib.workbench import Workbench
from tests.conftest import signed_in
from widgets.callbacks import guarded
from widgets.identity import NO_DEMO_USER
from widgets.shell import AppShell

INTAKE_TITLE = N_("Requests and deadlines")
INTAKE_HELP = N_(
    "Register requests, see legal deadlines, run the direct-threat path and mobile groups."
)


def intake_shell(workbench: Workbench, **environ: str) -> AppShell:
    return AppShell(
        workbench, app_code="intake", title=INTAKE_TITLE, help_text=INTAKE_HELP, environ=environ
    )


def home_shell(workbench: Workbench, **environ: str) -> AppShell:
    return AppShell(
        workbench,
        app_code="index",
        title=N_("Psychological Support Center workbench"),
        help_text=N_("Open an app from the list; it shows only the apps your roles may use."),
        environ=environ,
    )


def as_user(username: str) -> dict[str, str]:
    return signed_in(username)


# --- sign-in and header -------------------------------------------------------------------


def test_proxy_user_is_signed_in_in_their_own_language(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    assert shell.user is not None and shell.user.username == "operator1"
    assert (shell.roles, shell.actor, shell.lang, shell.allowed) == (
        ("intake_operator",),
        "operator1",
        "kk",
        True,
    )
    assert shell._title.value == "<h1>" + _home_link("kk") + "Сұраулар және мерзімдер</h1>"
    assert shell._user_line.value == (
        "Кірген пайдаланушы: Arman Operator (operator1), Сұрауларды қабылдау операторы"
    )
    assert shell.language_picker.value == "kk"
    assert shell.role_picker.layout.display == "none", "no role picker behind the proxy"


def _home_link(lang: str) -> str:
    word = {"kk": "Басты бет", "ru": "Главная", "en": "Home"}[lang]
    return f'<a class="pcenter-home-link" href="../render/index.ipynb?lang={lang}">{word}</a> › '


def test_language_switch_relabels_header_help_and_reruns_render(
    people_workbench: Workbench,
) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    seen: list[str] = []
    shell.on_render(lambda: seen.append(shell.t(INTAKE_TITLE)))
    assert seen == ["Сұраулар және мерзімдер"]

    shell.language_picker.value = "ru"
    assert shell.lang == "ru"
    assert shell._title.value == "<h1>" + _home_link("ru") + "Обращения и сроки</h1>"
    assert shell._help.value.startswith("Регистрация обращений")
    assert shell._user_line.value == (
        "Вы вошли: Arman Operator (operator1), Оператор приёма обращений"
    )
    assert shell.language_picker.description == "Язык"

    shell.language_picker.value = "en"
    assert shell._title.value == "<h1>" + _home_link("en") + "Requests and deadlines</h1>"
    assert shell.language_picker.description == "Language"
    assert seen == ["Сұраулар және мерзімдер", "Обращения и сроки", "Requests and deadlines"]


def test_the_page_names_its_language_for_the_html_lang_attribute(
    people_workbench: Workbench,
) -> None:
    """The page template sets ``<html lang>`` from the class ``pcenter-lang-<code>``: one at a time."""
    shell = intake_shell(people_workbench, **as_user("operator1"))
    named = [c for c in shell.widget._dom_classes if c.startswith("pcenter-lang-")]
    assert named == ["pcenter-lang-kk"]
    for lang in ("ru", "en", "kk"):
        shell.language_picker.value = lang
        named = [c for c in shell.widget._dom_classes if c.startswith("pcenter-lang-")]
        assert named == [f"pcenter-lang-{lang}"]


def test_language_switch_clears_a_message_in_the_old_language(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    shell.show_info("Сақталды")
    shell.language_picker.value = "ru"
    assert (shell.banner.kind, shell.banner.widget.value) == (None, "")


@pytest.mark.parametrize(
    ("query", "expected"), [("lang=en", "en"), ("lang=ru&x=1", "ru"), ("lang=xx", "kk"), ("", "kk")]
)
def test_lang_query_parameter_wins_over_the_users_language(
    people_workbench: Workbench, query: str, expected: str
) -> None:
    shell = intake_shell(people_workbench, QUERY_STRING=query, **as_user("operator1"))
    assert shell.lang == expected


def test_without_a_user_the_configured_language_is_used(production_workbench: Workbench) -> None:
    import dataclasses

    settings = dataclasses.replace(production_workbench.settings, lang="ru")
    shell = intake_shell(dataclasses.replace(production_workbench, settings=settings))
    assert shell.lang == "ru"


def test_unknown_app_code_is_refused(people_workbench: Workbench) -> None:
    with pytest.raises(NotFoundError, match="'nope'"):
        AppShell(people_workbench, app_code="nope", title="x", help_text="y", environ={})


# --- who may see what ---------------------------------------------------------------------


def test_role_without_access_sees_the_notice_and_the_app_builds_nothing(
    people_workbench: Workbench,
) -> None:
    shell = intake_shell(people_workbench, **as_user("analyst1"))
    built: list[str] = []
    shell.on_render(lambda: built.append("built"))
    assert shell.allowed is False
    assert built == []
    (notice,) = shell.body.children
    assert "pcenter-notice" in notice._dom_classes
    assert notice.value.startswith(
        "Your roles (Analyst) may not open the app “Requests and deadlines”."
    )
    assert 'href="../render/index.ipynb?lang=en"' in notice.value

    shell.language_picker.value = "ru"
    assert built == []
    assert shell.body.children[0].value.startswith(
        "Вашим ролям (Аналитик) не разрешено открывать приложение «Обращения и сроки»."
    )


def test_without_proxy_user_outside_demo_mode_nothing_is_shown(
    production_workbench: Workbench,
) -> None:
    shell = intake_shell(production_workbench)
    shell.on_render(lambda: pytest.fail("must not build without a user"))
    assert (shell.user, shell.roles, shell.actor, shell.allowed) == (None, (), "", False)
    assert shell.body.children[0].value.startswith("Сіз жүйеге кірмегенсіз.")
    assert shell.role_picker.layout.display == "none"


@pytest.mark.parametrize("username", ["stranger", "retired1"])
def test_unknown_or_disabled_proxy_user_is_not_signed_in(
    production_workbench: Workbench, username: str
) -> None:
    shell = intake_shell(production_workbench, QUERY_STRING="lang=en", **as_user(username))
    assert shell.user is None and not shell.allowed
    assert shell.body.children[0].value == (
        f"The user {username} is not registered in the workbench or is disabled. "
        "Ask the administrator to add you with your roles."
    )


def test_proxy_header_wins_over_demo_role_in_demo_mode(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, QUERY_STRING="demo_role=analyst", **as_user("operator1"))
    assert shell.actor == "operator1" and not shell.demo


# --- guarded callbacks --------------------------------------------------------------------


def test_guard_shows_a_deliberate_error_in_the_users_language(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("methodologist1"))  # Russian speaker

    def refuse() -> str:
        raise NotFoundError(NO_DEMO_USER, role="supervisor")

    assert shell.guard(refuse)() is None
    assert shell.banner.kind == "error"
    assert shell.banner.text == (
        "Ни у одного демо-пользователя нет роли supervisor; выполните: pcenter demo"
    )
    assert 'class="pcenter-banner-error" role="alert"' in shell.banner.widget.value


def test_guard_logs_an_unexpected_error_and_shows_a_reference(
    people_workbench: Workbench, caplog: pytest.LogCaptureFixture
) -> None:
    shell = intake_shell(people_workbench, **as_user("methodologist1"))

    def crash(value: int) -> int:
        return 10 // value

    with caplog.at_level(logging.INFO, logger="pcenter.widgets"):
        assert shell.guard(crash)(0) is None
    match = re.fullmatch(
        r"Произошла непредвиденная ошибка, действие не выполнено\. Ошибка записана под номером "
        r"([0-9a-f]{8}); сообщите этот номер администратору\.",
        shell.banner.text,
    )
    assert match, shell.banner.text
    (record,) = [r for r in caplog.records if r.name == "pcenter.widgets"]
    assert record.levelno == logging.ERROR
    assert match.group(1) in record.getMessage() and "crash" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_guard_passes_arguments_and_results_through(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))

    @guarded(shell)
    def add(a: int, *, b: int) -> int:
        return a + b

    assert add(2, b=3) == 5
    assert shell.banner.kind is None


def test_guard_never_swallows_interrupts(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))

    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        shell.guard(interrupt)()


def test_a_failing_render_callback_is_reported_and_the_others_still_run(
    people_workbench: Workbench,
) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    ran: list[str] = []

    def broken() -> None:
        raise ValidationError(
            "A user name must be 1 to 80 characters without spaces, not {value!r}.", value="a b"
        )

    shell.on_render(broken)
    shell.on_render(lambda: ran.append(shell.lang))
    shell.language_picker.value = "en"
    assert ran == ["kk", "en"]
    assert shell.banner.text == "A user name must be 1 to 80 characters without spaces, not 'a b'."


def test_banner_escapes_markup(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    shell.show_success("<b>saved</b>")
    assert "&lt;b&gt;saved&lt;/b&gt;" in shell.banner.widget.value
    assert "pcenter-banner-success" in shell.banner.widget.value
    shell.clear_status()
    assert shell.banner.widget.value == ""


# --- demo mode ----------------------------------------------------------------------------


def test_demo_role_picker_signs_in_and_switches_user(people_workbench: Workbench) -> None:
    shell = home_shell(people_workbench, QUERY_STRING="lang=en")
    renders: list[str] = []
    shell.on_render(lambda: renders.append(shell.actor))
    assert shell.demo and shell.user is None and renders == []
    assert shell.role_picker.layout.display != "none"
    assert shell.body.children[0].value.startswith("Demo mode: choose a role above")

    shell.role_picker.value = "methodologist"
    assert shell.actor == "methodologist1" and shell.allowed
    assert renders == ["methodologist1"]
    assert shell.banner.text == "You are now signed in as Saule Methodologist, Methodologist."
    assert shell.lang == "en", "picking a role keeps the language the newcomer chose"
    assert shell.app_url("diagnostics") == (
        "../render/diagnostics.ipynb?lang=en&demo_role=methodologist"
    )

    shell.role_picker.value = "manager"
    assert (shell.actor, shell.roles) == ("manager1", ("manager",))
    assert renders == ["methodologist1", "manager1"]

    shell.role_picker.value = ""
    assert shell.user is None and not shell.allowed
    assert renders == ["methodologist1", "manager1"]


def test_demo_role_without_a_demo_user_is_explained(workbench: Workbench) -> None:
    with workbench.sessions.begin() as session:  # a demo database that has no users yet
        set_demo_database(session, workbench.keyring, demo=True)
    shell = home_shell(dataclasses.replace(workbench, demo=True), QUERY_STRING="lang=ru")
    shell.role_picker.value = "supervisor"
    assert shell.user is None
    assert shell.banner.text == (
        "Ни у одного демо-пользователя нет роли supervisor; выполните: pcenter demo"
    )
    assert shell.role_picker.value == "", "the picker returns to the role still signed in"


def test_demo_picker_is_translated_with_the_page(people_workbench: Workbench) -> None:
    shell = home_shell(people_workbench, QUERY_STRING="lang=kk")
    assert shell.role_picker.options[0] == ("(рөлді таңдаңыз)", "")
    shell.role_picker.value = "analyst"
    shell.language_picker.value = "ru"
    assert ("Аналитик", "analyst") in shell.role_picker.options
    assert shell.role_picker.value == "analyst" and shell.actor == "analyst1"
    assert shell.role_picker.description == "Демо-роль"


def test_demo_role_in_the_query_keeps_the_role_across_pages(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, QUERY_STRING="demo_role=specialist&lang=ru")
    assert (shell.actor, shell.allowed, shell.role_picker.value) == (
        "specialist1",
        True,
        "specialist",
    )


def test_demo_role_query_is_ignored_outside_demo_mode(production_workbench: Workbench) -> None:
    shell = intake_shell(production_workbench, QUERY_STRING="demo_role=specialist")
    assert shell.user is None and not shell.allowed


def test_app_url_behind_the_proxy_carries_only_the_language(people_workbench: Workbench) -> None:
    shell = intake_shell(people_workbench, **as_user("operator1"))
    assert shell.app_url("index") == "../render/index.ipynb?lang=kk"


# --- the user service behind the demo picker ----------------------------------------------


def test_first_user_with_role_picks_the_first_active_holder(people_workbench: Workbench) -> None:
    with people_workbench.sessions() as session:
        user = first_user_with_role(session, "methodologist")
        assert user is not None and user.username == "methodologist1"  # retired1 is disabled
        assert first_user_with_role(session, "administrator") is not None
    with people_workbench.sessions() as session, pytest.raises(PcenterError, match="Unknown role"):
        first_user_with_role(session, "janitor")


def test_first_user_with_role_is_none_when_nobody_holds_it(workbench: Workbench) -> None:
    with workbench.sessions() as session:
        assert first_user_with_role(session, "analyst") is None
