"""Intervision (Order No. 264, Rule 11.3) as pure data: session formats and review checklists."""

from pcenter_lib.intervision.checklists import (
    Answer,
    Checklist,
    ChecklistResult,
    checklist_registry,
    get_checklist,
    score_checklist,
)
from pcenter_lib.intervision.files import IntervisionFileError
from pcenter_lib.intervision.formats import IntervisionFormat, Phase, format_registry, get_format

__all__ = [
    "Answer", "Checklist", "ChecklistResult", "IntervisionFileError", "IntervisionFormat",
    "Phase", "checklist_registry", "format_registry", "get_checklist", "get_format",
    "score_checklist",
]
