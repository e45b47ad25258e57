"""Drawing from a small table of weighted choices, fast enough to call once per record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")


class WeightedChoice(Generic[T]):
    """Options with weights; ``draw(rng)`` returns one, ``draw_many(rng, n)`` several.

    One uniform number per draw is compared with the cumulative weights, which is far cheaper
    than ``Generator.choice`` with ``p=`` for single draws.
    """

    def __init__(self, table: Iterable[tuple[T, float]]) -> None:
        pairs = list(table)
        self.options: list[T] = [option for option, _ in pairs]
        weights = np.array([weight for _, weight in pairs], dtype=float)
        self._cumulative = np.cumsum(weights / weights.sum())

    def draw(self, rng: np.random.Generator) -> T:
        index = int(np.searchsorted(self._cumulative, rng.random(), side="right"))
        return self.options[min(index, len(self.options) - 1)]

    def draw_many(self, rng: np.random.Generator, size: int) -> list[T]:
        indices = np.searchsorted(self._cumulative, rng.random(size), side="right")
        last = len(self.options) - 1
        return [self.options[min(int(i), last)] for i in indices]
