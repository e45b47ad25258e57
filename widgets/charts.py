"""bqplot charts in the apps: shares with their confidence intervals, and counts.

bqplot draws in the browser from the widget state, so the charts render offline in Voilà. A
chart keeps its marks and only replaces their data when the filters change. Apps import
``bqplot`` from here, where the one harmless warning it raises on import is silenced.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
import numpy.typing as npt

with warnings.catch_warnings():
    # bqscales (bqplot's scales) sets trait metadata the way traitlets 4.0 did; harmless.
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="bqscales")
    import bqplot

__all__ = ["CountChart", "ShareChart", "bqplot"]


class ShareChart:
    """Bars of shares (0–100 %) per category, with a line for each 95 % interval.

    ``horizontal`` lays the bars across, one under the other, so that many long names (the
    schools of a district) stay readable; the figure then grows with the number of bars.
    """

    def __init__(self, *, css_class: str, title: str = "", horizontal: bool = False) -> None:
        self.horizontal = horizontal
        self.x = bqplot.OrdinalScale(reverse=horizontal)
        self.y = bqplot.LinearScale(min=0.0, max=100.0)
        scales = {"x": self.x, "y": self.y}
        self.bars = bqplot.Bars(
            x=[], y=[], scales=scales, padding=0.3,
            orientation="horizontal" if horizontal else "vertical",
        )  # fmt: skip
        line_scales = {"x": self.y, "y": self.x} if horizontal else scales
        self.intervals = bqplot.Lines(
            x=[], y=[], scales=line_scales, colors=["#333333"], stroke_width=2
        )
        share_axis = bqplot.Axis(
            scale=self.y, orientation="horizontal" if horizontal else "vertical", label="%"
        )
        name_axis = bqplot.Axis(
            scale=self.x, orientation="vertical" if horizontal else "horizontal"
        )
        self.figure = bqplot.Figure(
            marks=[self.bars, self.intervals],
            axes=[name_axis, share_axis],
            title=title,
            layout=widgets.Layout(width="100%", height="320px"),
            fig_margin={"top": 40, "bottom": 40, "left": 360 if horizontal else 50, "right": 20},
        )
        self.figure.add_class(css_class)

    def show(
        self,
        labels: Sequence[str],
        shares: npt.ArrayLike,
        lows: npt.ArrayLike,
        highs: npt.ArrayLike,
    ) -> None:
        """Replace the data; NaN shares are drawn as empty bars without an interval."""
        share = np.nan_to_num(np.asarray(shares, dtype=float) * 100.0)
        low = np.asarray(lows, dtype=float) * 100.0
        high = np.asarray(highs, dtype=float) * 100.0
        keep = ~(np.isnan(low) | np.isnan(high))
        names = [str(label) for label in labels]
        kept = [name for name, ok in zip(names, keep, strict=True) if ok]
        spans = [[lo, hi] for lo, hi in zip(low[keep], high[keep], strict=True)]
        with self.bars.hold_sync(), self.intervals.hold_sync():
            self.bars.x = names
            self.bars.y = share
            if self.horizontal:
                self.intervals.x = spans or []
                self.intervals.y = [[name, name] for name in kept] or []
            else:
                self.intervals.x = [[name, name] for name in kept] or []
                self.intervals.y = spans or []
        if self.horizontal:
            self.figure.layout.height = f"{80 + 24 * max(len(names), 4)}px"


class CountChart:
    """Bars of counts per category (the distribution of scores)."""

    def __init__(self, *, css_class: str, title: str = "") -> None:
        self.x = bqplot.OrdinalScale()
        self.y = bqplot.LinearScale(min=0.0)
        self.bars = bqplot.Bars(x=[], y=[], scales={"x": self.x, "y": self.y}, padding=0.1)
        self.figure = bqplot.Figure(
            marks=[self.bars],
            axes=[bqplot.Axis(scale=self.x), bqplot.Axis(scale=self.y, orientation="vertical")],
            title=title,
            layout=widgets.Layout(width="100%", height="320px"),
            fig_margin={"top": 40, "bottom": 40, "left": 60, "right": 20},
        )
        self.figure.add_class(css_class)

    def show(self, labels: Sequence[str], counts: Sequence[int]) -> None:
        with self.bars.hold_sync():
            self.bars.x = [str(label) for label in labels]
            self.bars.y = np.asarray(counts, dtype=float)
