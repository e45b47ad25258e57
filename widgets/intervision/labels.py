"""Labels of the intervision codes a person reads, and small helpers the panels share."""

from __future__ import annotations

from typing import Final

import ipywidgets as widgets

from pcenter_lib.domain.codes import IntervisionStatus, ParticipantOrigin
from pcenter_lib.formats import format_moment
from pcenter_lib.i18n import N_
from pcenter_lib.intervision import format_registry
from pcenter_lib.services.intervision_views import SessionSummary

STATUS_LABELS: Final = {
    IntervisionStatus.PLANNED: N_("planned"),
    IntervisionStatus.RUNNING: N_("running"),
    IntervisionStatus.HELD: N_("held"),
    IntervisionStatus.CANCELLED: N_("cancelled"),
}
ORIGIN_LABELS: Final = {
    ParticipantOrigin.CENTER: N_("the Center"),
    ParticipantOrigin.SCHOOL: N_("a school's PPSS"),
}
WIDE: Final = "48em"


def format_name(code: str, lang: str) -> str:
    """A format's name in ``lang`` (its code when the data no longer has it)."""
    found = format_registry().get(code)
    return found.name[lang] if found else code


def session_label(summary: SessionSummary, lang: str) -> str:
    """How a session is named in a picker: when, the format, and its title."""
    when = format_moment(summary.held_at, lang)
    title = f" — {summary.title}" if summary.title else ""
    return f"{when} · {format_name(summary.format, lang)}{title}"


def button(css: str, style: str = "", icon: str = "") -> widgets.Button:
    made = widgets.Button(button_style=style, icon=icon, layout={"width": "max-content"})
    made.add_class(css)
    return made
