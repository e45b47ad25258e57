"""The intake panels' small helpers: labelled options, Kazakhstan-time moments, sized controls.

What the panels share (the current request, the journal's changes) is in
:mod:`widgets.intake.state`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Final, TypeVar

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionWidget

from pcenter_lib.domain.deadlines import KZ_TZ
from pcenter_lib.domain.intake_rules import IntakeValidationError
from pcenter_lib.formats import local_time
from pcenter_lib.i18n import N_, Translator

CHOOSE: Final = N_("— choose —")
ANY: Final = N_("(any)")
TIME_FORMAT_HINT: Final = N_("Write the time as HH:MM, for example 09:30.")
GIVE_DATE: Final = N_("Choose a date.")
RULE: Final = N_("Rule {number}")
W = TypeVar("W", bound=widgets.Widget)


def labelled_options(
    t: Translator, pairs: Iterable[tuple[str, str]], *, empty: str | None = None
) -> list[tuple[str, str | None]]:
    """Dropdown options ``(translated label, code)``, optionally led by an empty choice."""
    options: list[tuple[str, str | None]] = [] if empty is None else [(t(empty), None)]
    options.extend((t(label), code) for code, label in pairs)
    return options


def local_moment(day: date | None, clock_text: str, *, field: str) -> datetime:
    """A Kazakhstan-time moment from a date picker and an ``HH:MM`` text."""
    if day is None:
        raise IntakeValidationError(field, GIVE_DATE)
    try:
        parsed = time.fromisoformat(clock_text.strip())
    except ValueError:
        raise IntakeValidationError(field, TIME_FORMAT_HINT) from None
    return datetime.combine(day, parsed.replace(second=0, microsecond=0), tzinfo=KZ_TZ)


def local_text(moment: datetime | None) -> str:
    """A moment in Kazakhstan time as people read it; a dash when missing."""
    return "—" if moment is None else local_time(moment)


def rule_text(t: Translator, rules: str) -> str:
    """``"Rule 15, Rule 18"`` in the reader's language (``"15-тармақ, 18-тармақ"``)."""
    parts = []
    for part in rules.split(","):
        words = part.split()
        if len(words) == 2 and words[0] == "Rule":
            parts.append(t(RULE, number=words[1]))
        else:
            parts.append(part.strip())
    return ", ".join(parts)


DESCRIPTION_WIDTH: Final = "170px"


def shown(widget: widgets.Widget, visible: bool) -> None:
    """Show or hide ``widget`` (a role that may not use a control does not see it)."""
    widget.layout.display = None if visible else "none"


def css(widget: W, *classes: str) -> W:
    """Add CSS hook classes to ``widget`` and return it; labels get room to be read whole."""
    for name in classes:
        widget.add_class(name)
    if isinstance(widget, widgets.Checkbox):
        widget.style.description_width = "initial"
        widget.layout.width = "max-content"
    elif isinstance(widget, DescriptionWidget):
        widget.style.description_width = DESCRIPTION_WIDTH
    return widget


def button(css_class: str) -> widgets.Button:
    """A button carrying a hook class; its label is set by the panel's ``render``."""
    made = widgets.Button(layout=widgets.Layout(width="max-content"))
    made.add_class(css_class)
    return made
