"""The views of screening results: prevalence, distribution, comparison, trend, ranking, completeness.

Each tab recomputes from the in-memory frame with ``pcenter_lib.diagnostics.views`` when a filter
changes or the tab is opened. On screen a methodologist sees the exact figures (the data stay in
the Center); everything exported passes small-cell suppression first and is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import ipywidgets as widgets
import pandas as pd

from pcenter_lib.diagnostics import views
from pcenter_lib.diagnostics.exports import (
    ExportUnavailableError,
    format_figures,
    png_available,
    publishable_bands,
    publishable_groups,
    shares_to_png,
    suppression_note,
    tables_to_docx,
    tables_to_xlsx,
)
from pcenter_lib.diagnostics.instruments import get_instrument
from pcenter_lib.diagnostics.periods import quarter_of
from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.models.base import utcnow
from pcenter_lib.services.diagnostics import record_export
from pcenter_lib.workbench import Workbench
from widgets.diagnostics.charts import CountChart, ShareChart
from widgets.diagnostics.data import DiagnosticsData
from widgets.diagnostics.filters import FilterChoice
from widgets.diagnostics.tables import download_link, heading, html_table, paragraph, percent

TABS: Final = (
    N_("Band prevalence"),
    N_("Distribution"),
    N_("Comparison"),
    N_("Trend"),
    N_("Ranking"),
    N_("Completeness"),
)
FORMATS: Final = (("XLSX", "xlsx"), ("DOCX", "docx"), ("PNG", "png"))
NO_RESULTS: Final = N_("No results match the filters.")


class ResultsView:
    """Tabs with a chart and a table each, and the export row."""

    def __init__(
        self,
        data: DiagnosticsData,
        choice: FilterChoice,
        t: Translator,
        *,
        workbench: Workbench,
        actor: str,
        guard: Callable[[Callable[..., Any]], Callable[..., Any]],
        notify: Callable[[str], None],
    ) -> None:
        self.data, self.choice, self.t = data, choice, t
        self.workbench, self.actor, self.notify = workbench, actor, notify
        self.prevalence_chart = ShareChart(
            t("Share of children by band"), css_class="pcenter-dx-chart-prevalence"
        )
        self.distribution_chart = CountChart(
            t("Children by score"), css_class="pcenter-dx-chart-distribution"
        )
        self.comparison_chart = ShareChart(
            t("Share in the top bands"), css_class="pcenter-dx-chart-comparison"
        )
        self.trend_chart = ShareChart(
            t("Share in the top bands by quarter"), css_class="pcenter-dx-chart-trend"
        )
        self.tables = [widgets.HTML() for _ in TABS]
        for name, table in zip(
            ("prevalence", "distribution", "comparison", "trend", "ranking", "completeness"),
            self.tables,
            strict=True,
        ):
            table.add_class(f"pcenter-dx-table-{name}")
        charts: list[widgets.Widget | None] = [
            self.prevalence_chart.figure,
            self.distribution_chart.figure,
            self.comparison_chart.figure,
            self.trend_chart.figure,
            None,
            None,
        ]
        # Only the chosen view is in the page: a bqplot figure laid out while hidden (as in a
        # background tab) has no width and draws negative sizes.
        self.pages = [
            [c, tb] if c is not None else [tb] for c, tb in zip(charts, self.tables, strict=True)
        ]
        self.selector = widgets.ToggleButtons(
            options=[(t(title), index) for index, title in enumerate(TABS)], value=0
        )
        self.selector.add_class("pcenter-dx-view-selector")
        self.page = widgets.VBox()
        self.views = widgets.VBox([self.selector, self.page])
        self.views.add_class("pcenter-dx-views")
        self.selector.observe(guard(lambda change: self.refresh()), names="value")
        self.export_format = widgets.Dropdown(
            options=FORMATS, value="xlsx", description=t("Format")
        )
        self.threshold = widgets.BoundedIntText(
            value=10,
            min=3,
            max=100,
            description=t("Hide counts under"),
            style={"description_width": "initial"},
        )
        self.export_button = widgets.Button(description=t("Export"), icon="download")
        self.export_button.add_class("pcenter-dx-export")
        self.export_button.on_click(guard(lambda _: self.export()))
        self.download = widgets.HTML()
        self.download.add_class("pcenter-dx-export-link")
        note = (
            t("PNG needs matplotlib, which is not installed here.") if not png_available() else ""
        )
        self.widget = widgets.VBox(
            [
                self.views,
                widgets.HBox([self.export_format, self.threshold, self.export_button]),
                widgets.HTML(f'<span class="pcenter-dx-note">{note}</span>'),
                self.download,
            ]
        )

    # --- computing -------------------------------------------------------------------------
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(results under every filter, results under every filter but place)."""
        results = self.data.results(self.choice.instrument)
        return (
            views.filter_results(results, self.choice.result_filter()),
            views.filter_results(results, self.choice.place_free()),
        )

    def refresh(self) -> None:
        """Recompute the open tab."""
        index = int(self.selector.value or 0)
        self.page.children = tuple(self.pages[index])
        [
            self._prevalence,
            self._distribution,
            self._comparison,
            self._trend,
            self._ranking,
            self._completeness,
        ][index]()

    def band_label(self, code: object) -> str:
        definition = get_instrument(self.choice.instrument)
        return definition.band_labels.get(str(code), {}).get(self.t.lang, str(code))

    def _prevalence(self) -> None:
        frame, _ = self.frames()
        table = views.band_prevalence(frame, self.choice.scale)
        labels = [self.band_label(b) for b in table.index]
        self.prevalence_chart.show(labels, table["share"], table["ci_low"], table["ci_high"])
        self.tables[0].value = self._share_table(self.t("Band"), labels, table)

    def _distribution(self) -> None:
        frame, _ = self.frames()
        scale = get_instrument(self.choice.instrument).scale(self.choice.scale)
        counts = views.score_distribution(frame, self.choice.scale, scale.low, scale.high)
        self.distribution_chart.show([str(s) for s in counts.index], counts.to_list())
        rows = [(str(score), int(n)) for score, n in counts.items()]
        self.tables[1].value = html_table(
            [self.t("Score"), self.t("Children")], rows, css_class="pcenter-dx-distribution"
        )

    def _comparison(self) -> None:
        _, region = self.frames()
        table = views.compare_levels(
            region,
            scale=self.choice.scale,
            top_bands=self.choice.top_bands,
            school_id=self.choice.school_id or None,
            district_id=self._district_of_choice(),
        )
        labels = [self.t(views.LEVEL_LABELS[str(level)]) for level in table.index]
        self.comparison_chart.show(labels, table["share"], table["ci_low"], table["ci_high"])
        self.tables[2].value = self._share_table(self.t("Level"), labels, table)

    def _district_of_choice(self) -> int | None:
        if self.choice.district_id:
            return self.choice.district_id
        if self.choice.school_id:
            rows = self.data.schools[self.data.schools["school_id"] == self.choice.school_id]
            return int(rows.iloc[0]["district_id"]) if not rows.empty else None
        return None

    def _trend(self) -> None:
        frame, _ = self.frames()
        table = views.quarter_trend(frame, scale=self.choice.scale, top_bands=self.choice.top_bands)
        labels = [str(p) for p in table.index]
        self.trend_chart.show(labels, table["share"], table["ci_low"], table["ci_high"])
        self.tables[3].value = self._share_table(self.t("Quarter"), labels, table)

    def _ranking(self) -> None:
        frame, _ = self.frames()
        if frame.empty:
            self.tables[4].value = self.t(NO_RESULTS)
            return
        table = views.rank_schools(frame, scale=self.choice.scale, top_bands=self.choice.top_bands)
        t = self.t
        rows = [
            (
                "—" if pd.isna(row["rank"]) else int(row["rank"]),
                self.data.school_name(int(str(school)), t.lang),
                int(row["n"]),
                percent(row["share"]),
                f"{percent(row['ci_low'])} – {percent(row['ci_high'])}",
                percent(row["shrunk_share"]),
                t(views.STANDING_LABELS[str(row["standing"])]),
            )
            for school, row in table.iterrows()
        ]
        intro = t(
            "Region: {share}. Schools with fewer than {min_n} children are not ranked; the rank "
            "uses shares pulled toward the region in proportion to how few children a school has.",
            share=percent(table.attrs["region_share"]),
            min_n=views.DEFAULT_MIN_N,
        )
        self.tables[4].value = paragraph(intro, "pcenter-dx-note") + html_table(
            [
                t("Rank"),
                t("School"),
                t("Children"),
                t("Share"),
                t("95% CI"),
                t("Adjusted share"),
                t("Compared with the region"),
            ],
            rows,
            css_class="pcenter-dx-ranking",
            numeric_from=2,
        )

    def _completeness(self) -> None:
        t, rounds = self.t, self.data.rounds
        rounds = rounds[rounds["instrument"] == self.choice.instrument]
        quarters = sorted(set(rounds["period"])) or [quarter_of(utcnow().astimezone(KZ_TZ).date())]
        quarters = list(self.choice.periods) or quarters[-4:]
        schools = self.data.schools
        if self.choice.district_id:
            schools = schools[schools["district_id"] == self.choice.district_id]
        rates = views.reporting_rates(schools, rounds, quarters)
        rows = [
            (
                q,
                int(r["expected"]),
                int(r["reported"]),
                percent(r["reporting_rate"]),
                int(r["on_time"]),
                percent(r["on_time_rate"]),
            )
            for q, r in rates.iterrows()
        ]
        missing = views.missing_reports(schools, rounds, quarters[-1])
        name = "name_kk" if t.lang == "kk" else "name_ru"
        self.tables[5].value = (
            html_table(
                [
                    t("Quarter"),
                    t("Expected reports"),
                    t("Received"),
                    t("Reporting rate"),
                    t("On time"),
                    t("On-time rate"),
                ],
                rows,
                css_class="pcenter-dx-completeness",
            )
            + heading(t("Schools without a report for {quarter}", quarter=quarters[-1]), 4).value
            + html_table(
                [t("School"), t("District")],
                [(r[name], r[f"district_{t.lang}"]) for _, r in missing.iterrows()],
                css_class="pcenter-dx-missing",
                numeric_from=9,
            )
        )

    def _share_table(self, first: str, labels: list[str], table: pd.DataFrame) -> str:
        t = self.t
        rows = [
            (
                label,
                int(row["count"]),
                int(row["n"]),
                percent(row["share"]),
                f"{percent(row['ci_low'])} – {percent(row['ci_high'])}",
            )
            for label, (_, row) in zip(labels, table.iterrows(), strict=True)
        ]
        if not rows or int(table["n"].max() if len(table) else 0) == 0:
            return paragraph(t(NO_RESULTS))
        return html_table(
            [first, t("Children"), t("Of"), t("Share"), t("95% CI")],
            rows,
            css_class="pcenter-dx-shares",
        )

    # --- exporting -------------------------------------------------------------------------
    def export_tables(self, threshold: int) -> list[tuple[str, pd.DataFrame]]:
        """The tables as they may leave the Center: small counts and what reveals them hidden."""
        t, choice, lang = self.t, self.choice, self.t.lang
        frame, region = self.frames()
        prevalence = views.band_prevalence(frame, choice.scale)
        prevalence.index = pd.Index([self.band_label(b) for b in prevalence.index], name=t("Band"))
        scale = get_instrument(choice.instrument).scale(choice.scale)
        distribution = views.score_distribution(
            frame, choice.scale, scale.low, scale.high
        ).to_frame("count")
        comparison = views.compare_levels(
            region,
            scale=choice.scale,
            top_bands=choice.top_bands,
            school_id=choice.school_id or None,
            district_id=self._district_of_choice(),
        )
        comparison.index = pd.Index(
            [t(views.LEVEL_LABELS[str(x)]) for x in comparison.index], name=t("Level")
        )
        trend = views.quarter_trend(frame, scale=choice.scale, top_bands=choice.top_bands)
        sheets = [
            (t("Band prevalence"), publishable_bands(prevalence, threshold=threshold)),
            (t("Distribution"), publishable_bands(distribution, threshold=threshold)),
            (t("Comparison"), publishable_groups(comparison, threshold=threshold)),
            (t("Trend"), publishable_groups(trend, threshold=threshold)),
        ]
        if not frame.empty:
            ranking = views.rank_schools(frame, scale=choice.scale, top_bands=choice.top_bands)
            ranking.index = pd.Index(
                [self.data.school_name(int(s), lang) for s in ranking.index], name=t("School")
            )
            ranking["standing"] = [t(views.STANDING_LABELS[str(s)]) for s in ranking["standing"]]
            sheets.append((t("Ranking"), publishable_groups(ranking, threshold=threshold)))
        return sheets

    def export(self) -> None:
        """Build the chosen file from suppressed tables, audit it, offer it for download."""
        t, kind = self.t, str(self.export_format.value)
        threshold = int(self.threshold.value)
        definition = get_instrument(self.choice.instrument)
        what = t("Screening results")
        title = f"{definition.name.get(t.lang, definition.code)} — {what}"
        sheets = self.export_tables(threshold)
        note = suppression_note(t.lang, threshold)
        if kind == "png":
            try:
                content = shares_to_png(sheets[0][1], title=title, threshold=threshold)
            except ExportUnavailableError as error:
                self.download.value = ""
                self.notify(error.localized(t.lang))
                return
        else:
            shown = [(name, format_figures(table, t.lang)) for name, table in sheets]
            writer = tables_to_docx if kind == "docx" else tables_to_xlsx
            content = writer(shown, title=title, note=note)
        filename = f"diagnostics_{self.choice.instrument}_{self.choice.scale}.{kind}"
        with self.workbench.sessions.begin() as session:
            record_export(
                session,
                actor=self.actor,
                what="screening_views",
                file_format=kind,
                details={
                    "instrument": self.choice.instrument,
                    "scale": self.choice.scale,
                    "threshold": threshold,
                    "filter": repr(self.choice.result_filter()),
                },
            )
        self.download.value = download_link(content, filename, kind, t)
        self.notify(
            t("The export was made with small counts hidden and recorded in the audit trail.")
        )
