"""Screening diagnostics: instruments defined as data and vectorized scoring of answers.

``score_responses("phq9", frame)`` scores a whole upload at once; ``get_instrument(code)`` and
``instrument_registry()`` give the definitions read from ``data/instruments/*.yaml``.
"""

from pcenter_lib.diagnostics.instruments import (
    CONCERNS,
    DATA_DIR,
    Band,
    CriticalItem,
    Instrument,
    InstrumentDefinitionError,
    Item,
    Norm,
    Scale,
    UnknownInstrumentError,
    get_instrument,
    instrument_registry,
    load_instrument,
)
from pcenter_lib.diagnostics.scoring import (
    InvalidResponseError,
    ResponseColumnsError,
    flag_concerns,
    score_columns,
    score_responses,
)

__all__ = [
    "CONCERNS",
    "DATA_DIR",
    "Band",
    "CriticalItem",
    "Instrument",
    "InstrumentDefinitionError",
    "InvalidResponseError",
    "Item",
    "Norm",
    "ResponseColumnsError",
    "Scale",
    "UnknownInstrumentError",
    "flag_concerns",
    "get_instrument",
    "instrument_registry",
    "load_instrument",
    "score_columns",
    "score_responses",
]
