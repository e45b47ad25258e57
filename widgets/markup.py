"""HTML pieces every app uses: escaped tables, headings, notes and download links.

Text is always escaped, so a name or a message can never inject markup. A download is an
``<a download href="data:...">`` holding the bytes, so it works offline in Voilà without a file
server. The look of every piece is in ``widgets.styles``.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Collection, Iterable, Sequence

from pcenter_lib.media_types import MEDIA_TYPES

__all__ = [
    "MEDIA_TYPES",
    "bullet_list",
    "download_link",
    "heading",
    "html_table",
    "note",
    "paragraph",
]


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    css_class: str,
    numeric_from: int | None = None,
    text_columns: Collection[int] = (),
    caption: str = "",
) -> str:
    """An escaped table; cells from column ``numeric_from`` on are right-aligned figures.

    Without ``numeric_from`` every column is text; ``text_columns`` names columns of words among
    the figures. ``caption`` names the table for a screen reader's table list (WCAG 1.3.1); the
    header cells are column headers (``scope="col"``).
    """

    def cells(values: Sequence[object], tag: str) -> str:
        out = []
        for index, value in enumerate(values):
            numeric = numeric_from is not None and index >= numeric_from
            numeric = numeric and index not in text_columns
            align = ' class="pcenter-num"' if numeric else ""
            scope = ' scope="col"' if tag == "th" else ""
            out.append(f"<{tag}{scope}{align}>{html.escape(str(value))}</{tag}>")
        return "".join(out)

    head = f"<tr>{cells(headers, 'th')}</tr>"
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    named = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="pcenter-table {css_class}">{named}{head}{body}</table>'


def heading(text: str, level: int = 2) -> str:
    """A section heading: level 2 under the page's one ``h1`` (headings in order, WCAG 1.3.1)."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str, css_class: str = "") -> str:
    """A paragraph, with an optional CSS class."""
    klass = f' class="{html.escape(css_class)}"' if css_class else ""
    return f"<p{klass}>{html.escape(text)}</p>"


def note(text: str) -> str:
    """A quiet remark beside a figure or under a table."""
    return f'<span class="pcenter-note">{html.escape(text)}</span>'


def bullet_list(items: Iterable[str], css_class: str) -> str:
    """A box (``pcenter-ok``, ``pcenter-conflict``) holding a bulleted list."""
    lines = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f'<div class="{html.escape(css_class)}"><ul>{lines}</ul></div>'


def download_link(
    content: bytes, *, filename: str, label: str, media_type: str = "", css_class: str = ""
) -> str:
    """A link that saves ``content`` as ``filename``; ``label`` is the (translated) link text.

    The media type follows the file's extension unless given.
    """
    kind = media_type or MEDIA_TYPES[filename.rpartition(".")[2].lower()]
    payload = base64.b64encode(content).decode("ascii")
    klass = f' class="{html.escape(css_class)}"' if css_class else ""
    return (
        f'<a{klass} download="{html.escape(filename)}" '
        f'href="data:{kind};base64,{payload}">{html.escape(label)}</a>'
    )
