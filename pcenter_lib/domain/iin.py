"""Kazakhstan's individual identification number (IIN, ЖСН / ИИН): parse, check and build.

An IIN has 12 digits: the birth date as YYMMDD (digits 1–6), a digit for century and sex
(digit 7), a registration serial (digits 8–11) and a check digit (digit 12). The structure and
the check-digit algorithm follow the Government's rules for forming identification numbers
(Decree No. 406 of 22.05.2007) as implemented by two independent public libraries; see
the IIN rules of the Law "On national registers of identification numbers" (2007).

The birth date and sex are *derived* from the number rather than typed again, so a record can
never disagree with its own IIN. Error messages never repeat the number itself: an IIN is
restricted-access personal data and error texts end up in logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, Literal

from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

Sex = Literal["male", "female"]

IIN_LENGTH: Final = 12
SERIAL_LIMIT: Final = 10_000  # digits 8–11 hold a four-digit serial

# Check-digit weights of the two passes (Decree No. 406).
FIRST_PASS_WEIGHTS: Final = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_PASS_WEIGHTS: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# Digit 7: century of birth and sex. 0 and 7–9 are not assigned to individuals.
CENTURY_AND_SEX: Final[dict[int, tuple[int, Sex]]] = {
    1: (1800, "male"),
    2: (1800, "female"),
    3: (1900, "male"),
    4: (1900, "female"),
    5: (2000, "male"),
    6: (2000, "female"),
}

_ASCII_DIGITS: Final = re.compile(r"[0-9]*")


class IinProblem(StrEnum):
    """Why a text is not a valid IIN (or why one cannot be built)."""

    NOT_TEXT = "not_text"
    NON_DIGIT = "non_digit"
    LENGTH = "length"
    CENTURY = "century"
    DATE = "date"
    CHECKSUM = "checksum"
    UNCOMPUTABLE_CHECKSUM = "uncomputable_checksum"
    SEX = "sex"
    SERIAL = "serial"


class InvalidIinError(PcenterError, ValueError):
    """The text is not a valid IIN, or the parts given cannot form one; ``problem`` says why."""

    def __init__(self, problem: IinProblem, msgid: str, /, **params: object) -> None:
        self.problem = problem
        super().__init__(msgid, **params)


@dataclass(frozen=True, slots=True)
class Iin:
    """A checked IIN and what its digits say about the person."""

    value: str
    birth_date: date
    sex: Sex

    @property
    def serial(self) -> int:
        """The registration serial, digits 8–11."""
        return int(self.value[7:11])

    def __str__(self) -> str:
        return self.value


def iin_check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits of an IIN, or ``None`` if none exists.

    First pass: Σ dᵢ·wᵢ with weights 1…11, modulo 11. If that gives 10, a second pass uses the
    weights 3…11, 1, 2. If the second pass gives 10 as well, no IIN is issued with these 11
    digits, which this function reports as ``None``.
    """
    if len(first11) != IIN_LENGTH - 1 or not _ASCII_DIGITS.fullmatch(first11):
        raise InvalidIinError(
            IinProblem.LENGTH,
            N_(
                "The check digit is computed from exactly 11 digits; {length} characters were given."
            ),
            length=len(first11),
        )
    digits = [int(char) for char in first11]
    for weights in (FIRST_PASS_WEIGHTS, SECOND_PASS_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(value: str) -> Iin:
    """Check ``value`` as an IIN and return it with the birth date and sex it encodes.

    Spaces around the number are ignored; anything else that is not one of the 12 ASCII digits
    (inner spaces, dashes, letters) is rejected. Raises ``InvalidIinError`` naming the first
    problem found, checked in this order: characters, length, century digit, date, check digit.
    """
    if not isinstance(value, str):
        raise InvalidIinError(IinProblem.NOT_TEXT, N_("An IIN must be given as text."))
    text = value.strip()
    for position, char in enumerate(text, start=1):
        if not ("0" <= char <= "9"):
            raise InvalidIinError(
                IinProblem.NON_DIGIT,
                N_("An IIN contains digits only; character {position} is not a digit."),
                position=position,
            )
    if len(text) != IIN_LENGTH:
        raise InvalidIinError(
            IinProblem.LENGTH,
            N_("An IIN has exactly 12 digits; {length} were given."),
            length=len(text),
        )
    century_digit = int(text[6])
    if century_digit not in CENTURY_AND_SEX:
        raise InvalidIinError(
            IinProblem.CENTURY,
            N_("Digit 7 of an IIN (century and sex) must be 1 to 6; it is {digit}."),
            digit=century_digit,
        )
    century, sex = CENTURY_AND_SEX[century_digit]
    try:
        birth_date = date(century + int(text[0:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise InvalidIinError(
            IinProblem.DATE,
            N_("Digits 1 to 6 of an IIN must be a real birth date (YYMMDD); they are not."),
        ) from None
    expected = iin_check_digit(text[:11])
    if expected is None:
        raise InvalidIinError(
            IinProblem.UNCOMPUTABLE_CHECKSUM,
            N_("This IIN cannot exist: its check digit cannot be computed from digits 1 to 11."),
        )
    if expected != int(text[11]):
        raise InvalidIinError(
            IinProblem.CHECKSUM,
            N_(
                "The IIN's check digit (digit 12) does not match the other digits; check for a typo."
            ),
        )
    return Iin(value=text, birth_date=birth_date, sex=sex)


def make_iin(birth_date: date, sex: str, serial: int) -> str:
    """Build a valid synthetic IIN for demo data, from a birth date, sex and serial (0–9999).

    Where the 11 digits admit no check digit (both passes give 10), the next serial is used
    instead (9999 wraps to 0), so the result's serial may differ from ``serial`` by a step.
    The next serial always works: adding 1 to digit 11 leaves the first pass unchanged (weight
    11 ≡ 0 mod 11) and moves the second pass by 2, away from 10.
    """
    if sex not in ("male", "female"):
        raise InvalidIinError(
            IinProblem.SEX, N_("Sex must be 'male' or 'female'; {sex!r} was given."), sex=sex
        )
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 <= serial < SERIAL_LIMIT:
        raise InvalidIinError(
            IinProblem.SERIAL,
            N_("The IIN serial must be a whole number from 0 to 9999; {serial!r} was given."),
            serial=serial,
        )
    century = birth_date.year // 100 * 100
    century_digit = next(
        (
            digit
            for digit, (base, kind) in CENTURY_AND_SEX.items()
            if (base, kind) == (century, sex)
        ),
        None,
    )
    if century_digit is None:
        raise InvalidIinError(
            IinProblem.CENTURY,
            N_("An IIN can encode birth years 1800 to 2099 only; {year} was given."),
            year=birth_date.year,
        )
    prefix = f"{birth_date:%y%m%d}{century_digit}"
    for step in range(SERIAL_LIMIT):
        first11 = f"{prefix}{(serial + step) % SERIAL_LIMIT:04d}"
        check = iin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
    raise AssertionError("unreachable: consecutive serials never all lack a check digit")
