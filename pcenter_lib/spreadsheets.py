"""One writer for every spreadsheet that leaves the Center: text cells stay text, never formulas.

A description typed at intake such as ``=HYPERLINK("http://…","open")`` would run as a formula
in the spreadsheet program of whoever opens the journal export ("CSV injection", OWASP). Every
XLSX and CSV export therefore writes cells through this module:

- XLSX: a string is always stored as a string cell (openpyxl would turn a leading ``=`` into a
  formula), and characters that XML 1.0 cannot carry are dropped instead of failing the export;
- CSV: a field starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe, as OWASP advises, so no spreadsheet program evaluates it.

Numbers, dates and booleans pass unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_field(value: object) -> object:
    """``value`` for a CSV file: a text that a spreadsheet could read as a formula is defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[Sequence[object]], *, bom: bool = True) -> bytes:
    """CSV bytes (UTF-8, with a byte-order mark so Excel reads Cyrillic, CRLF lines)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_field(value) for value in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _clean(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _as_text(cell: Cell) -> Cell:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never "f": the text is kept, not run
    return cell


def append_row(sheet: Worksheet | WriteOnlyWorksheet, values: Sequence[object]) -> list[Cell]:
    """Append ``values`` as the sheet's next row with every string stored as text.

    Works for ordinary and write-only sheets; returns the row's cells (for styling).
    """
    if isinstance(sheet, WriteOnlyWorksheet):
        cells = [_as_text(WriteOnlyCell(sheet, value=_clean(value))) for value in values]
        sheet.append(cells)
        return cells
    sheet.append([_clean(value) for value in values])
    return [_as_text(cell) for cell in sheet[sheet.max_row]] if values else []
