"""Crisis events the Center records about a child, and which of them count as an escalation.

Rule 18 names what follows a direct threat to a minor's life or health: health bodies and the
police are informed at once. Rule 19 names the situations the Center helps with, among them
auto-destructive and suicidal behaviour and violence. A crisis event records one such thing that
happened to a child — an attempt, self-harm, violence at home, police or hospital involvement —
with when it happened and when the Center learnt of it.

``ESCALATION_KINDS`` are the events the risk model predicts, beside a later direct-threat
request: a suicide attempt, police involvement or a hospitalisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_


class UnknownCrisisKindError(PcenterError, ValueError):
    """A crisis event kind that is not in the table."""


@dataclass(frozen=True, slots=True)
class CrisisKind:
    """One kind of crisis event: its code, label (msgid) and the rule it comes from."""

    code: str
    label: str
    rule: str
    escalation: bool  # counts as an escalation outcome of the risk model


CRISIS_KINDS: Final[tuple[CrisisKind, ...]] = (
    CrisisKind("suicide_attempt", N_("Suicide attempt"), "Rule 19", escalation=True),
    CrisisKind("self_harm", N_("Self-harm"), "Rule 19", escalation=False),
    CrisisKind("violence_at_home", N_("Violence at home"), "Rule 19", escalation=False),
    CrisisKind("police_involvement", N_("Police involvement"), "Rule 18", escalation=True),
    CrisisKind("hospitalisation", N_("Hospitalisation"), "Rule 18", escalation=True),
)
CRISIS_KIND_CODES: Final = tuple(k.code for k in CRISIS_KINDS)
CRISIS_KINDS_BY_CODE: Final = MappingProxyType({k.code: k for k in CRISIS_KINDS})
ESCALATION_KINDS: Final = frozenset(k.code for k in CRISIS_KINDS if k.escalation)


def crisis_kind(code: str) -> CrisisKind:
    """The crisis kind with this code; a clear error listing the valid codes otherwise."""
    found = CRISIS_KINDS_BY_CODE.get(code)
    if found is None:
        raise UnknownCrisisKindError(
            N_("Unknown crisis event kind {code!r}; valid kinds: {valid}."),
            code=code,
            valid=", ".join(CRISIS_KIND_CODES),
        )
    return found
