"""Writing the documents that leave the Center: tables in DOCX and XLSX, charts in DOCX.

Every export writes its tables here, so they look alike and one function writes each kind of
cell: ``append_row`` every XLSX row, ``add_table`` every DOCX table. A DOCX table's columns are
sized to their content: no column is narrower than its longest word (Word would otherwise break
"Категория" in the middle), and the width left over goes to the columns with the most text.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Emu, Inches, Pt

from pcenter_lib.media_types import MEDIA_TYPES as MEDIA_TYPES  # re-exported
from pcenter_lib.spreadsheets import append_row as write_row

Row = Sequence[object]

CHAR_WIDTH_EM: Final = 0.6  # average width of a letter of a proportional font, Cyrillic included
CELL_PADDING: Final = Pt(12)
MIN_TABLE_FONT: Final = 8  # Word's default left and right cell margins, 0.08 inch each, and air


@dataclass(frozen=True)
class ExportedFile:
    """A document ready to download; ``report_id`` when it is stored as a ``Report`` too."""

    filename: str
    content: bytes
    media_type: str
    sha256: str
    report_id: int | None = None


def new_document(font: str = "Calibri", size: int = 11) -> Any:
    """An empty DOCX document with the body font set."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    return document


def document_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _words(text: str) -> list[str]:
    """The pieces Word will not break: words, split after their hyphens too."""
    return [part for word in text.split() for part in re.findall(r"[^-]+-?|-", word)]


def column_widths(
    headers: Row, rows: Sequence[Row], *, available: int, font_size: int
) -> list[int]:
    """Widths (EMU) of the columns: each at least its longest word, the rest shared by text.

    When even the longest words do not fit the page, the columns shrink in proportion to them.
    """
    char = Pt(font_size).emu * CHAR_WIDTH_EM
    columns = list(zip(*([headers, *rows]), strict=True)) if headers else []
    longest_word = [
        max((len(word) for cell in column for word in _words(_text(cell))), default=1)
        for column in columns
    ]
    longest_text = [max(len(_text(cell)) for cell in column) for column in columns]
    least = [int(n * char + CELL_PADDING) for n in longest_word]
    wanted = [
        max(low, int(n * char + CELL_PADDING)) for low, n in zip(least, longest_text, strict=True)
    ]
    if sum(wanted) <= available:
        return wanted
    if sum(least) >= available:
        return [int(available * low / sum(least)) for low in least]
    spare = available - sum(least)
    extra = [want - low for want, low in zip(wanted, least, strict=True)]
    return [low + int(spare * more / sum(extra)) for low, more in zip(least, extra, strict=True)]


def fitting_font_size(headers: Row, rows: Sequence[Row], *, available: int, size: int) -> int:
    """The body size, or a smaller one (down to 8 pt) at which every word fits its column."""
    for candidate in range(size, MIN_TABLE_FONT - 1, -1):
        widths = column_widths(headers, rows, available=available, font_size=candidate)
        char = Pt(candidate).emu * CHAR_WIDTH_EM
        columns = zip(*([headers, *rows]), strict=True)
        if all(
            width >= max((len(w) for cell in column for w in _words(_text(cell))), default=1) * char
            for width, column in zip(widths, columns, strict=True)
        ):
            return candidate
    return MIN_TABLE_FONT


def add_table(document: Any, headers: Row, rows: Sequence[Row]) -> Any:
    """A bordered table with a bold header row and columns sized to their content.

    A table too wide for the page at the body size is set smaller, so no word is split.
    """
    section = document.sections[-1]
    available = int(section.page_width - section.left_margin - section.right_margin)
    body = int((document.styles["Normal"].font.size or Pt(11)).pt)
    size = fitting_font_size(headers, rows, available=available, size=body)
    widths = column_widths(headers, rows, available=available, font_size=size)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = _text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = _text(value)
    for index, width in enumerate(widths):
        table.columns[index].width = Emu(width)
        for cell in table.columns[index].cells:
            cell.width = Emu(width)
            if size != body:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(size)
    return table


def add_picture(document: Any, png: bytes, *, width_inches: float = 6.0) -> None:
    """A chart (PNG bytes) across the text width."""
    document.add_picture(io.BytesIO(png), width=Inches(width_inches))


def workbook_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_name(name: str) -> str:
    """A worksheet title Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    return (cleaned or "Sheet")[:31]


def append_row(sheet: Any, values: Row) -> None:
    """Write one XLSX row through the formula-safe writer (``spreadsheets.append_row``), numbers
    of numpy and missing values made plain first."""
    write_row(sheet, [_xlsx_value(value) for value in values])


def _xlsx_value(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)
