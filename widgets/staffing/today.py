"""Today: the Center's staff table, the Rule 24 check of it, and a chart against the norm."""

from __future__ import annotations

import html
import warnings
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.positions import CENTER_POSITIONS
from pcenter_lib.domain.staffing import (
    CATEGORY_LABELS,
    STAFFING_NORM,
    TOTAL_LABEL,
    BoundKind,
    NormBound,
)
from pcenter_lib.domain.workload import GROUP_LABELS
from pcenter_lib.i18n import N_, Translator
from widgets.staffing.state import StaffingState
from widgets.staffing.tables import format_units, html_table

with warnings.catch_warnings():
    # bqscales 0.3 sets traitlets metadata the deprecated way when it is imported; harmless.
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="bqscales")
    import bqplot

POSITION_LABELS: Final = CENTER_POSITIONS  # Rule 24 posts, shared with the intake app
MET_COLOR: Final = "#2e7d32"
BROKEN_COLOR: Final = "#c62828"
BOUND_COLOR: Final = "#212121"


def position_label(code: str, t: Translator) -> str:
    msgid = POSITION_LABELS.get(code)
    return t(msgid) if msgid else code.replace("_", " ")


def bound_text(bound: NormBound, t: Translator) -> str:
    """ "at least 10" / "at most 15" in the current language."""
    template = N_("at least {bound}") if bound.kind is BoundKind.MINIMUM else N_("at most {bound}")
    return t(template, bound=format_units(bound.bound, t.lang))


class TodayView:
    """The staff table by category and position, the norm check, and actual vs floor/cap."""

    def __init__(self, state: StaffingState, t: Translator) -> None:
        self.state = state
        self.t = t
        self.staff_table = widgets.HTML(self._staff_html())
        self.staff_table.add_class("pcenter-staffing-staff")
        self.check = widgets.HTML(self._check_html())
        self.check.add_class("pcenter-staffing-check")
        self.chart = self._chart()
        self.widget = widgets.VBox(
            [
                _heading(t("Staff table")),
                self.staff_table,
                _heading(t("Minimum staffing norm (Rule 24)")),
                self.check,
                self.chart,
            ]
        )
        self.widget.add_class("pcenter-staffing-today")

    def _staff_html(self) -> str:
        t, lang = self.t, self.t.lang
        rows = []
        previous = None
        for line in self.state.staff.lines:
            group = t(GROUP_LABELS[line.group]) if line.group is not None else ""
            first_of_category = line.category is not previous
            previous = line.category
            rows.append(
                [
                    t(CATEGORY_LABELS[line.category]) if first_of_category else "",
                    position_label(line.position, t),
                    group,
                    str(line.people),
                    format_units(line.units, lang),
                ]
            )
        check = self.state.result.existing_check
        for category, units in check.units.items():
            rows.append(
                [
                    t("Total: {category}", category=t(CATEGORY_LABELS[category])),
                    "",
                    "",
                    "",
                    format_units(units, lang),
                ]
            )
        rows.append(
            [
                t("Total: {category}", category=t(TOTAL_LABEL)),
                "",
                "",
                "",
                format_units(check.total, lang),
            ]
        )
        headers = [t("Category"), t("Position"), t("WISN group"), t("People"), t("Units (FTE)")]
        return html_table(headers, rows, css_class="pcenter-staffing-staff-table", numeric_from=3)

    def _check_html(self) -> str:
        """Each bound with the actual figure, then every violation explained and cited."""
        t, lang = self.t, self.t.lang
        check = self.state.result.existing_check
        broken = {violation.rule for violation in check.violations}
        rows = []
        for bound in STAFFING_NORM:
            actual = check.total if bound.category is None else check.units[bound.category]
            rows.append(
                [
                    t("Rule {rule}", rule=bound.rule),
                    t(bound.label),
                    bound_text(bound, t),
                    format_units(actual, lang),
                    t("broken") if bound.rule in broken else t("met"),
                ]
            )
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
            f'<li>{html.escape(v.message(lang))} <span class="pcenter-note">('
            + html.escape(t("Source: {source}", source=t(v.norm.source)))
            + "; "
            + html.escape(self._gap_text(v.kind, v.gap))
            + ")</span></li>"
            for v in check.violations
        )
        verdict = t("The staff table does not meet the minimum staffing norm:")
        return f'{table}<div class="pcenter-conflict">{html.escape(verdict)}<ul>{items}</ul></div>'

    def _gap_text(self, kind: BoundKind, gap: float) -> str:
        units = format_units(gap, self.t.lang)
        if kind is BoundKind.MINIMUM:
            return self.t("{units} units to add", units=units)
        return self.t("{units} units to remove", units=units)

    def _chart(self) -> widgets.VBox:
        """Bars of the actual units (green: bound met, red: broken) and a mark at each bound.

        One-dimensional bars and a scatter of the bounds: grouped (two-dimensional) bars draw
        nothing in the bqplot front end served here.
        """
        t = self.t
        check = self.state.result.existing_check
        broken = {violation.rule for violation in check.violations}
        order = (*STAFFING_NORM[1:], STAFFING_NORM[0])  # the categories, then the total
        labels = [t(bound.label) for bound in order]
        actual = [
            check.total if bound.category is None else check.units[bound.category]
            for bound in order
        ]
        x_scale, y_scale = bqplot.OrdinalScale(), bqplot.LinearScale(min=0.0)
        self.bars = bqplot.Bars(
            x=labels,
            y=actual,
            scales={"x": x_scale, "y": y_scale},
            colors=[BROKEN_COLOR if b.rule in broken else MET_COLOR for b in order],
            tooltip=bqplot.Tooltip(fields=["x", "y"]),
        )
        self.bounds = bqplot.Scatter(
            x=labels,
            y=[bound.bound for bound in order],
            scales={"x": x_scale, "y": y_scale},
            marker="diamond",
            default_size=160,
            colors=[BOUND_COLOR],
            labels=[t("Floor or cap of Rule 24")],
            display_legend=True,
        )
        figure = bqplot.Figure(
            marks=[self.bars, self.bounds],
            axes=[
                bqplot.Axis(scale=x_scale),
                bqplot.Axis(scale=y_scale, side="left", label=t("Staff units")),
            ],
            title=t("Actual staff units against the norm"),
            legend_location="top-left",
            layout=widgets.Layout(width="100%", height="360px"),
        )
        caption = widgets.HTML(
            '<span class="pcenter-note">'
            + html.escape(
                t(
                    "Bars: actual units (green: the norm is met, red: broken); "
                    "diamonds: the floor or cap of Rule 24."
                )
            )
            + "</span>"
        )
        box = widgets.VBox([figure, caption])
        box.add_class("pcenter-staffing-chart")
        return box


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h3>{html.escape(text)}</h3>")
