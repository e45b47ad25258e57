"""The reports the Order makes the Center send, their periods and the bands they count by.

| kind | rule | period | goes to |
|---|---|---|---|
| ``monthly_exchange`` | Rule 22 | a month, ``2026-11`` | the child-rights body |
| ``ppss_quarterly`` | Rules 20–21 | a quarter, ``2026Q4`` | education management bodies and schools |
| ``work_plan`` | Rule 23 | a school year, ``2026-2027`` | approved by the first head |
| ``annual_report`` | Rule 23 | a school year, ``2025-2026`` | the executive body in education of the local budget |

The annual report covers a school year, not a calendar year: Rule 23 draws the work plan up
"before the school year begins", so the report that gives account of the plan's execution
covers the same school year.

Small counts are hidden before a report leaves the Center (Rule 14; the Law "On personal data and
their protection", Art. 17, asks that data used for statistics be depersonalized): a count of 1
to 4 children could point at a child, so the default threshold is 5; a Center may set a higher
one, never a lower one than ``MIN_THRESHOLD``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from babel.dates import format_date

from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_, check_language, gettext


class ReportKind(StrEnum):
    MONTHLY_EXCHANGE = "monthly_exchange"
    THREAT_ANNEX = "threat_annex"  # the monthly report's restricted annex, case by case
    PPSS_QUARTERLY = "ppss_quarterly"
    WORK_PLAN = "work_plan"
    ANNUAL_REPORT = "annual_report"


KIND_LABELS: Final = {
    ReportKind.MONTHLY_EXCHANGE: N_("Monthly exchange with the child-rights body (Rule 22)"),
    ReportKind.THREAT_ANNEX: N_("Restricted annex: direct-threat requests (Rules 18, 22)"),
    ReportKind.PPSS_QUARTERLY: N_("Quarterly monitoring of the PPSS (Rules 20–21)"),
    ReportKind.WORK_PLAN: N_("Annual work plan (Rule 23)"),
    ReportKind.ANNUAL_REPORT: N_("Analytical report (Rule 23)"),
}
DEFAULT_THRESHOLD: Final = 5  # counts of 1–4 are hidden
MIN_THRESHOLD: Final = 3
REPORT_LANGUAGES: Final = ("kk", "ru")  # the working languages of the bodies the reports go to
FORMATS: Final = ("docx", "xlsx")

_MONTH: Final = re.compile(r"(\d{4})-(\d{2})\Z")
_QUARTER: Final = re.compile(r"(\d{4})Q([1-4])\Z")
_SCHOOL_YEAR: Final = re.compile(r"(\d{4})-(\d{4})\Z")
PERIOD_FORMS: Final = {
    ReportKind.MONTHLY_EXCHANGE: "2026-11",
    ReportKind.THREAT_ANNEX: "2026-11",
    ReportKind.PPSS_QUARTERLY: "2026Q4",
    ReportKind.WORK_PLAN: "2026-2027",
    ReportKind.ANNUAL_REPORT: "2025-2026",
}
QUARTER_LABEL: Final = N_("Q{number} {year}")
SCHOOL_YEAR_LABEL: Final = N_("school year {first}–{second}")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """A report's period: its code (``2026-11``) and its first and last day."""

    code: str
    start: date
    end: date

    def label(self, lang: str) -> str:
        """The period as a reader reads it: ``қараша 2026``, ``ноябрь 2026``, ``II квартал 2026``."""
        lang = check_language(lang)
        if _MONTH.match(self.code):
            # months are written in lower case in Kazakh and Russian running text
            text = str(format_date(self.start, "LLLL y", locale=lang))
            return text if lang == "en" else text[:1].lower() + text[1:]
        quarter = _QUARTER.match(self.code)
        if quarter:
            roman = ("I", "II", "III", "IV")[int(quarter.group(2)) - 1]
            number = quarter.group(2) if lang == "en" else roman
            return gettext(QUARTER_LABEL, lang).format(number=number, year=quarter.group(1))
        return gettext(SCHOOL_YEAR_LABEL, lang).format(first=self.start.year, second=self.end.year)


def _refuse(kind: ReportKind, value: str) -> ValidationError:
    return ValidationError(
        N_("The period of this report is written like {example}, not {value!r}."),
        example=PERIOD_FORMS[kind],
        value=value,
    )


def check_kind(kind: str) -> ReportKind:
    try:
        return ReportKind(kind)
    except ValueError:
        raise ValidationError(
            N_("Unknown report {kind!r}; the reports are: {valid}."),
            kind=kind,
            valid=", ".join(k.value for k in ReportKind),
        ) from None


def report_period(kind: ReportKind | str, value: str) -> ReportPeriod:
    """The period ``value`` of a report of ``kind``; a clear error naming the form otherwise."""
    kind = check_kind(kind)
    text = value.strip() if isinstance(value, str) else ""
    if kind in (ReportKind.MONTHLY_EXCHANGE, ReportKind.THREAT_ANNEX):
        match = _MONTH.match(text)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise _refuse(kind, value)
        start = date(int(match.group(1)), int(match.group(2)), 1)
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return ReportPeriod(text, start, following - timedelta(days=1))
    if kind is ReportKind.PPSS_QUARTERLY:
        match = _QUARTER.match(text)
        if match is None:
            raise _refuse(kind, value)
        year, number = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * number - 2, 1)
        following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return ReportPeriod(text, start, following - timedelta(days=1))
    match = _SCHOOL_YEAR.match(text)
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise _refuse(kind, value)
    first = int(match.group(1))
    return ReportPeriod(text, date(first, 9, 1), date(first + 1, 8, 31))


def check_threshold(threshold: int) -> int:
    if threshold < MIN_THRESHOLD:
        raise ValidationError(
            N_("Counts under {low} are always hidden; {threshold} is too low a threshold."),
            low=MIN_THRESHOLD,
            threshold=threshold,
        )
    return threshold


def check_report_language(lang: str) -> str:
    if lang not in REPORT_LANGUAGES:
        raise ValidationError(N_("Reports are written in Kazakh (kk) or Russian (ru)."))
    return lang


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(N_("Unknown export format {fmt!r}; use docx or xlsx."), fmt=fmt)
    return fmt


@dataclass(frozen=True, slots=True)
class AgeBand:
    code: str
    label: str  # msgid
    low: int
    high: int | None  # inclusive; None: no upper end


# Rule 15 draws the line at 16 (consent of the legal representatives below it) and Rule 12.1 lets
# a minor over 16 apply personally, so 14–15 and 16–17 are bands of their own; the younger
# bands follow the stages of schooling (pre-school, primary, basic secondary).
AGE_BANDS: Final[tuple[AgeBand, ...]] = (
    AgeBand("0_6", N_("under 7"), 0, 6),
    AgeBand("7_10", N_("7–10 years"), 7, 10),
    AgeBand("11_13", N_("11–13 years"), 11, 13),
    AgeBand("14_15", N_("14–15 years"), 14, 15),
    AgeBand("16_17", N_("16–17 years"), 16, 17),
    AgeBand("18_plus", N_("18 and older"), 18, None),
)
UNKNOWN: Final = "unknown"
UNKNOWN_LABEL: Final = N_("not stated")


def age_band(age: int | None) -> str:
    """The band code of an age in whole years; ``unknown`` when the age is not known."""
    if age is None or age < 0:
        return UNKNOWN
    for band in AGE_BANDS:
        if age >= band.low and (band.high is None or age <= band.high):
            return band.code
    return UNKNOWN


def age_on(birth_on: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth_on.year - ((day.month, day.day) < (birth_on.month, birth_on.day))
