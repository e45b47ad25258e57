"""What the panels of the risk model app share: the stored models and the one being read.

``models`` is the list of stored versions (newest first); ``version`` the one the analyst reads,
with its stored evaluation and model card; ``compare_with`` a second version for the comparison.
Training or a publication decision calls ``reload``, and every panel observing ``models`` or
``version`` draws again.
"""

from __future__ import annotations

from typing import Any

import traitlets

from pcenter_lib.domain.access import UseCase, may
from pcenter_lib.services.risk_models import (
    ModelSummary,
    list_risk_models,
    model_card,
    stored_evaluation,
)
from pcenter_lib.workbench import Workbench
from widgets.kit import AppState


class RiskModelState(AppState):
    """The stored models, the version read and the version compared with."""

    models: traitlets.List[ModelSummary] = traitlets.List()
    version = traitlets.Unicode(None, allow_none=True)
    compare_with = traitlets.Unicode(None, allow_none=True)
    evaluation = traitlets.Dict()
    card = traitlets.Dict()

    def __init__(self, workbench: Workbench, actor: str, roles: tuple[str, ...]) -> None:
        super().__init__()
        self.workbench = workbench
        self.actor = actor
        self.roles = roles
        self.reload()

    def reload(self, chosen: str | None = None) -> None:
        """Read the models again; read ``chosen`` (or keep the version read, or the newest)."""
        with self.workbench.sessions() as session:
            models = list_risk_models(session, actor=self.actor)
        versions = [m.model_version for m in models]
        keep = chosen or (self.version if self.version in versions else None)
        version = keep or (versions[0] if versions else None)
        with self.hold_trait_notifications():
            self.models = models
            self._read(version)
            if self.compare_with not in versions:
                self.compare_with = None

    def choose(self, version: str | None) -> None:
        """Read another stored version."""
        if version != self.version:
            self._read(version)

    def _read(self, version: str | None) -> None:
        evaluation: dict[str, Any] = {}
        card: dict[str, Any] = {}
        if version is not None:
            with self.workbench.sessions() as session:
                if may(self.roles, UseCase.EVALUATE_RISK_MODEL):
                    evaluation = stored_evaluation(session, actor=self.actor, version=version)
                card, _page = model_card(session, actor=self.actor, version=version, lang="en")
        with self.hold_trait_notifications():
            self.evaluation = evaluation
            self.card = card
            self.version = version

    def summary(self, version: str | None) -> ModelSummary | None:
        """The listed model ``version``, if it is stored."""
        return next((m for m in self.models if m.model_version == version), None)

    def evaluation_of(self, version: str) -> dict[str, Any]:
        """The stored evaluation of another version (for the comparison)."""
        with self.workbench.sessions() as session:
            return stored_evaluation(session, actor=self.actor, version=version)
