"""Attacks on the reports' small-cell protection: no hidden count can be recomputed.

The attacker holds every published figure of the report's one-way tables, which share the
month's total, and solves for the hidden counts by enumerating every assignment of whole numbers
that agrees with what was published. A hidden count is disclosed when only one value is left.
Two attackers: one who knows only that counts are not negative, and one who also knows that a
hidden count is at least 1 (a zero is never hidden for being small) — unless a zero was hidden.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.diagnostics.suppression import suppress_counts
from pcenter_lib.services.report_suppression import Breakdown, protect_breakdowns

THRESHOLD = 5


def _known_total(tables: dict[str, Breakdown]) -> int | None:
    """The shared total, if published anywhere or the sum of a table with every cell shown."""
    shown = {b.total for b in tables.values() if not b.total_hidden or not any(b.hidden)}
    return shown.pop() if shown else None


def _feasible_values(table: Breakdown, total: int | None, floor: int, cap: int) -> list[set[int]]:
    """For each hidden cell, the values some assignment consistent with the publication gives."""
    hidden = [i for i, h in enumerate(table.hidden) if h]
    visible_sum = sum(n for n, h in zip(table.counts, table.hidden, strict=True) if not h)
    values: list[set[int]] = [set() for _ in hidden]
    for guess in itertools.product(range(floor, cap + 1), repeat=len(hidden)):
        if total is not None and visible_sum + sum(guess) != total:
            continue
        for slot, value in enumerate(guess):
            values[slot].add(value)
    return values


def _disclosed(tables: dict[str, Breakdown]) -> list[tuple[str, int]]:
    total = _known_total(tables)
    found = []
    for name, table in tables.items():
        hidden = [i for i, h in enumerate(table.hidden) if h]
        if not hidden:
            continue
        cap = (total or table.total) + 3  # an attacker without the total still bounds nothing
        zero_hidden = any(table.counts[i] == 0 for i in hidden)
        for floor in (0,) if zero_hidden else (0, 1):
            for index, seen in zip(hidden, _feasible_values(table, total, floor, cap), strict=True):
                if len(seen) == 1:
                    found.append((name, index))
    return found


counts = st.lists(st.integers(min_value=0, max_value=9), min_size=2, max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=3), st.data())
def test_no_hidden_count_can_be_recomputed(first: list[list[int]], data: st.DataObject) -> None:
    """Tables of one total: the first fixes it, the others are drawn to add up to it."""
    total = sum(first[0])
    tables_in = {"t0": [(str(i), n) for i, n in enumerate(first[0])]}
    for number, shape in enumerate(first[1:], start=1):
        cells = data.draw(st.lists(st.integers(0, total), min_size=len(shape), max_size=len(shape)))
        cells[-1] = max(0, total - sum(cells[:-1]))
        if sum(cells) != total:
            continue
        tables_in[f"t{number}"] = [(str(i), n) for i, n in enumerate(cells)]
    published = protect_breakdowns(tables_in, threshold=THRESHOLD, shared=tuple(tables_in))
    for table in published.values():
        for n, h in zip(table.counts, table.hidden, strict=True):
            assert h or not 0 < n < THRESHOLD, "a small count was published"
        assert table.total_hidden or not 0 < table.total < THRESHOLD
    assert len({t.total_hidden for t in published.values()}) == 1, "the total leaks across tables"
    assert _disclosed(published) == []


def test_all_ones_are_recomputed_without_the_extra_protection() -> None:
    """The attack succeeds on the plain complementary suppression, so the test can fail."""
    cells = [1, 1, 9, 0]
    plain = (
        suppress_counts(__import__("pandas").Series(cells, index=list("abcd")), threshold=THRESHOLD)
        .hidden.iloc[:-1, 0]
        .to_list()
    )
    exposed = Breakdown(tuple("abcd"), tuple(cells), tuple(plain), 11, False)
    assert _disclosed({"t": exposed}), "two hidden ones summing to 2 give themselves away"
    protected = protect_breakdowns({"t": list(zip("abcd", cells, strict=True))}, threshold=5)
    assert _disclosed(protected) == []
    assert protected["t"].hidden[2], "the 9 is hidden too, so the hidden sum says nothing"


def test_a_total_hidden_in_one_table_is_hidden_in_all() -> None:
    tables = {
        "sex": [("f", 1), ("m", 1), ("?", 1), ("x", 1), ("y", 1)],
        "source": [("a", 5), ("b", 0)],
    }
    published = protect_breakdowns(tables, threshold=5, shared=("sex", "source"))
    assert published["sex"].total_hidden and published["source"].total_hidden
    assert _disclosed(published) == []
