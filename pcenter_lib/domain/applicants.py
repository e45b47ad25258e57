"""Who applied for help and who may consent for a child (Rules 12.1, 13, 15).

``APPLICANT_RELATIONS`` lists how an applicant stands to the child, for the journal.
``LEGAL_REPRESENTATIVES`` lists who may give consent under Rule 15: "parents or other legal
representatives under the Code 'On marriage (matrimony) and family'". The Code (No. 518-IV of
26.12.2011, Article 1) counts as a child's legal representatives the parents, adoptive parents,
a guardian or trustee, a foster parent (приёмный родитель, қабылдаушы ата-ана), a patronage
carer (патронатный воспитатель, патронат тәрбиеші) and others who replace them by law; for a
child without parental care living in an organization for orphans, the head of that
organization acts as guardian (the Code's chapter on guardianship). Without them a consent could
not be recorded for a child in care, and every non-emergency service to that child was blocked.

Rule 12.1 lets a minor apply personally from 16. Rule 13 registers *every* request, so a younger
child's personal appeal is registered too — as source ``minor_personal_appeal`` — and its
services then wait for a legal representative's consent (Rule 15) unless there is a direct
threat. ``personal_appeal_source`` picks the source code from the child's age on the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from pcenter_lib.domain.consent import may_apply_personally
from pcenter_lib.i18n import N_

# Rule 12.1: the minor's own application; from 16 a personal application, below 16 a personal
# appeal that is registered all the same (Rule 13).
PERSONAL_APPLICATION: Final = "minor_over_16"
PERSONAL_APPEAL: Final = "minor_personal_appeal"
PERSONAL_SOURCES: Final = frozenset({PERSONAL_APPLICATION, PERSONAL_APPEAL})

CODE_ON_FAMILY: Final = 'Code "On marriage (matrimony) and family", art. 1'


@dataclass(frozen=True, slots=True)
class LegalRepresentative:
    """A kind of legal representative who may consent for a child (Rule 15)."""

    code: str
    label: str  # msgid; kk/ru in the Code's own wording
    source: str


LEGAL_REPRESENTATIVES: Final[tuple[LegalRepresentative, ...]] = (
    LegalRepresentative("mother", N_("Mother"), CODE_ON_FAMILY),
    LegalRepresentative("father", N_("Father"), CODE_ON_FAMILY),
    LegalRepresentative("adoptive_parent", N_("Adoptive parent"), CODE_ON_FAMILY),
    LegalRepresentative("guardian", N_("Guardian"), CODE_ON_FAMILY),
    LegalRepresentative("trustee", N_("Trustee"), CODE_ON_FAMILY),
    LegalRepresentative("foster_parent", N_("Foster parent"), CODE_ON_FAMILY),
    LegalRepresentative("patronage_carer", N_("Patronage carer"), CODE_ON_FAMILY),
    LegalRepresentative(
        "care_org_head",
        N_(
            "Head of the organization for orphans and children left without parental care "
            "where the child lives"
        ),
        CODE_ON_FAMILY,
    ),
)
REPRESENTATIVE_RELATIONS: Final = frozenset(r.code for r in LEGAL_REPRESENTATIVES)
# Substitute care: a child left without parental care and placed under the Code's forms of
# placement — guardianship or trusteeship, a foster family (приёмная семья, қабылдаушы
# отбасы), patronage upbringing (патронатное воспитание, патронат тәрбиесі) — or living in an
# organization for orphans, whose head acts as guardian. Adoption is not among them: adoptive
# parents have the rights of parents (the Code, chapter on adoption).
SUBSTITUTE_CARE_RELATIONS: Final = frozenset(
    {"guardian", "trustee", "foster_parent", "patronage_carer", "care_org_head"}
)
REPRESENTATIVE_LABELS: Final = MappingProxyType({r.code: r.label for r in LEGAL_REPRESENTATIVES})

# Relations of an applicant to the child, for the journal (Rule 12.1; Rule 15 for representatives).
APPLICANT_RELATIONS: Final[tuple[tuple[str, str], ...]] = (
    ("self", N_("The child personally")),
    *((r.code, r.label) for r in LEGAL_REPRESENTATIVES),
    ("teacher", N_("Teacher")),
    ("school_psychologist", N_("School psychologist")),
    ("official", N_("Official of an organization or body")),
    ("other", N_("Other")),
)
RELATION_CODES: Final = frozenset(code for code, _ in APPLICANT_RELATIONS)
NOT_A_REPRESENTATIVE: Final = N_(
    "A legal representative is a parent, adoptive parent, guardian, trustee, foster parent, "
    "patronage carer or the head of the organization for orphans where the child lives "
    '(Code "On marriage (matrimony) and family", art. 1).'
)


def personal_appeal_source(source: str, birth_date: date | None, received_on: date) -> str:
    """The source a minor's own request is registered under (Rules 12.1, 13).

    From the 16th birthday it is a personal application (``minor_over_16``); below 16 a
    personal appeal (``minor_personal_appeal``). With the age unknown the appeal is kept as
    typed — a personal appeal unless the operator said "over 16" — and consent is checked once
    the child is known. Other sources are returned unchanged.
    """
    if source not in PERSONAL_SOURCES or birth_date is None or birth_date > received_on:
        return source
    if may_apply_personally(birth_date, received_on):
        return PERSONAL_APPLICATION
    return PERSONAL_APPEAL
