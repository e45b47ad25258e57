"""Saving and loading a fitted risk pipeline with skops, never pickle.

``skops.io`` refuses to build any type it is not told to trust. ``load_pipeline`` asks the file
which types it needs (``get_untrusted_types``) and loads it only when every one of them is in
``TRUSTED_TYPES`` — the estimators this package fits and nothing else; a file that asks for
anything more (a function, another class) is refused with the names it asked for
(skops documentation, "Secure persistence with skops").
"""

from __future__ import annotations

import hashlib
from typing import Final

import skops.io as sio
from sklearn.pipeline import Pipeline

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

TRUSTED_TYPES: Final = frozenset(
    {
        "pcenter_lib.risk.estimators.CalibratedLogisticRisk",
        "pcenter_lib.risk.estimators.IndicatorColumns",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.model_selection._split.GroupKFold",
        "sklearn.model_selection._split.StratifiedGroupKFold",
        "sklearn.model_selection._split.StratifiedKFold",
    }
)


class UntrustedModelError(PcenterError, ValueError):
    """A model file asks for types that are not on the trusted list; it is not loaded."""


def dump_pipeline(pipeline: Pipeline) -> bytes:
    """The fitted pipeline as skops bytes."""
    data: bytes = sio.dumps(pipeline)
    return data


def fingerprint(data: bytes) -> str:
    """SHA-256 of a model file, stored beside it so a changed file is noticed."""
    return hashlib.sha256(data).hexdigest()


def load_pipeline(data: bytes, *, expected_sha256: str | None = None) -> Pipeline:
    """Load skops bytes whose every type is trusted; refuse anything else, naming the types."""
    if expected_sha256 is not None and fingerprint(data) != expected_sha256:
        raise UntrustedModelError(
            N_("The model file does not match its recorded fingerprint; it was not loaded.")
        )
    try:
        asked = set(sio.get_untrusted_types(data=data))
    except Exception as exc:  # a damaged file: skops raises zip, JSON or key errors
        raise UntrustedModelError(
            N_("The model file cannot be read: {problem}"), problem=str(exc)
        ) from exc
    unknown = sorted(asked - TRUSTED_TYPES)
    if unknown:
        raise UntrustedModelError(
            N_("The model file asks for untrusted types and was not loaded: {types}"),
            types=", ".join(unknown),
        )
    pipeline = sio.loads(data, trusted=sorted(asked))
    if not isinstance(pipeline, Pipeline):
        raise UntrustedModelError(N_("The model file does not hold a risk pipeline."))
    return pipeline
