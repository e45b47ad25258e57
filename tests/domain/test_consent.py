"""Consent, urgency and notifications for helping a child (pcenter_lib.domain.consent).

Also checks that every message id of the domain-rule modules has a Kazakh and a Russian
translation with the same placeholders (pcenter_lib/locale/*/LC_MESSAGES/domain_rules.po).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from hypothesis import given
from hypothesis import strategies as st

import pcenter_lib
from pcenter_lib.domain.consent import (
    NOTIFICATION_RULES,
    BirthDateAfterDateError,
    ConsentRequirement,
    age_on,
    birthday_in,
    consent_requirement,
    is_under_16,
    may_apply_personally,
)
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import catalog

# Owed on every direct threat; "other authorized bodies" (Rule 18) are added by the specialist.
ALL_BODIES = frozenset(
    {"legal_representative", "health", "police", "child_rights_body", "local_executive_body"}
)
BODIES_WITHOUT_PARENTS = ALL_BODIES - {"legal_representative"}
BORN = date(2010, 5, 15)


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2010, 5, 15), 0),
        (date(2011, 5, 14), 0),
        (date(2011, 5, 15), 1),
        (date(2026, 5, 14), 15),  # the day before the 16th birthday
        (date(2026, 5, 15), 16),  # the 16th birthday
        (date(2028, 5, 15), 18),
    ],
)
def test_age_on(on: date, age: int) -> None:
    assert age_on(BORN, on) == age


def test_sixteenth_birthday_boundary() -> None:
    assert is_under_16(BORN, date(2026, 5, 14))
    assert not is_under_16(BORN, date(2026, 5, 15))
    assert not may_apply_personally(BORN, date(2026, 5, 14))
    assert may_apply_personally(BORN, date(2026, 5, 15))
    assert may_apply_personally(BORN, date(2030, 1, 1))  # an adult as well


def test_born_on_29_february() -> None:
    leapling = date(2008, 2, 29)
    assert birthday_in(leapling, 2023) == date(2023, 2, 28)
    assert birthday_in(leapling, 2024) == date(2024, 2, 29)
    assert age_on(leapling, date(2023, 2, 27)) == 14
    assert age_on(leapling, date(2023, 2, 28)) == 15  # no 29 Feb in 2023: age reached on the 28th
    assert age_on(leapling, date(2024, 2, 28)) == 15
    assert age_on(leapling, date(2024, 2, 29)) == 16  # 2024 has 29 Feb
    assert is_under_16(leapling, date(2024, 2, 28))
    assert not is_under_16(leapling, date(2024, 2, 29))
    # Born 29 Feb 2084: the 16th birthday falls in 2100, which is not a leap year.
    late_leapling = date(2084, 2, 29)
    assert is_under_16(late_leapling, date(2100, 2, 27))
    assert not is_under_16(late_leapling, date(2100, 2, 28))
    assert not may_apply_personally(late_leapling, date(2100, 2, 27))
    assert may_apply_personally(late_leapling, date(2100, 2, 28))


def test_birth_date_after_the_day_is_refused() -> None:
    with pytest.raises(BirthDateAfterDateError) as caught:
        age_on(date(2026, 5, 2), date(2026, 5, 1))
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PcenterError)
    assert str(caught.value) == (
        "The birth date 2026-05-02 is after 2026-05-01; check the date of birth."
    )
    with pytest.raises(ValueError):
        consent_requirement(date(2026, 5, 2), on=date(2026, 5, 1), direct_threat=True)
    with pytest.raises(ValueError):
        is_under_16(date(2026, 5, 2), date(2026, 5, 1))


@pytest.mark.parametrize(
    ("on", "direct_threat", "expected"),
    [
        # Under 16, no threat: consent of the legal representative first (Rule 15).
        (date(2026, 5, 14), False, ConsentRequirement(True, False, frozenset())),
        # Under 16, direct threat: help now; parents and bodies notified (Rules 15, 18, 22).
        (date(2026, 5, 14), True, ConsentRequirement(False, True, ALL_BODIES)),
        # 16 today, no threat: no consent needed, nobody to notify.
        (date(2026, 5, 15), False, ConsentRequirement(False, False, frozenset())),
        # 16 today, direct threat: the bodies, not the legal representative (Rules 18, 22).
        (date(2026, 5, 15), True, ConsentRequirement(False, True, BODIES_WITHOUT_PARENTS)),
        (date(2027, 9, 1), True, ConsentRequirement(False, True, BODIES_WITHOUT_PARENTS)),
        (date(2016, 9, 1), True, ConsentRequirement(False, True, ALL_BODIES)),
    ],
)
def test_consent_requirement(on: date, direct_threat: bool, expected: ConsentRequirement) -> None:
    assert consent_requirement(BORN, on=on, direct_threat=direct_threat) == expected


def test_consent_requirement_is_frozen() -> None:
    requirement = consent_requirement(BORN, on=date(2020, 1, 1), direct_threat=False)
    with pytest.raises(AttributeError):
        requirement.consent_needed = False  # type: ignore[misc]


def test_notification_rules_table() -> None:
    assert set(NOTIFICATION_RULES) == ALL_BODIES | {"other_authorized_body"}
    assert {code for code, rule in NOTIFICATION_RULES.items() if rule.automatic} == ALL_BODIES
    assert NOTIFICATION_RULES["local_executive_body"].rules == ("Rule 18",)
    assert NOTIFICATION_RULES["other_authorized_body"].rules == ("Rule 18",)
    assert NOTIFICATION_RULES["legal_representative"].rules == ("Rule 15",)
    assert "Rule 18" in NOTIFICATION_RULES["health"].rules
    assert "Rule 18" in NOTIFICATION_RULES["police"].rules
    assert "Rule 22" in NOTIFICATION_RULES["child_rights_body"].rules
    for code, rule in NOTIFICATION_RULES.items():
        assert rule.code == code
        assert catalog("kk")[rule.label] and catalog("ru")[rule.label]
    assert catalog("ru")[NOTIFICATION_RULES["police"].label] == "Полиция (органы внутренних дел)"


@given(
    birth_date=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    years=st.integers(min_value=1, max_value=30),
)
def test_age_increases_exactly_on_each_birthday(birth_date: date, years: int) -> None:
    birthday = birthday_in(birth_date, birth_date.year + years)
    assert age_on(birth_date, birthday) == years
    assert age_on(birth_date, birthday - timedelta(days=1)) == years - 1


@given(
    birth_date=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=0, max_value=40 * 366),
    direct_threat=st.booleans(),
)
def test_consent_and_notification_follow_the_rules(
    birth_date: date, offset: int, direct_threat: bool
) -> None:
    on = birth_date + timedelta(days=offset)
    requirement = consent_requirement(birth_date, on=on, direct_threat=direct_threat)
    under_16 = age_on(birth_date, on) < 16
    assert requirement.help_immediately is direct_threat
    assert requirement.consent_needed is (under_16 and not direct_threat)
    assert requirement.notify <= ALL_BODIES
    assert (not requirement.notify) is (not direct_threat)
    assert ("legal_representative" in requirement.notify) is (direct_threat and under_16)
    assert may_apply_personally(birth_date, on) is not under_16


DOMAIN_MODULES = ["iin", "calendar", "deadlines", "consent"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.mark.reads_source
@pytest.mark.parametrize("module", DOMAIN_MODULES)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_domain_rule_messages_are_translated(module: str, lang: str) -> None:
    source = Path(pcenter_lib.__file__).parent / "domain" / f"{module}.py"
    messages = [
        message
        for _line, message, _comments, _context in extract_from_file(
            "python", str(source), keywords={"N_": None}
        )
    ]
    assert messages, f"no messages found in {module}.py"
    translations = catalog(lang)
    for message in messages:
        assert isinstance(message, str)
        translated = translations.get(message)
        assert translated, f"{lang}: no translation for {message!r}"
        assert translated != message
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(message))
