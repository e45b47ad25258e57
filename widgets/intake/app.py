"""The intake app (``notebooks/intake.ipynb``): requests and their legal deadlines (Rules 12–19, 22).

Tabs — Register, Journal, Direct threat, Consent, Child, Mobile group, Compliance, Calendar — are
``IntakePanel``s shown to the roles whose use cases they serve (``domain.access.USE_CASES``), and
inside each tab a role sees only the buttons it may press (``Panel.may``); identity fields only
to roles that see identity, each view of them audited by the services. Above the tabs, the
direct-threat alerts (``widgets.alerts``: the management's banner, Rule 18) and the current
request (``RequestPicker``), which the direct-threat, consent, child and mobile-group tabs act
on. The panels share an ``IntakeState``: the current request, and a counter every write raises.
Every label goes through the shell's translator; a language switch renders the panels again
and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.workbench import Workbench
from widgets.alerts import ThreatAlerts
from widgets.intake.calendar import CalendarEditor
from widgets.intake.child import ChildRecordPanel
from widgets.intake.compliance import ComplianceView
from widgets.intake.consent import ConsentPanel
from widgets.intake.form import IntakeForm
from widgets.intake.journal import JournalTable
from widgets.intake.mobile import MobileGroupPanel
from widgets.intake.picker import RequestPicker
from widgets.intake.state import IntakePanel, IntakeState
from widgets.intake.styles import INTAKE_CSS
from widgets.intake.threat import DirectThreatPanel
from widgets.kit import App

TITLE: Final = N_("Requests and deadlines")
HELP: Final = N_(
    "Every request is registered (Rule 13): a child's own appeal under 16, an anonymous "
    "applicant, a child not yet identified. Deadlines follow Rule 16 and the working-day "
    "calendar; critical screening answers are reviewed the same working day. A direct threat "
    "starts help at once and notifications within the Center's minutes (Rules 15, 18, 22); "
    "other services need a legal representative's consent for a child under 16 (Rule 15)."
)


class IntakeApp(App[IntakeState]):
    """The intake page: the alerts, the current request, and the tabs the user may open."""

    code = "intake"
    title = TITLE
    help_text = HELP
    style = INTAKE_CSS
    panel_types = (
        IntakeForm,
        JournalTable,
        DirectThreatPanel,
        ConsentPanel,
        ChildRecordPanel,
        MobileGroupPanel,
        ComplianceView,
        CalendarEditor,
    )

    def __init__(
        self,
        workbench: Workbench,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.clock = clock  # the apps' clock (the shell's) unless a test fixes one
        self.picker: RequestPicker | None = None
        self.alerts: ThreatAlerts | None = None
        super().__init__(workbench, environ=environ)
        self.tabs.add_class("pcenter-intake-tabs")

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else self.shell.now()

    def make_state(self) -> IntakeState:
        state = IntakeState(clock=self.now, notify_minutes=self.workbench.settings.notify_minutes)
        state.observe(self._focus, names="focus")
        self.picker = (
            RequestPicker(self.shell, state) if self.shell.may(UseCase.VIEW_JOURNAL) else None
        )
        self.alerts = None
        if self.shell.may(UseCase.VIEW_ALERTS):
            self.alerts = ThreatAlerts(self.shell, clock=self.now, on_open=self.follow)
            state.observe(self._reload_alerts, names="journal_version")
        return state

    def render(self) -> None:
        super().render()
        for part in (self.alerts, self.picker):
            if part is not None:
                self.shell.guard(part.render)()

    def page(self) -> tuple[widgets.Widget, ...]:
        above = tuple(part.widget for part in (self.alerts, self.picker) if part is not None)
        return (self._style, *above, self.tabs)

    def follow(self, request_id: int) -> None:
        """Open a direct threat from its alert: make it current and show its tab."""
        self.state.request_id = request_id
        self.open_tab(DirectThreatPanel)

    def open_tab(self, kind: type[Any]) -> None:
        if self.has_panel(kind):
            super().open_tab(kind)

    def _reload_alerts(self, _change: dict[str, Any]) -> None:
        """Something was written: the alerts read again (an alert goes once all are notified)."""
        if self.alerts is not None:
            self.shell.guard(self.alerts.reload)()

    def _focus(self, change: dict[str, Any]) -> None:
        """A panel asked for a tab (``IntakePanel.open_tab``): bring it forward if shown."""
        for kind in self.panels:
            if issubclass(kind, IntakePanel) and kind.tab and kind.tab == change["new"]:
                self.open_tab(kind)


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_intake_app = IntakeApp.launch
