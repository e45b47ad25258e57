"""Publish: publish the version read, or see why it is refused, and read what the score may do.

Publishing is refused, and the refusal recorded, when the model is miscalibrated overall or in
any group (``services.risk_models.publish_risk_model``): the page lists each group with its
observed/expected interval or calibration error, in the analyst's language, from the reasons
kept in the model card, so they stay readable after the page is closed. The limits of the
calibration error are the analyst's to set (defaults 0.03 overall, 0.05 per group). Above it
all stands the principle the law sets: the score advises, people decide.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.risk.card import DECISION_PRINCIPLE
from pcenter_lib.risk.wording import reason_text, status_label
from pcenter_lib.services.risk_models import (
    GROUP_CALIBRATION_LIMIT,
    OVERALL_CALIBRATION_LIMIT,
    publish_risk_model,
)
from widgets.kit import Panel
from widgets.markup import bullet_list, heading, paragraph
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell

HUMAN_DECISION: Final = N_(
    "A published model only orders the supervisors' priority queue and gives reasons beside each "
    "child. It decides nothing about a child: a supervisor does, and the supervisor's decision "
    "is what is recorded."
)
REFUSED: Final = N_("Model {version} is not published: it is miscalibrated.")
PUBLISHED: Final = N_("Model {version} is published and now orders the supervisors' queue.")
REFUSED_ON: Final = N_("Publication refused on {moment} by {person}, because:")
PUBLISHED_ON: Final = N_("Published on {moment} by {person}.")
NOT_YET: Final = N_("Not decided yet: publish it, or see why it would be refused.")
ONLY_TRAINED: Final = N_("Only a trained or refused model can be published; this one is {status}.")


class PublishPanel(Panel[RiskModelState]):
    """The publication decision of the version read, its reasons, and the human-decision note."""

    title = N_("Publish")
    use_case = UseCase.PUBLISH_RISK_MODEL
    css_class = "pcenter-risk-publish"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.principle = widgets.HTML()
        self.principle.add_class("pcenter-risk-principle")
        self.status = widgets.HTML()
        self.status.add_class("pcenter-risk-status")
        self.overall = widgets.BoundedFloatText(
            value=OVERALL_CALIBRATION_LIMIT, min=0.001, max=1.0, step=0.005,
            style={"description_width": "initial"},
        )  # fmt: skip
        self.group = widgets.BoundedFloatText(
            value=GROUP_CALIBRATION_LIMIT, min=0.001, max=1.0, step=0.005,
            style={"description_width": "initial"},
        )  # fmt: skip
        self.publish = widgets.Button(button_style="warning", layout={"width": "auto", "align_self": "flex-start"})
        self.publish.add_class("pcenter-risk-publish-button")
        self.on_click(self.publish, self._publish)
        for box in (self.overall, self.group):
            box.add_class("pcenter-risk-limit")
        self.decision = widgets.HTML()
        self.decision.add_class("pcenter-risk-decision")
        self.widget.children = (
            self.principle, self.status, self.overall, self.group, self.publish, self.decision
        )
        self.watch(["version", "card", "models"], self.show)

    def render(self) -> None:
        t = self.t
        self.overall.description = t("Largest calibration error overall")
        self.group.description = t("Largest calibration error in a group")
        self.publish.description = t("Publish this model")
        self.principle.value = heading(t("The score advises; people decide")) + bullet_list(
            [t(DECISION_PRINCIPLE), t(HUMAN_DECISION)], "pcenter-explain"
        )
        self.show()

    def _publish(self) -> None:
        t, version = self.t, self.state.version
        if version is None:
            return
        with self.workbench.sessions.begin() as session:
            decision = publish_risk_model(
                session, actor=self.actor, version=version, overall_limit=float(self.overall.value),
                group_limit=float(self.group.value), now=self.shell.now(),
            )  # fmt: skip
        self.state.reload(version)
        if decision.published:
            self.shell.show_success(t(PUBLISHED, version=version))
        else:
            self.shell.show_error(t(REFUSED, version=version))

    def show(self) -> None:
        t, state = self.t, self.state
        summary = state.summary(state.version)
        if summary is None:
            self.status.value = paragraph(t("Choose or train a model on the Models tab."))
            self.decision.value = ""
            self.publish.layout.display = "none"
            return
        self.status.value = heading(
            t("Model {version}: {status}", version=summary.model_version,
              status=status_label(summary.status, t))
        )  # fmt: skip
        can = summary.status in ("trained", "refused")
        self.publish.layout.display = None if can else "none"
        self.overall.layout.display = self.group.layout.display = None if can else "none"
        self.decision.value = self._decision(summary.status, state.card.get("publication") or {})

    def _decision(self, status: str, publication: dict[str, Any]) -> str:
        t, lang = self.t, self.lang
        if status == "refused" and publication.get("reasons"):
            when = format_moment(_moment(publication.get("refused_at")), lang)
            return paragraph(t(REFUSED_ON, moment=when, person=publication.get("refused_by", "—"))) + (
                bullet_list([reason_text(r, t) for r in publication["reasons"]],
                            "pcenter-conflict pcenter-risk-reasons")
            )  # fmt: skip
        if status in ("published", "retired") and publication.get("published_at"):
            when = format_moment(_moment(publication.get("published_at")), lang)
            return paragraph(
                t(PUBLISHED_ON, moment=when, person=publication.get("published_by", "—")),
                "pcenter-ok",
            )
        if status == "trained":
            return paragraph(t(NOT_YET))
        return paragraph(t(ONLY_TRAINED, status=status_label(status, t)))


def _moment(text: object) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) else None
