"""HTML pieces every app uses: escaped tables and download links that carry the file itself.

A download is an ``<a download href="data:...">`` holding the bytes, so it works offline in
Voilà without a file server; text is always escaped.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from typing import Final

MEDIA_TYPES: Final = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
    "png": "image/png",
}


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    css_class: str,
    numeric_from: int | None = None,
    base_class: str = "pcenter-table",
) -> str:
    """An escaped HTML table; cells from column ``numeric_from`` on are right-aligned numbers."""

    def cells(values: Sequence[object], tag: str) -> str:
        out = []
        for index, value in enumerate(values):
            numeric = numeric_from is not None and index >= numeric_from
            align = ' class="pcenter-num"' if numeric else ""
            out.append(f"<{tag}{align}>{html.escape(str(value))}</{tag}>")
        return "".join(out)

    head = f"<tr>{cells(headers, 'th')}</tr>"
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f'<table class="{base_class} {css_class}">{head}{body}</table>'


def download_link(
    content: bytes, *, filename: str, media_type: str, label: str, css_class: str = ""
) -> str:
    """A link that saves ``content`` as ``filename``; ``label`` is the (translated) link text."""
    payload = base64.b64encode(content).decode("ascii")
    klass = f' class="{html.escape(css_class)}"' if css_class else ""
    return (
        f'<a{klass} download="{html.escape(filename)}" '
        f'href="data:{media_type};base64,{payload}">{html.escape(label)}</a>'
    )
