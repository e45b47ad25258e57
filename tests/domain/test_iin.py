"""IIN parsing, check digits and synthetic IINs (pcenter_lib.domain.iin).

Check digits below are worked by hand with the two-pass algorithm of
the IIN rules of the Law "On national registers of identification numbers": s1 = Σ dᵢ·wᵢ, w = 1..11, c = s1 mod 11; if c == 10,
s2 = Σ dᵢ·wᵢ with w = 3,4,5,6,7,8,9,10,11,1,2, c = s2 mod 11; c == 10 again → no IIN.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcenter_lib.domain.iin import (
    Iin,
    IinProblem,
    InvalidIinError,
    Sex,
    iin_check_digit,
    make_iin,
    parse_iin,
)
from pcenter_lib.errors import PcenterError


@pytest.mark.parametrize(
    ("value", "birth_date", "sex"),
    [
        # 7 9 1 0 2 8 3 0 2 7 2: s1 = 7+18+3+0+10+48+21+0+18+70+22 = 217; 217 mod 11 = 8.
        # Digit 7 = 3: 20th century, male. (Example from py-kz-validators.)
        ("791028302728", date(1979, 10, 28), "male"),
        # 8 1 1 2 0 1 4 0 1 1 8: s1 = 8+2+3+8+0+6+28+0+9+10+88 = 162; 162 mod 11 = 8.
        # Digit 7 = 4: 20th century, female. (Example from inn-validate.)
        ("811201401188", date(1981, 12, 1), "female"),
        # 0 6 1 2 1 1 6 0 0 0 1: s1 = 0+12+3+8+5+6+42+0+0+0+11 = 87; 87 mod 11 = 10 → pass 2:
        # s2 = 0+24+5+12+7+8+54+0+0+0+2 = 112; 112 mod 11 = 2. Digit 7 = 6: 21st c., female.
        ("061211600012", date(2006, 12, 11), "female"),
        # 9 9 1 2 3 1 2 0 0 0 7: s1 = 9+18+3+8+15+6+14+0+0+0+77 = 150; 150 mod 11 = 7.
        # Digit 7 = 2: 19th century, female.
        ("991231200077", date(1899, 12, 31), "female"),
        # 0 0 0 2 2 9 5 0 0 0 1: s1 = 0+0+0+8+10+54+35+0+0+0+11 = 118; 118 mod 11 = 8.
        # 29 Feb 2000 exists (2000 is a leap year).
        ("000229500018", date(2000, 2, 29), "male"),
    ],
)
def test_parse_iin_accepts_valid_numbers(value: str, birth_date: date, sex: Sex) -> None:
    iin = parse_iin(value)
    assert iin == Iin(value=value, birth_date=birth_date, sex=sex)
    assert str(iin) == value


def test_parse_iin_derives_serial() -> None:
    assert parse_iin("791028302728").serial == 272


@pytest.mark.parametrize(
    "value", ["  791028302728", "791028302728  ", " 791028302728 ", "791028302728\n"]
)
def test_parse_iin_tolerates_surrounding_spaces(value: str) -> None:
    assert parse_iin(value).value == "791028302728"


@pytest.mark.parametrize(
    ("value", "position"),
    [
        ("791028 302728", 7),  # inner space
        ("791028-302728", 7),  # dash
        ("79102830272a", 12),
        ("７９１０２８３０２７２８", 1),  # full-width digits are not ASCII digits
        ("٧٩١٠٢٨٣٠٢٧٢٨", 1),  # Arabic-Indic digits neither
        ("+791028302728", 1),
    ],
)
def test_parse_iin_rejects_non_digits(value: str, position: int) -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(value)
    assert caught.value.problem is IinProblem.NON_DIGIT
    assert caught.value.params == {"position": position}


@pytest.mark.parametrize(
    ("value", "length"),
    [("79102830272", 11), ("7910283027281", 13), ("", 0), ("   ", 0), ("1", 1)],
)
def test_parse_iin_rejects_wrong_length(value: str, length: int) -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(value)
    assert caught.value.problem is IinProblem.LENGTH
    assert str(caught.value) == f"An IIN has exactly 12 digits; {length} were given."


@pytest.mark.parametrize(
    "value",
    [
        # 7 9 1 0 2 8 0 0 2 7 2: s1 = 196, mod 11 = 9 → checksum right, century digit 0 wrong.
        "791028002729",
        # century digit 7: s1 = 196 + 49 = 245, mod 11 = 3.
        "791028702723",
        # century digit 9: s1 = 196 + 63 = 259, mod 11 = 6.
        "791028902726",
    ],
)
def test_parse_iin_rejects_unassigned_century_digit(value: str) -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(value)
    assert caught.value.problem is IinProblem.CENTURY
    assert caught.value.params == {"digit": int(value[6])}


@pytest.mark.parametrize(
    "value",
    [
        # month 13; 7 9 1 3 2 8 3 0 2 7 2: s1 = 217 + 3·4 = 229, mod 11 = 9 (checksum right).
        "791328302729",
        # 29 Feb 1900 (digit 7 = 3): 1900 is not a leap year. s1 = 104, mod 11 = 5.
        "000229300015",
        "791000302728",  # day 00
        "790230302728",  # 30 February
    ],
)
def test_parse_iin_rejects_impossible_birth_date(value: str) -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(value)
    assert caught.value.problem is IinProblem.DATE


@pytest.mark.parametrize("value", ["791028302729", "811201401180", "061211600013"])
def test_parse_iin_rejects_wrong_check_digit(value: str) -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(value)
    assert caught.value.problem is IinProblem.CHECKSUM


@pytest.mark.parametrize("last", "0123456789")
def test_parse_iin_rejects_numbers_whose_checksum_is_ten_twice(last: str) -> None:
    # 1 0 0 5 1 5 5 0 0 4 1 (born 15.05.2010, male):
    # s1 = 1+0+0+20+5+30+35+0+0+40+11 = 142; 142 mod 11 = 10;
    # s2 = 3+0+0+30+7+40+45+0+0+4+2 = 131; 131 mod 11 = 10 → no check digit exists.
    with pytest.raises(InvalidIinError) as caught:
        parse_iin("10051550041" + last)
    assert caught.value.problem is IinProblem.UNCOMPUTABLE_CHECKSUM


def test_parse_iin_rejects_non_text() -> None:
    with pytest.raises(InvalidIinError) as caught:
        parse_iin(791028302728)  # type: ignore[arg-type]
    assert caught.value.problem is IinProblem.NOT_TEXT


def test_invalid_iin_error_is_a_value_error_and_never_repeats_the_number() -> None:
    with pytest.raises(ValueError) as caught:
        parse_iin("791028302729")
    assert isinstance(caught.value, PcenterError)
    assert "791028302729" not in str(caught.value)
    assert caught.value.localized("ru").startswith("Контрольная цифра ИИН")
    assert caught.value.localized("kk").startswith("ЖСН-нің бақылау цифры")


@pytest.mark.parametrize(
    ("first11", "expected"),
    [
        ("79102830272", 8),
        ("06121160001", 2),  # second pass
        ("10051550041", None),  # ten on both passes
        ("10051550042", 1),  # s1 = 142 + 11 = 153 → 10; s2 = 131 + 2 = 133 → 1
        ("00000000000", 0),
    ],
)
def test_iin_check_digit(first11: str, expected: int | None) -> None:
    assert iin_check_digit(first11) == expected


@pytest.mark.parametrize("first11", ["7910283027", "791028302728", "7910283027a", ""])
def test_iin_check_digit_needs_eleven_digits(first11: str) -> None:
    with pytest.raises(InvalidIinError):
        iin_check_digit(first11)


def test_make_iin_builds_the_hand_computed_number() -> None:
    # 1 2 0 3 0 4 6 0 1 2 3: s1 = 1+4+0+12+0+24+42+0+9+20+33 = 145; 145 mod 11 = 2.
    assert make_iin(date(2012, 3, 4), "female", 123) == "120304601232"
    assert make_iin(date(1979, 10, 28), "male", 272) == "791028302728"


def test_make_iin_takes_the_next_serial_when_no_check_digit_exists() -> None:
    # Serial 41 gives ten on both passes (see above); serial 42 gives check digit 1.
    assert make_iin(date(2010, 5, 15), "male", 41) == "100515500421"


@pytest.mark.parametrize(
    ("birth_date", "sex", "serial", "problem"),
    [
        (date(2010, 5, 15), "boy", 1, IinProblem.SEX),
        (date(2010, 5, 15), "Male", 1, IinProblem.SEX),
        (date(2010, 5, 15), "male", -1, IinProblem.SERIAL),
        (date(2010, 5, 15), "male", 10_000, IinProblem.SERIAL),
        (date(2010, 5, 15), "male", True, IinProblem.SERIAL),
        (date(1799, 12, 31), "male", 1, IinProblem.CENTURY),
        (date(2100, 1, 1), "female", 1, IinProblem.CENTURY),
    ],
)
def test_make_iin_rejects_impossible_parts(
    birth_date: date, sex: str, serial: int, problem: IinProblem
) -> None:
    with pytest.raises(InvalidIinError) as caught:
        make_iin(birth_date, sex, serial)
    assert caught.value.problem is problem


@given(
    birth_date=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from(["male", "female"]),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_make_iin_always_parses_back(birth_date: date, sex: str, serial: int) -> None:
    value = make_iin(birth_date, sex, serial)
    iin = parse_iin(value)
    assert (iin.birth_date, iin.sex) == (birth_date, sex)
    assert iin.serial in {serial, (serial + 1) % 10_000}
    if iin_check_digit(value[:7] + f"{serial:04d}") is not None:
        assert iin.serial == serial


@given(value=st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_parse_iin_accepts_exactly_the_numbers_whose_check_digit_matches(value: str) -> None:
    try:
        parse_iin(value)
    except InvalidIinError as error:
        assert error.problem in {
            IinProblem.CENTURY,
            IinProblem.DATE,
            IinProblem.CHECKSUM,
            IinProblem.UNCOMPUTABLE_CHECKSUM,
        }
        if error.problem is IinProblem.CHECKSUM:
            assert iin_check_digit(value[:11]) != int(value[11])
    else:
        assert iin_check_digit(value[:11]) == int(value[11])


# IINs with a non-zero digit in every weighted place, so that a weight off by one changes the
# sum: the earlier examples have zeros in digits 8–10, which the weights 8 (pass 1) and 10, 11
# (pass 2) multiply. Worked by hand:
# 1 2 1 1 2 9 6 3 7 4 8 (born 29.11.2012, female, serial 3748):
#   s1 = 1+4+3+4+10+54+42+24+63+40+88 = 333; 333 mod 11 = 3.
# 1 2 1 1 2 9 6 3 7 8 8 (serial 3788): s1 = 333 + 10·4 = 373; 373 mod 11 = 10 → pass 2:
#   s2 = 3+8+5+6+14+72+54+30+77+8+16 = 293; 293 mod 11 = 7.
# 1 2 1 1 2 9 6 3 7 8 4 (serial 3784): s1 = 373 − 11·4 = 329 → 10; s2 = 293 − 2·4 = 285 → 10.
# 1 2 1 1 2 9 6 3 7 8 5 (serial 3785): s1 = 329 + 11 = 340 → 10; s2 = 285 + 2 = 287 → 1.
@pytest.mark.parametrize(
    ("value", "serial"),
    [("121129637483", 3748), ("121129637887", 3788), ("121129637851", 3785)],
)
def test_iins_with_every_weighted_digit_non_zero(value: str, serial: int) -> None:
    iin = parse_iin(value)
    assert (iin.birth_date, iin.sex, iin.serial) == (date(2012, 11, 29), "female", serial)
    assert iin_check_digit(value[:11]) == int(value[11])
    for wrong in set("0123456789") - {value[11]}:
        with pytest.raises(InvalidIinError) as caught:
            parse_iin(value[:11] + wrong)
        assert caught.value.problem is IinProblem.CHECKSUM


def test_make_iin_with_every_weighted_digit_non_zero() -> None:
    assert make_iin(date(2012, 11, 29), "female", 3748) == "121129637483"
    assert make_iin(date(2012, 11, 29), "female", 3788) == "121129637887"
    # Serial 3784 has no check digit (ten on both passes): the next serial, 3785, is used.
    assert iin_check_digit("12112963784") is None
    assert make_iin(date(2012, 11, 29), "female", 3784) == "121129637851"


def test_serial_9999_is_the_last_and_wraps_to_0000() -> None:
    # 1 3 1 1 1 6 6 9 9 9 9 (born 16.11.2013, female, serial 9999):
    #   s1 = 1+6+3+4+5+36+42 + 9·(8+9+10+11) = 97 + 342 = 439; 439 mod 11 = 10;
    #   s2 = 3+12+5+6+7+48+54 + 9·(10+11+1+2) = 135 + 216 = 351; 351 mod 11 = 10 → none.
    # The next serial wraps to 0000: 1 3 1 1 1 6 6 0 0 0 0: s1 = 97; 97 mod 11 = 9.
    assert make_iin(date(2013, 11, 16), "female", 9999) == "131116600009"
    # A serial of 9999 that has a check digit is kept as it is:
    # 7 9 1 0 2 8 3 9 9 9 9: s1 = 7+18+3+0+10+48+21 + 9·38 = 107 + 342 = 449; 449 mod 11 = 9.
    assert make_iin(date(1979, 10, 28), "male", 9999) == "791028399999"
    assert parse_iin("791028399999").serial == 9999
    with pytest.raises(InvalidIinError) as caught:
        make_iin(date(1979, 10, 28), "male", 10_000)
    assert caught.value.problem is IinProblem.SERIAL


@pytest.mark.parametrize("char", [":", "?", "A", "W", "/"])
def test_parse_iin_rejects_characters_next_to_the_digits(char: str) -> None:
    # ASCII neighbours of 0–9 (and capitals, which sort after them) are not digits.
    with pytest.raises(InvalidIinError) as caught:
        parse_iin("791028" + char + "02728")
    assert caught.value.problem is IinProblem.NON_DIGIT
    assert caught.value.params == {"position": 7}


@pytest.mark.parametrize("first11", ["7910283027", "791028302728", "7910283027a", ""])
def test_iin_check_digit_error_says_how_many_characters_came(first11: str) -> None:
    with pytest.raises(InvalidIinError) as caught:
        iin_check_digit(first11)
    assert caught.value.problem is IinProblem.LENGTH
    assert caught.value.params == {"length": len(first11)}
    assert f"{len(first11)} characters were given" in str(caught.value)


@pytest.mark.parametrize(
    ("birth_date", "sex", "serial", "shown"),
    [
        (date(2010, 5, 15), "boy", 1, "'boy' was given"),
        (date(2010, 5, 15), "male", 10_000, "10000 was given"),
        (date(2010, 5, 15), "male", -1, "-1 was given"),
        (date(1799, 12, 31), "male", 1, "1799 was given"),
        (date(2100, 1, 1), "female", 1, "2100 was given"),
    ],
)
def test_make_iin_errors_name_the_part_given(
    birth_date: date, sex: str, serial: int, shown: str
) -> None:
    with pytest.raises(InvalidIinError) as caught:
        make_iin(birth_date, sex, serial)
    assert shown in str(caught.value)
