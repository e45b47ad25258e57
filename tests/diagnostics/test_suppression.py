"""Small-cell suppression: primary cells under the threshold, and complements so none can be recomputed.

The property test checks the result with linear algebra, independently of the bridge search
the module uses: a hidden cell can be recomputed from the published table exactly when its
unit vector lies in the row space of the table's sum constraints restricted to hidden cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pcenter_lib.diagnostics.exports import publishable_bands, publishable_groups
from pcenter_lib.diagnostics.suppression import TOTAL_LABEL, recomputable_cells, suppress_counts
from pcenter_lib.errors import ValidationError


def determinable(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells of a grid with margins whose value follows from the published ones."""
    rows, cols = hidden.shape
    unknowns = [tuple(cell) for cell in np.argwhere(hidden)]
    if not unknowns:
        return []
    index = {cell: k for k, cell in enumerate(unknowns)}
    constraints = []
    for r in range(rows):  # sum of interior cells of row r minus its total = 0
        line = np.zeros(len(unknowns))
        for c in range(cols):
            if (r, c) in index:
                line[index[(r, c)]] = -1.0 if c == cols - 1 else 1.0
        constraints.append(line)
    for c in range(cols):
        line = np.zeros(len(unknowns))
        for r in range(rows):
            if (r, c) in index:
                line[index[(r, c)]] = -1.0 if r == rows - 1 else 1.0
        constraints.append(line)
    matrix = np.array(constraints)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append((int(cell[0]), int(cell[1])))
    return sorted(found)


def test_one_small_cell_takes_three_complements_to_stay_hidden() -> None:
    table = pd.DataFrame({"a": [3, 20], "b": [40, 50]}, index=["s1", "s2"])
    result = suppress_counts(table, threshold=10)
    assert result.primary.loc["s1", "a"]
    assert int(result.primary.to_numpy().sum()) == 1
    # the cheapest 4-cycle through (s1, a): the smallest row partner, column partner and corner
    assert result.hidden.loc[["s1", "s2"], ["a", "b"]].to_numpy().all()
    assert result.hidden_count == 4
    assert determinable(result.hidden.to_numpy()) == []
    published = result.published()
    assert published.loc["s1", "a"] == "<10"
    assert published.loc[TOTAL_LABEL, TOTAL_LABEL] == 113


def test_nothing_is_hidden_when_every_count_is_large() -> None:
    result = suppress_counts(pd.DataFrame({"a": [10, 25], "b": [12, 99]}))
    assert result.hidden_count == 0


def test_a_small_row_total_is_hidden_with_its_cells() -> None:
    table = pd.DataFrame({"a": [4, 30, 40], "b": [3, 30, 50]}, index=["x", "y", "z"])
    result = suppress_counts(table, threshold=10)
    assert result.primary.loc["x"].tolist() == [True, True, True]
    assert determinable(result.hidden.to_numpy()) == []


def test_a_single_small_cell_hides_the_whole_table() -> None:
    result = suppress_counts(pd.DataFrame({"n": [4]}), threshold=10)
    assert result.hidden.to_numpy().all()


def test_zeros_are_shown_unless_asked() -> None:
    table = pd.DataFrame({"a": [0, 30], "b": [20, 30]})
    assert suppress_counts(table).hidden_count == 0
    assert suppress_counts(table, suppress_zeros=True).primary.iloc[0, 0]


def test_the_threshold_is_configurable() -> None:
    table = pd.DataFrame({"a": [12, 30], "b": [20, 30]})
    assert suppress_counts(table, threshold=10).hidden_count == 0
    assert suppress_counts(table, threshold=15).primary.iloc[0, 0]


@pytest.mark.parametrize(
    "table",
    [pd.DataFrame({"a": [-1, 3]}), pd.DataFrame({"a": ["x", "y"]})],
    ids=["negative", "text"],
)
def test_only_counts_are_accepted(table: pd.DataFrame) -> None:
    with pytest.raises(ValidationError):
        suppress_counts(table)


def test_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValidationError):
        suppress_counts(pd.DataFrame({"a": [1]}), threshold=0)


def test_a_bridge_between_two_hidden_cycles_is_found() -> None:
    hidden = np.zeros((4, 4), dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        hidden[r, c] = True
    # every line holds two hidden cells or more, yet (1, 2) joins the two cycles and is exact
    assert recomputable_cells(hidden) == [(1, 2)] == determinable(hidden)


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 5), st.integers(1, 4)), elements=st.integers(0, 40))
)
def test_no_hidden_cell_can_be_recomputed(values: np.ndarray) -> None:
    result = suppress_counts(pd.DataFrame(values), threshold=10)
    grid = result.counts.to_numpy()
    hidden = result.hidden.to_numpy()
    assert ((grid > 0) & (grid < 10) <= hidden).all(), "every small count is hidden"
    assert determinable(hidden) == []
    assert recomputable_cells(hidden) == []
    assert (result.counts.iloc[:-1, -1].to_numpy() == values.sum(axis=1)).all()


def test_publishable_groups_hide_the_shares_of_small_groups() -> None:
    table = pd.DataFrame(
        {
            "n": [100, 8, 60],
            "count": [30, 2, 15],
            "share": [0.3, 0.25, 0.25],
            "ci_low": [0.2, 0.05, 0.15],
            "ci_high": [0.4, 0.6, 0.37],
        },
        index=["school", "district", "region"],
    )
    out = publishable_groups(table, threshold=10)
    assert out.loc["district"].tolist() == ["<10"] * 5
    assert out.loc[TOTAL_LABEL, "n"] in (168, "<10")
    assert out.loc["school", "share"] in (0.3, "<10")
    # a hidden district can never be recovered: the region's numbers are hidden with it where needed
    hidden = out.drop(columns=["share", "ci_low", "ci_high"]).isin(["<10"]).to_numpy()
    assert hidden.sum() >= 4


def test_publishable_bands_hide_small_bands_and_their_complement() -> None:
    prevalence = pd.DataFrame(
        {"count": [50, 4, 30], "n": [84, 84, 84], "share": [50 / 84, 4 / 84, 30 / 84]},
        index=pd.CategoricalIndex(["minimal", "mild", "severe"]),
    )
    out = publishable_bands(prevalence, threshold=10)
    assert out.loc["mild", "count"] == "<10" and out.loc["mild", "share"] == "<10"
    # with the total shown, one more band must go so "mild" cannot be total − the others
    assert (out["count"] == "<10").sum() == 2
    assert out.loc[TOTAL_LABEL, "count"] == 84
