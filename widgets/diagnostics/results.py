"""The results of schools' screening: filters, six views, and the export of what may leave.

Each view recomputes from the in-memory frame when a filter changes or the view is opened; the
tables are those the export writes (``diagnostics.view_tables``). On screen a methodologist sees
the exact figures (the data stay in the Center); the export service suppresses small cells,
writes the file and audits it (``services.screening_exports``).
"""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets
import pandas as pd

from pcenter_lib.diagnostics import views
from pcenter_lib.diagnostics.exports import format_figures
from pcenter_lib.diagnostics.periods import quarter_label, quarter_of
from pcenter_lib.diagnostics.view_tables import (
    SHARE_VIEWS,
    VIEW_TITLES,
    ViewTable,
    build_view,
    district_names,
    school_names,
)
from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.formats import format_count, format_share
from pcenter_lib.i18n import N_
from pcenter_lib.services.screening_exports import ScreeningFormat, export_screening_views
from widgets.charts import CountChart, ShareChart
from widgets.diagnostics.filters import FilterBar
from widgets.diagnostics.state import DiagnosticsState
from widgets.kit import Panel, offer
from widgets.markup import download_link, heading, html_table, paragraph
from widgets.shell import AppShell

VIEWS: Final = (*VIEW_TITLES, "completeness")
TITLES: Final = {**VIEW_TITLES, "completeness": N_("Completeness")}
CHART_TITLES: Final = {
    "prevalence": N_("Share of children by band"),
    "distribution": N_("Children by score"),
    "comparison": N_("Share in the top bands, school by school"),
    "trend": N_("Share in the top bands by quarter"),
}
FORMATS: Final = (("XLSX", "xlsx"), ("DOCX", "docx"), ("PNG", "png"))
NO_RESULTS: Final = N_("No results match the filters.")


class ResultsPanel(Panel[DiagnosticsState]):
    """The filter bar, a chart and a table per view, and the export row."""

    title = N_("Results")
    use_case = UseCase.VIEW_RESULTS
    css_class = "pcenter-dx-results"

    def __init__(self, shell: AppShell, state: DiagnosticsState) -> None:
        super().__init__(shell, state)
        self.filters = FilterBar(self)
        self.charts: dict[str, ShareChart | CountChart] = {
            key: ShareChart(css_class=f"pcenter-dx-chart-{key}", horizontal=key == "comparison")
            for key in SHARE_VIEWS
        }
        self.charts["distribution"] = CountChart(css_class="pcenter-dx-chart-distribution")
        self.tables = {key: widgets.HTML() for key in VIEWS}
        for key, table in self.tables.items():
            table.add_class(f"pcenter-dx-table-{key}")
        self.selector = widgets.ToggleButtons(options=[(key, key) for key in VIEWS])
        self.selector.add_class("pcenter-dx-view-selector")
        self.on_change(self.selector, lambda _key: self.refresh())
        # Only the chosen view is in the page: a bqplot figure laid out while hidden (as in a
        # background tab) has no width and draws negative sizes.
        self.page = widgets.VBox()
        views_box = widgets.VBox([self.selector, self.page])
        views_box.add_class("pcenter-dx-views")
        self.export_format = widgets.Dropdown(options=FORMATS, value="xlsx")
        self.threshold = widgets.BoundedIntText(
            value=10, min=3, max=100, style={"description_width": "initial"}
        )
        self.export_button = widgets.Button(icon="download", layout={"width": "max-content"})
        self.export_button.add_class("pcenter-dx-export")
        self.on_click(self.export_button, self.export)
        self.download = widgets.HTML()
        self.download.add_class("pcenter-dx-export-link")
        exporting: tuple[widgets.Widget, ...] = ()
        if self.may(UseCase.EXPORT_RESULTS):
            exporting = (
                widgets.HBox([self.export_format, self.threshold, self.export_button]),
                self.download,
            )
        self.widget.children = (self.filters.widget, views_box, *exporting)
        self.watch(["choice_version", "data_version"], self.update)

    def render(self) -> None:
        t = self.t
        with self.quiet():
            offer(self.selector, [(t(TITLES[key]), key) for key in VIEWS])
        for key, chart in self.charts.items():
            chart.figure.title = t(CHART_TITLES[key])
        self.export_format.description = t("Format")
        self.threshold.description = t("Hide counts under")
        self.export_button.description = t("Export")
        self.filters.render()
        self.refresh()

    def update(self) -> None:
        """The filters or the data changed: refill the filter bar and recompute the open view."""
        self.filters.fill()
        self.refresh()

    @property
    def view(self) -> str:
        return str(self.selector.value)

    def refresh(self) -> None:
        """Recompute the open view."""
        key = self.view
        chart = self.charts.get(key)
        self.page.children = (
            (chart.figure, self.tables[key]) if chart is not None else (self.tables[key],)
        )
        if key == "completeness":
            self.tables[key].value = self._completeness()
            return
        state = self.state
        table = build_view(key, state.results(), state.schools, state.choice(), self.t)
        self.tables[key].value = self._table_html(table)
        if isinstance(chart, ShareChart):
            rows = table.frame.iloc[: table.chart_rows] if table.chart_rows else table.frame
            chart.show(list(rows.index), rows["share"], rows["ci_low"], rows["ci_high"])
        elif isinstance(chart, CountChart):
            chart.show(list(table.frame.index), [int(n) for n in table.frame["count"]])

    def _table_html(self, table: ViewTable) -> str:
        t = self.t
        if table.frame.empty or int(table.frame.get("n", table.frame["count"]).max()) == 0:
            return paragraph(t(NO_RESULTS))
        shown = format_figures(table.frame, self.lang)
        intro = ""
        if table.key == "ranking":
            intro = paragraph(
                t(
                    "Region: {share}. Schools with fewer than {min_n} children are not ranked; "
                    "the rank uses shares pulled toward the region in proportion to how few "
                    "children a school has.",
                    share=format_share(table.frame.attrs["region_share"], self.lang),
                    min_n=views.DEFAULT_MIN_N,
                ),
                "pcenter-note",
            )
            shown["rank"] = [
                format_count(r, self.lang) if pd.notna(r) else "—" for r in table.frame["rank"]
            ]
        if table.key == "comparison" and table.chart_rows is not None:
            schools = len(table.frame) - 2
            if schools > table.chart_rows:
                intro = paragraph(
                    t(
                        "The chart shows the {shown} schools with the highest share; the table "
                        "lists all {count}.",
                        shown=table.chart_rows,
                        count=schools,
                    ),
                    "pcenter-note",
                )
        columns = list(shown.columns)
        return intro + html_table(
            [table.first, *(table.headers[c] for c in columns)],
            [[label, *row] for label, row in shown.iterrows()],
            css_class=f"pcenter-dx-{table.key}",
            text_columns=[1 + columns.index("standing")] if "standing" in columns else (),
            numeric_from=1,
        )

    def _completeness(self) -> str:
        t, lang, state = self.t, self.lang, self.state
        rounds = state.rounds[state.rounds["instrument"] == state.instrument]
        today = self.shell.now().astimezone(KZ_TZ).date()
        quarters = list(state.periods) or sorted(set(rounds["period"]))[-4:] or [quarter_of(today)]
        schools = state.schools
        if state.district_id:
            schools = schools[schools["district_id"] == state.district_id]
        rates = views.reporting_rates(schools, rounds, quarters)
        shown = format_figures(
            rates[["expected", "reported", "reporting_rate", "on_time", "on_time_rate"]], lang
        )
        missing = views.missing_reports(schools, rounds, quarters[-1])
        names, districts = school_names(missing, lang), district_names(schools, lang)
        last = quarter_label(quarters[-1], lang)
        return (
            html_table(
                [
                    t("Quarter"),
                    t("Expected reports"),
                    t("Received"),
                    t("Reporting rate"),
                    t("On time"),
                    t("On-time rate"),
                ],
                [[quarter_label(str(q), lang), *row] for q, row in shown.iterrows()],
                css_class="pcenter-dx-completeness",
                numeric_from=1,
            )
            + heading(t("Schools without a report for {quarter}", quarter=last), 3)
            + html_table(
                [t("School"), t("District")],
                [
                    (names[int(s)], districts.get(int(d), ""))
                    for s, d in zip(missing["school_id"], missing["district_id"], strict=True)
                ],
                css_class="pcenter-dx-missing",
                numeric_from=None,
            )
        )

    def export(self) -> None:
        """The service builds the file from suppressed tables and audits it; this offers it."""
        kind: ScreeningFormat = self.export_format.value
        state = self.state
        with self.workbench.sessions.begin() as session:
            exported = export_screening_views(
                session,
                actor=self.actor,
                choice=state.choice(),
                fmt=kind,
                lang=self.lang,
                threshold=int(self.threshold.value),
                chart_view=self.view if self.view in SHARE_VIEWS else "prevalence",
                results=state.results(),
                schools=state.schools,
                now=self.shell.now(),
            )
        self.download.value = download_link(
            exported.content,
            filename=exported.filename,
            label=self.t("Download {filename}", filename=exported.filename),
            css_class="pcenter-dx-download",
        )
        self.shell.show_info(
            self.t("The export was made with small counts hidden and recorded in the audit trail.")
        )
