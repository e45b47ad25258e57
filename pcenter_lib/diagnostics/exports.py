"""Tables that leave the Center: small cells suppressed first, then written as XLSX or DOCX.

Every export of the diagnostics app goes through ``publishable_*``, which applies
``suppression.suppress_counts`` to the counts behind a table (with their totals) and hides every
figure derived from a hidden count — a share, its interval, a mean — so nothing under the
threshold, and nothing that would let one be recomputed, leaves the Center (Rule 14; the
complementary suppression of statistical disclosure control, Hundepool et al., *Statistical
Disclosure Control*, Wiley 2012, ch. 4). Writers take the already suppressed tables and only lay
them out: figures in the reader's language in DOCX and on charts, numbers as numbers in XLSX.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.diagnostics.suppression import DEFAULT_THRESHOLD, TOTAL_LABEL, suppress_counts
from pcenter_lib.formats import format_number, format_share
from pcenter_lib.i18n import N_, Translator

DERIVED_COLUMNS: Final = ("share", "ci_low", "ci_high", "mean_score", "shrunk_share")
SUPPRESSION_NOTE: Final = N_(
    "Counts under {threshold} and the figures that would reveal them are shown as “{mark}”."
)


def _mark(threshold: int) -> str:
    return f"<{threshold}"


def publishable_groups(
    table: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD, count: str = "count", n: str = "n"
) -> pd.DataFrame:
    """Rows are groups with ``count`` of ``n`` in the top bands; suppress as a groups × 2 table.

    The counts behind each row are "in the top bands" and "not in them"; both, their row totals
    (``n``) and the column totals enter the suppression, and a total row is added. Hidden
    counts show as ``<threshold``; shares, intervals and means of a row go with its count.
    """
    if table.empty:
        return table.astype(object)
    inside = table[count].to_numpy(np.int64)
    outside = table[n].to_numpy(np.int64) - inside
    cells = pd.DataFrame({"in": inside, "out": outside}, index=table.index.astype(object))
    suppressed = suppress_counts(cells, threshold=threshold)
    hidden = suppressed.hidden
    mark = _mark(threshold)
    out = table.astype(object).copy()
    out.index = out.index.astype(object)
    total_row = dict.fromkeys(table.columns, np.nan)
    total_row[count] = int(inside.sum())
    total_row[n] = int(inside.sum() + outside.sum())
    if total_row[n] > 0:
        total_row["share"] = total_row[count] / total_row[n]
    out.loc[TOTAL_LABEL] = pd.Series(total_row, dtype=object)
    count_hidden = (hidden["in"] | hidden["out"]).reindex(out.index).to_numpy(bool)
    n_hidden = hidden[TOTAL_LABEL].reindex(out.index).to_numpy(bool)
    out.loc[count_hidden, count] = mark
    out.loc[n_hidden, n] = mark
    for column in DERIVED_COLUMNS:
        if column in out.columns:
            out.loc[count_hidden | n_hidden, column] = mark
    return out


def publishable_bands(
    prevalence: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """A band prevalence table (bands × count, n, share, CI) with small band counts hidden."""
    counts = pd.DataFrame(
        [prevalence["count"].to_numpy(np.int64)], columns=prevalence.index.astype(object)
    )
    hidden = suppress_counts(counts, threshold=threshold).hidden.iloc[0]
    mark = _mark(threshold)
    out = prevalence.astype(object).copy()
    out.index = out.index.astype(object)
    total = int(prevalence["count"].sum())
    out.loc[TOTAL_LABEL] = pd.Series(
        {"count": total, "n": total, "share": 1.0 if total else np.nan}, dtype=object
    )
    hide = hidden.reindex(out.index).fillna(False).to_numpy(bool)
    if bool(hidden[TOTAL_LABEL]):
        hide[:] = True
        if "n" in out.columns:
            out["n"] = mark
    for column in ("count", *DERIVED_COLUMNS):
        if column in out.columns:
            out.loc[hide, column] = mark
    return out


SHARE_COLUMNS: Final = frozenset(
    {"share", "ci_low", "ci_high", "shrunk_share", "reporting_rate", "on_time_rate"}
)


def format_figures(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Shares as percentages and numbers as ``lang`` writes them; suppression marks kept."""
    out = table.astype(object).copy()
    for column in out.columns:
        as_share = column in SHARE_COLUMNS
        out[column] = pd.Series(
            [_format_cell(v, lang, as_share) for v in out[column]], index=out.index, dtype=object
        )
    return out


def _format_cell(value: object, lang: str, as_share: bool) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return ""
    if as_share:
        return format_share(value, lang)
    return format_number(value, lang, digits=2)


def suppression_note(lang: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    return Translator(lang)(SUPPRESSION_NOTE, threshold=threshold, mark=_mark(threshold))


def shares_chart_png(
    labels: Sequence[str], shares: Sequence[object], *, title: str, lang: str
) -> bytes:
    """A bar chart of shares (hidden ones drawn as empty bars named by their mark)."""
    # matplotlib loads only when a chart is drawn for an export: every diagnostics page opens
    # in a fresh kernel, and most never export (importing it cost a large part of a page's load)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 0.5 + 0.32 * max(len(labels), 6)), dpi=100)
    axes = figure.subplots()
    values = [100 * float(v) if isinstance(v, (int, float)) else 0.0 for v in shares]
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color="#1976d2")
    axes.set_yticks(positions, [str(label) for label in labels])
    for position, value, shown in zip(positions, values, shares, strict=True):
        text = shown if isinstance(shown, str) else format_share(shown, lang)
        axes.annotate(text, (value, position), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=8)  # fmt: skip
    axes.set_xlim(0, max([*values, 1.0]) * 1.15)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
