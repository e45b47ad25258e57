"""Today: the Center's staff table, the Rule 24 check of it, and a chart against the norm."""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.domain.positions import position_name
from pcenter_lib.domain.staffing import (
    CATEGORY_LABELS,
    STAFFING_NORM,
    TOTAL_LABEL,
    BoundKind,
    NormBound,
    NormViolation,
)
from pcenter_lib.domain.workload import GROUP_LABELS
from pcenter_lib.formats import format_count, format_units
from pcenter_lib.i18n import N_, Translator
from widgets.charts import bqplot
from widgets.kit import Panel
from widgets.markup import heading, html_table, note
from widgets.shell import AppShell
from widgets.staffing.state import StaffingState

MET_COLOR: Final = "#2e7d32"
BROKEN_COLOR: Final = "#c62828"
BOUND_COLOR: Final = "#212121"


def bound_text(bound: NormBound, t: Translator) -> str:
    """ "at least 10" / "at most 15" in the current language."""
    template = N_("at least {bound}") if bound.kind is BoundKind.MINIMUM else N_("at most {bound}")
    return t(template, bound=format_units(bound.bound, t.lang))


class TodayPanel(Panel[StaffingState]):
    """The staff table by category and position, the norm check, and actual vs floor/cap."""

    title = N_("Today")
    use_case = UseCase.PLAN_STAFFING
    css_class = "pcenter-staffing-today"

    def __init__(self, shell: AppShell, state: StaffingState) -> None:
        super().__init__(shell, state)
        self.staff_table = widgets.HTML()
        self.staff_table.add_class("pcenter-staffing-staff")
        self.check = widgets.HTML()
        self.check.add_class("pcenter-staffing-check")
        self.chart = widgets.VBox()
        self.chart.add_class("pcenter-staffing-chart")
        self._build_chart()
        self.headings = (widgets.HTML(), widgets.HTML())
        self.widget.children = (
            self.headings[0],
            self.staff_table,
            self.headings[1],
            self.check,
            self.chart,
        )

    def render(self) -> None:
        t = self.t
        self.headings[0].value = heading(t("Staff table"))
        self.headings[1].value = heading(t("Minimum staffing norm (Rule 24)"))
        self.staff_table.value = self._staff_html()
        self.check.value = self._check_html()
        self._draw_chart()

    def _staff_html(self) -> str:
        t, lang = self.t, self.lang
        rows = []
        previous = None
        for line in self.state.staff.lines:
            group = t(GROUP_LABELS[line.group]) if line.group is not None else ""
            first_of_category = line.category is not previous
            previous = line.category
            rows.append(
                [
                    t(CATEGORY_LABELS[line.category]) if first_of_category else "",
                    position_name(line.position, lang),
                    group,
                    format_count(line.people, lang),
                    format_units(line.units, lang),
                ]
            )
        check = self.state.result.existing_check
        for category, units in check.units.items():
            total = t("Total: {category}", category=t(CATEGORY_LABELS[category]))
            rows.append([total, "", "", "", format_units(units, lang)])
        total = t("Total: {category}", category=t(TOTAL_LABEL))
        rows.append([total, "", "", "", format_units(check.total, lang)])
        headers = [t("Category"), t("Position"), t("WISN group"), t("People"), t("Units (FTE)")]
        return html_table(headers, rows, css_class="pcenter-staffing-staff-table", numeric_from=3)

    def _check_html(self) -> str:
        """Each bound with the actual figure, then every violation explained and cited."""
        t, lang = self.t, self.lang
        check = self.state.result.existing_check
        broken = {violation.rule for violation in check.violations}
        rows = [
            [
                t("Rule {rule}", rule=bound.rule),
                t(bound.label),
                bound_text(bound, t),
                format_units(
                    check.total if bound.category is None else check.units[bound.category], lang
                ),
                t("broken") if bound.rule in broken else t("met"),
            ]
            for bound in STAFFING_NORM
        ]
        table = html_table(
            [t("Rule"), t("Category"), t("Norm"), t("Actual units"), t("Status")],
            rows,
            css_class="pcenter-staffing-norm-table",
            numeric_from=3,
        )
        if check.compliant:
            verdict = t("The staff table meets the minimum staffing norm (Rule 24).")
            return f'{table}<div class="pcenter-ok">{html.escape(verdict)}</div>'
        items = "".join(
            f"<li>{html.escape(v.message(lang))} "
            + note(f"({t('Source: {source}', source=t(v.norm.source))}; {self._gap_text(v)})")
            + "</li>"
            for v in check.violations
        )
        verdict = t("The staff table does not meet the minimum staffing norm:")
        return f'{table}<div class="pcenter-conflict">{html.escape(verdict)}<ul>{items}</ul></div>'

    def _gap_text(self, violation: NormViolation) -> str:
        units = format_units(violation.gap, self.lang)
        if violation.norm.kind is BoundKind.MINIMUM:
            return self.t("{units} units to add", units=units)
        return self.t("{units} units to remove", units=units)

    def _build_chart(self) -> None:
        """The figure, made once while its tab is shown: bqplot lays out a hidden figure at a
        negative size. ``_draw_chart`` only replaces its data and words."""
        x_scale, y_scale = bqplot.OrdinalScale(), bqplot.LinearScale(min=0.0)
        self.bars = bqplot.Bars(
            x=[],
            y=[],
            scales={"x": x_scale, "y": y_scale},
            tooltip=bqplot.Tooltip(fields=["x", "y"]),
        )
        self.bounds = bqplot.Scatter(
            x=[],
            y=[],
            scales={"x": x_scale, "y": y_scale},
            marker="diamond",
            default_size=160,
            colors=[BOUND_COLOR],
            display_legend=True,
        )
        self.y_axis = bqplot.Axis(scale=y_scale, side="left")
        self.figure = bqplot.Figure(
            marks=[self.bars, self.bounds],
            axes=[bqplot.Axis(scale=x_scale), self.y_axis],
            legend_location="top-left",
            layout=widgets.Layout(width="100%", height="360px"),
        )
        self.caption = widgets.HTML()
        self.chart.children = (self.figure, self.caption)

    def _draw_chart(self) -> None:
        """Bars of the actual units (green: bound met, red: broken) and a mark at each bound.

        One-dimensional bars and a scatter of the bounds: grouped (two-dimensional) bars draw
        nothing in the bqplot front end served here.
        """
        t = self.t
        check = self.state.result.existing_check
        broken = {violation.rule for violation in check.violations}
        order = (*STAFFING_NORM[1:], STAFFING_NORM[0])  # the categories, then the total
        labels = [t(bound.label) for bound in order]
        with self.bars.hold_sync(), self.bounds.hold_sync():
            self.bars.x = labels
            self.bars.y = [
                check.total if bound.category is None else check.units[bound.category]
                for bound in order
            ]
            self.bars.colors = [BROKEN_COLOR if b.rule in broken else MET_COLOR for b in order]
            self.bounds.x = labels
            self.bounds.y = [bound.bound for bound in order]
            self.bounds.labels = [t("Floor or cap of Rule 24")]
        self.y_axis.label = t("Staff units")
        self.figure.title = t("Actual staff units against the norm")
        self.caption.value = note(
            t(
                "Bars: actual units (green: the norm is met, red: broken); "
                "diamonds: the floor or cap of Rule 24."
            )
        )
