"""The intake app (``notebooks/intake.ipynb``): requests and their legal deadlines (Rules 12–19, 22).

Tabs — Register, Journal, Direct threat, Consent, Child, Mobile group, Compliance, Calendar — are
shown to the roles whose use cases they serve (``domain.access.USE_CASES``), and inside each
tab a role sees only the buttons it may press; identity fields only to roles that see identity
(``domain.access``), each view of them audited by the services. Above the tabs, the direct-threat
alerts (``widgets.alerts``: the management's banner, Rule 18) and the current request, which the
direct-threat, consent, child and mobile-group tabs act on. Every label goes through the shell's
translator; a language switch rebuilds the labels and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Final, Protocol

import ipywidgets as widgets

from pcenter_lib.domain.access import may as is_allowed
from pcenter_lib.i18n import N_
from pcenter_lib.workbench import Workbench
from widgets.alerts import ThreatAlerts
from widgets.intake.calendar import CalendarEditor
from widgets.intake.child import ChildRecordPanel
from widgets.intake.compliance import ComplianceView
from widgets.intake.consent import ConsentPanel
from widgets.intake.context import IntakeContext, css
from widgets.intake.form import IntakeForm
from widgets.intake.journal import JournalTable
from widgets.intake.mobile import MobileGroupPanel
from widgets.intake.picker import RequestPicker
from widgets.intake.styles import INTAKE_CSS
from widgets.intake.threat import DirectThreatPanel
from widgets.launch import launch_app
from widgets.shell import AppShell

TITLE: Final = N_("Requests and deadlines")
HELP: Final = N_(
    "Every request is registered (Rule 13): a child's own appeal under 16, an anonymous "
    "applicant, a child not yet identified. Deadlines follow Rule 16 and the working-day "
    "calendar; critical screening answers are reviewed the same working day. A direct threat "
    "starts help at once and notifications within the Center's minutes (Rules 15, 18, 22); "
    "other services need a legal representative's consent for a child under 16 (Rule 15)."
)


class Panel(Protocol):
    widget: widgets.Widget

    def render(self) -> None: ...


# tab code, title, the use case that opens it, the panel class
TABS: Final[tuple[tuple[str, str, str, Callable[[IntakeContext], Panel]], ...]] = (
    ("register", N_("Register"), "register_request", IntakeForm),
    ("journal", N_("Journal"), "view_journal", JournalTable),
    ("threat", N_("Direct threat"), "view_journal", DirectThreatPanel),
    ("consent", N_("Consent"), "record_consent", ConsentPanel),
    ("child", N_("Child"), "edit_child_record", ChildRecordPanel),
    ("mobile", N_("Mobile group"), "mobile_group", MobileGroupPanel),
    ("compliance", N_("Compliance"), "view_compliance", ComplianceView),
    ("calendar", N_("Calendar"), "edit_calendar", CalendarEditor),
)


class IntakeApp:
    """The shell, the shared context, the request picker and the tabs the user may open."""

    def __init__(
        self,
        workbench: Workbench,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.workbench = workbench
        self.panels: dict[str, Panel] = {}
        self.built_for: tuple[str, ...] | None = None
        self.ctx: IntakeContext | None = None
        self.picker: RequestPicker | None = None
        self.alerts: ThreatAlerts | None = None
        self.tabs = css(widgets.Tab(), "pcenter-intake-tabs")
        self.shell = AppShell(
            workbench, app_code="intake", title=TITLE, help_text=HELP, environ=environ
        )
        # the apps' clock (a demo's own clock in a demo database) unless a test fixes one
        self.clock: Callable[[], datetime] = clock or self.shell.now
        self.widget = self.shell.widget
        self.shell.on_render(self.render)

    def _build(self) -> None:
        """Make the panels for the signed-in user's roles (again after a demo role change)."""
        roles = self.shell.roles
        self.ctx = IntakeContext(self.shell, self.workbench, self.clock)
        self.ctx.tab_opener = self.open_tab
        self.panels = {
            code: make(self.ctx)
            for code, _title, use_case, make in TABS
            if is_allowed(roles, use_case)
        }
        self.picker = RequestPicker(self.ctx) if is_allowed(roles, "view_journal") else None
        self.alerts = None
        if is_allowed(roles, "view_alerts"):
            self.alerts = ThreatAlerts(self.shell, clock=self.clock, on_open=self.follow)
            self.ctx.on_journal_change(self.alerts.reload)
        self.tabs.children = tuple(panel.widget for panel in self.panels.values())
        self.built_for = roles

    def render(self) -> None:
        if self.built_for != self.shell.roles:
            self._build()
        t = self.shell.t
        titles = {code: title for code, title, _u, _m in TABS}
        self.tabs.titles = tuple(t(titles[code]) for code in self.panels)
        for panel in self.panels.values():
            self.shell.guard(panel.render)()
        top: list[widgets.Widget] = [widgets.HTML(INTAKE_CSS)]
        if self.alerts is not None:
            self.shell.guard(self.alerts.render)()
            top.append(self.alerts.widget)
        if self.picker is not None:
            self.shell.guard(self.picker.render)()
            top.append(self.picker.widget)
        self.shell.body.children = (*top, self.tabs)

    def panel(self, code: str) -> Panel:
        """The panel of tab ``code`` (for tests and for moving between tabs)."""
        return self.panels[code]

    def follow(self, request_id: int) -> None:
        """Open a direct threat from its alert: make it current and show its tab."""
        if self.ctx is not None:
            self.ctx.select_request(request_id)
            self.open_tab("threat")

    def open_tab(self, code: str) -> None:
        if code in self.panels:
            self.tabs.selected_index = list(self.panels).index(code)


def build_intake_app(
    workbench: Workbench | None = None, environ: Mapping[str, str] | None = None
) -> widgets.Widget:
    """The intake app's widget on ``workbench`` (default: the one the environment names).

    Never raises: a database or key problem becomes a page saying what is wrong.
    """

    def build(opened: Workbench, env: Mapping[str, str]) -> widgets.Widget:
        return IntakeApp(opened, environ=env).widget

    return launch_app(build, workbench=workbench, environ=environ)
