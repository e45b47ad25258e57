"""De-identification of case materials for intervision (Order No. 264, Rules 11.3 and 14).

``find_identifiers(text, known=...)`` is the leak check; ``draft_vignette`` turns case facts
into a de-identified vignette; ``check_pack`` refuses an export that still holds an identifier.
"""

from pcenter_lib.deidentify.findings import KIND_LABELS, KINDS, Finding
from pcenter_lib.deidentify.scan import find_identifiers

__all__ = ["KINDS", "KIND_LABELS", "Finding", "find_identifiers"]
