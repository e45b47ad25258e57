"""The frame every app sits in: title, signed-in user, language switch, status banner, help, body.

Every served app builds its page on an :class:`AppShell`::

    from widgets.shell import AppShell

    shell = AppShell(workbench, app_code="intake", title=N_("Requests and deadlines"),
                     help_text=N_("..."), environ=os.environ)
    shell.t            # Translator for the current language; shell.lang is its code
    shell.user         # UserView | None; shell.roles (tuple of role codes); shell.actor (user name)
    shell.body         # the ipywidgets.VBox the app fills
    shell.on_render(fn)  # fn() runs now and after every language switch or demo sign-in
    shell.guard(fn)    # fn wrapped: errors shown in the banner, never lost (widgets.callbacks)
    shell.show_error(text); shell.show_info(text); shell.show_success(text)  # translated text
    shell.widget       # the ipywidgets.VBox to display
    shell.allowed      # False when the user's roles may not open this app (access.APPS)
    shell.may(UseCase.IMPORT_ROUND)  # whether to show a tab or a button (access.USE_CASES)
    shell.now()        # the apps' clock: real time, or the demo's own clock (services.clock)
    shell.app_url("diagnostics")  # relative link to another app, keeping language and demo role

Apps do not make a shell themselves: an :class:`widgets.kit.App` does, and opens through
:func:`widgets.launch.launch_app`, which turns a configuration or database failure into a
readable page instead of a raised error (``docs/architecture.md`` shows a whole app).

How the kit uses it:

- Build the body **inside the render callback**, reading ``shell.user`` and ``shell.t`` there,
  and assign ``shell.body.children`` completely. Keep state (chosen filters, typed text) on your
  app object so a language switch keeps it. The shell calls render callbacks only while
  ``shell.allowed`` is true; otherwise the body shows a translated notice (not signed in, or no
  access) and the app builds nothing. In demo mode a person may sign in or change role after the
  page is built; the callbacks then run again for the new user.
- Wrap every widget handler: ``button.on_click(shell.guard(self.save))`` or ``@guarded(shell)``.
- Language: the ``lang`` query parameter, else the user's own language, else ``PCENTER_LANG``.
- Identity (see :mod:`widgets.identity`): the proxy's ``X-Forwarded-User`` header; without it in
  demo mode a role picker; otherwise nobody, and no data is shown.
- Notebooks: the Markdown title cell carries the cell tag ``hide`` (``voila.json`` removes it
  from the page; the shell shows the translated title instead). Icons (``Button(icon=...)``)
  work offline: Font Awesome 5 ships inside Voilà's own ``voila-style.js``.

Hooks for tests and browsers: CSS classes ``pcenter-app``, ``pcenter-app-<code>``,
``pcenter-title``, ``pcenter-user``, ``pcenter-lang``, ``pcenter-role-picker``,
``pcenter-banner``, ``pcenter-help``, ``pcenter-body``, ``pcenter-notice``; ``pcenter-lang-<code>``
on the page names its language (the page template sets ``<html lang>`` from it).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final, ParamSpec, TypeVar
from urllib.parse import urlencode

import ipywidgets as widgets

from pcenter_lib.domain.access import APPS_BY_CODE, ROLE_CODES, ROLES, UseCase, may
from pcenter_lib.errors import NotFoundError
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import LANGUAGE_NAMES, N_, SUPPORTED_LANGUAGES, Translator
from pcenter_lib.services.clock import Clock, read_clock
from pcenter_lib.services.users import UserView
from pcenter_lib.workbench import Workbench
from widgets.banner import StatusBanner
from widgets.callbacks import guard_callback, send_log_to_server
from widgets.identity import (
    DEMO_ROLE_PARAM,
    LANG_PARAM,
    PICK_DEMO_ROLE,
    find_demo_user,
    identify_user,
    query_params,
    requested_language,
)
from widgets.styles import SHELL_CSS

P = ParamSpec("P")
R = TypeVar("R")

HOME_APP_CODE: Final = "index"  # the home notebook: open to every signed-in user with a role
_ROLE_LABELS: Final = {r.code: r.label for r in ROLES}

SIGNED_IN_AS = N_("Signed in: {name} ({username}), {roles}")
NO_ACCESS = N_(
    "Your roles ({roles}) may not open the app “{app}”. The home page lists the apps you may open."
)
LANGUAGE_LABEL = N_("Language")
DEMO_ROLE_LABEL = N_("Try as")
CHOOSE_ROLE = N_("(choose a role)")
DEMO_SIGNED_IN = N_("You are now signed in as {name}, {role}.")
HOME_LINK = N_("Home")
UNKNOWN_APP = N_("There is no app {code!r}; known apps: {known}.")
DEMO_CLOCK = N_(
    "Demo clock: {now}. The demo's history ends on {end}; the apps run on the demo's own clock "
    "from there, so its deadlines stay current."
)


class AppShell:
    """Header, banner, help line and body of one app page, for the person signed in."""

    def __init__(
        self,
        workbench: Workbench,
        *,
        app_code: str,
        title: str,
        help_text: str,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if app_code != HOME_APP_CODE and app_code not in APPS_BY_CODE:
            raise NotFoundError(UNKNOWN_APP, code=app_code, known=", ".join(APPS_BY_CODE))
        env = os.environ if environ is None else environ
        send_log_to_server()
        self.workbench = workbench
        self.app_code = app_code
        self.title_msgid = title
        self.help_msgid = help_text
        self._renderers: list[Callable[[], object]] = []
        self._leavers: list[Callable[[], object]] = []
        with workbench.sessions() as session:
            self.clock: Clock = read_clock(session)
        sign_in = identify_user(workbench, env)
        self.user: UserView | None = sign_in.user
        self.demo = sign_in.demo_picker
        self._problem = sign_in.problem
        self._problem_params = dict(sign_in.problem_params)
        self._demo_role = self._initial_demo_role(env)
        self._showing_notice = False
        self._quiet_picker = False
        lang = requested_language(env) or (self.user.lang if self.user else workbench.settings.lang)
        self._t = Translator(lang)

        self.banner = StatusBanner()
        self.body = widgets.VBox()
        self.body.add_class("pcenter-body")
        self._title = _html("pcenter-title")
        self._user_line = _html("pcenter-user")
        self._help = _html("pcenter-help")
        self._clock_line = _html("pcenter-demo-clock")
        self.language_picker = widgets.ToggleButtons(
            options=[(LANGUAGE_NAMES[code], code) for code in SUPPORTED_LANGUAGES],
            value=lang,
            style={"button_width": "auto", "description_width": "initial"},
        )
        self.language_picker.add_class("pcenter-lang")
        self.role_picker = widgets.Dropdown(options=self._role_options(), value=self._demo_role)
        self.role_picker.add_class("pcenter-role-picker")
        if not self.demo:
            self.role_picker.layout.display = "none"
        controls = widgets.HBox([self.role_picker, self.language_picker])
        account = widgets.VBox([self._user_line, controls])
        account.add_class("pcenter-account")
        header = widgets.HBox(
            [self._title, account], layout=widgets.Layout(justify_content="space-between")
        )
        header.add_class("pcenter-header")
        # the page's banner landmark: title, account, clock, status and help; the body is main
        top = widgets.VBox([header, self._clock_line, self.banner.widget, self._help])
        top.add_class("pcenter-top")
        self.widget = widgets.VBox([widgets.HTML(SHELL_CSS), top, self.body])
        self.widget.add_class("pcenter-app")
        self.widget.add_class(f"pcenter-app-{app_code}")
        # the page template sets <html lang> from this class (WCAG 3.1.1: screen readers read
        # Kazakh with Kazakh rules), on load and after every switch
        self.widget.add_class(f"pcenter-lang-{lang}")
        self.language_picker.observe(self.guard(self._switch_language), names="value")
        self.role_picker.observe(self.guard(self._switch_demo_role), names="value")
        self._render()

    # --- what apps read -------------------------------------------------------------------
    @property
    def t(self) -> Translator:
        return self._t

    @property
    def lang(self) -> str:
        return self._t.lang

    @property
    def roles(self) -> tuple[str, ...]:
        return self.user.roles if self.user else ()

    @property
    def actor(self) -> str:
        """The user name services record as the actor; empty when nobody is signed in."""
        return self.user.username if self.user else ""

    @property
    def allowed(self) -> bool:
        """True when somebody is signed in whose roles may open this app."""
        if self.user is None or not self.user.roles:
            return False
        if self.app_code == HOME_APP_CODE:
            return True
        return bool(APPS_BY_CODE[self.app_code].roles & set(self.user.roles))

    def may(self, use_case: UseCase) -> bool:
        """Whether the person signed in may perform ``use_case`` (to show its tab or button)."""
        return may(self.roles, use_case)

    def now(self) -> datetime:
        """The current moment on the apps' clock (the demo's own clock in a demo database)."""
        return self.clock.now()

    def role_label(self, code: str) -> str:
        """A role's name in the current language (the code itself for an unknown role)."""
        return self.t(_ROLE_LABELS[code]) if code in _ROLE_LABELS else code

    def app_url(self, app_code: str) -> str:
        """Relative link from one Voilà page to another app, keeping language and demo role."""
        params = {LANG_PARAM: self.lang}
        if self.demo and self._demo_role:
            params[DEMO_ROLE_PARAM] = self._demo_role
        return f"../render/{app_code}.ipynb?{urlencode(params)}"

    # --- what apps call -------------------------------------------------------------------
    def on_render(self, fn: Callable[[], object]) -> None:
        """Register ``fn``; it runs now (if allowed) and after every language or user change."""
        self._renderers.append(fn)
        if self.allowed:
            self._leave_notice()
            self.guard(fn)()

    def on_notice(self, fn: Callable[[], object]) -> None:
        """Register ``fn``; it runs when the page shows a notice instead of the app (nobody
        signed in, or a role that may not open it), so the app lets go of the last user's data."""
        self._leavers.append(fn)

    def guard(self, fn: Callable[P, R]) -> Callable[P, R | None]:
        """``fn`` wrapped so that any error is shown in the banner and logged, never lost."""
        return guard_callback(self, fn)

    def show_error(self, text: str) -> None:
        self.banner.show("error", text)

    def show_info(self, text: str) -> None:
        self.banner.show("info", text)

    def show_success(self, text: str) -> None:
        self.banner.show("success", text)

    def clear_status(self) -> None:
        self.banner.clear()

    # --- inside ---------------------------------------------------------------------------
    def _initial_demo_role(self, env: Mapping[str, str]) -> str:
        if not self.demo or self.user is None:
            return ""
        code = query_params(env).get(DEMO_ROLE_PARAM, "")
        return code if code in self.user.roles else self.user.roles[0]

    def _role_options(self) -> list[tuple[str, str]]:
        return [(self.t(CHOOSE_ROLE), "")] + [(self.role_label(c), c) for c in ROLE_CODES]

    def _render(self) -> None:
        t = self.t
        home = ""
        if self.app_code != HOME_APP_CODE:
            link = html.escape(self.app_url(HOME_APP_CODE))
            home = f'<a class="pcenter-home-link" href="{link}">{html.escape(t(HOME_LINK))}</a> › '
        self._title.value = f"<h1>{home}{html.escape(t(self.title_msgid))}</h1>"
        self._user_line.value = html.escape(self._describe_user())
        self._help.value = html.escape(t(self.help_msgid))
        if self.clock.history_ends_at is not None:
            self._clock_line.value = html.escape(
                t(
                    DEMO_CLOCK,
                    now=format_moment(self.now(), self.lang),
                    end=format_moment(self.clock.history_ends_at, self.lang),
                )
            )
        self.language_picker.description = t(LANGUAGE_LABEL)
        if self.demo:
            self._refresh_role_picker()
        if not self.allowed:
            self._show_notice()
            return
        self._leave_notice()
        for fn in list(self._renderers):
            self.guard(fn)()

    def _describe_user(self) -> str:
        if self.user is None:
            return ""
        roles = ", ".join(self.role_label(code) for code in self.user.roles)
        return self.t(
            SIGNED_IN_AS, name=self.user.full_name, username=self.user.username, roles=roles
        )

    def _refresh_role_picker(self) -> None:
        self._quiet_picker = True
        try:
            with self.role_picker.hold_sync():
                self.role_picker.options = self._role_options()
                self.role_picker.value = self._demo_role
        finally:
            self._quiet_picker = False
        self.role_picker.description = self.t(DEMO_ROLE_LABEL)

    def _show_notice(self) -> None:
        if self.user is None:
            text = self.t(self._problem or PICK_DEMO_ROLE, **self._problem_params)
        else:
            app = APPS_BY_CODE[self.app_code]
            roles = ", ".join(self.role_label(code) for code in self.user.roles)
            text = self.t(NO_ACCESS, roles=roles, app=self.t(app.title))
        notice = _html("pcenter-notice", html.escape(text))
        if self.user is not None:
            link = html.escape(self.app_url(HOME_APP_CODE))
            notice.value += f' <a href="{link}">{html.escape(self.t(HOME_LINK))}</a>'
        self.body.children = (notice,)
        self._showing_notice = True
        for fn in list(self._leavers):
            self.guard(fn)()

    def _leave_notice(self) -> None:
        if self._showing_notice:
            self.body.children = ()
            self._showing_notice = False

    def _switch_language(self, change: Mapping[str, Any]) -> None:
        self.widget.remove_class(f"pcenter-lang-{self.lang}")
        self._t = Translator(str(change["new"]))
        self.widget.add_class(f"pcenter-lang-{self.lang}")
        self.banner.clear()
        self._render()

    def _switch_demo_role(self, change: Mapping[str, Any]) -> None:
        if self._quiet_picker:
            return
        code = str(change["new"] or "")
        if not code:
            self.user, self._demo_role, self._problem = None, "", PICK_DEMO_ROLE
            self.banner.clear()
            self._render()
            return
        try:
            user = find_demo_user(self.workbench, code)
        except NotFoundError:
            self._refresh_role_picker()  # back to the role still signed in
            raise
        self.user, self._demo_role = user, code
        self.banner.clear()
        self._render()
        self.show_success(self.t(DEMO_SIGNED_IN, name=user.full_name, role=self.role_label(code)))


def _html(css_class: str, value: str = "") -> widgets.HTML:
    widget = widgets.HTML(value=value)
    widget.add_class(css_class)
    return widget
