"""The home page (``notebooks/index.ipynb``): the apps the signed-in role may open, and a summary.

Each app is listed with its title, one line on what it is for, the rules of Order 264 it
carries and a link to its page (``../render/<code>.ipynb`` relative to the Voilà page, with
the language and, in demo mode, the chosen role). Above the list, counts of open and overdue
requests tell everybody how the Center stands (aggregates only, no personal data). For the
management and the intake desk the direct-threat alerts come first (``widgets.alerts``, Rule 18).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as widgets

from pcenter_lib.domain.access import apps_for
from pcenter_lib.i18n import N_
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.intake_permissions import is_allowed
from pcenter_lib.services.overview import DatabaseOverview, summarize_database
from pcenter_lib.workbench import Workbench
from widgets.alerts import ThreatAlerts
from widgets.launch import launch_app
from widgets.shell import HOME_APP_CODE, AppShell

HOME_TITLE = N_("Psychological Support Center workbench")
HOME_HELP = N_("Open an app from the list; it shows only the apps your roles may use.")
OVERVIEW_HEADING = N_("The database today")
APPS_HEADING = N_("Your apps")
NO_APPS = N_("None of your roles opens an app yet; ask the administrator.")
RULES_LINE = N_("Rules of Order No. 264: {rules}")
IN_PREPARATION = N_("In preparation: this app is not available yet.")
# The served apps; an app of the menu without its notebook is shown as in preparation, unlinked.
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

# (msgid, field of DatabaseOverview), in the order shown
OVERVIEW_ROWS: tuple[tuple[str, str], ...] = (
    (N_("Open requests"), "open_requests"),
    (N_("Overdue requests (Rule 16)"), "overdue_requests"),
    (N_("Open requests with a direct threat (Rules 15, 18)"), "open_direct_threats"),
    (N_("Open cases"), "open_cases"),
    (N_("Education organizations"), "education_organizations"),
    (N_("Active users"), "active_users"),
)


class HomeApp:
    """The home page's body: database summary and the list of apps, rebuilt on every render."""

    def __init__(self, shell: AppShell) -> None:
        self.shell = shell
        self.overview_html = widgets.HTML()
        self.overview_html.add_class("pcenter-overview")
        self.apps_html = widgets.HTML()
        self.apps_html.add_class("pcenter-app-list")
        self.alerts = ThreatAlerts(shell, with_list="manager" in shell.roles)
        shell.on_render(self.render)

    def render(self) -> None:
        self.overview_html.value = self._overview_markup(self._load_overview())
        self.apps_html.value = self._apps_markup()
        top: tuple[widgets.Widget, ...] = ()
        if is_allowed(self.shell.roles, "view_alerts"):
            self.alerts.with_list = "manager" in self.shell.roles
            self.alerts.render()
            top = (self.alerts.widget,)
        self.shell.body.children = (*top, self.overview_html, self.apps_html)

    def _load_overview(self) -> DatabaseOverview:
        with self.shell.workbench.sessions() as session:
            return summarize_database(session, now=utcnow())

    def _overview_markup(self, overview: DatabaseOverview) -> str:
        t = self.shell.t
        rows = "".join(
            f'<tr data-count="{field}"><td>{html.escape(t(label))}</td>'
            f'<td class="pcenter-count">{getattr(overview, field)}</td></tr>'
            for label, field in OVERVIEW_ROWS
        )
        return f"<h2>{html.escape(t(OVERVIEW_HEADING))}</h2><table>{rows}</table>"

    def _apps_markup(self) -> str:
        t = self.shell.t
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
            cards = f"<p>{html.escape(t(NO_APPS))}</p>"
        return f"<h2>{html.escape(t(APPS_HEADING))}</h2>{cards}"

    def _title_markup(self, code: str, title: str) -> str:
        if (NOTEBOOKS_DIR / f"{code}.ipynb").is_file():
            return f'<a href="{html.escape(self.shell.app_url(code))}">{html.escape(title)}</a>'
        note = html.escape(self.shell.t(IN_PREPARATION))
        return f'<b>{html.escape(title)}</b> <span class="pcenter-app-planned">({note})</span>'


def _build(workbench: Workbench, environ: Mapping[str, str]) -> widgets.Widget:
    shell = AppShell(
        workbench, app_code=HOME_APP_CODE, title=HOME_TITLE, help_text=HOME_HELP, environ=environ
    )
    HomeApp(shell)
    return shell.widget


def build_home_app(
    workbench: Workbench | None = None, environ: Mapping[str, str] | None = None
) -> widgets.Widget:
    """The home page for the person signed in; a readable error page when the workbench fails."""
    return launch_app(_build, workbench=workbench, environ=environ)
