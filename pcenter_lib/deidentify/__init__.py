"""De-identification of case materials for intervision (Order No. 264, Rules 11.3 and 14).

``find_identifiers(text, known=...)`` is the leak check; ``draft_vignette`` turns case facts
into a de-identified vignette; ``check_pack`` refuses an export that still holds an identifier.
What is found, how, and the measured recall: ``docs/deidentification.md``.
"""

from pcenter_lib.deidentify.findings import KIND_LABELS, KINDS, Finding
from pcenter_lib.deidentify.gate import (
    IdentifierLeakError,
    Leak,
    PackMaterial,
    check_pack,
    find_leaks,
)
from pcenter_lib.deidentify.scan import find_identifiers
from pcenter_lib.deidentify.vignette import (
    CaseEvent,
    CaseFacts,
    CasePerson,
    VignetteDraft,
    draft_vignette,
)

__all__ = [
    "KINDS", "KIND_LABELS", "CaseEvent", "CaseFacts", "CasePerson", "Finding",
    "IdentifierLeakError", "Leak", "PackMaterial", "VignetteDraft", "check_pack",
    "draft_vignette", "find_identifiers", "find_leaks",
]
