"""Checking the rows of an upload, column by column, with every problem named (row, column, value).

Each column is checked as a whole (numpy masks), so a million rows cost a fraction of a second;
only the rows that fail become ``Problem`` objects, at most ``limit`` per check (the count of
problems stays exact). IINs are checked with the domain's ``parse_iin`` once per distinct
number, and a report never shows an IIN, only that the cell is hidden (Rule 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from pcenter_lib.diagnostics.instruments import Instrument
from pcenter_lib.diagnostics.templates import AGE_RANGE, CODE_MAX_LENGTH, GRADE_RANGE, SEX_WORDS
from pcenter_lib.domain.iin import InvalidIinError, parse_iin
from pcenter_lib.formats import FileSize, format_file_size
from pcenter_lib.i18n import N_, Translator

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
HIDDEN_VALUE: Final = N_("(hidden: personal data)")
PROBLEMS_PER_CHECK: Final = 1000
SEX_FROM_IIN: Final = {
    "male": N_("male, as the IIN of this row says"),
    "female": N_("female, as the IIN of this row says"),
}


@dataclass(frozen=True)
class Problem:
    """One problem of an upload: file row (header = 1), column, the value, what is expected.

    ``expected`` is a msgid with ``params``; ``reason`` (a msgid and its params) fills the
    ``{reason}`` placeholder, e.g. why an IIN is invalid.
    """

    row: int | None
    column: str | None
    value: str | None
    expected: str
    params: dict[str, Any] = field(default_factory=dict)
    reason: tuple[str, dict[str, Any]] | None = None

    def localized(self, lang: str) -> list[object]:
        """``[row, column, value, what is expected]`` for a person reading ``lang``."""
        t = Translator(lang)
        params = {
            key: format_file_size(value, lang) if isinstance(value, FileSize) else value
            for key, value in self.params.items()
        }
        if self.reason is not None:
            params["reason"] = t(self.reason[0], **self.reason[1])
        value = t(HIDDEN_VALUE) if self.value == HIDDEN_VALUE else self.value
        return [
            "—" if self.row is None else self.row,
            self.column or "—",
            "" if value is None else value,
            t(self.expected, **params),
        ]


@dataclass
class _Problems:
    """Problems found so far: all counted, at most ``limit`` kept per check."""

    raw: pd.DataFrame
    file_rows: np.ndarray
    limit: int
    kept: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(
        self,
        mask: BoolArray,
        position: int | None,
        column: str,
        expected: str,
        params: dict[str, Any] | None = None,
        *,
        hide_value: bool = False,
        reasons: list[tuple[str, dict[str, Any]] | None] | None = None,
    ) -> None:
        bad = np.flatnonzero(mask)
        self.total += len(bad)
        for row in bad[: self.limit]:
            value: str | None = None
            if hide_value:
                value = HIDDEN_VALUE
            elif position is not None:
                cell: object = self.raw.iat[int(row), position]
                value = None if _is_empty(cell) else cell_text(cell)
            reason = None if reasons is None else reasons[int(row)]
            self.kept.append(
                Problem(
                    int(self.file_rows[row]), column, value, expected, dict(params or {}), reason
                )
            )


def _is_empty(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell))


def cell_text(cell: object) -> str:
    """A cell as text; a whole number typed into Excel (``123.0``) loses its ``.0``."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _numbers(column: pd.Series) -> tuple[FloatArray, BoolArray]:
    """Floats (NaN = empty) and where a non-empty cell is not a number."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(column), np.bool_)
    cleaned = column.astype(object).map(
        lambda v: v.strip().replace(",", ".") if isinstance(v, str) else v
    )
    values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return values, np.isnan(values) & column.notna().to_numpy()


def _texts(column: pd.Series) -> pd.Series:
    """Cells as stripped text; empty cells as None (vectorized when every cell is text)."""
    cells = [None if _is_empty(v) else v for v in column.tolist()]
    if pd.api.types.infer_dtype(cells, skipna=True) in {"string", "empty"}:
        texts = [v.strip() or None if v is not None else None for v in cells]
    else:  # numbers typed into Excel cells: a few thousand rows at most
        texts = [None if _is_empty(v) else cell_text(v) or None for v in cells]
    return pd.Series(texts, dtype=object)


def _sexes(column: pd.Series) -> pd.Series:
    """``male`` / ``female`` from the words accepted for them; anything else missing.

    The column is factorized first, so only its few distinct words are looked up.
    """
    codes, uniques = pd.factorize(column)
    known = {"male": 0, "female": 1}
    lookup = np.array(
        [known.get(SEX_WORDS.get(cell_text(word).casefold(), ""), -1) for word in list(uniques)]
        + [-1],
        dtype=np.int8,
    )
    categories = pd.Index(["male", "female"])
    return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=categories))


def _whole_in(values: FloatArray, low: int, high: int) -> BoolArray:
    inside: BoolArray = (values >= low) & (values <= high) & (values % 1 == 0)
    return inside


def check_values(
    raw: pd.DataFrame,
    mapping: dict[int, str],
    instrument: Instrument,
    file_rows: np.ndarray,
    *,
    limit: int = PROBLEMS_PER_CHECK,
) -> tuple[pd.DataFrame, list[Problem], int]:
    """The checked answers, the problems found (at most ``limit`` per check) and their count.

    ``raw`` has the file's cells by position; ``mapping`` says which column code each position
    holds. The answers frame has ``student_code``, ``iin`` (text or None), ``grade`` (Int8),
    ``age`` (int16), ``sex`` (categorical male/female) and the items (Int8, NA = unanswered);
    it is empty when any problem was found.
    """
    found = _Problems(raw, file_rows, limit)
    where = {code: pos for pos, code in mapping.items()}
    named = {code: str(raw.columns[pos]) for code, pos in where.items()}
    size = len(raw)
    empty_text = pd.Series([None] * size, dtype=object)

    codes = _texts(raw.iloc[:, where["student_code"]]) if "student_code" in where else empty_text
    if "student_code" in where:
        too_long = codes.str.len().fillna(0) > CODE_MAX_LENGTH
        found.add(
            too_long.to_numpy(bool),
            where["student_code"],
            named["student_code"],
            N_("a student code of at most {length} characters"),
            {"length": CODE_MAX_LENGTH},
        )
        repeated = codes.notna().to_numpy() & codes.duplicated(keep=False).to_numpy()
        found.add(
            repeated,
            where["student_code"],
            named["student_code"],
            N_("a student code used only once in the file"),
        )

    iins = _texts(raw.iloc[:, where["iin"]]) if "iin" in where else empty_text
    iin_sex = pd.Series([None] * size, dtype=object)
    if "iin" in where:
        # Excel drops the leading zero of an IIN typed as a number (born 2000–2009: "0…").
        iins = pd.Series(
            ["0" + v if v is not None and len(v) == 11 and v.isdigit() else v for v in iins],
            dtype=object,
        )
        iin_sex = _check_iins(iins, where["iin"], named["iin"], found)
    found.add(
        (codes.isna() & iins.isna()).to_numpy(),
        None,
        "student_code / iin",
        N_("a student code or an IIN: each row must say whose answers it holds"),
    )

    grade = np.full(size, np.nan)
    if "grade" in where:
        grade, not_number = _numbers(raw.iloc[:, where["grade"]])
        low, high = GRADE_RANGE
        bad = not_number | (~np.isnan(grade) & ~_whole_in(grade, low, high))
        found.add(
            bad,
            where["grade"],
            named["grade"],
            N_("a grade from {low} to {high}, or empty"),
            {"low": low, "high": high},
        )

    age, not_number = _numbers(raw.iloc[:, where["age"]])
    low, high = AGE_RANGE
    found.add(
        not_number | ~_whole_in(age, low, high),
        where["age"],
        named["age"],
        N_("a whole number of years from {low} to {high}"),
        {"low": low, "high": high},
    )

    sex = _sexes(raw.iloc[:, where["sex"]])
    found.add(
        sex.isna().to_numpy(),
        where["sex"],
        named["sex"],
        N_("male or female (м / ж, ұл / қыз are accepted)"),
    )
    for code, expected in SEX_FROM_IIN.items():
        mismatch = (iin_sex == code).to_numpy() & sex.notna().to_numpy() & (sex != code).to_numpy()
        found.add(mismatch, where["sex"], named["sex"], expected)

    answers: dict[str, FloatArray] = {}
    for item in instrument.items:
        values, not_number = _numbers(raw.iloc[:, where[item.id]])
        allowed = np.isin(values, np.asarray(item.values, dtype=np.float64)) | np.isnan(values)
        found.add(
            not_number | ~allowed,
            where[item.id],
            named[item.id],
            N_("one of {values}, or empty if not answered"),
            {"values": ", ".join(map(str, item.values))},
        )
        answers[item.id] = values

    if found.total:
        return pd.DataFrame(), found.kept, found.total
    frame = pd.DataFrame(
        {
            "student_code": codes,
            "iin": iins,
            "grade": pd.Series(grade).astype("Int8").to_numpy(),
            "age": age.astype(np.int16),
            "sex": sex.array,
        }
    )
    for item_id, values in answers.items():
        frame[item_id] = pd.Series(values).astype("Int8")
    return frame, [], 0


def _check_iins(iins: pd.Series, position: int, column: str, found: _Problems) -> pd.Series:
    """Check each distinct IIN once; return the sex each valid IIN encodes (None elsewhere)."""
    sexes: dict[str, str] = {}
    reasons: dict[str, tuple[str, dict[str, Any]]] = {}
    for value in pd.unique(iins.dropna()):
        try:
            sexes[value] = parse_iin(value).sex
        except InvalidIinError as error:
            reasons[value] = (error.msgid, dict(error.params))
    reason: list[tuple[str, dict[str, Any]] | None] = [
        reasons.get(v) if isinstance(v, str) else None for v in iins
    ]
    found.add(
        np.array([r is not None for r in reason], dtype=np.bool_),
        position,
        column,
        N_("a valid IIN of 12 digits: {reason}"),
        hide_value=True,
        reasons=reason,
    )
    repeated = iins.notna().to_numpy() & iins.duplicated(keep=False).to_numpy()
    found.add(repeated, position, column, N_("an IIN used only once in the file"), hide_value=True)
    return pd.Series([None if v is None else sexes.get(v) for v in iins], dtype=object)
