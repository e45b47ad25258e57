"""The concern table of Rule 19 (and Rule 8.4): codes, groups, lookup and translations."""

from __future__ import annotations

import pytest

from pcenter_lib.domain.concerns import (
    CONCERN_CODES,
    CONCERNS,
    CRISIS_CODES,
    UnknownConcernError,
    concern,
)
from pcenter_lib.i18n import gettext


def test_codes_are_unique_and_cover_rule_19() -> None:
    assert len(CONCERN_CODES) == len(set(CONCERN_CODES)) == 17
    rule_19 = {
        "psycho_emotional",
        "behavioural",
        "psychosocial",
        "crisis_divorce",
        "crisis_bereavement",
        "crisis_acute_stress",
        "crisis_ptsd",
        "crisis_panic_attack",
        "crisis_postvention",
        "auto_destructive",
        "suicidal",
        "violence",
        "bullying",
        "cyberbullying",
    }
    assert rule_19 <= set(CONCERN_CODES)
    assert {c.code for c in CONCERNS if c.rule == "Rule 8.4"} == {"addictive", "antisocial"}


def test_the_crisis_group_holds_the_six_kinds_and_the_unspecified_crisis() -> None:
    assert {
        "crisis",
        "crisis_divorce",
        "crisis_bereavement",
        "crisis_acute_stress",
        "crisis_ptsd",
        "crisis_panic_attack",
        "crisis_postvention",
    } == CRISIS_CODES
    assert concern("crisis_ptsd").is_crisis
    assert not concern("bullying").is_crisis


def test_lookup_by_code() -> None:
    assert concern("suicidal").label == "Suicidal behaviour"
    assert concern("cyberbullying").group == "violence"


@pytest.mark.parametrize("bad", ["", "Suicidal", "crisis-divorce", "unknown"])
def test_an_unknown_code_is_refused_with_the_valid_list(bad: str) -> None:
    with pytest.raises(UnknownConcernError) as caught:
        concern(bad)
    assert isinstance(caught.value, ValueError)
    assert "psycho_emotional" in str(caught.value)
    assert caught.value.localized("ru").startswith("Неизвестная категория")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_label_is_translated(lang: str) -> None:
    for item in CONCERNS:
        assert gettext(item.label, lang) != item.label, item.code
