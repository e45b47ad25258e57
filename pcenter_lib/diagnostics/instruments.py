"""Screening instruments defined as data: one YAML file per instrument in ``data/instruments``.

A Center adds or corrects an instrument by editing a file, not code — the way the ``holidays``
package keeps country calendars as tables. A file holds: code (= file name), version, name
(kk/ru/en), the languages it is given in, a licence note (``item_text_allowed: false`` forbids
item texts, as the SDQ licence requires), response options, items ``item_1``…``item_n``
(reverse-keyed or not), scales (a ``sum`` of items with a proration rule, or a
``sum_of_scales``), norms — band tables that may hold only for an age range and/or a sex, each
with its source — band labels (kk/ru/en, listed from least to most concern) and critical items
(the answers that trigger them and the Rule 19 concern they raise). Whatever is unverified
carries ``verified: false`` and a ``note``.

Files are read with ``yaml.compose`` so that every problem is reported with its file and line;
the problems a file can have are the table ``PROBLEMS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from yaml.nodes import SequenceNode

from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_
from pcenter_lib.paths import INSTRUMENTS_DIR

DATA_DIR: Final = INSTRUMENTS_DIR

# Rule 19 of Order No. 264: the concern a critical item raises is one of the journal's codes.
CONCERNS: Final = CONCERN_CODES
SEXES: Final = ("male", "female")
INFORMANTS: Final = ("self", "parent", "teacher", "specialist")
METHODS: Final = ("sum", "sum_of_scales")
RESERVED_COLUMNS: Final = frozenset({"age", "sex", "critical"})
_CODE: Final = re.compile(r"[a-z][a-z0-9_]*\Z")
_EMPTY: Final = SequenceNode("tag:yaml.org,2002:seq", [])

# Everything that can be wrong in a file; each message starts with the file and line.
PROBLEMS: Final = {
    "yaml": N_("{file}, line {line}: the file is not valid YAML ({detail})."),
    "empty": N_("{file}, line {line}: the file is empty."),
    "mapping": N_("{file}, line {line}: expected a mapping (key: value) here."),
    "unknown_key": N_("{file}, line {line}: unknown key {key!r}; allowed keys: {allowed}."),
    "twice": N_("{file}, line {line}: the key {key!r} is given twice."),
    "missing": N_("{file}, line {line}: the required key {key!r} is missing."),
    "list": N_("{file}, line {line}: expected a list here."),
    "empty_list": N_("{file}, line {line}: the list must not be empty."),
    "scalar": N_("{file}, line {line}: expected a single value here."),
    "text": N_("{file}, line {line}: expected a text here."),
    "integer": N_("{file}, line {line}: expected a whole number here."),
    "boolean": N_("{file}, line {line}: expected true or false here."),
    "choice": N_("{file}, line {line}: {value!r} is not one of: {allowed}."),
    "code": N_(
        "{file}, line {line}: {value!r} is not a usable code (lower-case letters, digits and _, "
        "not age, sex, critical or *_band)."
    ),
    "pair": N_("{file}, line {line}: expected a range [low, high] here."),
    "empty_range": N_("{file}, line {line}: the range [{low}, {high}] is empty."),
    "language": N_("{file}, line {line}: the language {lang!r} is not listed under languages."),
    "file_name": N_("{file}, line {line}: the code {code!r} must equal the file name {stem!r}."),
    "value_twice": N_("{file}, line {line}: the answer value {value} is given twice."),
    "item_order": N_(
        "{file}, line {line}: items must be item_1 … item_n in order; expected {expected!r}, "
        "found {found!r}."
    ),
    "symmetric": N_(
        "{file}, line {line}: a reverse-keyed item needs answer values symmetric around their "
        "middle."
    ),
    "licence": N_(
        "{file}, line {line}: the licence does not allow item texts in this file "
        "(item_text_allowed: false)."
    ),
    "code_twice": N_("{file}, line {line}: the code {value!r} is used twice."),
    "part": N_(
        "{file}, line {line}: {value!r} is unknown or repeated here (a scale may only add items, "
        "or scales defined above it)."
    ),
    "range": N_(
        "{file}, line {line}: the range [{low}, {high}] does not match the parts, which give "
        "[{expected_low}, {expected_high}]."
    ),
    "prorate_scales": N_("{file}, line {line}: only a sum of items can be prorated."),
    "min_answered": N_("{file}, line {line}: min_answered must be between 1 and {count}."),
    "band_label": N_("{file}, line {line}: the band {value!r} has no entry in band_labels."),
    "cover": N_(
        "{file}, line {line}: the bands must cover [{low}, {high}] without gaps or overlaps."
    ),
    "item": N_("{file}, line {line}: {value!r} is not an item of this instrument."),
    "answer": N_("{file}, line {line}: {value} is not an answer value of {item}."),
}

Labels = dict[str, str]


class InstrumentDefinitionError(PcenterError, ValueError):
    """An instrument file is wrong; ``file`` and ``line`` say where."""

    def __init__(self, msgid: str, /, *, file: str, line: int, **params: object) -> None:
        self.file = file
        self.line = line
        super().__init__(msgid, file=file, line=line, **params)


class UnknownInstrumentError(PcenterError, LookupError):
    """No instrument with this code is defined in ``data/instruments``."""


@dataclass(frozen=True, slots=True)
class Item:
    """One question: its answer values, reverse keying and (licence allowing) its text."""

    id: str
    values: tuple[int, ...]
    reverse: bool
    text: Labels


@dataclass(frozen=True, slots=True)
class Band:
    """Scores ``low``…``high`` (inclusive) fall in band ``code``."""

    code: str
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Norm:
    """A band table, for an age range and/or a sex when given; the first matching norm wins."""

    bands: tuple[Band, ...]
    age_low: int | None
    age_high: int | None
    sex: str | None
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Scale:
    """A score: a ``sum`` of ``items`` (prorated from ``min_answered``) or a sum of ``scales``."""

    code: str
    label: Labels
    method: str
    items: tuple[str, ...]
    scales: tuple[str, ...]
    low: int
    high: int
    min_answered: int
    proration_configurable: bool
    norms: tuple[Norm, ...]

    def band_codes(self, order: tuple[str, ...]) -> tuple[str, ...]:
        """This scale's band codes in the instrument's order (least to most concern)."""
        used = {band.code for norm in self.norms for band in norm.bands}
        return tuple(code for code in order if code in used)


@dataclass(frozen=True, slots=True)
class CriticalItem:
    """An answer in ``values`` to ``item`` (as given, before reverse keying) raises ``concern``."""

    item: str
    values: tuple[int, ...]
    concern: str
    source: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """One version of a screening instrument, read from its YAML file."""

    code: str
    version: str
    name: Labels
    languages: tuple[str, ...]
    informant: str
    licence_note: str
    item_text_allowed: bool
    verified: bool
    note: str
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    band_labels: dict[str, Labels]
    critical_items: tuple[CriticalItem, ...]
    path: Path
    definition_sha256: str

    @property
    def item_ids(self) -> list[str]:
        """``item_1`` … ``item_n``."""
        return [item.id for item in self.items]

    def template_columns(self) -> list[str]:
        """The columns a school's upload must contain: the items, then ``age`` and ``sex``."""
        return [*self.item_ids, "age", "sex"]

    def scale(self, code: str) -> Scale:
        """The scale named ``code``."""
        return next(scale for scale in self.scales if scale.code == code)


def load_instrument(path: Path) -> Instrument:
    """Read and check one instrument file; any problem raises with the file and line."""
    from pcenter_lib.diagnostics.instrument_files import read_instrument_file

    return read_instrument_file(path)


@cache
def instrument_registry() -> dict[str, Instrument]:
    """Every instrument in ``data/instruments``, by code (read once per process)."""
    return {path.stem: load_instrument(path) for path in sorted(DATA_DIR.glob("*.yaml"))}


def get_instrument(code: str) -> Instrument:
    """The instrument ``code``; an unknown code raises, listing the known ones."""
    registry = instrument_registry()
    if code not in registry:
        raise UnknownInstrumentError(
            N_("Unknown instrument {code!r}; known instruments: {known}."),
            code=code,
            known=", ".join(sorted(registry)),
        )
    return registry[code]
