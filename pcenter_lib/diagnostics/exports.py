"""Tables that leave the Center: small cells suppressed first, then written as XLSX or DOCX.

Every export of the diagnostics app goes through ``publishable_*``, which applies
``suppression.suppress_counts`` to the counts behind a table (with their totals) and hides every
figure derived from a hidden count — a share, its interval, a mean — so nothing under the
threshold, and nothing that would let one be recomputed, leaves the Center (Rule 14;
anchor-systems.md §6.4). Writers take the already suppressed tables and only lay them out.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font

from pcenter_lib.diagnostics.suppression import DEFAULT_THRESHOLD, TOTAL_LABEL, suppress_counts
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, Translator
from pcenter_lib.spreadsheets import append_row

DERIVED_COLUMNS: Final = ("share", "ci_low", "ci_high", "mean_score", "shrunk_share")
SUPPRESSION_NOTE: Final = N_(
    "Counts under {threshold} and the figures that would reveal them are shown as “{mark}”."
)
Sheet = tuple[str, pd.DataFrame]


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


def format_figures(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Shares as percentages with one decimal; counts as whole numbers; marks kept as text."""
    out = table.astype(object).copy()
    for column in out.columns:
        as_percent = column in {
            "share",
            "ci_low",
            "ci_high",
            "shrunk_share",
            "reporting_rate",
            "on_time_rate",
        }
        out[column] = pd.Series(
            [_format_cell(v, as_percent) for v in out[column]], index=out.index, dtype=object
        )
    return out


def _format_cell(value: object, as_percent: bool) -> object:
    if isinstance(value, str) or value is None:
        return value or ""
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return ""
    if as_percent and isinstance(value, (int, float, np.integer, np.floating)):
        return f"{100 * float(value):.1f} %"
    if isinstance(value, (float, np.floating)):
        return round(float(value), 2)
    return value


def tables_to_xlsx(sheets: Sequence[Sheet], *, title: str, note: str) -> bytes:
    """One sheet per table: title, note, header row in bold, the cells."""
    book = Workbook()
    first = True
    for name, table in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = _sheet_name(name)
        append_row(sheet, [title])
        sheet["A1"].font = Font(bold=True)
        append_row(sheet, [note])
        append_row(sheet, [])
        append_row(sheet, [table.index.name or "", *map(str, table.columns)])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for label, row in table.iterrows():
            append_row(sheet, [_plain(label), *(_plain(value) for value in row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tables_to_docx(sheets: Sequence[Sheet], *, title: str, note: str) -> bytes:
    """A document with a heading and one table per export table."""
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(note)
    for name, table in sheets:
        document.add_heading(name, level=2)
        grid = document.add_table(rows=1, cols=len(table.columns) + 1)
        grid.style = "Table Grid"
        for cell, text in zip(
            grid.rows[0].cells, [table.index.name or "", *table.columns], strict=True
        ):
            cell.text = str(text)
        for label, row in table.iterrows():
            cells = grid.add_row().cells
            for cell, value in zip(cells, [label, *row], strict=True):
                cell.text = "" if value is None else str(_plain(value))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    return (cleaned or "Sheet")[:31]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value if isinstance(value, (int, float, str)) or value is None else str(value)


def suppression_note(lang: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    return Translator(lang)(SUPPRESSION_NOTE, threshold=threshold, mark=_mark(threshold))


class ExportUnavailableError(PcenterError, RuntimeError):
    """The export format needs a package that is not installed."""


def png_available() -> bool:
    """PNG charts are drawn with matplotlib, which is optional."""
    return importlib.util.find_spec("matplotlib") is not None


def shares_to_png(table: pd.DataFrame, *, title: str, threshold: int = DEFAULT_THRESHOLD) -> bytes:
    """A bar chart of the ``share`` column of an already suppressed table (hidden bars left out)."""
    if not png_available():
        raise ExportUnavailableError(
            N_(
                "PNG export needs the matplotlib package, which is not installed; export XLSX or DOCX."
            )
        )
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [str(label) for label in table.index]
    values = [v if isinstance(v, (int, float)) else 0.0 for v in table["share"]]
    figure, axes = pyplot.subplots(figsize=(8, 4), dpi=100)
    axes.bar(labels, [100 * float(v) for v in values])
    for position, value in enumerate(table["share"]):
        if isinstance(value, str):
            axes.annotate(value, (position, 0), ha="center", va="bottom")
    axes.set_title(title)
    axes.set_ylabel("%")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    pyplot.close(figure)
    return buffer.getvalue()
