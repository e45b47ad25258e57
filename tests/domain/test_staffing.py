"""Rule 24 of Order No. 264: the minimum staffing norm, checked as data by one engine."""

from __future__ import annotations

import math
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file

from pcenter_lib.domain import staffing, wisn
from pcenter_lib.domain.staffing import (
    CATEGORY_LABELS,
    STAFFING_NORM,
    BoundKind,
    InvalidStaffingInputError,
    NormBound,
    StaffCategory,
    category_label,
    check_staffing_norm,
)
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import catalog


def rules_broken(administrative: float, core: float, auxiliary: float) -> list[str]:
    check = check_staffing_norm(administrative=administrative, core=core, auxiliary=auxiliary)
    return [violation.rule for violation in check.violations]


def test_the_table_is_rule_24_as_written() -> None:
    assert [(b.rule, b.category, b.kind, b.bound) for b in STAFFING_NORM] == [
        ("24", None, "minimum", 55),
        ("24.1", StaffCategory.ADMINISTRATIVE, "minimum", 10),
        ("24.2", StaffCategory.CORE, "minimum", 30),
        ("24.3", StaffCategory.AUXILIARY, "maximum", 15),
    ]
    assert all("Order No. 264, Rule 24" in bound.source for bound in STAFFING_NORM)


def test_exact_bounds_are_compliant() -> None:
    check = check_staffing_norm(administrative=10, core=30, auxiliary=15)
    assert check.compliant
    assert check.violations == ()
    assert check.total == 55


def test_a_typical_compliant_center() -> None:
    check = check_staffing_norm(administrative=12, core=38.5, auxiliary=9.5)
    assert check.compliant
    assert check.total == 60


def test_half_a_post_short_of_the_total_breaks_only_rule_24() -> None:
    # 10 + 34.5 + 10 = 54.5: every category fine, the total is not.
    check = check_staffing_norm(administrative=10, core=34.5, auxiliary=10)
    assert [v.rule for v in check.violations] == ["24"]
    (violation,) = check.violations
    assert violation.kind == "minimum"
    assert violation.bound == 55
    assert violation.actual == 54.5
    assert violation.category is None
    assert violation.gap == 0.5


def test_administrative_one_half_short_breaks_rule_24_1() -> None:
    assert rules_broken(9.5, 35, 15) == ["24.1"]


def test_core_one_half_short_breaks_rule_24_2() -> None:
    assert rules_broken(15, 29.5, 11) == ["24.2"]


def test_auxiliary_one_half_over_the_cap_breaks_rule_24_3() -> None:
    check = check_staffing_norm(administrative=10, core=30, auxiliary=15.5)
    assert [v.rule for v in check.violations] == ["24.3"]
    (violation,) = check.violations
    assert violation.kind == BoundKind.MAXIMUM
    assert violation.bound == 15
    assert violation.actual == 15.5
    assert violation.category is StaffCategory.AUXILIARY
    assert violation.gap == 0.5


def test_fractional_posts_add_up_to_a_bound() -> None:
    # 9.5 + 0.5 administrative posts, and 0.1-FTE steps that do not add up exactly in binary.
    assert check_staffing_norm(administrative=9.5 + 0.5, core=30, auxiliary=15).compliant
    administrative = sum([0.1] * 100)
    core = sum([0.1] * 300)
    assert administrative < 10 < core  # the float sums really are inexact
    check = check_staffing_norm(administrative=administrative, core=core, auxiliary=15)
    assert check.compliant
    assert check.total == 55
    assert check.units[StaffCategory.ADMINISTRATIVE] == 10


def test_quarter_posts_just_below_a_bound_still_fail() -> None:
    assert rules_broken(9.75, 35.25, 10) == ["24.1"]


def test_ten_thirty_ten_breaks_only_the_total() -> None:
    check = check_staffing_norm(administrative=10, core=30, auxiliary=10)
    assert check.total == 50
    assert not check.compliant
    assert [v.rule for v in check.violations] == ["24"]
    assert check.violations[0].gap == 5


def test_several_violations_are_all_reported_in_table_order() -> None:
    check = check_staffing_norm(administrative=5, core=20, auxiliary=20)
    assert [v.rule for v in check.violations] == ["24", "24.1", "24.2", "24.3"]
    assert [v.actual for v in check.violations] == [45, 5, 20, 20]
    assert [v.gap for v in check.violations] == [10, 5, 10, 5]


def test_nobody_at_all_breaks_every_minimum() -> None:
    assert rules_broken(0, 0, 0) == ["24", "24.1", "24.2"]


def test_units_per_category_are_kept() -> None:
    check = check_staffing_norm(administrative=11, core=31.25, auxiliary=14.5)
    assert check.units == {
        StaffCategory.ADMINISTRATIVE: 11,
        StaffCategory.CORE: 31.25,
        StaffCategory.AUXILIARY: 14.5,
    }
    assert check.total == 56.75


def test_the_engine_reads_whatever_table_it_is_given() -> None:
    stricter = (
        *STAFFING_NORM,
        NormBound(
            rule="X",
            category=StaffCategory.CORE,
            kind=BoundKind.MINIMUM,
            bound=40,
            source="a changed Order",
            msgid="core at least {bound}, have {actual}",
        ),
    )
    check = check_staffing_norm(administrative=10, core=35, auxiliary=10, norm=stricter)
    assert [v.rule for v in check.violations] == ["X"]
    assert check.violations[0].message("en") == "core at least 40, have 35"


def test_messages_exist_in_every_language_and_differ() -> None:
    check = check_staffing_norm(administrative=9.5, core=29.5, auxiliary=15.5)
    assert [v.rule for v in check.violations] == ["24", "24.1", "24.2", "24.3"]
    for violation in check.violations:
        texts = {lang: violation.message(lang) for lang in ("kk", "ru", "en")}
        assert len(set(texts.values())) == 3, texts
        assert texts["en"] == violation.msgid.format(
            bound=f"{violation.bound:g}", actual=f"{violation.actual:g}"
        )
        assert str(violation) == texts["en"]
    en, kk, ru = (check.messages(lang) for lang in ("en", "kk", "ru"))
    assert "at least 55" in en[0] and "54.5" in en[0]
    assert "55" in kk[0] and "54,5" in kk[0] and "штат" in kk[0]
    assert "55" in ru[0] and "54,5" in ru[0] and "штатн" in ru[0]
    assert "10" in kk[1] and "9,5" in kk[1] and "әкімшілік-басқарушылық" in kk[1]
    assert "10" in ru[1] and "9,5" in ru[1] and "административно-управленческий" in ru[1]
    assert "30" in kk[2] and "29,5" in kk[2] and "негізгі" in kk[2]
    assert "30" in ru[2] and "29,5" in ru[2] and "основной" in ru[2]
    assert "15" in kk[3] and "15,5" in kk[3] and "аспауға" in kk[3]
    assert "15" in ru[3] and "15,5" in ru[3] and "не более" in ru[3]


def test_a_message_shows_the_compared_value_not_a_rounded_one() -> None:
    (violation,) = check_staffing_norm(administrative=9.9999, core=35, auxiliary=15).violations
    assert "9.9999" in violation.message("en")
    assert "9,9999" in violation.message("ru")


def test_message_in_an_unknown_language_is_refused() -> None:
    (violation,) = check_staffing_norm(administrative=10, core=30, auxiliary=10).violations
    with pytest.raises(PcenterError):
        violation.message("de")


def test_category_labels_follow_the_glossary() -> None:
    assert set(CATEGORY_LABELS) == set(StaffCategory)
    assert category_label(StaffCategory.ADMINISTRATIVE, "kk") == "әкімшілік-басқарушылық персонал"
    assert category_label(StaffCategory.CORE, "kk") == "негізгі персонал"
    assert category_label(StaffCategory.AUXILIARY, "kk") == "қосалқы персонал"
    assert (
        category_label(StaffCategory.ADMINISTRATIVE, "ru")
        == "административно-управленческий персонал"
    )
    assert category_label(StaffCategory.CORE, "ru") == "основной персонал"
    assert category_label(StaffCategory.AUXILIARY, "ru") == "вспомогательный персонал"
    assert category_label(StaffCategory.CORE, "en") == "core personnel"
    assert category_label(None, "ru") == "весь персонал"
    assert STAFFING_NORM[0].label == "all personnel"
    assert STAFFING_NORM[3].label == "auxiliary personnel"
    assert str(StaffCategory.CORE) == "core"


@pytest.mark.parametrize("field", ["administrative", "core", "auxiliary"])
@pytest.mark.parametrize("bad", [-0.5, -1, math.nan, math.inf, -math.inf])
def test_negative_or_non_finite_units_are_refused_by_name(field: str, bad: float) -> None:
    units: dict[str, Any] = {"administrative": 10.0, "core": 30.0, "auxiliary": 15.0, field: bad}
    with pytest.raises(InvalidStaffingInputError) as caught:
        check_staffing_norm(**units)
    assert caught.value.field == field
    assert field in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, PcenterError)
    assert field in caught.value.localized("ru")
    assert caught.value.localized("ru") != str(caught.value)


@pytest.mark.parametrize("bad", ["10", None, True])
def test_units_that_are_not_numbers_are_refused(bad: object) -> None:
    with pytest.raises(InvalidStaffingInputError, match="core must be a number"):
        check_staffing_norm(administrative=10, core=bad, auxiliary=15)  # type: ignore[arg-type]


def _placeholders(text: str) -> list[tuple[str, str | None]]:
    return sorted((name, conv) for _, name, _, conv in string.Formatter().parse(text) if name)


@pytest.mark.reads_source
def test_every_msgid_of_the_staffing_rules_is_translated_with_the_same_placeholders() -> None:
    msgids = {
        message
        for module in (staffing, wisn)
        for _, message, _, _ in extract_from_file(
            "python", str(Path(module.__file__ or "")), keywords={"N_": None}
        )
    }
    assert len(msgids) >= 19
    for lang in ("kk", "ru"):
        translations = catalog(lang)
        for msgid in msgids:
            assert isinstance(msgid, str)
            assert msgid in translations, (lang, msgid)
            assert translations[msgid] != msgid
            assert _placeholders(translations[msgid]) == _placeholders(msgid), (lang, msgid)
