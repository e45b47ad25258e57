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

import hashlib
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.diagnostics.answer_sheets import Problem, check_values
from pcenter_lib.diagnostics.instruments import Instrument, get_instrument, instrument_registry
from pcenter_lib.diagnostics.scoring import flag_concerns, score_responses
from pcenter_lib.diagnostics.templates import BRACKETED, normalise_header, upload_columns
from pcenter_lib.diagnostics.upload_errors import (
    DEFAULT_LIMITS,
    STAGE_READING,
    ImportLimits,
    ImportRejectedError,
    ProgressCallback,
    format_size,
    refuse,
)
from pcenter_lib.diagnostics.upload_reading import (
    FileKind,
    kind_of,
    read_csv,
    read_xlsx,
    unreadable_cells,
)
from pcenter_lib.i18n import N_, NP_, gettext, ngettext

__all__ = [
    "DEFAULT_LIMITS", "ColumnsMismatchError", "ImportLimits", "ImportRejectedError",
    "ParsedUpload", "ProgressCallback",
    "content_hash", "format_size", "read_upload",
]

STAGE_CHECKING: Final = N_("Checking the values")
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


def _other_instrument(problems: list[Problem], chosen: Instrument) -> str | None:
    """The instrument whose template a rejected header names, when it is not the chosen one."""
    for problem in problems:
        match = BRACKETED.search(normalise_header(problem.value or ""))
        prefix = match.group(1) if match else None
        if prefix and prefix != chosen.code and prefix in instrument_registry():
            return prefix
    return None
STAGE_SCORING: Final = N_("Scoring")


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
        raise refuse(
            N_("The file is {size}; the largest file accepted is {limit}."),
            size=format_size(len(data)),
            limit=format_size(limits.max_file_bytes),
        )
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise refuse(N_("The file is empty: it has neither a header nor results."))
    kind = kind_of(data, filename)
    report(0.0, STAGE_READING)
    columns = upload_columns(definition)
    reader = read_xlsx if kind == "xlsx" else read_csv
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
        raise refuse(N_("The file has a header but no results."))
    if len(raw) > limits.max_rows:
        raise refuse(
            N_("The file has {rows} rows; at most {limit} are accepted in one upload."),
            rows=len(raw),
            limit=limits.max_rows,
        )
    unreadable = unreadable_cells(raw, file_rows, limits.max_problems)
    if unreadable:
        raise ImportRejectedError(unreadable)
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
