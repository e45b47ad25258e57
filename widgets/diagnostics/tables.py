"""HTML tables, number formats, download links and the style sheet of the diagnostics app."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Final

import ipywidgets as widgets
import numpy as np

from pcenter_lib.i18n import Translator
from widgets.markup import MEDIA_TYPES
from widgets.markup import download_link as shared_download_link
from widgets.markup import html_table as shared_table

DIAGNOSTICS_CSS: Final = """
<style>
.pcenter-dx-table { border-collapse: collapse; margin: 6px 0 12px 0; }
.pcenter-dx-table th, .pcenter-dx-table td { border-bottom: 1px solid var(--jp-border-color2);
  padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
.pcenter-dx-table .pcenter-num { text-align: right; }
.pcenter-dx-report { color: #611a15; }
.pcenter-dx-note { color: var(--jp-ui-font-color2); }
.pcenter-dx-filters .widget-label { min-width: 9em; }
.pcenter-dx-critical { color: #611a15; font-weight: bold; }
</style>
"""


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    css_class: str,
    numeric_from: int = 1,
) -> str:
    """A diagnostics table: the first column names the row, the others are right-aligned numbers."""
    return shared_table(
        headers, rows, css_class=css_class, numeric_from=numeric_from, base_class="pcenter-dx-table"
    )


def percent(value: object) -> str:
    """``0.125`` → ``12.5 %``; a dash where there is no number."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not np.isnan(float(value)):
        return f"{100 * float(value):.1f} %"
    return "—"


def number(value: object, digits: int = 0) -> str:
    if isinstance(value, (int, float, np.integer, np.floating)) and not np.isnan(float(value)):
        return f"{float(value):.{digits}f}"
    return "—"


def download_link(content: bytes, filename: str, kind: str, t: Translator) -> str:
    """An ``<a download>`` holding the file itself (works offline in Voilà)."""
    return shared_download_link(
        content,
        filename=filename,
        media_type=MEDIA_TYPES[kind],
        label=t("Download {filename}", filename=filename),
        css_class="pcenter-dx-download",
    )


def heading(text: str, level: int = 3) -> widgets.HTML:
    """A section heading (text escaped)."""
    return widgets.HTML(f"<h{level}>{html.escape(text)}</h{level}>")


def paragraph(text: str, css_class: str = "") -> str:
    """An escaped paragraph of HTML."""
    return f'<p class="{css_class}">{html.escape(text)}</p>'
