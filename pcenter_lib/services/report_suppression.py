"""Small counts hidden in the reports' breakdowns, so that none can be recomputed (Rule 14).

A report counts the same requests several ways (by source, channel, age band, sex, district,
outcome): one-way tables that all share the month's total. Each is suppressed with the
workbench's suppression (``diagnostics.suppression.suppress_counts``: primary cells under the
threshold, then complementary cells until no hidden cell is the difference of a margin and the
visible cells). Two further attacks are closed here, because the tables travel together:

* **all ones.** When every hidden cell of a table is 1, knowing that a hidden count is at least 1
  (a zero is not hidden) and the hidden sum (the total minus the visible cells) gives every cell.
  So while the hidden cells sum to no more than their number, one more cell is hidden — the
  smallest visible non-zero count, else a visible zero (then a reader cannot tell which hidden
  cell is empty), else the total.
* **the shared total.** A total hidden in one table would be read off another — its published
  total, or the sum of a table whose cells are all shown. The tables that share it (``shared``)
  hide it together, each with at least one hidden cell, and ``total_hidden`` tells the report to
  hide its headline count too.

The concern table counts mentions (a request may name several concerns), so its total is its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from pcenter_lib.diagnostics.suppression import TOTAL_LABEL, suppress_counts

HIDDEN_MARK = "x"


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A one-way count table as it may be published: ``hidden[i]`` marks a hidden count."""

    codes: tuple[str, ...]
    counts: tuple[int, ...]
    hidden: tuple[bool, ...]
    total: int
    total_hidden: bool

    def shown(self) -> list[int | str]:
        """The counts as published: a hidden one as ``x``."""
        return [HIDDEN_MARK if h else n for n, h in zip(self.counts, self.hidden, strict=True)]

    def shown_total(self) -> int | str:
        return HIDDEN_MARK if self.total_hidden else self.total


def _suppress_one(counts: Sequence[int], threshold: int) -> tuple[list[bool], bool]:
    if not counts:
        return [], False
    series = pd.Series(list(counts), index=[str(i) for i in range(len(counts))], dtype="int64")
    table = suppress_counts(series, threshold=threshold)
    cells = table.hidden.iloc[:-1, 0].to_list()
    return [bool(h) for h in cells], bool(table.hidden.loc[TOTAL_LABEL].iloc[0])


def _close_all_ones(counts: Sequence[int], hidden: list[bool], total_hidden: bool) -> bool:
    """Hide more until the hidden cells are not all determined; returns whether the total is."""
    while not total_hidden and any(hidden):
        secret = [n for n, h in zip(counts, hidden, strict=True) if h]
        if len(secret) >= 2 and sum(secret) > 0 and (0 in secret or sum(secret) > len(secret)):
            break
        visible = [i for i, h in enumerate(hidden) if not h]
        nonzero = [i for i in visible if counts[i] > 0]
        if nonzero:
            hidden[min(nonzero, key=lambda i: (counts[i], i))] = True
        elif visible:
            hidden[visible[0]] = True
        else:
            total_hidden = True
    return total_hidden


def protect_breakdowns(
    tables: Mapping[str, Sequence[tuple[str, int]]],
    *,
    threshold: int,
    shared: Sequence[str] = (),
) -> dict[str, Breakdown]:
    """Each table suppressed; the tables named in ``shared`` share one total and hide it together."""
    found: dict[str, tuple[list[bool], bool]] = {}
    for name, rows in tables.items():
        counts = [n for _code, n in rows]
        hidden, total_hidden = _suppress_one(counts, threshold)
        found[name] = hidden, _close_all_ones(counts, hidden, total_hidden)
    if any(found[name][1] for name in shared if name in found):
        for name in shared:
            if name not in found:
                continue
            hidden = found[name][0]
            cells = [n for _code, n in tables[name]]
            if not any(hidden) and any(cells):
                # a table with every cell shown would give the hidden total away as their sum
                hidden[min((i for i, n in enumerate(cells) if n), key=lambda i: cells[i])] = True
            found[name] = hidden, True
    result = {}
    for name, rows in tables.items():
        hidden, total_hidden = found[name]
        numbers = tuple(n for _code, n in rows)
        result[name] = Breakdown(
            codes=tuple(code for code, _n in rows),
            counts=numbers,
            hidden=tuple(hidden),
            total=sum(numbers),
            total_hidden=total_hidden,
        )
    return result


def protect_count(value: int, threshold: int) -> int | str:
    """A lone count (not part of a table with totals): hidden when 1 to ``threshold - 1``."""
    return HIDDEN_MARK if 0 < value < threshold else value
