"""The concern categories of a request, as one table (Rule 19; deviant behaviour from Rule 8.4).

Rule 19 lists what mobile response group specialists help with: psycho-emotional, behavioural
and psychosocial problems; crisis situations — divorce of parents or legal representatives,
death of relatives, acute stress disorder, post-traumatic stress disorder, panic attacks,
postvention —; auto-destructive and suicidal behaviour, violence, bullying and cyberbullying.
Rule 8.4 adds the prevention of deviant behaviour, naming addictive and antisocial behaviour.

Each crisis situation is its own code (``crisis_divorce`` …) so that reports can count them
apart; ``crisis`` on its own stands for a crisis whose kind is not (yet) known, e.g. a flag
raised by a screening instrument. Every code carries its group, so ``group == "crisis"``
selects all crisis situations at once. Labels are English msgids translated in
``locale/*/LC_MESSAGES/concerns.po``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_


class UnknownConcernError(PcenterError, ValueError):
    """A concern code that is not in the Rule 19 table."""


@dataclass(frozen=True, slots=True)
class Concern:
    """One concern category: its code, its label (msgid), its group and the rule it comes from."""

    code: str
    label: str
    group: str
    rule: str

    @property
    def is_crisis(self) -> bool:
        """Whether this is a crisis situation of Rule 19 (any kind)."""
        return self.group == "crisis"


CONCERNS: Final[tuple[Concern, ...]] = (
    # Rule 19 (and Rule 11.1): psycho-emotional, behavioural and psychosocial problems.
    Concern("psycho_emotional", N_("Psycho-emotional problems"), "psycho_emotional", "Rule 19"),
    Concern("behavioural", N_("Behavioural problems"), "behavioural", "Rule 19"),
    Concern("psychosocial", N_("Psychosocial problems"), "psychosocial", "Rule 19"),
    # Rule 19: crisis situations, by kind.
    Concern("crisis", N_("Crisis situation (kind not stated)"), "crisis", "Rule 19"),
    Concern("crisis_divorce", N_("Crisis: divorce of parents"), "crisis", "Rule 19"),
    Concern("crisis_bereavement", N_("Crisis: death of relatives"), "crisis", "Rule 19"),
    Concern("crisis_acute_stress", N_("Crisis: acute stress disorder"), "crisis", "Rule 19"),
    Concern("crisis_ptsd", N_("Crisis: post-traumatic stress disorder"), "crisis", "Rule 19"),
    Concern("crisis_panic_attack", N_("Crisis: panic attack"), "crisis", "Rule 19"),
    Concern("crisis_postvention", N_("Crisis: postvention"), "crisis", "Rule 19"),
    # Rule 19: auto-destructive and suicidal behaviour, violence, bullying, cyberbullying.
    Concern("auto_destructive", N_("Auto-destructive behaviour"), "deviant", "Rule 19"),
    Concern("suicidal", N_("Suicidal behaviour"), "deviant", "Rule 19"),
    Concern("violence", N_("Violence"), "violence", "Rule 19"),
    Concern("bullying", N_("Bullying"), "violence", "Rule 19"),
    Concern("cyberbullying", N_("Cyberbullying"), "violence", "Rule 19"),
    # Rule 8.4: prevention of deviant behaviour — addictive and antisocial.
    Concern("addictive", N_("Addictive behaviour"), "deviant", "Rule 8.4"),
    Concern("antisocial", N_("Antisocial behaviour"), "deviant", "Rule 8.4"),
)

CONCERN_CODES: Final = tuple(item.code for item in CONCERNS)
CONCERNS_BY_CODE: Final = MappingProxyType({item.code: item for item in CONCERNS})
CRISIS_CODES: Final = frozenset(item.code for item in CONCERNS if item.is_crisis)


def concern(code: str) -> Concern:
    """The concern with this code; a clear error listing the valid codes otherwise."""
    found = CONCERNS_BY_CODE.get(code)
    if found is None:
        raise UnknownConcernError(
            N_("Unknown concern {code!r}; valid concerns: {valid}."),
            code=code,
            valid=", ".join(CONCERN_CODES),
        )
    return found
