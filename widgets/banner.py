"""The status banner under an app's header: one message at a time, error, information or success.

Texts arrive already translated; the banner escapes them, so a message can never inject markup.
"""

from __future__ import annotations

import html
from typing import Final, Literal

import ipywidgets as widgets

BannerKind = Literal["error", "info", "success"]

_ROLE: Final[dict[BannerKind, str]] = {"error": "alert", "info": "status", "success": "status"}


class StatusBanner:
    """An ``HTML`` widget showing the latest message; empty when there is nothing to say."""

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="")
        self.widget.add_class("pcenter-banner")
        self.kind: BannerKind | None = None
        self.text = ""

    def show(self, kind: BannerKind, text: str) -> None:
        self.kind, self.text = kind, text
        self.widget.value = (
            f'<div class="pcenter-banner-{kind}" role="{_ROLE[kind]}">{html.escape(text)}</div>'
        )

    def clear(self) -> None:
        self.kind, self.text = None, ""
        self.widget.value = ""
