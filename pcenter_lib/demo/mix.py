"""The proportions of the synthetic journal: sources, channels, concerns — as tables.

Codes are those of ``pcenter_lib.domain.intake_rules`` (sources and channels of Rule 12) and
``pcenter_lib.domain.concerns`` (Rule 19). The numbers are demo choices, not statistics of a
real Center; ``data/README.md`` lists them with the same values.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# Who ordinary requests (no direct threat, not a screening referral) come from; Rule 12.
ORDINARY_SOURCE_MIX: Final = MappingProxyType(
    {
        "legal_representative": 0.27,
        "education_organization": 0.22,
        "helpline_111": 0.16,
        "teacher": 0.12,
        "trust_service": 0.08,
        "state_body": 0.07,
        "minor_over_16": 0.05,  # Rule 12.1: only children who are 16 or older
        "mass_media": 0.03,
    }
)
# Who reports a direct threat (the escalation of a child).
THREAT_SOURCE_MIX: Final = MappingProxyType(
    {
        "education_organization": 0.30,
        "helpline_111": 0.25,
        "legal_representative": 0.20,
        "state_body": 0.12,
        "teacher": 0.08,
        "minor_over_16": 0.03,
        "mass_media": 0.02,
    }
)
# How each source reaches the Center (Rule 12 means of communication).
CHANNELS_BY_SOURCE: Final = MappingProxyType(
    {
        "minor_over_16": {
            "messenger": 0.45,
            "phone": 0.30,
            "in_person": 0.15,
            "email": 0.05,
            "official_platform": 0.05,
        },
        "legal_representative": {
            "phone": 0.40,
            "in_person": 0.20,
            "messenger": 0.20,
            "written": 0.10,
            "official_platform": 0.05,
            "email": 0.05,
        },
        "teacher": {
            "messenger": 0.35,
            "phone": 0.35,
            "email": 0.10,
            "in_person": 0.10,
            "official_platform": 0.10,
        },
        "education_organization": {
            "official_platform": 0.35,
            "email": 0.25,
            "written": 0.20,
            "phone": 0.15,
            "messenger": 0.05,
        },
        "helpline_111": {"phone": 0.70, "official_platform": 0.20, "email": 0.10},
        "trust_service": {"phone": 0.80, "messenger": 0.15, "email": 0.05},
        "state_body": {"written": 0.45, "official_platform": 0.35, "email": 0.15, "phone": 0.05},
        "mass_media": {"official_platform": 0.50, "email": 0.30, "phone": 0.20},
    }
)
# Sources whose requests arrive in office hours on working days; the others at any time.
OFFICE_SOURCES: Final = frozenset({"education_organization", "state_body", "mass_media"})
# Share of requests from a source that name no child (anonymous calls, media reports).
ANONYMOUS_SHARE: Final = MappingProxyType(
    {"helpline_111": 0.25, "trust_service": 0.40, "mass_media": 0.60, "state_body": 0.05}
)
APPLICANT_RELATION: Final = MappingProxyType(
    {
        "minor_over_16": "self",
        "teacher": "teacher",
        "education_organization": "school_psychologist",
        "state_body": "official",
        "helpline_111": "other",
        "trust_service": "other",
    }
)
# Concerns of ordinary requests: base weight and the youngest age at which they occur.
CONCERN_BASE: Final = MappingProxyType(
    {
        "psycho_emotional": (22.0, 0),
        "behavioural": (18.0, 0),
        "psychosocial": (12.0, 0),
        "bullying": (9.0, 7),
        "cyberbullying": (5.0, 9),
        "violence": (4.0, 0),
        "auto_destructive": (3.0, 11),
        "suicidal": (1.5, 11),
        "addictive": (2.0, 12),
        "antisocial": (3.0, 11),
        "crisis_divorce": (3.0, 0),
        "crisis_bereavement": (1.5, 0),
        "crisis_acute_stress": (2.0, 0),
        "crisis_ptsd": (0.7, 0),
        "crisis_panic_attack": (1.5, 10),
        "crisis_postvention": (0.5, 10),
        "crisis": (0.5, 0),
    }
)
# Concerns whose weight grows with the child's latent risk: × (1 + 3 × risk percentile).
RISK_SENSITIVE: Final = frozenset(
    {
        "psycho_emotional",
        "auto_destructive",
        "suicidal",
        "violence",
        "crisis_acute_stress",
        "crisis_panic_attack",
        "crisis_ptsd",
    }
)
RISK_SENSITIVITY: Final = 3.0
# Family situations (hidden) that multiply a concern's weight.
FAMILY_CONCERNS: Final = MappingProxyType(
    {
        ("divorce", "crisis_divorce"): 8.0,
        ("bereavement", "crisis_bereavement"): 10.0,
        ("guardianship", "psychosocial"): 2.5,
        ("single_parent", "psychosocial"): 1.5,
    }
)
SECOND_CONCERN_SHARE: Final = 0.30
# The main concern of a direct-threat request.
THREAT_CONCERN_MIX: Final = MappingProxyType(
    {
        "suicidal": 0.40,
        "auto_destructive": 0.20,
        "violence": 0.20,
        "crisis_acute_stress": 0.08,
        "bullying": 0.05,
        "crisis_postvention": 0.04,
        "crisis_panic_attack": 0.03,
    }
)


def expected_channel_mix(sources: MappingProxyType[str, float]) -> dict[str, float]:
    """The overall channel shares implied by a source mix and ``CHANNELS_BY_SOURCE``."""
    mix: dict[str, float] = {}
    for source, share in sources.items():
        for channel, given in CHANNELS_BY_SOURCE[source].items():
            mix[channel] = mix.get(channel, 0.0) + share * given
    return mix
