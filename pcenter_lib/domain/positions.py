"""Job titles a person reads instead of codes: the Center's posts and the specialists of other
bodies a mobile response group may involve (Rules 17, 24).

``CENTER_POSITIONS`` are the posts of the Center's staffing table (``StaffMember.position``,
Rule 24). ``EXTERNAL_POSITIONS`` are the specialists of "interested state bodies and other
organizations" that Rule 17 lets a mobile response group involve within their competence —
police juvenile inspectors, health workers, guardianship and social services, the school's own
staff. ``GROUP_ROLES`` are a member's roles in a group. A person always reads a title
(``position_name``); a code not listed is shown with its underscores as spaces, so a new position
is still readable before it is translated.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from pcenter_lib.i18n import N_, gettext

# Positions the demo and the usual staffing tables use (Rule 24).
CENTER_POSITIONS: Final = MappingProxyType(
    {
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
)

# Rule 17: specialists of interested state bodies and other organizations.
EXTERNAL_POSITIONS: Final = MappingProxyType(
    {
        "juvenile_inspector": N_("juvenile affairs inspector (police)"),
        "district_police_officer": N_("district police inspector"),
        "pediatrician": N_("pediatrician"),
        "psychiatrist": N_("psychiatrist"),
        "medical_psychologist": N_("medical psychologist"),
        "guardianship_specialist": N_("specialist of the guardianship and custody body"),
        "child_rights_specialist": N_("child-rights protection specialist"),
        "social_worker": N_("social worker"),
        "school_psychologist": N_("pedagogue-psychologist of the education organization"),
        "deputy_director_upbringing": N_("deputy director for upbringing work"),
        "class_teacher": N_("class teacher"),
        "other_specialist": N_("other specialist"),
    }
)

GROUP_ROLES: Final = MappingProxyType({"leader": N_("group leader"), "member": N_("member")})


def position_label(code: str) -> str | None:
    """The msgid of a Center or external job title, ``None`` for a code not in the tables."""
    return CENTER_POSITIONS.get(code) or EXTERNAL_POSITIONS.get(code)


def position_name(code: str, lang: str) -> str:
    """The job title in ``lang``; an unknown code with its underscores as spaces."""
    msgid = position_label(code)
    return gettext(msgid, lang) if msgid else code.replace("_", " ")
