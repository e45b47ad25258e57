"""The concerns of a request (Rule 19): the whole list at once, grouped, one tick per concern.

A multiple-choice list needed a hidden Ctrl-click and showed a few rows; here every concern of
Rule 19 (and Rule 8.4) is a checkbox under its group's heading, so nothing is hidden and one
click adds or removes a concern. At least one is required when saving (the service says so).
"""

from __future__ import annotations

import html
from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.concerns import CONCERNS
from pcenter_lib.i18n import N_, Translator
from widgets.intake.controls import css

# Headings of the columns, each with the concern groups it shows (Rule 19; Rule 8.4).
COLUMNS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (N_("Problems"), ("psycho_emotional", "behavioural", "psychosocial")),
    (N_("Crisis situations"), ("crisis",)),
    (N_("Auto-destructive, suicidal and deviant behaviour"), ("deviant",)),
    (N_("Violence, bullying, cyberbullying"), ("violence",)),
)


class ConcernPicker:
    """Checkboxes of every concern code, grouped in columns; ``value`` is the ticked codes."""

    def __init__(self) -> None:
        self.boxes = {
            c.code: css(widgets.Checkbox(), f"pcenter-concern-{c.code}") for c in CONCERNS
        }
        self.headings = [widgets.HTML() for _ in COLUMNS]
        columns = []
        for heading, (_title, groups) in zip(self.headings, COLUMNS, strict=True):
            members = [self.boxes[c.code] for c in CONCERNS if c.group in groups]
            column = css(widgets.VBox([heading, *members]), "pcenter-concern-column")
            column.layout.flex = "0 0 auto"
            columns.append(column)
        self.widget = css(
            widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")),
            "pcenter-intake-concerns",
        )

    def render(self, t: Translator) -> None:
        for concern in CONCERNS:
            self.boxes[concern.code].description = t(concern.label)
        for heading, (title, _groups) in zip(self.headings, COLUMNS, strict=True):
            heading.value = f"<b>{html.escape(t(title))}</b>"

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.boxes.items() if box.value)

    @value.setter
    def value(self, codes: tuple[str, ...]) -> None:
        for code, box in self.boxes.items():
            box.value = code in codes
