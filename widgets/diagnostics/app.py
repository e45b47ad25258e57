"""The diagnostics app (``notebooks/diagnostics.ipynb``): screening results and the PPSS study.

For methodologists and analysts (``domain.access.APPS``; Rules 20–21). Three tabs: the results
of schools' screening with filters and views, the import of a school's round (methodologists),
and the quarterly study of each school's psychological service with its analytical note
(methodologists). Filters and choices live on the app object, so a language switch rebuilds the
views in the new language and keeps them.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Final

import ipywidgets as widgets

from pcenter_lib.config import load_settings
from pcenter_lib.domain.access import may
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import DEFAULT_LANGUAGE, N_, Translator
from pcenter_lib.services.diagnostics import ImportedRound
from pcenter_lib.workbench import Workbench, open_workbench
from widgets.diagnostics.data import DiagnosticsData
from widgets.diagnostics.filters import FilterBar, FilterChoice
from widgets.diagnostics.import_panel import ImportPanel
from widgets.diagnostics.results_view import ResultsView
from widgets.diagnostics.study_panel import StudyPanel
from widgets.diagnostics.tables import DIAGNOSTICS_CSS
from widgets.identity import requested_language
from widgets.shell import AppShell

TITLE: Final = N_("Diagnostics")
HELP: Final = N_(
    "Import and score schools' screening results, compare schools, grades and quarters, and "
    "record the quarterly study of each school's psychological service (Rules 20–21)."
)
TAB_RESULTS: Final = N_("Results")
TAB_IMPORT: Final = N_("Import")
TAB_STUDY: Final = N_("Study of school services")
CANNOT_OPEN: Final = N_("The diagnostics app cannot open: {reason}")


class DiagnosticsApp:
    """The shell, the cached data, the filter choice and the three panels."""

    def __init__(self, workbench: Workbench, *, environ: Mapping[str, str] | None = None) -> None:
        self.workbench = workbench
        self.choice = FilterChoice()
        self.data: DiagnosticsData | None = None
        self.tabs: widgets.Tab | None = None
        self.shell = AppShell(
            workbench, app_code="diagnostics", title=TITLE, help_text=HELP, environ=environ
        )
        self.widget = self.shell.widget
        self.shell.on_render(self.render)

    def render(self) -> None:
        """Build the panels for the current language and user."""
        shell, t = self.shell, self.shell.t
        if self.data is None or self.data.actor != shell.actor:
            self.data = DiagnosticsData(self.workbench, shell.actor)
        guard = shell.guard
        self.filters = FilterBar(self.data, self.choice, t, on_change=self.refresh, guard=guard)
        self.results = ResultsView(
            self.data,
            self.choice,
            t,
            workbench=self.workbench,
            actor=shell.actor,
            guard=guard,
            notify=shell.show_info,
        )
        panels: list[widgets.Widget] = [widgets.VBox([self.filters.widget, self.results.widget])]
        titles = [t(TAB_RESULTS)]
        self.importer: ImportPanel | None = None
        self.study: StudyPanel | None = None
        if may(shell.roles, "import_round"):
            self.importer = ImportPanel(
                self.data,
                t,
                workbench=self.workbench,
                actor=shell.actor,
                guard=guard,
                notify=shell.show_success,
                warn=shell.show_error,
                on_imported=self._imported,
            )
            panels.append(self.importer.widget)
            titles.append(t(TAB_IMPORT))
        if may(shell.roles, "record_study"):
            self.study = StudyPanel(
                self.data,
                t,
                workbench=self.workbench,
                actor=shell.actor,
                guard=guard,
                notify=shell.show_success,
            )
            panels.append(self.study.widget)
            titles.append(t(TAB_STUDY))
        selected = self.tabs.selected_index if self.tabs is not None else 0
        self.tabs = widgets.Tab(children=panels, titles=titles)
        self.tabs.selected_index = (
            selected if selected is not None and selected < len(panels) else 0
        )
        self.tabs.add_class("pcenter-dx-tabs")
        shell.body.children = (widgets.HTML(DIAGNOSTICS_CSS), self.tabs)
        self.results.refresh()

    def _results_tab(self) -> widgets.VBox:
        """Filters and views, built from the cached data."""
        assert self.data is not None
        shell = self.shell
        self.filters = FilterBar(
            self.data, self.choice, shell.t, on_change=self.refresh, guard=shell.guard
        )
        self.results = ResultsView(
            self.data,
            self.choice,
            shell.t,
            workbench=self.workbench,
            actor=shell.actor,
            guard=shell.guard,
            notify=shell.show_info,
        )
        return widgets.VBox([self.filters.widget, self.results.widget])

    def refresh(self) -> None:
        """A filter changed: recompute the open view."""
        self.results.refresh()

    def _imported(self, imported: ImportedRound) -> None:
        """After an import the cached frames are stale: rebuild filters and views from new data."""
        assert self.tabs is not None
        self.choice.instrument = imported.instrument
        self.choice.fit_instrument()
        selected = self.tabs.selected_index
        self.tabs.children = (self._results_tab(), *self.tabs.children[1:])
        self.tabs.selected_index = selected
        self.results.refresh()


def build_diagnostics_app(
    workbench: Workbench | None = None, environ: Mapping[str, str] | None = None
) -> widgets.Widget:
    """The diagnostics app's widget, on ``workbench`` (default: the one the environment names).

    If the workbench cannot be opened (no database, no key), the page says why in the configured
    language instead of showing a traceback.
    """
    if workbench is None:
        try:
            workbench = open_workbench()
        except PcenterError as error:
            env = os.environ if environ is None else environ
            lang = requested_language(env) or _configured_language(env)
            fatal = widgets.HTML(
                html.escape(Translator(lang)(CANNOT_OPEN, reason=error.localized(lang)))
            )
            fatal.add_class("pcenter-fatal")
            return fatal
    return DiagnosticsApp(workbench, environ=environ).widget


def _configured_language(environ: Mapping[str, str]) -> str:
    try:
        return load_settings(environ).lang
    except PcenterError:
        return DEFAULT_LANGUAGE
