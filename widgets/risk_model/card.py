"""Model card: the card of the version read, as the page shows it and as two files to keep.

The card (``pcenter_lib.risk.card``) says what the model is for, whom it must not be used to
judge, the data window, the metrics overall and per group, the limits and the publication
decision; the page shows it in the current language and offers it as JSON and as HTML.
"""

from __future__ import annotations

import json

import ipywidgets as widgets

from pcenter_lib.domain.access import UseCase
from pcenter_lib.i18n import N_
from pcenter_lib.services.risk_models import model_card
from widgets.kit import Panel
from widgets.markup import download_link, paragraph
from widgets.risk_model.state import RiskModelState
from widgets.shell import AppShell


class CardPanel(Panel[RiskModelState]):
    """The model card of the version read, with its JSON and HTML downloads."""

    title = N_("Model card")
    use_case = UseCase.VIEW_RISK_MODELS
    css_class = "pcenter-risk-card"

    def __init__(self, shell: AppShell, state: RiskModelState) -> None:
        super().__init__(shell, state)
        self.downloads = widgets.HTML()
        self.downloads.add_class("pcenter-risk-card-downloads")
        self.page = widgets.HTML()
        self.page.add_class("pcenter-risk-card-page")
        self.widget.children = (self.downloads, self.page)
        self.watch(["version", "card"], self.show)

    def render(self) -> None:
        self.show()

    def show(self) -> None:
        t, card = self.t, self.state.card
        if not card:
            self.downloads.value = ""
            self.page.value = paragraph(t("Choose or train a model on the Models tab."))
            return
        with self.workbench.sessions() as session:
            _card, page = model_card(
                session, actor=self.actor, version=self.state.version, lang=self.lang
            )
        stem = f"model-card-{card['model_version']}"
        data = json.dumps(card, ensure_ascii=False, indent=2).encode("utf-8")
        document = f"<!DOCTYPE html><html><meta charset='utf-8'><body>{page}</body></html>"
        self.downloads.value = " · ".join(
            (
                download_link(
                    data, filename=f"{stem}.json", label=t("Download the card (JSON)"),
                    media_type="application/json",
                ),
                download_link(
                    document.encode("utf-8"), filename=f"{stem}-{self.lang}.html",
                    label=t("Download the card (HTML)"), media_type="text/html",
                ),
            )
        )  # fmt: skip
        self.page.value = page
