"""Reading a school's screening results from CSV or XLSX: check everything, or take nothing.

``read_upload`` turns the bytes of an upload into checked answers and their scores, or raises
``ImportRejectedError`` listing every problem by row, column, value and what is expected (a
person reads it in their language). Nothing here touches the database: the service writes the
round only after this function has returned, so a rejected file leaves no partial round.

Defences, in the order they run, before anything is parsed:

- the file size is checked against ``ImportLimits.max_file_bytes``;
- an XLSX (a zip) is refused when the uncompressed sizes its directory declares add up to more
  than ``max_unpacked_bytes`` — a "2 GB" workbook is refused without being opened; Python's
  ``zipfile`` never returns more bytes than an entry declares, so a lying entry cannot exceed it;
- a CSV must be UTF-8 (with or without BOM); Windows-1251 and UTF-16 are recognised and named.

The content hash (``content_sha256``) is taken over the checked values, not the bytes, so the
same answers re-saved as XLSX or with another delimiter are still recognised as a duplicate.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from pcenter_lib.diagnostics.answer_sheets import Problem, check_values
from pcenter_lib.diagnostics.instruments import Instrument, get_instrument, instrument_registry
from pcenter_lib.diagnostics.scoring import flag_concerns, score_responses
from pcenter_lib.diagnostics.templates import (
    BRACKETED,
    UploadColumn,
    normalise_header,
    upload_columns,
)
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_, NP_, Translator, gettext, ngettext

ProgressCallback = Callable[[float, str], None]
FileKind = Literal["csv", "xlsx"]
_XLSX_MAGIC: Final = b"PK\x03\x04"
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls
_CHUNK_ROWS: Final = 500_000
_FIELDS_ERROR: Final = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
STAGE_READING: Final = N_("Reading the file")
STAGE_CHECKING: Final = N_("Checking the values")
STAGE_SCORING: Final = N_("Scoring")


@dataclass(frozen=True)
class ImportLimits:
    """How large an upload may be (Center settings; a school's round is a few thousand rows)."""

    max_file_bytes: int = 100 * 2**20
    max_unpacked_bytes: int = 512 * 2**20
    max_rows: int = 1_048_575  # what one Excel sheet holds below its header
    max_problems: int = 500  # problems listed; the count covers all


DEFAULT_LIMITS: Final = ImportLimits()


REJECTED: Final = NP_(
    "The file was not imported: {count} problem was found. Nothing was written; correct the "
    "file and upload it again.",
    "The file was not imported: {count} problems were found. Nothing was written; correct the "
    "file and upload it again.",
)


class ImportRejectedError(PcenterError, ValueError):
    """The upload was refused; ``problems`` says where and why, and nothing was written."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__(REJECTED[1], count=self.total)
        self.args = (self.localized("en"),)

    def localized(self, lang: str) -> str:
        """The summary in ``lang``, the count in its plural form."""
        return ngettext(*REJECTED, self.total, lang).format(count=self.total)

    def report(self, lang: str) -> pd.DataFrame:
        """The problems as a table in ``lang``: row, column, value, what is expected."""
        t = Translator(lang)
        return pd.DataFrame(
            [problem.localized(lang) for problem in self.problems],
            columns=[t("Row"), t("Column"), t("Value"), t("What is expected")],
        )


WRONG_TEMPLATE: Final = N_(
    "The columns do not fit the instrument {instrument}: the file was made from the template of "
    "{other}. Choose that instrument, or fill in the template of {instrument}. Nothing was "
    "written."
)
WRONG_COLUMNS: Final = NP_(
    "The columns do not fit the instrument {instrument}: {count} problem in the header row. "
    "Check that the file was made from this instrument's template. Nothing was written.",
    "The columns do not fit the instrument {instrument}: {count} problems in the header row. "
    "Check that the file was made from this instrument's template. Nothing was written.",
)


class ColumnsMismatchError(ImportRejectedError):
    """The file's columns are not those of the chosen instrument (another template, or edited).

    Said before anything else, because every answer of such a file would be read wrongly. The
    instruments are named in the reader's language (their names are data, not messages).
    """

    def __init__(self, problems: list[Problem], *, instrument: str, other: str | None) -> None:
        self.instrument, self.other = instrument, other
        super().__init__(problems)

    def localized(self, lang: str) -> str:
        def name(code: str) -> str:
            names = get_instrument(code).name
            return names.get(lang) or names.get("en") or code

        if self.other:
            text = gettext(WRONG_TEMPLATE, lang)
        else:
            text = ngettext(*WRONG_COLUMNS, self.total, lang)
        return text.format(
            instrument=name(self.instrument),
            other=name(self.other) if self.other else "",
            count=self.total,
        )


@dataclass(frozen=True)
class ParsedUpload:
    """A checked and scored upload, ready to be written as one round."""

    instrument: Instrument
    answers: pd.DataFrame  # student_code, iin, grade, age, sex, item_1 … (index 0..n-1)
    scores: pd.DataFrame  # score_responses(instrument, answers)
    concerns: pd.DataFrame  # flag_concerns for the critical rows only
    file_rows: np.ndarray  # the row number each answer has in the file (header = 1)
    content_sha256: str
    kind: FileKind
    columns: list[str] = field(default_factory=list)  # the columns the file had

    @property
    def critical_rows(self) -> pd.Index:
        return self.concerns.index

    def critical_items_unanswered(self) -> tuple[int, ...]:
        """File rows of respondents who left a critical item (e.g. PHQ-9 item 9) unanswered.

        A skipped critical item cannot raise a flag, so these children are not screened for
        the risk the item asks about; the methodologist is told which rows to check with the school.
        """
        items = [rule.item for rule in self.instrument.critical_items]
        if not items:
            return ()
        missing = self.answers[items].isna().any(axis=1).to_numpy()
        return tuple(int(row) for row in self.file_rows[missing])

    def scored_without_band(self) -> tuple[int, ...]:
        """File rows with a score but no band: the respondent's age or sex is outside the norms.

        Such a score cannot be read as normal or of concern (e.g. SDQ norms cover ages 11–17),
        so the methodologist is told rather than the band silently left empty.
        """
        unbanded = np.zeros(len(self.scores), dtype=bool)
        for scale in self.instrument.scales:
            if scale.norms:
                score = self.scores[scale.code].notna().to_numpy()
                band = self.scores[f"{scale.code}_band"].isna().to_numpy()
                unbanded |= score & band
        return tuple(int(row) for row in self.file_rows[unbanded])


def _refuse(msgid: str, /, **params: Any) -> ImportRejectedError:
    return ImportRejectedError([Problem(None, None, None, msgid, params)])


def format_size(size: int) -> str:
    """Bytes for people: ``2.0 GB``, ``350 KB``."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def read_upload(
    data: bytes,
    *,
    filename: str,
    instrument: str | Instrument,
    limits: ImportLimits = DEFAULT_LIMITS,
    progress: ProgressCallback | None = None,
) -> ParsedUpload:
    """Read, check and score an upload; raise ``ImportRejectedError`` on any problem."""
    definition = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    report = progress or (lambda fraction, stage: None)
    if len(data) > limits.max_file_bytes:
        raise _refuse(
            N_("The file is {size}; the largest file accepted is {limit}."),
            size=format_size(len(data)),
            limit=format_size(limits.max_file_bytes),
        )
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise _refuse(N_("The file is empty: it has neither a header nor results."))
    kind = _kind_of(data, filename)
    report(0.0, STAGE_READING)
    columns = upload_columns(definition)
    reader = _read_xlsx if kind == "xlsx" else _read_csv
    try:
        raw, file_rows, mapping = reader(data, limits, report, columns)
    except ImportRejectedError as rejected:
        if rejected.problems and all(problem.row == 1 for problem in rejected.problems):
            raise ColumnsMismatchError(
                rejected.problems,
                instrument=definition.code,
                other=_other_instrument(rejected.problems, definition),
            ) from None
        raise
    report(0.6, STAGE_CHECKING)
    filled = raw.notna().any(axis=1).to_numpy()
    raw, file_rows = raw.loc[filled].reset_index(drop=True), file_rows[filled]
    if raw.empty:
        raise _refuse(N_("The file has a header but no results."))
    if len(raw) > limits.max_rows:
        raise _refuse(
            N_("The file has {rows} rows; at most {limit} are accepted in one upload."),
            rows=len(raw),
            limit=limits.max_rows,
        )
    answers, problems, total = check_values(raw, mapping, definition, file_rows)
    if total:
        problems.sort(key=lambda p: p.row or 0)
        raise ImportRejectedError(problems[: limits.max_problems], total=total)
    report(0.8, STAGE_SCORING)
    scores = score_responses(definition, answers)
    critical = answers.loc[scores["critical"].to_numpy()]
    concerns = flag_concerns(definition, critical)
    report(0.9, STAGE_SCORING)
    return ParsedUpload(
        instrument=definition,
        answers=answers,
        scores=scores,
        concerns=concerns,
        file_rows=file_rows,
        content_sha256=content_hash(definition, answers),
        kind=kind,
        columns=list(mapping.values()),
    )


def _kind_of(data: bytes, filename: str) -> FileKind:
    if data.startswith(_XLSX_MAGIC):
        return "xlsx"
    if data.startswith(_OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise _refuse(
            N_(
                "Old Excel 97–2003 (.xls) files are not accepted; save the file as Excel "
                "workbook (.xlsx) or as CSV UTF-8 and upload it again."
            )
        )
    if filename.lower().endswith(".xlsx"):
        raise _refuse(N_("The file is named .xlsx but is not an Excel workbook."))
    return "csv"


def _check_encoding(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(N_('The file is in UTF-16; save it as "CSV UTF-8" and upload it again.'))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            text = ""
        if re.search("[А-Яа-яЁёІіҚқҢңӘәӨөҰұҮүҺһҒғ]", text):
            raise _refuse(
                N_(
                    "The file is in the Windows-1251 (Cyrillic) encoding, not UTF-8; in Excel "
                    'choose "Save as" → "CSV UTF-8" and upload it again.'
                )
            ) from exc
        raise _refuse(
            N_(
                "The file is not UTF-8 text (the byte at position {position} cannot be read); "
                'save it as "CSV UTF-8" and upload it again.'
            ),
            position=exc.start,
        ) from exc


Read = tuple[pd.DataFrame, np.ndarray, dict[int, str]]


def _read_csv(
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
        raise _csv_problem(str(exc)) from exc
    frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=range(width))
    frame.columns = pd.Index(headers)
    return frame, np.arange(2, len(frame) + 2), mapping


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
    return _refuse(N_("The CSV file cannot be read: {detail}."), detail=detail)


def _read_xlsx(
    data: bytes, limits: ImportLimits, report: ProgressCallback, columns: list[UploadColumn]
) -> Read:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _refuse(
            N_("The file is not a readable Excel workbook ({detail})."), detail=str(exc)
        ) from exc
    if unpacked > limits.max_unpacked_bytes:
        raise _refuse(
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
        raise _refuse(
            N_("The file is not a readable Excel workbook ({detail})."), detail=str(exc)
        ) from exc
    try:
        sheet = book.worksheets[0]
        total = sheet.max_row or 1
        if total - 1 > limits.max_rows:
            raise _refuse(
                N_("The file has {rows} rows; at most {limit} are accepted in one upload."),
                rows=total - 1,
                limit=limits.max_rows,
            )
        rows_iter = sheet.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None or all(value is None for value in header):
            raise _refuse(N_("The first sheet has no header row."))
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


def _other_instrument(problems: list[Problem], chosen: Instrument) -> str | None:
    """The instrument whose template a rejected header names, when it is not the chosen one."""
    for problem in problems:
        match = BRACKETED.search(normalise_header(problem.value or ""))
        prefix = match.group(1) if match else None
        if prefix and prefix != chosen.code and prefix in instrument_registry():
            return prefix
    return None


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


def content_hash(instrument: Instrument, answers: pd.DataFrame) -> str:
    """SHA-256 over the instrument and the checked values, column by column."""
    digest = hashlib.sha256(f"{instrument.code}\x1e{instrument.version}".encode())
    for name in answers.columns:
        column = answers[name]
        digest.update(f"\x1e{name}\x1f".encode())
        if isinstance(column.dtype, pd.CategoricalDtype):
            digest.update("\x1f".join(map(str, column.cat.categories)).encode())
            digest.update(column.cat.codes.to_numpy(dtype="<i2").tobytes())
        elif pd.api.types.is_numeric_dtype(column.dtype):
            digest.update(column.to_numpy(dtype="<f8", na_value=np.nan).tobytes())
        else:
            cells = column.to_numpy(dtype=object, na_value="\x00")
            digest.update("\x1f".join(map(str, cells.tolist())).encode())
    return digest.hexdigest()
