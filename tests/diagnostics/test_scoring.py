"""Vectorized scoring (pcenter_lib.diagnostics.scoring) on hand-worked examples.

Keys and cut-offs are written out here by hand from the instruments' publications
(PHQ-9: Kroenke et al. 2001; GAD-7: Spitzer et al. 2006; SDQ: "Scoring the SDQ", sdqinfo.org) and from data/instruments/bully_check.yaml, so a wrong
YAML file makes these tests fail.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import floor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcenter_lib.diagnostics import (
    CONCERNS,
    Band,
    Instrument,
    InvalidResponseError,
    Norm,
    ResponseColumnsError,
    Scale,
    UnknownInstrumentError,
    flag_concerns,
    get_instrument,
    load_instrument,
    score_columns,
    score_responses,
)

Answer = int | None


def frame(
    n_items: int,
    rows: list[list[Answer]],
    ages: list[int | None] | None = None,
    sexes: list[str | None] | None = None,
    index: list[object] | None = None,
) -> pd.DataFrame:
    """Answers as a school would upload them; missing answers as NA."""
    data: dict[str, object] = {
        f"item_{n + 1}": pd.array([row[n] for row in rows], dtype="Int64") for n in range(n_items)
    }
    data["age"] = ages if ages is not None else [14] * len(rows)
    data["sex"] = sexes if sexes is not None else ["female"] * len(rows)
    return pd.DataFrame(data, index=index)


def summing_to(total: int, n_items: int, top: int) -> list[Answer]:
    """Answers adding up to ``total``: as many ``top`` answers as fit, then the rest, then 0."""
    answers: list[Answer] = []
    for _ in range(n_items):
        answer = min(top, total)
        answers.append(answer)
        total -= answer
    assert total == 0
    return answers


# ----------------------------------------------------------------------------------------- PHQ-9


def test_phq9_worked_example() -> None:
    # 1 + 2 + 0 + 3 + 1 + 0 + 2 + 1 + 0 = 10 → moderate (10–14); item 9 = 0 → not critical.
    # Second row: the same but item 9 = 1 → 11, moderate, critical.
    result = score_responses(
        "phq9", frame(9, [[1, 2, 0, 3, 1, 0, 2, 1, 0], [1, 2, 0, 3, 1, 0, 2, 1, 1]])
    )
    assert result["total"].tolist() == [10, 11]
    assert result["total_band"].tolist() == ["moderate", "moderate"]
    assert result["critical"].tolist() == [False, True]


PHQ9_BOUNDARIES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately_severe"),
    (19, "moderately_severe"),
    (20, "severe"),
    (27, "severe"),
]


def test_phq9_bands_at_every_boundary() -> None:
    # Item 9 is answered last by summing_to, so only totals of 25+ (3×8 = 24 before it) touch it.
    rows = [summing_to(total, 9, 3) for total, _ in PHQ9_BOUNDARIES]
    result = score_responses("phq9", frame(9, rows))
    assert result["total"].tolist() == [total for total, _ in PHQ9_BOUNDARIES]
    assert result["total_band"].tolist() == [band for _, band in PHQ9_BOUNDARIES]
    assert result["critical"].tolist() == [total > 24 for total, _ in PHQ9_BOUNDARIES]


@pytest.mark.parametrize(("item_9", "critical"), [(0, False), (1, True), (2, True), (3, True)])
def test_phq9_item_9_of_one_or_more_is_critical(item_9: int, critical: bool) -> None:
    responses = frame(9, [[0, 0, 0, 0, 0, 0, 0, 0, item_9]])
    assert score_responses("phq9", responses)["critical"].tolist() == [critical]
    assert flag_concerns("phq9", responses)["suicidal"].tolist() == [critical]


def test_phq9_proration() -> None:
    rows: list[list[Answer]] = [
        # 8 answered, sum 7: 7 × 9 / 8 = 7.875 → 8, mild.
        [1, 1, 1, 1, 1, 1, 1, None, 0],
        # 8 answered, sum 4: 4 × 9 / 8 = 4.5 → 5 (halves round up), mild — not minimal.
        [1, 1, 1, 1, 0, 0, 0, 0, None],
        # 7 answered: too few, no score and no band; item 9 = 2 still critical.
        [3, 3, 3, 3, 3, 3, None, None, 2],
        # nothing answered.
        [None] * 9,
    ]
    result = score_responses("phq9", frame(9, rows))
    assert result["total"].tolist() == [8, 5, pd.NA, pd.NA]
    assert result["total_band"].tolist()[:2] == ["mild", "mild"]
    assert result["total_band"].isna().tolist() == [False, False, True, True]
    assert result["critical"].tolist() == [False, False, True, False]


# ----------------------------------------------------------------------------------------- GAD-7

GAD7_BOUNDARIES = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]


def test_gad7_bands_at_every_boundary_and_never_critical() -> None:
    rows = [summing_to(total, 7, 3) for total, _ in GAD7_BOUNDARIES]
    result = score_responses("gad7", frame(7, rows))
    assert result["total"].tolist() == [total for total, _ in GAD7_BOUNDARIES]
    assert result["total_band"].tolist() == [band for _, band in GAD7_BOUNDARIES]
    assert not result["critical"].any()


def test_gad7_worked_example_and_proration() -> None:
    rows: list[list[Answer]] = [
        [0, 1, 2, 3, 0, 1, 2],  # 0+1+2+3+0+1+2 = 9 → mild
        [3, 3, 1, 1, 1, 0, None],  # 6 answered, sum 9: 9 × 7 / 6 = 10.5 → 11, moderate
        [3, 3, 1, 1, 1, None, None],  # 5 answered: no score
    ]
    result = score_responses("gad7", frame(7, rows))
    assert result["total"].tolist() == [9, 11, pd.NA]
    assert result["total_band"].tolist()[:2] == ["mild", "moderate"]
    assert pd.isna(result["total_band"].iloc[2])


# ------------------------------------------------------------------------------------------- SDQ

SDQ_SCALES = {  # item numbers; r = reverse-keyed ("Scoring the SDQ", sdqinfo.org)
    "emotional": [3, 8, 13, 16, 24],
    "conduct": [5, 7, 12, 18, 22],  # 7r
    "hyperactivity": [2, 10, 15, 21, 25],  # 21r, 25r
    "peer": [6, 11, 14, 19, 23],  # 11r, 14r
    "prosocial": [1, 4, 9, 17, 20],
}
SDQ_REVERSE = {7, 11, 14, 21, 25}


def sdq_row(targets: dict[str, int]) -> list[Answer]:
    """25 answers giving each named scale its target score (keyed 2, 2, … then reversed back)."""
    row: list[Answer] = [0 if n not in SDQ_REVERSE else 2 for n in range(1, 26)]
    for scale, target in targets.items():
        for n, keyed in zip(SDQ_SCALES[scale], summing_to(target, 5, 2), strict=True):
            assert keyed is not None
            row[n - 1] = 2 - keyed if n in SDQ_REVERSE else keyed
    return row


def test_sdq_reverse_keys_worked_example() -> None:
    # All answers 0: reverse-keyed items count 2 each.
    #   emotional 0; conduct 2 (item 7); hyperactivity 2 + 2 = 4 (items 21, 25);
    #   peer 2 + 2 = 4 (items 11, 14); prosocial 0; total 0 + 2 + 4 + 4 = 10.
    # All answers 2: reverse-keyed items count 0.
    #   emotional 10; conduct 8; hyperactivity 6; peer 6; prosocial 10; total 30.
    result = score_responses("sdq_self", frame(25, [[0] * 25, [2] * 25]))
    scales = ["emotional", "conduct", "hyperactivity", "peer", "prosocial", "total"]
    assert result[scales].iloc[0].tolist() == [0, 2, 4, 4, 0, 10]
    assert result[scales].iloc[1].tolist() == [10, 8, 6, 6, 10, 30]
    bands = [f"{scale}_band" for scale in scales]
    # peer 4 is borderline (4–5); prosocial 0 is abnormal (0–4); total 10 normal (0–15).
    assert result[bands].iloc[0].tolist() == [
        "normal",
        "normal",
        "normal",
        "borderline",
        "abnormal",
        "normal",
    ]
    # emotional 10 abnormal (7–10); conduct 8 abnormal (5–10); hyperactivity 6 borderline (6);
    # peer 6 abnormal (6–10); prosocial 10 normal (6–10); total 30 abnormal (20–40).
    assert result[bands].iloc[1].tolist() == [
        "abnormal",
        "abnormal",
        "borderline",
        "abnormal",
        "normal",
        "abnormal",
    ]
    assert not result["critical"].any()


# Self-report UK 3-band cut-offs ("Scoring the SDQ", sdqinfo.org): (score, band) at every boundary.
SDQ_BOUNDARIES = {
    "emotional": [
        (0, "normal"),
        (5, "normal"),
        (6, "borderline"),
        (7, "abnormal"),
        (10, "abnormal"),
    ],
    "conduct": [(0, "normal"), (3, "normal"), (4, "borderline"), (5, "abnormal"), (10, "abnormal")],
    "hyperactivity": [
        (0, "normal"),
        (5, "normal"),
        (6, "borderline"),
        (7, "abnormal"),
        (10, "abnormal"),
    ],
    "peer": [
        (0, "normal"),
        (3, "normal"),
        (4, "borderline"),
        (5, "borderline"),
        (6, "abnormal"),
        (10, "abnormal"),
    ],
    "prosocial": [
        (0, "abnormal"),
        (4, "abnormal"),
        (5, "borderline"),
        (6, "normal"),
        (10, "normal"),
    ],
}


@pytest.mark.parametrize("scale", list(SDQ_BOUNDARIES))
def test_sdq_scale_bands_at_every_boundary(scale: str) -> None:
    rows = [sdq_row({scale: score}) for score, _ in SDQ_BOUNDARIES[scale]]
    result = score_responses("sdq_self", frame(25, rows))
    assert result[scale].tolist() == [score for score, _ in SDQ_BOUNDARIES[scale]]
    assert result[f"{scale}_band"].tolist() == [band for _, band in SDQ_BOUNDARIES[scale]]


def test_sdq_total_difficulties_bands_at_every_boundary() -> None:
    totals = [
        (0, "normal"),
        (15, "normal"),
        (16, "borderline"),
        (19, "borderline"),
        (20, "abnormal"),
        (40, "abnormal"),
    ]
    rows = []
    for total, _ in totals:
        parts = summing_to(total, 4, 10)  # e.g. 15 → emotional 10, conduct 5, 0, 0
        rows.append(
            sdq_row(
                dict(
                    zip(
                        ("emotional", "conduct", "hyperactivity", "peer"),
                        [p or 0 for p in parts],
                        strict=True,
                    )
                )
            )
        )
    result = score_responses("sdq_self", frame(25, rows))
    assert result["total"].tolist() == [total for total, _ in totals]
    assert result["total_band"].tolist() == [band for _, band in totals]


def test_sdq_proration() -> None:
    row: list[Answer] = [0 if n not in SDQ_REVERSE else 2 for n in range(1, 26)]  # all scales 0
    # emotional (3, 8, 13, 16, 24): 3 and 8 missing, 13 = 2, 16 = 1, 24 = 0 → mean 1 × 5 = 5.
    row[2], row[7], row[12], row[15], row[23] = None, None, 2, 1, 0
    # conduct (5, 7r, 12, 18, 22): 5 and 18 missing; 7 = 0 → 2, 12 = 1, 22 = 0
    #   → 3 answered, keyed sum 3: 3 × 5 / 3 = 5 → abnormal (5–10).
    row[4], row[6], row[11], row[17], row[21] = None, 0, 1, None, 0
    # hyperactivity (2, 10, 15, 21r, 25r): 2 missing; 10 = 1, 15 = 1, 21 = 2 → 0, 25 = 2 → 0
    #   → 4 answered, sum 2: 2 × 5 / 4 = 2.5 → 3 (halves round up, as floor(0.5 + x)).
    row[1], row[9], row[14], row[20], row[24] = None, 1, 1, 2, 2
    # peer (6, 11r, 14r, 19, 23): only 6 and 19 answered → not scored, so no total.
    row[10], row[13], row[22] = None, None, None
    result = score_responses("sdq_self", frame(25, [row]))
    assert result.loc[0, "emotional"] == 5
    assert result.loc[0, "conduct"] == 5
    assert result.loc[0, "conduct_band"] == "abnormal"
    assert result.loc[0, "hyperactivity"] == 3
    assert result[["peer", "peer_band"]].iloc[0].isna().all()
    assert result.loc[0, "prosocial"] == 0
    assert result[["total", "total_band"]].iloc[0].isna().all()


def test_sdq_bands_only_for_the_normed_ages() -> None:
    # The UK self-report norms are for 11–17; a 10- or 18-year-old gets scores but no band.
    result = score_responses("sdq_self", frame(25, [[0] * 25] * 4, ages=[10, 11, 17, 18]))
    assert result["total"].tolist() == [10, 10, 10, 10]
    assert result["total_band"].isna().tolist() == [True, False, False, True]


# ----------------------------------------------------------------------------------- bully_check


def test_bully_check_worked_example() -> None:
    rows: list[list[Answer]] = [
        # bullying 1+0+2+0 = 3 elevated (3–5); cyber 0+1+0+0 = 1 low (1–2); total 4 elevated.
        [1, 0, 2, 0, 0, 1, 0, 0, 0],
        # item 9 = 1 (thoughts of self-harm) → critical, concern suicidal.
        [0, 0, 0, 0, 0, 0, 0, 0, 1],
        # item 4 = 2 (threats two or three times a month) → critical, concern violence;
        # bullying 2 low; cyber 3+3+3+3 = 12 high; total 14 high (10–24).
        [0, 0, 0, 2, 3, 3, 3, 3, 0],
        # item 4 = 1 is below the trigger; bullying 3 answered, 1+3+3 = 7: 7 × 4 / 3 = 9.33 → 9;
        # cyber only 2 answered → no score, so no total.
        [1, None, 3, 3, 0, None, None, 1, 0],
    ]
    result = score_responses("bully_check", frame(9, rows))
    assert result["bullying"].tolist() == [3, 0, 2, 9]
    assert result["bullying_band"].tolist() == ["elevated", "none", "low", "high"]
    assert result["cyberbullying"].tolist() == [1, 0, 12, pd.NA]
    assert result["total"].tolist() == [4, 0, 14, pd.NA]
    assert result["total_band"].tolist()[:3] == ["elevated", "none", "high"]
    assert result["critical"].tolist() == [False, True, True, True]
    concerns = flag_concerns("bully_check", frame(9, rows))
    assert concerns["suicidal"].tolist() == [False, True, False, False]
    assert concerns["violence"].tolist() == [False, False, True, True]


# ------------------------------------------------------------------ bands by age and sex (tmp file)

NORMED = """\
code: normed
version: "1"
name: {kk: Нормалар, ru: Нормы, en: Norms}
languages: [en]
licence: {holder: test, note: test only, item_text_allowed: false}
response_options: [{value: 0}, {value: 1}, {value: 2}, {value: 3}]
items: [{id: item_1}, {id: item_2}]
scales:
  - code: total
    label: {kk: Барлығы, ru: Итого, en: Total}
    method: sum
    items: [item_1, item_2]
    range: [0, 6]
    norms:
      - age: [10, 13]
        sex: male
        source: test boys 10-13
        bands: [{code: normal, range: [0, 2]}, {code: high, range: [3, 6]}]
      - age: [10, 13]
        sex: female
        source: test girls 10-13
        bands: [{code: normal, range: [0, 3]}, {code: high, range: [4, 6]}]
      - source: test everybody else
        bands: [{code: normal, range: [0, 4]}, {code: high, range: [5, 6]}]
band_labels:
  normal: {kk: Қалыпты, ru: Норма, en: Normal}
  high: {kk: Жоғары, ru: Высокий, en: High}
"""


def instrument_from(tmp_path: Path, text: str) -> Instrument:
    """The instrument defined by ``text``, read from a file named after its code."""
    code = text.split("\n", 1)[0].removeprefix("code: ")
    path = tmp_path / f"{code}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_instrument(path)


@pytest.fixture
def normed(tmp_path: Path) -> Instrument:
    return instrument_from(tmp_path, NORMED)


def test_bands_follow_age_and_sex(normed: Instrument) -> None:
    # Every row scores 1 + 2 = 3 (or 4): which norm applies decides the band.
    ages: list[int | None] = [12, 12, 10, 13, 14, 9, 12, None, 12]
    sexes: list[str | None] = [
        "male",
        "female",
        "male",
        "female",
        "male",
        "female",
        None,
        "male",
        "female",
    ]
    rows: list[list[Answer]] = [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]
    rows.append([2, 2])
    result = score_responses(normed, frame(2, rows, ages=ages, sexes=sexes))
    assert result["total"].tolist() == [3] * 8 + [4]
    assert result["total_band"].tolist() == [
        "high",  # boy 12: boys' norm, 3 ≥ 3
        "normal",  # girl 12: girls' norm, 3 ≤ 3
        "high",  # boy 10, lower edge of the age range
        "normal",  # girl 13, upper edge
        "normal",  # boy 14: outside 10–13, the general norm (0–4 normal)
        "normal",  # girl 9: general norm
        "normal",  # sex unknown: general norm
        "normal",  # age unknown: general norm
        "high",  # girl 12 with 4: girls' norm, 4 ≥ 4
    ]


def test_no_matching_norm_leaves_the_band_empty(normed: Instrument, tmp_path: Path) -> None:
    text = NORMED.replace(
        "      - source: test everybody else\n"
        "        bands: [{code: normal, range: [0, 4]}, {code: high, range: [5, 6]}]\n",
        "",
    )
    path = tmp_path / "normed.yaml"
    path.write_text(text, encoding="utf-8")
    result = score_responses(load_instrument(path), frame(2, [[1, 2]] * 2, ages=[12, 14]))
    assert result["total_band"].tolist()[0] == "normal"
    assert pd.isna(result["total_band"].iloc[1])


# ------------------------------------------------------------------------- output shape and errors


def test_output_keeps_the_index_and_has_the_announced_columns() -> None:
    rows: list[list[Answer]] = [[0] * 25, [1] * 25]
    result = score_responses("sdq_self", frame(25, rows, index=["s-17", "s-03"]))
    assert list(result.index) == ["s-17", "s-03"]
    assert list(result.columns) == score_columns("sdq_self")
    assert score_columns("phq9") == ["total", "total_band", "critical"]
    assert score_columns(get_instrument("bully_check")) == [
        "bullying",
        "bullying_band",
        "cyberbullying",
        "cyberbullying_band",
        "total",
        "total_band",
        "critical",
    ]
    assert str(result["total"].dtype) == "Int64"
    assert result["total_band"].cat.categories.tolist() == ["normal", "borderline", "abnormal"]
    assert result["critical"].dtype == bool


def test_plain_float_object_and_text_columns_are_accepted() -> None:
    data: dict[str, list[object]] = {f"item_{n}": [1.0, np.nan] for n in range(1, 9)}
    data["item_9"] = [0, None]  # object column with a None
    responses = pd.DataFrame(data | {"age": ["14", None], "sex": ["male", None]}, index=[7, 8])
    result = score_responses("phq9", responses)
    assert result["total"].tolist() == [8, pd.NA]  # 8 × 1 + 0; second row has no answers


def test_an_empty_upload_gives_an_empty_result() -> None:
    result = score_responses("gad7", frame(7, []))
    assert list(result.columns) == score_columns("gad7") and len(result) == 0


def test_unknown_instrument() -> None:
    with pytest.raises(UnknownInstrumentError, match="'phq-9'"):
        score_responses("phq-9", frame(9, [[0] * 9]))
    with pytest.raises(LookupError):
        score_columns("nope")


def test_out_of_range_answers_are_listed_by_row_and_column() -> None:
    responses = frame(9, [[0] * 9] * 4, index=["a", "b", "c", "d"])
    responses["item_2"] = pd.array([0, 4, 0, 0], dtype="Int64")  # b: 4 > 3
    responses["item_5"] = [0, 1.5, 0, 0]  # b: not a whole answer
    responses["item_9"] = pd.array([0, 0, 0, -1], dtype="Int64")  # d: −1 < 0
    responses["sex"] = ["female", "female", "M", "female"]  # c: not male/female
    responses["age"] = ["14", "15", "16", "twelve"]  # d: not a number
    with pytest.raises(InvalidResponseError) as caught:
        score_responses("phq9", responses)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.offending == [
        ("b", "item_2", 4),
        ("b", "item_5", 1.5),
        ("c", "sex", "M"),
        ("d", "item_9", -1),
        ("d", "age", "twelve"),
    ]
    message = str(error)
    assert message.startswith(
        "5 values are not allowed for phq9: answers must be one of 0, 1, 2, 3"
    )
    assert "('b', item_2, 4); ('b', item_5, 1.5); ('c', sex, 'M'); ('d', item_9, -1); " in message
    assert "('d', age, 'twelve')." in message
    assert "Ошибки (строка, столбец, значение): ('b', item_2, 4)" in error.localized("ru")


def test_the_message_names_only_the_first_offences() -> None:
    responses = frame(9, [[9] * 9] * 3)
    with pytest.raises(InvalidResponseError) as caught:
        score_responses("phq9", responses)
    assert len(caught.value.offending) == 27
    assert str(caught.value).endswith("(0, item_5, 9) …")


def test_missing_and_repeated_columns_are_named() -> None:
    responses = frame(9, [[0] * 9]).drop(columns=["item_9", "sex"])
    with pytest.raises(ResponseColumnsError, match=r"lack the columns item_9, sex; required: "):
        score_responses("phq9", responses)
    doubled = pd.concat([frame(7, [[0] * 7]), frame(7, [[0] * 7])[["item_3"]]], axis=1)
    with pytest.raises(ResponseColumnsError, match=r"the columns item_3 more than once"):
        score_responses("gad7", doubled)


def test_instrument_concerns_are_known_to_the_intake_taxonomy() -> None:
    concerns = pytest.importorskip("pcenter_lib.domain.concerns")
    assert set(CONCERNS) <= set(concerns.CONCERN_CODES)


# ------------------------------------------------- answers, critical items and norms at the edges


def test_a_text_answer_is_refused_not_scored_as_unanswered() -> None:
    # "abc" is not "no answer": scoring it as missing would give PHQ-9 total 0, "minimal".
    responses = frame(9, [[1] * 9, [0] * 9]).astype({"item_1": object})
    responses.loc[1, "item_1"] = "abc"
    with pytest.raises(InvalidResponseError) as caught:
        score_responses("phq9", responses)
    assert caught.value.offending == [(1, "item_1", "abc")]
    with pytest.raises(InvalidResponseError):
        flag_concerns("phq9", responses)


GAPPED = """\
code: gapped
version: "1"
name: {kk: Аралықты, ru: С пропусками, en: Gapped}
languages: [en]
licence: {holder: test, note: test only, item_text_allowed: false}
response_options: [{value: 0}, {value: 1}, {value: 2}, {value: 3}]
items:
  - id: item_1
  - id: item_2
    response_options: [{value: 0}, {value: 2}, {value: 5}]
  - id: item_3
    response_options: [{value: 1}, {value: 2}]
scales:
  - code: total
    label: {kk: Барлығы, ru: Итого, en: Total}
    method: sum
    items: [item_1, item_2, item_3]
    range: [1, 10]
    norms:
      - source: test
        bands: [{code: normal, range: [1, 5]}, {code: high, range: [6, 10]}]
band_labels:
  normal: {kk: Қалыпты, ru: Норма, en: Normal}
  high: {kk: Жоғары, ru: Высокий, en: High}
critical_items:
  - item: item_1
    values: [3]
    concern: suicidal
  - item: item_3
    values: [2]
    concern: suicidal
  - item: item_2
    values: [5]
    concern: violence
"""


@pytest.fixture
def gapped(tmp_path: Path) -> Instrument:
    return instrument_from(tmp_path, GAPPED)


def test_answers_outside_a_gapped_set_of_values_are_refused(gapped: Instrument) -> None:
    # item_2 allows 0, 2 and 5 only: 1, 3 and 4 lie between allowed values and are refused.
    rows: list[list[Answer]] = [[0, 0, 1], [0, 2, 1], [3, 5, 2], [0, None, 1]]
    total = score_responses(gapped, frame(3, rows))["total"]
    assert total.tolist()[:3] == [1, 3, 10]
    assert pd.isna(total.iloc[3])  # unanswered is not refused; no proration without the rule
    for wrong in (1, 3, 4, 6, -1):
        with pytest.raises(InvalidResponseError) as caught:
            score_responses(gapped, frame(3, [[0, 2, 1], [0, wrong, 1]]))
        assert caught.value.offending == [(1, "item_2", wrong)]
    halves = frame(3, [[0, 0, 1]]).astype({"item_2": float})
    halves.loc[0, "item_2"] = 2.5
    with pytest.raises(InvalidResponseError):
        score_responses(gapped, halves)
    # item_3 allows 1 and 2: 0 is outside although it is a value of other items.
    with pytest.raises(InvalidResponseError) as caught:
        score_responses(gapped, frame(3, [[0, 0, 0]]))
    assert caught.value.offending == [(0, "item_3", 0)]


def test_a_concern_of_several_critical_items_is_raised_by_any_one_of_them(
    gapped: Instrument,
) -> None:
    # "suicidal" comes from item_1 = 3 or item_3 = 2; "violence" from item_2 = 5.
    rows: list[list[Answer]] = [
        [3, 0, 1],  # the first of the two suicidal items only
        [0, 0, 2],  # the second only
        [3, 0, 2],  # both
        [2, 0, 1],  # neither
        [None, 5, None],  # violence only; unanswered items raise nothing
    ]
    concerns = flag_concerns(gapped, frame(3, rows, index=list("abcde")))
    assert list(concerns.index) == list("abcde")
    assert concerns["suicidal"].tolist() == [True, True, True, False, False]
    assert concerns["violence"].tolist() == [False, False, False, False, True]
    assert score_responses(gapped, frame(3, rows))["critical"].tolist() == [
        True,
        True,
        True,
        False,
        True,
    ]


def _with_norms(instrument: Instrument, *norms: Norm) -> Instrument:
    scale = replace(instrument.scales[0], norms=norms)
    return replace(instrument, scales=(scale,))


def _norm(
    code: str, *, age_low: int | None = None, age_high: int | None = None, sex: str | None = None
) -> Norm:
    """A norm putting every score 0–6 in band ``code``, under the conditions given."""
    bands = (Band(code=code, low=0, high=6),)
    return Norm(bands, age_low, age_high, sex, source="test", verified=False)


def test_a_norm_with_one_age_bound_holds_on_that_side_only(normed: Instrument) -> None:
    # Norms read from a file give an age range as a pair, but a norm built in code may give one
    # bound: "from 12" or "up to 11". It must not hold for every age.
    instrument = _with_norms(
        normed, _norm("high", age_low=12), _norm("normal", age_high=9), _norm("normal")
    )
    responses = frame(2, [[1, 1]] * 5, ages=[11, 12, 17, 9, None])
    assert score_responses(instrument, responses)["total_band"].tolist() == [
        "normal",  # 11: neither "from 12" nor "up to 9", the general norm
        "high",  # 12: from 12
        "high",  # 17: from 12
        "normal",  # 9: up to 9
        "normal",  # age not given: only the general norm holds
    ]
    only_up_to = _with_norms(normed, _norm("high", age_high=11), _norm("normal"))
    assert score_responses(only_up_to, frame(2, [[1, 1]] * 3, ages=[0, 11, 12]))[
        "total_band"
    ].tolist() == ["high", "high", "normal"]


def test_a_norm_with_only_a_sex_condition(tmp_path: Path) -> None:
    text = NORMED.replace("      - age: [10, 13]\n        sex: male\n", "      - sex: male\n")
    instrument = instrument_from(tmp_path, text)
    assert instrument.scales[0].norms[0].age_low is None
    assert instrument.scales[0].norms[0].sex == "male"
    responses = frame(
        2, [[1, 2]] * 4, ages=[30, None, 12, 12], sexes=["male", "male", "female", None]
    )
    assert score_responses(instrument, responses)["total_band"].tolist() == [
        "high",  # a boy of any age: the boys' norm (3 ≥ 3)
        "high",  # a boy whose age is not given: still the boys' norm
        "normal",  # a girl of 12: the girls' norm (3 ≤ 3)
        "normal",  # sex not given: the general norm
    ]


def test_age_0_is_an_age_and_a_negative_age_is_not(normed: Instrument) -> None:
    result = score_responses(normed, frame(2, [[1, 2]], ages=[0], sexes=["male"]))
    assert result["total_band"].tolist() == ["normal"]  # not 10–13: the general norm
    with pytest.raises(InvalidResponseError) as caught:
        score_responses(normed, frame(2, [[1, 2]], ages=[-1]))
    assert caught.value.offending == [(0, "age", -1)]


def test_a_sex_column_left_empty_means_sex_not_given() -> None:
    # An empty column of a spreadsheet arrives as floats, all NaN.
    responses = frame(9, [[1] * 9, [0] * 9])
    responses["sex"] = [np.nan, np.nan]
    assert score_responses("phq9", responses)["total"].tolist() == [9, 0]


def test_bands_are_ordered_from_least_to_most_concern() -> None:
    rows = [summing_to(total, 9, 3) for total in (3, 12, 25)]
    bands = score_responses("phq9", frame(9, rows))["total_band"]
    assert bands.cat.ordered
    assert (bands >= "moderate").tolist() == [False, True, True]
    assert bands.max() == "severe"


def test_column_errors_name_the_instrument_and_its_columns() -> None:
    with pytest.raises(ResponseColumnsError) as caught:
        score_responses("gad7", frame(7, [[0] * 7]).drop(columns=["age"]))
    assert str(caught.value) == (
        "The answers for gad7 lack the columns age; required: "
        "item_1, item_2, item_3, item_4, item_5, item_6, item_7, age, sex."
    )
    doubled = pd.concat([frame(7, [[0] * 7]), frame(7, [[0] * 7])[["item_3"]]], axis=1)
    with pytest.raises(ResponseColumnsError) as caught:
        score_responses("gad7", doubled)
    assert str(caught.value) == "The answers for gad7 have the columns item_3 more than once."


# ------------------------------------------------------------------------------ property tests


def reference_scores(instrument: Instrument, row: dict[str, Answer]) -> dict[str, int | None]:
    """Scores of one respondent, the slow way: exact fractions, one row at a time."""
    by_id = {item.id: item for item in instrument.items}
    scores: dict[str, int | None] = {}
    for scale in instrument.scales:
        if scale.method == "sum_of_scales":
            parts = [scores[p] for p in scale.scales]
            scores[scale.code] = None if None in parts else sum(p for p in parts if p is not None)
            continue
        keyed = []
        for item_id in scale.items:
            answer, item = row[item_id], by_id[item_id]
            if answer is not None:
                keyed.append(
                    min(item.values) + max(item.values) - answer if item.reverse else answer
                )
        if len(keyed) == len(scale.items):
            scores[scale.code] = sum(keyed)
        elif len(keyed) >= scale.min_answered:
            exact = Fraction(sum(keyed) * len(scale.items), len(keyed))
            scores[scale.code] = floor(exact + Fraction(1, 2))
        else:
            scores[scale.code] = None
    return scores


def reference_band(scale: Scale, score: int | None, age: int | None, sex: object) -> str | None:
    """The band of the first norm that fits the respondent, the slow way."""
    if score is None:
        return None
    for norm in scale.norms:
        if norm.age_low is not None and (age is None or age < norm.age_low):
            continue
        if norm.age_high is not None and (age is None or age > norm.age_high):
            continue
        if norm.sex is not None and sex != norm.sex:
            continue
        return next(band.code for band in norm.bands if band.low <= score <= band.high)
    return None


@st.composite
def uploads(draw: st.DrawFn) -> tuple[Instrument, pd.DataFrame]:
    instrument = get_instrument(draw(st.sampled_from(["phq9", "gad7", "sdq_self", "bully_check"])))
    n_rows = draw(st.integers(min_value=1, max_value=25))
    columns: dict[str, object] = {}
    for item in instrument.items:
        answer = st.one_of(st.none(), st.sampled_from(item.values))
        columns[item.id] = pd.array(
            draw(st.lists(answer, min_size=n_rows, max_size=n_rows)), dtype="Int64"
        )
    ages = st.lists(st.one_of(st.none(), st.integers(8, 19)), min_size=n_rows, max_size=n_rows)
    sexes = st.lists(st.sampled_from(["male", "female", None]), min_size=n_rows, max_size=n_rows)
    columns["age"] = pd.array(draw(ages), dtype="Int64")
    columns["sex"] = draw(sexes)
    return instrument, pd.DataFrame(columns)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uploads())
def test_scores_stay_in_range_and_match_the_slow_reference(
    upload: tuple[Instrument, pd.DataFrame],
) -> None:
    instrument, responses = upload
    result = score_responses(instrument, responses)
    for position in range(len(responses)):
        raw = responses.iloc[position]
        row = {item: None if pd.isna(raw[item]) else int(raw[item]) for item in instrument.item_ids}
        age = None if pd.isna(raw["age"]) else int(raw["age"])
        expected = reference_scores(instrument, row)
        for scale in instrument.scales:
            score = result[scale.code].iloc[position]
            if expected[scale.code] is None:
                assert pd.isna(score)
            else:
                assert score == expected[scale.code]
                assert scale.low <= score <= scale.high
            if scale.norms:
                band = result[f"{scale.code}_band"].iloc[position]
                expected_band = reference_band(scale, expected[scale.code], age, raw["sex"])
                assert (pd.isna(band) and expected_band is None) or band == expected_band
        critical = any(row[rule.item] in rule.values for rule in instrument.critical_items)
        assert result["critical"].iloc[position] == critical
