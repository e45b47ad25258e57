"""Vectorized scoring of screening answers with an instrument's key (``data/instruments``).

A screening round brings hundreds of thousands of answer sheets, so everything here works on
whole columns with numpy: loops run over items, scales and band rows, never over respondents.
Internally answers are floats with NaN for "not answered"; scores come out as nullable integers
(``Int64``), bands as ordered categoricals (least to most concern) and ``critical`` as booleans.

The rules, all read from the instrument file:

- reverse-keyed items are mirrored (``min + max − answer``) before they are added;
- a ``sum`` scale with every item answered is the plain sum; with at least ``min_answered``
  items answered it is prorated as round-half-up(mean × number of items) — the SDQ scoring
  syntax's ``floor(0.5 + x)``; with fewer answered the score and its band are missing;
- a ``sum_of_scales`` scale (SDQ total difficulties) is missing when any part is missing;
- a band comes from the first norm whose age range and sex match the respondent (a norm
  without conditions matches everybody); no matching norm leaves the band missing;
- ``critical`` is true when any critical item got a triggering answer, judged on the answer as
  given (before reverse keying); an unanswered critical item does not trigger.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Final, NoReturn

import numpy as np
import numpy.typing as npt
import pandas as pd

from pcenter_lib.diagnostics.instruments import Instrument, Norm, Scale, get_instrument
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Offence = tuple[Hashable, str, object]

# How many offending cells an error message names; ``InvalidResponseError.offending`` has all.
EXAMPLES_IN_MESSAGE: Final = 5


class InvalidResponseError(PcenterError, ValueError):
    """Some answers, ages or sexes are not allowed; ``offending`` lists (row, column, value)."""

    def __init__(self, msgid: str, /, *, offending: list[Offence], **params: object) -> None:
        self.offending = offending
        super().__init__(msgid, **params)


class ResponseColumnsError(PcenterError, ValueError):
    """The answers lack a column the instrument needs, or repeat one."""


@dataclass(frozen=True, slots=True)
class _Answers:
    """The checked columns of one upload: raw and reverse-keyed answers, age and sex masks."""

    raw: dict[str, FloatArray]
    keyed: dict[str, FloatArray]
    age: FloatArray
    is_male: BoolArray
    is_female: BoolArray

    def matches(self, norm: Norm) -> BoolArray | None:
        """Who ``norm`` applies to; ``None`` when it applies to everybody.

        Each condition the norm gives restricts it on its own: a lower age bound alone means
        "from that age", an upper one "up to that age" — never "every age", which would put a
        child in the band of an age group not theirs. A row without an age matches no norm
        with an age bound.
        """
        conditions: list[BoolArray] = []
        if norm.age_low is not None:
            conditions.append(self.age >= norm.age_low)
        if norm.age_high is not None:
            conditions.append(self.age <= norm.age_high)
        if norm.sex is not None:
            conditions.append(self.is_male if norm.sex == "male" else self.is_female)
        if not conditions:
            return None
        mask = conditions[0]
        for condition in conditions[1:]:
            mask = mask & condition
        return mask


def score_columns(instrument: str | Instrument) -> list[str]:
    """The columns ``score_responses`` returns: each scale, its ``_band`` if banded, ``critical``."""
    definition = _resolve(instrument)
    columns: list[str] = []
    for scale in definition.scales:
        columns.append(scale.code)
        if scale.norms:
            columns.append(f"{scale.code}_band")
    return [*columns, "critical"]


def score_responses(instrument: str | Instrument, responses: pd.DataFrame) -> pd.DataFrame:
    """Score every row of ``responses`` (columns ``item_1``…, ``age``, ``sex``) with ``instrument``.

    Returns a frame on the same index with the columns of ``score_columns``. Unknown instrument,
    missing columns and answers outside an item's values raise; nothing is scored partially.
    """
    definition = _resolve(instrument)
    answers = _read_answers(definition, responses)
    band_order = tuple(definition.band_labels)
    scores: dict[str, FloatArray] = {}
    result: dict[str, object] = {}
    for scale in definition.scales:
        score = _score_scale(scale, answers, scores, len(responses))
        scores[scale.code] = score
        missing = np.isnan(score)
        result[scale.code] = pd.arrays.IntegerArray(
            np.where(missing, 0.0, score).astype(np.int64), missing
        )
        if scale.norms:
            result[f"{scale.code}_band"] = _assign_bands(scale, score, answers, band_order)
    concerns = _flag_concerns(definition, answers)
    critical = np.zeros(len(responses), dtype=np.bool_)
    for flags in concerns.values():
        critical |= flags
    result["critical"] = critical
    return pd.DataFrame(result, index=responses.index)


def flag_concerns(instrument: str | Instrument, responses: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per Rule 19 concern the instrument's critical items can raise."""
    definition = _resolve(instrument)
    answers = _read_answers(definition, responses)
    return pd.DataFrame(_flag_concerns(definition, answers), index=responses.index)


def _resolve(instrument: str | Instrument) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else get_instrument(instrument)


def _flag_concerns(definition: Instrument, answers: _Answers) -> dict[str, BoolArray]:
    flags: dict[str, BoolArray] = {}
    for rule in definition.critical_items:
        hit = np.isin(answers.raw[rule.item], np.asarray(rule.values, dtype=np.float64))
        flags[rule.concern] = flags[rule.concern] | hit if rule.concern in flags else hit
    return flags


def _score_scale(
    scale: Scale, answers: _Answers, scores: dict[str, FloatArray], size: int
) -> FloatArray:
    if scale.method == "sum_of_scales":
        total = np.zeros(size)
        for part in scale.scales:
            total = total + scores[part]  # NaN in any part leaves the total missing
        return total
    total = np.zeros(size)
    answered = np.zeros(size)
    for item in scale.items:
        values = answers.keyed[item]
        present = ~np.isnan(values)
        total += np.where(present, values, 0.0)
        answered += present
    count = len(scale.items)
    with np.errstate(divide="ignore", invalid="ignore"):
        prorated = np.floor(total * count / answered + 0.5)
    partial = np.where(answered >= scale.min_answered, prorated, np.nan)
    result: FloatArray = np.where(answered == count, total, partial)
    return result


def _assign_bands(
    scale: Scale, score: FloatArray, answers: _Answers, order: tuple[str, ...]
) -> pd.Categorical[str]:
    codes = scale.band_codes(order)
    position = {code: index for index, code in enumerate(codes)}
    band = np.full(len(score), -1, dtype=np.int8)
    unassigned = np.ones(len(score), dtype=np.bool_)
    for norm in scale.norms:
        condition = answers.matches(norm)
        applies = unassigned if condition is None else unassigned & condition
        for rows in norm.bands:
            band[applies & (score >= rows.low) & (score <= rows.high)] = position[rows.code]
        unassigned = unassigned & ~applies
    return pd.Categorical.from_codes(band, categories=pd.Index(codes), ordered=True)


def _read_answers(definition: Instrument, responses: pd.DataFrame) -> _Answers:
    """Check the columns and every value, then return the answers as float arrays."""
    required = definition.template_columns()
    missing = [column for column in required if column not in responses.columns]
    if missing:
        raise ResponseColumnsError(
            N_("The answers for {instrument} lack the columns {missing}; required: {required}."),
            instrument=definition.code,
            missing=", ".join(missing),
            required=", ".join(required),
        )
    repeated = [c for c in required if int((responses.columns == c).sum()) > 1]
    if repeated:
        raise ResponseColumnsError(
            N_("The answers for {instrument} have the columns {repeated} more than once."),
            instrument=definition.code,
            repeated=", ".join(repeated),
        )
    bad: dict[str, BoolArray] = {}
    raw: dict[str, FloatArray] = {}
    keyed: dict[str, FloatArray] = {}
    for item in definition.items:
        values, bad[item.id] = _numeric(responses[item.id])
        low, high = min(item.values), max(item.values)
        if sorted(item.values) == list(range(low, high + 1)):
            fractional = (values != np.floor(values)) & ~np.isnan(values)
            outside = (values < low) | (values > high) | fractional
        else:
            outside = ~np.isnan(values) & ~np.isin(values, np.asarray(item.values, np.float64))
        bad[item.id] |= outside
        raw[item.id] = values
        keyed[item.id] = low + high - values if item.reverse else values
    age, bad["age"] = _numeric(responses["age"])
    bad["age"] |= age < 0
    # An empty text counts as "not given", like NA; anything but male/female is an error.
    sex = responses["sex"].to_numpy(dtype=object, na_value="")
    is_male: BoolArray = sex == "male"
    is_female: BoolArray = sex == "female"
    other = np.flatnonzero(~(is_male | is_female))
    bad["sex"] = np.zeros(len(sex), dtype=np.bool_)
    bad["sex"][other[sex[other] != ""]] = True
    if any(mask.any() for mask in bad.values()):
        _raise_invalid(definition, responses, bad)
    return _Answers(raw=raw, keyed=keyed, age=age, is_male=is_male, is_female=is_female)


def _numeric(column: pd.Series) -> tuple[FloatArray, BoolArray]:
    """The column as floats (NaN = missing) and where a given value is not a number."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(column), np.bool_)
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return values, np.isnan(values) & column.notna().to_numpy()


def _raise_invalid(
    definition: Instrument, responses: pd.DataFrame, bad: dict[str, BoolArray]
) -> NoReturn:
    columns = list(bad)
    rows = [np.flatnonzero(bad[column]) for column in columns]
    positions = np.concatenate(rows)
    column_numbers = np.concatenate([np.full(len(r), n) for n, r in enumerate(rows)])
    order = np.lexsort((column_numbers, positions))
    offending: list[Offence] = []
    for position, number in zip(positions[order], column_numbers[order], strict=True):
        column = columns[number]
        value = responses[column].iloc[position]
        offending.append((_plain(responses.index[position]), column, _plain(value)))
    examples = "; ".join(
        f"({label!r}, {column}, {value!r})"
        for label, column, value in offending[:EXAMPLES_IN_MESSAGE]
    )
    value_sets = dict.fromkeys(", ".join(map(str, item.values)) for item in definition.items)
    raise InvalidResponseError(
        N_(
            "{count} values are not allowed for {instrument}: answers must be one of {values}, age "
            "a number of years, sex 'male' or 'female'. Offending (row, column, value): "
            "{examples}{more}"
        ),
        offending=offending,
        count=len(offending),
        instrument=definition.code,
        values=" / ".join(value_sets),
        examples=examples,
        more=" …" if len(offending) > EXAMPLES_IN_MESSAGE else ".",
    )


def _plain(value: object) -> Hashable:
    """A numpy scalar as the Python value it holds, so messages read ``5`` not ``np.int64(5)``."""
    return value.item() if isinstance(value, np.generic) else value
