"""Small-cell suppression for every table that leaves the Center (Rule 14).

A count under the threshold (default 10) could point at a handful of identifiable children, so
it is hidden (*primary* suppression). Hiding it is not enough when the table also publishes
totals: a lone hidden cell in a row is the row total minus the visible cells. *Secondary*
(complementary) suppression hides further cells until no hidden value can be recomputed.

The check is exact, not a rule of thumb. Treat the table with its margins as an
``(r+1) × (c+1)`` grid: each grid row and grid column is a node of a bipartite graph, each hidden
cell an edge between its row and its column. The published figures fix the sum of hidden cells
at every node (the margins enter with a sign that does not change the structure), so the hidden
values are determined up to the graph's cycle space: a hidden cell can be recomputed exactly if
and only if its edge lies on no cycle, i.e. it is a *bridge*. Complementary cells are added until
the graph of hidden cells has no bridge. Among candidate complements the smallest non-zero
counts are preferred (least information lost; a zero complement would let the non-negativity of
counts narrow the hidden range).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_

DEFAULT_THRESHOLD: Final = 10  # common practice is 5 to 11 (Hundepool et al., Statistical Disclosure Control, 2012)
TOTAL_LABEL: Final = "total"
SUPPRESSED_MARK: Final = "<{threshold}"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A count table with its margins and which cells may not be published.

    ``counts`` holds the true counts with a ``total`` row and column added; ``primary`` and
    ``secondary`` are boolean frames of the same shape. Only ``published()`` may leave the Center.
    """

    counts: pd.DataFrame
    primary: pd.DataFrame
    secondary: pd.DataFrame
    threshold: int

    @property
    def hidden(self) -> pd.DataFrame:
        """All cells that must not be published."""
        return self.primary | self.secondary

    def published(self, mark: str | None = None) -> pd.DataFrame:
        """The table as it may be published: hidden cells replaced by ``mark`` (e.g. ``<10``)."""
        shown = mark if mark is not None else SUPPRESSED_MARK.format(threshold=self.threshold)
        out = self.counts.astype(object)
        return out.mask(self.hidden, shown)

    @property
    def hidden_count(self) -> int:
        return int(self.hidden.to_numpy().sum())


def suppress_counts(
    table: pd.DataFrame | pd.Series,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    suppress_zeros: bool = False,
) -> SuppressedTable:
    """Suppress small cells of a count table (rows × columns, or a Series as one column).

    Primary: counts ``1 ≤ n < threshold`` (and 0 when ``suppress_zeros``), margins included —
    a small row total is as revealing as a small cell. Secondary: further cells until no hidden
    cell is a bridge of the hidden-cell graph (see the module docstring). Totals are computed
    here from the cells, so they always agree with what is published.
    """
    if threshold < 1:
        raise ValidationError(
            N_("The suppression threshold must be at least 1, not {value}."), value=threshold
        )
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    values = frame.to_numpy()
    if values.size and (not np.issubdtype(values.dtype, np.number) or np.any(values < 0)):
        raise ValidationError(N_("Only tables of non-negative counts can be suppressed."))
    grid = _with_margins(values.astype(np.int64))
    primary = (grid < threshold) & ((grid > 0) | suppress_zeros)
    hidden = _complete_suppression(grid, primary.copy())
    index = [*frame.index.astype(object), TOTAL_LABEL]
    columns = [*frame.columns.astype(object), TOTAL_LABEL]
    return SuppressedTable(
        counts=pd.DataFrame(grid, index=index, columns=columns),
        primary=pd.DataFrame(primary, index=index, columns=columns),
        secondary=pd.DataFrame(hidden & ~primary, index=index, columns=columns),
        threshold=threshold,
    )


def _with_margins(values: np.ndarray) -> np.ndarray:
    rows, cols = values.shape
    grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    grid[:rows, :cols] = values
    grid[:rows, cols] = values.sum(axis=1)
    grid[rows, :cols] = values.sum(axis=0)
    grid[rows, cols] = values.sum()
    return grid


def _complete_suppression(grid: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Add complementary cells to ``hidden`` until no hidden cell is recomputable."""
    while True:
        bridges = recomputable_cells(hidden)
        if not bridges:
            return hidden
        row, col = bridges[0]
        for cell in _cheapest_cycle(grid, hidden, row, col):
            hidden[cell] = True


def _cheapest_cycle(grid: np.ndarray, hidden: np.ndarray, row: int, col: int) -> list[Cell]:
    """Cells to hide so that (row, col) lies on a 4-cycle (row, col'), (row', col), (row', col').

    Chooses the partner row and column that need the fewest new cells, then the smallest counts,
    avoiding zeros where possible.
    """
    rows, cols = grid.shape
    best: tuple[tuple[int, int, int], list[Cell]] | None = None
    for other_row in range(rows):
        if other_row == row:
            continue
        for other_col in range(cols):
            if other_col == col:
                continue
            cycle = [(row, other_col), (other_row, col), (other_row, other_col)]
            new = [cell for cell in cycle if not hidden[cell]]
            zeros = sum(1 for cell in new if grid[cell] == 0)
            cost = (len(new), zeros, int(sum(grid[cell] for cell in new)))
            if best is None or cost < best[0]:
                best = (cost, new)
    return [] if best is None else best[1]


def recomputable_cells(hidden: np.ndarray) -> list[Cell]:
    """Hidden cells whose value follows from the published figures (bridges of the cell graph).

    Nodes are grid rows ``0..r-1`` and grid columns ``r..r+c-1``; every hidden cell is an edge.
    Bridges are found with Tarjan's low-link numbering (iterative, so large tables are safe).
    """
    n_rows, n_cols = hidden.shape
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_rows + n_cols)]
    edges: list[Cell] = []
    for row, col in zip(*np.nonzero(hidden), strict=True):
        edge_id = len(edges)
        edges.append((int(row), int(col)))
        adjacency[int(row)].append((n_rows + int(col), edge_id))
        adjacency[n_rows + int(col)].append((int(row), edge_id))
    order = [-1] * len(adjacency)
    low = [0] * len(adjacency)
    counter = 0
    bridges: list[Cell] = []
    for start in range(len(adjacency)):
        if order[start] != -1 or not adjacency[start]:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(start, -1, 0)]
        while stack:
            node, via_edge, position = stack[-1]
            if position < len(adjacency[node]):
                stack[-1] = (node, via_edge, position + 1)
                neighbour, edge_id = adjacency[node][position]
                if edge_id == via_edge:
                    continue
                if order[neighbour] == -1:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge_id, 0))
                else:
                    low[node] = min(low[node], order[neighbour])
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    bridges.append(edges[via_edge])
    return sorted(bridges)
