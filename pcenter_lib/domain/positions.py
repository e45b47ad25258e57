"""Staff positions a Center's staff table uses, named in each language.

``StaffMember.position`` holds a code; a person always reads its name (``position_label``).
The list follows the positions of a Center's staff table under Rule 24 (administrative-managerial,
core and auxiliary personnel); a code not listed is shown with its underscores as spaces, so a
new position is still readable before it is translated.
"""

from __future__ import annotations

from typing import Final

from pcenter_lib.i18n import N_, gettext

POSITION_LABELS: Final[dict[str, str]] = {
    "director": N_("director"),
    "deputy_director": N_("deputy director"),
    "chief_accountant": N_("chief accountant"),
    "accountant": N_("accountant"),
    "economist": N_("economist"),
    "lawyer": N_("lawyer"),
    "hr_specialist": N_("HR specialist"),
    "office_manager": N_("office manager"),
    "system_administrator": N_("system administrator"),
    "procurement_specialist": N_("procurement specialist"),
    "psychologist": N_("psychologist"),
    "pedagogue_psychologist": N_("pedagogue-psychologist"),
    "supervisor": N_("supervisor"),
    "social_pedagogue": N_("social pedagogue"),
    "methodologist": N_("methodologist"),
    "special_educator": N_("special educator"),
    "coordinator": N_("coordinator"),
    "analyst": N_("analyst"),
    "media_specialist": N_("media specialist"),
    "driver": N_("driver"),
    "technician": N_("technician"),
    "cleaner": N_("cleaner"),
    "security_guard": N_("security guard"),
    "caretaker": N_("caretaker"),
}


def position_label(code: str, lang: str) -> str:
    """The position's name in ``lang``; an unknown code with its underscores as spaces."""
    msgid = POSITION_LABELS.get(code)
    return gettext(msgid, lang) if msgid else code.replace("_", " ")
