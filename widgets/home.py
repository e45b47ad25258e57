"""The home page (``notebooks/index.ipynb``): the apps the signed-in role may open, and a summary.

Each app is listed with its title, one line on what it is for, the rules of Order 264 it
carries and a link to its page (``../render/<code>.ipynb`` relative to the Voilà page, with
the language and, in demo mode, the chosen role). A link looks like a link (underlined, with an
arrow); an app not built yet is greyed and marked "in preparation". The apps listed are those
whose use cases the person's roles may perform (``domain.access.APPS``). Above the list, counts
of open and overdue requests tell everybody how the Center stands (aggregates only, no personal
data), on the apps' clock. For the management and the intake desk the direct-threat alerts come
first (``widgets.alerts``, Rule 18); supervisors see the top of the priority review queue
(``widgets.queue``) with their overrides.
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase, apps_for
from pcenter_lib.formats import format_count
from pcenter_lib.i18n import N_
from pcenter_lib.paths import NOTEBOOKS_DIR
from pcenter_lib.services.overview import DatabaseOverview, summarize_database
from widgets.alerts import ThreatAlerts
from widgets.kit import App, AppState, Panel
from widgets.markup import heading, paragraph
from widgets.queue import PriorityQueueView
from widgets.shell import HOME_APP_CODE, AppShell

HOME_TITLE: Final = N_("Psychological Support Center workbench")
HOME_HELP: Final = N_("Open an app from the list; it shows only the apps your roles may use.")
OVERVIEW_HEADING: Final = N_("The database today")
APPS_HEADING: Final = N_("Your apps")
NO_APPS: Final = N_("None of your roles opens an app yet; ask the administrator.")
RULES_LINE: Final = N_("Rules of Order No. 264: {rules}")
HOME_QUEUE_ROWS: Final = 10  # the top of the queue; the supervision app shows more
IN_PREPARATION: Final = N_("In preparation: this app is not available yet.")

# (msgid, field of DatabaseOverview), in the order shown
OVERVIEW_ROWS: Final[tuple[tuple[str, str], ...]] = (
    (N_("Open requests"), "open_requests"),
    (N_("Overdue requests (Rule 16)"), "overdue_requests"),
    (N_("Open requests with a direct threat (Rules 15, 18)"), "open_direct_threats"),
    (N_("Open cases"), "open_cases"),
    (N_("Education organizations"), "education_organizations"),
    (N_("Active users"), "active_users"),
)


class HomePanel(Panel[AppState]):
    """The database summary and the list of apps, rewritten on every render."""

    css_class = "pcenter-home"

    def __init__(self, shell: AppShell, state: AppState) -> None:
        super().__init__(shell, state)
        self.overview_html = widgets.HTML()
        self.overview_html.add_class("pcenter-overview")
        self.apps_html = widgets.HTML()
        self.apps_html.add_class("pcenter-app-list")
        self.alerts = ThreatAlerts(shell, clock=shell.now, with_list="manager" in shell.roles)
        self.queue = PriorityQueueView(shell, limit=HOME_QUEUE_ROWS)
        self.widget.children = (self.overview_html, self.apps_html)

    def render(self) -> None:
        self.overview_html.value = self._overview_markup(self._load_overview())
        self.apps_html.value = self._apps_markup()
        top: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.VIEW_ALERTS):
            self.alerts.with_list = "manager" in self.shell.roles
            self.alerts.render()
            top = (self.alerts.widget,)
        if self.may(UseCase.VIEW_PRIORITY_QUEUE):
            self.queue.render()
            top = (*top, self.queue.widget)
        self.widget.children = (*top, self.overview_html, self.apps_html)

    def _load_overview(self) -> DatabaseOverview:
        with self.workbench.sessions() as session:
            return summarize_database(session, now=self.shell.now())

    def _overview_markup(self, overview: DatabaseOverview) -> str:
        t = self.t
        rows = "".join(
            f'<tr data-count="{field}"><td>{html.escape(t(label))}</td>'
            f'<td class="pcenter-count">{format_count(getattr(overview, field), self.lang)}</td></tr>'
            for label, field in OVERVIEW_ROWS
        )
        return f"{heading(t(OVERVIEW_HEADING), 2)}<table>{rows}</table>"

    def _apps_markup(self) -> str:
        t = self.t
        apps = apps_for(self.shell.roles)
        cards = "".join(
            f'<div class="pcenter-app-card" data-app="{app.code}">'
            f"{self._title_markup(app.code, t(app.title))}"
            f'<div class="pcenter-app-purpose">{html.escape(t(app.purpose))}</div>'
            f'<div class="pcenter-app-rules">{html.escape(t(RULES_LINE, rules=app.rules))}</div>'
            "</div>"
            for app in apps
        )
        if not apps:
            cards = paragraph(t(NO_APPS))
        return f"{heading(t(APPS_HEADING), 2)}{cards}"

    def _title_markup(self, code: str, title: str) -> str:
        if (NOTEBOOKS_DIR / f"{code}.ipynb").is_file():
            link = html.escape(self.shell.app_url(code))
            return f'<a class="pcenter-app-link" href="{link}">{html.escape(title)}</a>'
        note = html.escape(self.t(IN_PREPARATION))
        return (
            f'<span class="pcenter-app-planned-title">{html.escape(title)}</span> '
            f'<span class="pcenter-app-planned">({note})</span>'
        )


class HomeApp(App[AppState]):
    """The home page: one panel, for every signed-in user with a role."""

    code = HOME_APP_CODE
    title = HOME_TITLE
    help_text = HOME_HELP
    panel_types = (HomePanel,)

    def make_state(self) -> AppState:
        return AppState()


# the page of the notebook: the app on the environment's workbench, or a page saying why not
build_home_app = HomeApp.launch
