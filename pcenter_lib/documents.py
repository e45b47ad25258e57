"""Writing the documents that leave the Center: tables in DOCX and XLSX, charts in DOCX.

Every export writes its tables here, so they look alike and one function writes each kind of
cell: ``append_row`` every XLSX row, ``add_table`` every DOCX table. A DOCX table's columns are
sized to their content: no column is narrower than its longest word (Word would otherwise break
"Категория" in the middle), and the width left over goes to the columns with the most text.

Widths are measured, not guessed: each word is measured in DejaVu Sans Bold, whose letters are
wider than those of Calibri and Times New Roman (and of DejaVu Sans itself, the font LibreOffice
puts in Calibri's place where Calibri is not installed), so a column wide enough for the word in
DejaVu Sans Bold holds it in any of them. The font file is the one matplotlib ships, so the
measure is the same on every machine. A line breaks only at a space: a word's width is that of
the whole text between spaces, hyphens included.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Inches, Pt

from pcenter_lib.media_types import MEDIA_TYPES as MEDIA_TYPES  # re-exported
from pcenter_lib.spreadsheets import append_row as write_row

Row = Sequence[object]

# the widest of the fonts a document may be set in (above): bold for the header row, regular for
# the others; matplotlib's own copies of them (imported when a table is written, not before)
MEASURING_FONTS: Final = {True: "DejaVuSans-Bold.ttf", False: "DejaVuSans.ttf"}
WIDTH_MARGIN: Final = 1.04  # rounding of the layout engines, kerning and air
# Word's default left and right cell margins (0.08 inch each), LibreOffice's (0.075 inch) and the
# borders between the cells
CELL_PADDING: Final = Pt(14)
MIN_TABLE_FONT: Final = 8


@dataclass(frozen=True)
class ExportedFile:
    """A document ready to download; ``report_id`` when it is stored as a ``Report`` too."""

    filename: str
    content: bytes
    media_type: str
    sha256: str
    report_id: int | None = None


def new_document(font: str = "Calibri", size: int = 11) -> Any:
    """An empty DOCX document on A4 with the margins of the usual letter form (2.5 cm left, 1 cm
    right, 2 cm top and bottom), and the body font set.

    Calibri is the font of a Center's Windows machines; where it is missing (LibreOffice on
    Linux) another font takes its place, and the tables are sized for the widest of them."""
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
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
    """The pieces a line may not break: the texts between breaking spaces. Hyphens stay inside
    (``write_cell`` makes them non-breaking), and so do no-break spaces, which Babel puts between
    the groups of a number ("1 250 000")."""
    return [word for word in re.split(r"[ \t\r\n]+", text) if word]


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width of each character of the measuring font, in em, and the widest of them
    (for a character the font lacks)."""
    import matplotlib
    from fontTools.ttLib import TTFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / MEASURING_FONTS[bold]
    with TTFont(path) as font:
        per_em = float(font["head"].unitsPerEm)
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return widths, max(widths.values())


def text_width_em(text: str, *, bold: bool = True) -> float:
    """The width of ``text`` in em of the measuring font, with its margin."""
    widths, widest = _advances(bold)
    return WIDTH_MARGIN * sum(widths.get(ord(ch), widest) for ch in text)


def _longest_word_em(column: Sequence[object]) -> float:
    """The widest word of a column whose first cell is its bold header."""
    return max(
        (
            text_width_em(word, bold=index == 0)
            for index, cell in enumerate(column)
            for word in _words(_text(cell))
        ),
        default=1,
    )


def _longest_text_em(column: Sequence[object]) -> float:
    return max(text_width_em(_text(cell), bold=index == 0) for index, cell in enumerate(column))


def column_widths(
    headers: Row, rows: Sequence[Row], *, available: int, font_size: int
) -> list[int]:
    """Widths (EMU) of the columns: each at least its longest word, the rest shared by text.

    When even the longest words do not fit the page, the columns shrink in proportion to them.
    """
    em = Pt(font_size).emu
    columns = list(zip(*([headers, *rows]), strict=True)) if headers else []
    longest_word = [_longest_word_em(column) for column in columns]
    longest_text = [_longest_text_em(column) for column in columns]
    least = [int(n * em + CELL_PADDING) for n in longest_word]
    wanted = [
        max(low, int(n * em + CELL_PADDING)) for low, n in zip(least, longest_text, strict=True)
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
    return _fitting_size(headers, rows, available=available, size=size) or MIN_TABLE_FONT


def _fitting_size(headers: Row, rows: Sequence[Row], *, available: int, size: int) -> int | None:
    """The largest size from ``size`` down to 8 pt at which every word fits its column, if any."""
    for candidate in range(size, MIN_TABLE_FONT - 1, -1):
        widths = column_widths(headers, rows, available=available, font_size=candidate)
        em = Pt(candidate).emu
        columns = zip(*([headers, *rows]), strict=True)
        if all(
            width >= int(_longest_word_em(column) * em + CELL_PADDING)
            for width, column in zip(widths, columns, strict=True)
        ):
            return candidate
    return None


def _available(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _keep_heading_with_table(document: Any) -> None:
    """Move the section break just made above the heading before it, so the heading turns to
    the landscape page with its table instead of standing alone at the foot of the page before.
    (The paragraph holding a section break ends the section before it, ECMA-376 §17.6.18.)"""
    body = document.element.body
    breaker = body[-2]  # the paragraph add_section put before the body's own section properties
    before = breaker.getprevious()
    style = before.find(qn("w:pPr") + "/" + qn("w:pStyle")) if before is not None else None
    if style is not None and str(style.get(qn("w:val"), "")).startswith(("Heading", "Title")):
        before.addprevious(breaker)


def _turn_page(document: Any, *, landscape: bool) -> Any:
    """A new section from a new page, landscape or portrait, margins kept."""
    previous = document.sections[-1]
    short, long = sorted((previous.page_width, previous.page_height))
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        _keep_heading_with_table(document)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    return section


def write_cell(cell: Any, text: str) -> None:
    """``text`` into a table cell, its hyphens non-breaking (Word's ``w:noBreakHyphen``), so a
    line of the cell breaks only at a space: "ата-аналар" is never left as "ата-" and "аналар"."""
    paragraph = cell.paragraphs[0]
    for index, piece in enumerate(text.split("-")):
        if index:
            paragraph.add_run()._r.append(OxmlElement("w:noBreakHyphen"))
        if piece:
            paragraph.add_run(piece)


def add_table(document: Any, headers: Row, rows: Sequence[Row]) -> Any:
    """A bordered table with a bold header row and columns sized to their content.

    A table too wide for the page at the body size is set smaller, so no word is split; one whose
    words do not fit a portrait page even at 8 pt gets landscape pages of its own.
    """
    section = document.sections[-1]
    available = _available(section)
    body = int((document.styles["Normal"].font.size or Pt(11)).pt)
    found = _fitting_size(headers, rows, available=available, size=body)
    turned = found is None and section.page_width < section.page_height
    if turned:
        available = _available(_turn_page(document, landscape=True))
        found = _fitting_size(headers, rows, available=available, size=body)
    size = found or MIN_TABLE_FONT
    widths = column_widths(headers, rows, available=available, font_size=size)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        write_cell(cell, _text(text))
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            write_cell(cell, _text(value))
    for index, width in enumerate(widths):
        table.columns[index].width = Emu(width)
        for cell in table.columns[index].cells:
            cell.width = Emu(width)
            if size != body:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(size)
    if turned:
        _turn_page(document, landscape=False)
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
