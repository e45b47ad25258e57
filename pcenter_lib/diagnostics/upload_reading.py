"""Reading an upload's bytes into cells: CSV (UTF-8) or XLSX, headers mapped, broken text named.

Every problem found here becomes a row-level ``Problem``: a quote that is never closed (it would
swallow the rest of the file), a byte that is not UTF-8, a cell with a NUL or another control
character (PostgreSQL cannot store a NUL) or a lone surrogate — named by file row and column
instead of escaping as a raw error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from pcenter_lib.diagnostics.answer_sheets import Problem
from pcenter_lib.diagnostics.templates import BRACKETED, UploadColumn, normalise_header
from pcenter_lib.diagnostics.upload_errors import (
    STAGE_READING,
    ImportLimits,
    ImportRejectedError,
    ProgressCallback,
    format_size,
    refuse,
)
from pcenter_lib.i18n import N_

FileKind = Literal["csv", "xlsx"]
_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls
_CHUNK_ROWS: Final = 500_000
_FIELDS_ERROR: Final = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def kind_of(data: bytes, filename: str) -> FileKind:
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise refuse(
            N_(
                "Old Excel 97–2003 (.xls) files are not accepted; save the file as Excel "
                "workbook (.xlsx) or as CSV UTF-8 and upload it again."
            )
        )
    if filename.lower().endswith(".xlsx"):
        raise refuse(N_("The file is named .xlsx but is not an Excel workbook."))
    return "csv"


def _check_encoding(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(N_('The file is in UTF-16; save it as "CSV UTF-8" and upload it again.'))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        if not prefix.removeprefix(b"\xef\xbb\xbf").isascii():
            # UTF-8 up to here: one broken character (e.g. a lone surrogate), named by its row
            line_start = prefix.rfind(b"\n") + 1
            raise ImportRejectedError(
                [
                    Problem(
                        prefix.count(b"\n") + 1,
                        None,
                        None,
                        N_(
                            "UTF-8 text; the character at byte {position} of this row is broken "
                            "(for example a lone surrogate)"
                        ),
                        {"position": exc.start - line_start + 1},
                    )
                ]
            ) from exc
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            text = ""
        if re.search("[А-Яа-яЁёІіҚқҢңӘәӨөҰұҮүҺһҒғ]", text):
            raise refuse(
                N_(
                    "The file is in the Windows-1251 (Cyrillic) encoding, not UTF-8; in Excel "
                    'choose "Save as" → "CSV UTF-8" and upload it again.'
                )
            ) from exc
        raise refuse(
            N_(
                "The file is not UTF-8 text (the byte at position {position} cannot be read); "
                'save it as "CSV UTF-8" and upload it again.'
            ),
            position=exc.start,
        ) from exc


Read = tuple[pd.DataFrame, np.ndarray, dict[int, str]]


def read_csv(
    data: bytes, limits: ImportLimits, report: ProgressCallback, columns: list[UploadColumn]
) -> Read:
    """The cells, their file row numbers, and position → column code (header checked first)."""
    _check_encoding(data)
    body = data.removeprefix(b"\xef\xbb\xbf")
    first_line = body.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    separator = max((",", ";", "\t"), key=first_line.count)
    headers = next(csv.reader([first_line], delimiter=separator))
    width = len(headers)
    mapping = _map_headers(headers, columns)
    # numbers are parsed by the reader (a stray word turns the column to text, still reported);
    # sex has a handful of words: categorical; codes and IINs stay text
    dtypes: dict[int, Any] = {
        p: "category" if mapping[p] == "sex" else object
        for p in range(width)
        if mapping[p] in {"student_code", "iin", "sex"}
    }
    line_count = max(body.count(b"\n"), 1)
    reader = pd.read_csv(
        io.BytesIO(body),
        sep=separator,
        header=None,
        skiprows=1,
        names=list(range(width)),
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        chunksize=_CHUNK_ROWS,
    )
    chunks: list[pd.DataFrame] = []
    rows_read = 0
    try:
        for chunk in reader:
            chunks.append(chunk)
            rows_read += len(chunk)
            if rows_read > limits.max_rows + _CHUNK_ROWS:
                break
            report(0.6 * min(1.0, rows_read / line_count), STAGE_READING)
    except (pd.errors.ParserError, ValueError) as exc:
        if "EOF inside string" in str(exc):
            raise _unclosed_quote(body, separator) from exc
        raise _csv_problem(str(exc)) from exc
    frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=range(width))
    frame.columns = pd.Index(headers)
    return frame, np.arange(2, len(frame) + 2), mapping


def _unclosed_quote(body: bytes, separator: str) -> ImportRejectedError:
    """The row where a quote opens and never closes (it would swallow the rest of the file)."""
    reader = csv.reader(
        io.StringIO(body.decode("utf-8"), newline=""), delimiter=separator, strict=True
    )
    started = 1
    try:
        for _row in reader:
            started = reader.line_num + 1
    except csv.Error:
        pass
    return ImportRejectedError(
        [Problem(started, None, None, N_("a closing quote for the quote that opens in this row"), {})]
    )


_NOT_TEXT: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def unreadable_cells(raw: pd.DataFrame, file_rows: np.ndarray, limit: int) -> list[Problem]:
    """Cells holding a NUL, another control character or a lone surrogate: not text, and a NUL
    cannot even be stored by PostgreSQL. Each is named by row and column; the value is shown
    with the character written as its code."""
    problems: list[Problem] = []
    for position, column in enumerate(raw.columns):
        values = raw.iloc[:, position]
        if values.dtype != object:
            continue
        texts = values.map(lambda v: v if isinstance(v, str) else "")
        bad = texts.str.contains(_NOT_TEXT).to_numpy(dtype=bool)
        for index in np.flatnonzero(bad)[: limit - len(problems)]:
            shown = _NOT_TEXT.sub(lambda m: f"U+{ord(m.group()):04X}", texts.iloc[index])
            problems.append(
                Problem(
                    int(file_rows[index]),
                    str(column),
                    shown[:60],
                    N_("text without control characters (NUL, U+0000–U+001F) or broken characters"),
                    {},
                )
            )
    return problems


def _csv_problem(detail: str) -> ImportRejectedError:
    match = _FIELDS_ERROR.search(detail)
    if match:
        expected, line, found = (int(group) for group in match.groups())
        return ImportRejectedError(
            [
                Problem(
                    line,
                    None,
                    None,
                    N_("a row with {expected} fields, like the header; this row has {found}"),
                    {"expected": expected, "found": found},
                )
            ]
        )
    return refuse(N_("The CSV file cannot be read: {detail}."), detail=detail)


def read_xlsx(
    data: bytes, limits: ImportLimits, report: ProgressCallback, columns: list[UploadColumn]
) -> Read:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise refuse(
            N_("The file is not a readable Excel workbook ({detail})."), detail=str(exc)
        ) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise refuse(
            N_(
                "The workbook would unpack to {size}; the limit is {limit}. It was not opened. "
                "Split the results into smaller files."
            ),
            size=format_size(unpacked),
            limit=format_size(limits.max_unpacked_bytes),
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise refuse(
            N_("The file is not a readable Excel workbook ({detail})."), detail=str(exc)
        ) from exc
    try:
        sheet = book.worksheets[0]
        total = sheet.max_row or 1
        if total - 1 > limits.max_rows:
            raise refuse(
                N_("The file has {rows} rows; at most {limit} are accepted in one upload."),
                rows=total - 1,
                limit=limits.max_rows,
            )
        rows_iter = sheet.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None or all(value is None for value in header):
            raise refuse(N_("The first sheet has no header row."))
        width = max(i + 1 for i, value in enumerate(header) if value is not None)
        headers = ["" if value is None else str(value) for value in header[:width]]
        mapping = _map_headers(headers, columns)
        body: list[tuple[Any, ...]] = []
        for number, values in enumerate(rows_iter, start=1):
            body.append(tuple(values[:width]) + (None,) * (width - len(values[:width])))
            if number % 20_000 == 0:
                report(0.6 * number / total, STAGE_READING)
    finally:
        book.close()
    headers = ["" if value is None else str(value) for value in header[:width]]
    frame = (
        pd.DataFrame(body, columns=pd.Index(headers), dtype=object)
        if body
        else pd.DataFrame(columns=pd.Index(headers), dtype=object)
    )
    return frame, np.arange(2, len(frame) + 2), mapping


def _map_headers(headers: list[str], columns: list[UploadColumn]) -> dict[int, str]:
    """Position → column code; every header problem is reported at once (row 1)."""
    names: dict[str, str] = {}
    for column in columns:
        for name in column.accepted_names():
            names[name] = column.code
    mapping: dict[int, str] = {}
    problems: list[Problem] = []
    known = ", ".join(column.code for column in columns)
    for position, header in enumerate(headers):
        key = normalise_header(header)
        match = BRACKETED.search(key)
        tag = (match.group(0).strip("[] ") if match else "").replace(" ", "")
        code = names.get(key) or names.get(tag)
        if code is None:
            problems.append(
                Problem(
                    1,
                    header or f"#{position + 1}",
                    header,
                    N_("a column of the template: {columns}"),
                    {"columns": known},
                )
            )
        elif code in mapping.values():
            problems.append(Problem(1, header, header, N_("each column only once"), {}))
        else:
            mapping[position] = code
    present = set(mapping.values())
    for column in columns:
        if column.required and column.code not in present:
            problems.append(
                Problem(
                    1,
                    column.code,
                    None,
                    N_("the column {column}, which is missing"),
                    {"column": column.code},
                )
            )
    items = [c.code for c in columns if c.code.startswith("item_")]
    missing_items = [code for code in items if code not in present]
    if missing_items:
        problems.append(
            Problem(
                1,
                ", ".join(missing_items),
                None,
                N_("the answer columns {columns}, which are missing"),
                {"columns": ", ".join(missing_items)},
            )
        )
    if not present & {"student_code", "iin"}:
        problems.append(
            Problem(
                1,
                "student_code / iin",
                None,
                N_("a column student_code or iin, so each row says whose it is"),
                {},
            )
        )
    if problems:
        raise ImportRejectedError(problems)
    return mapping
