"""Who applied, when, through what and about what: the drafts of the registration journal.

Four kinds of entries make up the scale's ``requests`` (Rules 12–13):

- one direct-threat request per escalated child, at the moment of escalation;
- referrals of critical screening answers that schools send in after a round's import;
- warning signs: for ``PRECURSOR_SHARE`` of the children whose crisis episode begins
  (``hazard``), one ordinary request about the child on the day it begins (the next working
  day for sources that write on working days), 7–150 days before the escalation;
- ordinary requests filling the rest, by ``ORDINARY_SOURCE_MIX``. The child of an ordinary
  request is drawn among the children at school in that school year with weight ``exp(0.8·s)``
  (``s`` the standardized risk logit), so riskier children reach the Center more often;
  a personal application (``minor_over_16``) only ever names a child who is 16 that day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from pcenter_lib.demo.activity import MINUTES_PER_DAY, anytime_minutes, office_minutes
from pcenter_lib.demo.mix import (
    ANONYMOUS_SHARE,
    CHANNELS_BY_SOURCE,
    CONCERN_BASE,
    FAMILY_CONCERNS,
    OFFICE_SOURCES,
    ORDINARY_SOURCE_MIX,
    RISK_SENSITIVE,
    RISK_SENSITIVITY,
    SECOND_CONCERN_SHARE,
    THREAT_CONCERN_MIX,
    THREAT_SOURCE_MIX,
)
from pcenter_lib.demo.sampling import WeightedChoice
from pcenter_lib.demo.scales import HISTORY_START, SCHOOL_YEAR_STARTS, day_of, school_year_start
from pcenter_lib.demo.world import World
from pcenter_lib.domain.consent import may_apply_personally

PERSONAL_AGE = 16  # Rule 12.1
CHILD_WEIGHT = 0.8  # weight exp(0.8·s) of a child in ordinary requests
PRECURSOR_SHARE = 0.6  # escalated children with a warning-sign request before the escalation


@dataclass(slots=True)
class Draft:
    """One journal entry before it is numbered and written."""

    minute: int
    source: str
    channel: str
    child: int  # index of the child, -1 when the request names none
    school: int  # index of the school, -1 when none
    direct_threat: bool
    concerns: list[str] = field(default_factory=list)
    lang: str = "kk"
    origin: str | None = None
    id: int = 0
    considered_minute: int | None = None
    threat_minute: int | None = None


ORDINARY_SOURCES = WeightedChoice(ORDINARY_SOURCE_MIX.items())
THREAT_SOURCES = WeightedChoice(THREAT_SOURCE_MIX.items())
THREAT_CONCERNS = WeightedChoice(THREAT_CONCERN_MIX.items())
CHANNELS = {source: WeightedChoice(mix.items()) for source, mix in CHANNELS_BY_SOURCE.items()}


def _channel(rng: np.random.Generator, source: str) -> str:
    return CHANNELS[source].draw(rng)


class _ChildPicker:
    """Per school year, its pupils in order of birth with cumulative weights: those born by a
    day are a prefix."""

    def __init__(self, world: World) -> None:
        births = np.array([b.toordinal() for b in world.children.birth])
        weights = np.exp(CHILD_WEIGHT * world.truth.severity)
        self.years: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for year in SCHOOL_YEAR_STARTS:
            pupils = np.flatnonzero(world.children.at_school_in(year))
            order = pupils[np.argsort(births[pupils], kind="stable")]
            self.years[year] = (order, births[order], np.cumsum(weights[order]))

    def pick(self, rng: np.random.Generator, day: date, born_by: date | None = None) -> int:
        """A pupil of ``day``'s school year born on or before ``born_by`` (by weight); -1 if none."""
        order, births, cumulative = self.years[school_year_start(day)]
        end = len(order)
        if born_by is not None:
            end = int(np.searchsorted(births, born_by.toordinal(), side="right"))
        if end == 0:
            return -1
        position = int(np.searchsorted(cumulative, rng.random() * cumulative[end - 1]))
        return int(order[min(position, end - 1)])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year - years, day=28)


def _school_language(world: World, school: int, rng: np.random.Generator) -> str:
    if school < 0:
        return "kk" if rng.random() < 0.65 else "ru"
    language = str(world.organization.school_language[school])
    return "kk" if language == "mixed" else language


def threat_drafts(rng: np.random.Generator, world: World) -> list[Draft]:
    """One direct-threat request per escalated child, at the moment it escalated."""
    drafts = []
    for child in np.flatnonzero(world.truth.escalated):
        minute = int(world.truth.escalated_minute[child])
        source = THREAT_SOURCES.draw(rng)
        if source == "minor_over_16" and not may_apply_personally(
            world.children.birth[child], day_of(minute // MINUTES_PER_DAY)
        ):
            source = "legal_representative"
        family = str(world.children.family[child])
        concerns = [THREAT_CONCERNS.draw(rng)]
        second = {"divorce": "crisis_divorce", "bereavement": "crisis_bereavement"}.get(family)
        if second and rng.random() < 0.6:
            concerns.append(second)
        elif rng.random() < 0.4 and concerns[0] != "psycho_emotional":
            concerns.append("psycho_emotional")
        drafts.append(
            Draft(
                minute=minute,
                source=source,
                channel=_channel(rng, source),
                child=int(child),
                school=int(world.children.school[child]),
                direct_threat=True,
                concerns=concerns,
                lang=str(world.children.language[child]),
            )
        )
    return drafts


def referral_drafts(
    rng: np.random.Generator, world: World, referrals: list[tuple[int, int, int]]
) -> list[Draft]:
    """Critical screening answers a school sent on to the Center after the round's import."""
    drafts = []
    for child, round_id, imported_minute in referrals:
        day = imported_minute // MINUTES_PER_DAY + int(rng.integers(0, 2))
        day = world.activity.next_working_day(day)
        minute = int(max(office_minutes(rng, np.array([day]))[0], imported_minute + 30))
        concerns = ["suicidal"] + (["psycho_emotional"] if rng.random() < 0.5 else [])
        drafts.append(
            Draft(
                minute=minute,
                source="education_organization",
                channel="official_platform",
                child=child,
                school=int(world.children.school[child]),
                direct_threat=False,
                concerns=concerns,
                lang=str(world.children.language[child]),
                origin=f"screening:{round_id}",
            )
        )
    return drafts


def ordinary_drafts(rng: np.random.Generator, world: World, count: int) -> list[Draft]:
    """``count`` ordinary requests by the source mix, with their children and concerns."""
    sources = ORDINARY_SOURCES.draw_many(rng, count)
    channels = [_channel(rng, source) for source in sources]
    office = np.array(
        [
            s in OFFICE_SOURCES or c in ("in_person", "written")
            for s, c in zip(sources, channels, strict=True)
        ]
    )
    minor = np.array([s == "minor_over_16" for s in sources])
    first_minor_day = max((_first_sixteenth(world) - HISTORY_START).days + 14, 0)
    days = np.where(
        office,
        world.activity.sample_days(
            rng, count, office=True, first_day=np.where(minor, first_minor_day, 0)
        ),
        world.activity.sample_days(
            rng, count, office=False, first_day=np.where(minor, first_minor_day, 0)
        ),
    )
    minutes = np.where(office, office_minutes(rng, days), anytime_minutes(rng, days))
    picker = _ChildPicker(world)
    sizes = world.organization.school_students / world.organization.school_students.sum()
    drafts = []
    for k, source in enumerate(sources):
        day = day_of(int(minutes[k]) // MINUTES_PER_DAY)
        child = -1
        if rng.random() >= ANONYMOUS_SHARE.get(source, 0.0):
            cutoff = _years_before(day, PERSONAL_AGE) if source == "minor_over_16" else None
            child = picker.pick(rng, day, cutoff)
        if child >= 0:
            school = int(world.children.school[child])
        elif source in ("mass_media", "state_body") and rng.random() < 0.7:
            school = int(rng.choice(len(sizes), p=sizes))
        else:
            school = -1
        lang = (
            str(world.children.language[child])
            if child >= 0
            else _school_language(world, school, rng)
        )
        drafts.append(
            Draft(
                minute=int(minutes[k]),
                source=source,
                channel=channels[k],
                child=child,
                school=school,
                direct_threat=False,
                lang=lang,
            )
        )
    _assign_concerns(rng, world, drafts)
    return drafts


def precursor_drafts(rng: np.random.Generator, world: World) -> list[Draft]:
    """Warning signs: an ordinary request about a child on the day its crisis episode begins.

    The source follows ``ORDINARY_SOURCE_MIX`` (a personal application only from a child who is
    16 that day, otherwise the legal representative); concerns are drawn as for any ordinary
    request, so the child's risk and family situation shape them.
    """
    drafts = []
    # the Center's records begin with the history: an episode that began before leaves no sign
    for child in np.flatnonzero(world.truth.onset_day >= 0):
        if rng.random() >= PRECURSOR_SHARE:
            continue
        day = int(world.truth.onset_day[child])
        source = ORDINARY_SOURCES.draw(rng)
        if source == "minor_over_16" and not may_apply_personally(
            world.children.birth[child], day_of(day)
        ):
            source = "legal_representative"
        channel = _channel(rng, source)
        if source in OFFICE_SOURCES or channel in ("in_person", "written"):
            minute = int(office_minutes(rng, np.array([world.activity.next_working_day(day)]))[0])
        else:
            minute = int(anytime_minutes(rng, np.array([day]))[0])
        drafts.append(
            Draft(
                minute=minute,
                source=source,
                channel=channel,
                child=int(child),
                school=int(world.children.school[child]),
                direct_threat=False,
                lang=str(world.children.language[child]),
            )
        )
    if drafts:  # a small region may have no crisis episode at all
        _assign_concerns(rng, world, drafts)
    return drafts


def _first_sixteenth(world: World) -> date:
    oldest = min(world.children.birth)
    return _years_before(oldest, -PERSONAL_AGE)


def _assign_concerns(rng: np.random.Generator, world: World, drafts: list[Draft]) -> None:
    codes = list(CONCERN_BASE)
    base = np.array([CONCERN_BASE[c][0] for c in codes])
    youngest = np.array([CONCERN_BASE[c][1] for c in codes])
    children = np.array([d.child for d in drafts])
    known = children >= 0
    safe = np.where(known, children, 0)
    ages = np.where(known, _ages_at(world, drafts, safe), 13)
    rank = np.where(known, world.truth.rank[safe], 0.5)
    family = np.where(known, world.children.family[safe], "two_parents")
    weights = base[None, :] * (ages[:, None] >= youngest[None, :])
    for j, code in enumerate(codes):
        if code in RISK_SENSITIVE:
            weights[:, j] *= 1 + RISK_SENSITIVITY * rank
    for (situation, code), factor in FAMILY_CONCERNS.items():
        weights[family == situation, codes.index(code)] *= factor
    first = _sample_rows(rng, weights)
    weights[np.arange(len(drafts)), first] = 0.0
    second = _sample_rows(rng, weights)
    has_second = rng.random(len(drafts)) < SECOND_CONCERN_SHARE
    for k, draft in enumerate(drafts):
        draft.concerns = [codes[first[k]]] + ([codes[second[k]]] if has_second[k] else [])


def _ages_at(world: World, drafts: list[Draft], children: np.ndarray) -> np.ndarray:
    """Each draft's child's full years on the day of the draft (vectorized)."""
    days = [day_of(d.minute // MINUTES_PER_DAY) for d in drafts]
    years = np.array([d.year for d in days])
    month_day = np.array([d.month * 100 + d.day for d in days])
    before = month_day < world.children.birth_md[children]
    result: np.ndarray = years - world.children.birth_year[children] - before
    return result


def _sample_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    cumulative = weights.cumsum(axis=1)
    draws = rng.random(len(weights)) * cumulative[:, -1]
    counts: np.ndarray = (cumulative <= draws[:, None]).sum(axis=1)
    result: np.ndarray = np.minimum(counts, weights.shape[1] - 1)
    return result
