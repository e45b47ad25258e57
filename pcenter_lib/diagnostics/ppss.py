"""The quarterly study of a school's psychological-pedagogical support service, PPSS (Rules 20–21).

Rule 21: Center specialists study the work of each school's PPSS at least once a quarter — the
diagnostics of students' state, the conclusions made and the recommendations for help to minors
who need support — and write an analytical note with recommendations. Rule 20 adds what the
Center monitors: reporting, and the support of children in difficult life situations, victims
of bullying or violence, and children with auto-destructive or deviant behaviour.

The study is scored by domain on a defined four-point scale with anchors, the way the SHAPE
School Mental Health Quality Assessment scores its domains (SHAPE System, National Center for School Mental Health, University of Maryland). The domain
list below is derived from those rules; each domain names its source. "Not applicable" (None)
is allowed where a domain cannot be judged this quarter (e.g. no earlier recommendations yet).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import pandas as pd

from pcenter_lib.diagnostics.periods import previous_quarter, quarter_bounds, quarter_of
from pcenter_lib.errors import ValidationError
from pcenter_lib.i18n import N_

StudyMode = Literal["visit", "desk"]
CoverageStatus = Literal["studied", "due", "overdue"]
STUDY_MODES: Final[dict[str, str]] = {
    "visit": N_("Visit to the education organization"),
    "desk": N_("Desk study of documents and reports"),
}


@dataclass(frozen=True)
class Domain:
    """One scored domain of the study; ``source`` is the rule or anchor it comes from."""

    code: str
    label: str  # msgid
    question: str  # msgid: what the specialist judges
    source: str
    advice: str  # msgid: the recommendation the note gives when the domain scores 0 or 1


DOMAINS: Final[tuple[Domain, ...]] = (
    Domain(
        "diagnostics_done",
        N_("Diagnostics of students' state"),
        N_("Was psychological-pedagogical diagnostics of students carried out as planned?"),
        "Rule 21; SHAPE: screening",
        N_(
            "Plan and carry out the diagnostics of students' state each quarter, covering every grade in the plan."
        ),
    ),
    Domain(
        "conclusions_written",
        N_("Conclusions made"),
        N_("Were psychological-pedagogical conclusions written from the diagnostics?"),
        "Rule 21",
        N_(
            "Write a psychological-pedagogical conclusion for every child whose diagnostics shows difficulties."
        ),
    ),
    Domain(
        "recommendations_given",
        N_("Recommendations for help"),
        N_("Were recommendations for psychological help given to minors who need support?"),
        "Rule 21",
        N_(
            "Give each child who needs support, their teachers and parents written recommendations."
        ),
    ),
    Domain(
        "children_covered",
        N_("Children needing support covered"),
        N_(
            "Are children in difficult life situations, victims of bullying or violence, and "
            "children with auto-destructive or deviant behaviour identified and supported?"
        ),
        "Rule 20; SHAPE: early intervention and treatment",
        N_("Keep a list of children needing support and record the help each of them receives."),
    ),
    Domain(
        "critical_follow_up",
        N_("Critical cases passed on at once"),
        N_("Were critical screening answers and crises passed to the Center without delay?"),
        "Rules 16, 20",
        N_("Pass every critical answer and crisis to the Center on the same day."),
    ),
    Domain(
        "prevention_done",
        N_("Prevention and psychological-pedagogical education"),
        N_("Were preventive and educational activities held with students, teachers and parents?"),
        "Rule 11.5; SHAPE: mental health promotion",
        N_(
            "Hold preventive and educational sessions with students, teachers and parents every quarter."
        ),
    ),
    Domain(
        "documentation_kept",
        N_("Documentation kept"),
        N_("Is the service's documentation complete and kept in order?"),
        "Rule 11.3",
        N_("Bring the service's documentation up to date and keep it in one place."),
    ),
    Domain(
        "reporting_submitted",
        N_("Reporting submitted"),
        N_("Was reporting submitted to the Center complete and on time?"),
        "Rule 20",
        N_("Submit the quarterly reporting to the Center completely and on time."),
    ),
    Domain(
        "recommendations_acted_on",
        N_("Earlier recommendations acted on"),
        N_("Were the Center's earlier recommendations reviewed and acted on?"),
        "Rules 20–21; SHAPE: impact",
        N_("Act on the Center's earlier recommendations and record what was done."),
    ),
)
DOMAIN_CODES: Final = tuple(domain.code for domain in DOMAINS)

# The scale: 0–3 with anchors (SHAPE rates indicators on an ordinal scale and sums by domain).
SCALE: Final[dict[int, str]] = {
    0: N_("0 — not done"),
    1: N_("1 — started, with major gaps"),
    2: N_("2 — mostly done, minor gaps"),
    3: N_("3 — fully done and documented"),
}
SCALE_MAX: Final = max(SCALE)
LEVELS: Final[tuple[tuple[float, str, str], ...]] = (
    # (lowest share of the maximum, code, label); Center setting, no legal source.
    (0.85, "good", N_("Good")),
    (0.60, "adequate", N_("Adequate, with gaps")),
    (0.0, "needs_support", N_("Needs methodical support")),
)


@dataclass(frozen=True)
class StudyRecord:
    """A study of a school's service as recorded (Rule 21): when, how, by whom, what was found."""

    quarter: str
    mode: str
    studied_on: date
    studied_by: str
    domain_scores: dict[str, int | None]
    findings: str
    recommendations: str


@dataclass(frozen=True)
class StudySummary:
    """The scores of one study summed up: mean on the 0–3 scale, share of the maximum, level."""

    scored: int
    mean: float | None
    share: float | None
    level: str | None


def check_domain_scores(scores: Mapping[str, int | None]) -> dict[str, int | None]:
    """Every domain scored 0–3 or None (not applicable), no unknown domains; returned in order."""
    unknown = sorted(set(scores) - set(DOMAIN_CODES))
    if unknown:
        raise ValidationError(
            N_("Unknown study domains {unknown}; the domains are: {known}."),
            unknown=", ".join(unknown),
            known=", ".join(DOMAIN_CODES),
        )
    missing = [code for code in DOMAIN_CODES if code not in scores]
    if missing:
        raise ValidationError(
            N_("Score every domain (or mark it not applicable); missing: {missing}."),
            missing=", ".join(missing),
        )
    checked: dict[str, int | None] = {}
    for code in DOMAIN_CODES:
        value = scores[code]
        if value is not None and (isinstance(value, bool) or value not in SCALE):
            raise ValidationError(
                N_("The score of {domain} must be 0, 1, 2, 3 or not applicable, not {value!r}."),
                domain=code,
                value=value,
            )
        checked[code] = value
    return checked


def summarize_study(scores: Mapping[str, int | None]) -> StudySummary:
    """Mean score over the applicable domains, its share of the maximum, and the level."""
    values = [v for v in check_domain_scores(scores).values() if v is not None]
    if not values:
        return StudySummary(0, None, None, None)
    mean = sum(values) / len(values)
    share = mean / SCALE_MAX
    level = next(code for lowest, code, _ in LEVELS if share >= lowest)
    return StudySummary(len(values), mean, share, level)


def level_label(level: str) -> str:
    return next(label for _, code, label in LEVELS if code == level)


def study_coverage(schools: pd.DataFrame, studies: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """Which schools have been studied this quarter, which are due and which are overdue (Rule 21).

    ``schools`` has ``school_id``; ``studies`` has ``school_id``, ``quarter`` and ``studied_on``.
    For the quarter holding ``today``: *studied* when a study is recorded in it; *overdue* when
    not, and the previous quarter had none either (the rule is already broken); *due* otherwise.
    Adds ``last_studied_on`` and ``days_left`` (to the end of the current quarter).
    """
    current = quarter_of(today)
    previous = previous_quarter(current)
    _, quarter_end = quarter_bounds(current)
    last = studies.groupby("school_id")["studied_on"].max()
    table = schools.copy()
    in_current = table["school_id"].isin(studies.loc[studies["quarter"] == current, "school_id"])
    in_previous = table["school_id"].isin(studies.loc[studies["quarter"] == previous, "school_id"])
    table["status"] = "due"
    table.loc[~in_current & ~in_previous, "status"] = "overdue"
    table.loc[in_current, "status"] = "studied"
    table["last_studied_on"] = table["school_id"].map(last)
    table["days_left"] = (quarter_end - today).days
    table.attrs["quarter"] = current
    return table


COVERAGE_LABELS: Final[dict[str, str]] = {
    "studied": N_("Studied this quarter"),
    "due": N_("Not yet studied this quarter"),
    "overdue": N_("Overdue: not studied last quarter or this one"),
}
