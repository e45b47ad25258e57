"""Risk indicators: what the model may know of a child, computed from before the scoring moment.

Each indicator is documented as data in ``data/risk/indicators.yaml`` (what it is, where it comes
from, why it may matter, and the plain words shown when it raises a score, in kk/ru/en);
``compute_indicators`` computes the same list, in the same order, for the children of a history
at a moment ``at``. Only what was *recorded* strictly before ``at`` is read (``known_ns < at``),
so nothing from the future can leak into a score. Counts enter as ``log(1 + n)``; durations are
capped at a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd
import yaml

from pcenter_lib.domain.concerns import CRISIS_CODES
from pcenter_lib.domain.hard_rules import LANGUAGES, RISK_DATA_DIR
from pcenter_lib.domain.risk_history import (
    DAY_NS,
    History,
    per_child_any,
    per_child_count,
    per_child_max,
)
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

INDICATORS_PATH: Final = RISK_DATA_DIR / "indicators.yaml"
YEAR: Final = 365 * DAY_NS
HALF_YEAR: Final = 183 * DAY_NS
QUARTER: Final = 90 * DAY_NS
CAP_DAYS: Final = 365.0
# Screening bands of the instruments in data/instruments, as one ordinal scale 0–4.
BAND_LEVELS: Final = MappingProxyType(
    {"minimal": 0, "mild": 1, "moderate": 2, "moderately_severe": 3, "severe": 4}
)
HELPLINE_OR_STATE: Final = ("helpline_111", "trust_service", "state_body")
SUICIDAL: Final = ("suicidal", "auto_destructive")
VIOLENCE: Final = ("violence",)
BULLYING: Final = ("bullying", "cyberbullying")
FAMILY_LOSS: Final = ("crisis_divorce", "crisis_bereavement")
_TEXT_FIELDS: Final = ("name", "reason", "what", "source", "why")
GROUPS: Final = ("demographic", "requests", "screening", "crisis", "contacts")


class IndicatorFileError(PcenterError, ValueError):
    """The indicators file is unreadable or does not document exactly the computed indicators."""


@dataclass(frozen=True)
class Indicator:
    """One indicator's documentation: texts per field and language."""

    code: str
    group: str
    texts: Mapping[str, Mapping[str, str]]  # field → language → text

    def text(self, field: str, lang: str) -> str:
        """The text of ``field`` (name, reason, what, source, why) in ``lang``."""
        by_language = self.texts[field]
        return by_language.get(lang, by_language["en"])


INDICATOR_CODES: Final = (
    "age_years", "female", "special_needs", "rural_school", "guardian_or_trustee",
    "requests_90d", "requests_12m", "direct_threats_before", "concern_suicidal_12m",
    "concern_violence_12m", "concern_bullying_12m", "concern_crisis_12m", "concern_family_loss",
    "concern_psycho_emotional_12m", "source_helpline_or_state_12m", "source_self_12m",
    "cases_before", "open_case_days", "screening_band_last", "screening_band_trend",
    "screening_critical_6m", "screening_missing_12m", "crisis_events_12m",
    "crisis_events_before", "missed_contacts_6m", "days_since_last_contact",
)  # fmt: skip


@cache
def load_indicators() -> tuple[Indicator, ...]:
    """The documented indicators, in ``INDICATOR_CODES`` order; an error if the two differ."""
    try:
        data = yaml.safe_load(INDICATORS_PATH.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorFileError(
            N_("Cannot read the indicators file {path}: {problem}"),
            path=str(INDICATORS_PATH),
            problem=exc,
        ) from exc
    entries = data.get("indicators") if isinstance(data, dict) else None
    found: dict[str, Indicator] = {}
    for entry in entries or ():
        code = str(entry.get("code"))
        texts: dict[str, Mapping[str, str]] = {}
        for field in _TEXT_FIELDS:
            given = entry.get(field) or {}
            if any(not str(given.get(lang) or "").strip() for lang in LANGUAGES):
                raise IndicatorFileError(
                    N_("Indicator {code}: {field} needs kk, ru and en texts."),
                    code=code,
                    field=field,
                )
            texts[field] = MappingProxyType({lang: str(given[lang]).strip() for lang in LANGUAGES})
        if entry.get("group") not in GROUPS:
            raise IndicatorFileError(
                N_("Indicator {code}: group must be one of {valid}."),
                code=code,
                valid=", ".join(GROUPS),
            )
        found[code] = Indicator(code, str(entry["group"]), MappingProxyType(texts))
    if tuple(found) != INDICATOR_CODES:
        raise IndicatorFileError(
            N_("The indicators file must document exactly, in order: {codes}."),
            codes=", ".join(INDICATOR_CODES),
        )
    return tuple(found.values())


def _age_years(history: History, at: int) -> np.ndarray:
    births = history.children["birth_ns"].to_numpy(dtype=np.int64)
    result: np.ndarray = np.floor((at - births) / (365.25 * DAY_NS))
    return result


def _request_features(history: History, at: int) -> dict[str, np.ndarray]:
    requests = history["requests"]
    known = requests["known_ns"].to_numpy()
    before = known < at
    in_year = before & (known >= at - YEAR)
    source = requests["source"].to_numpy(dtype=object)
    concerns = history["concerns"]
    c_known = concerns["known_ns"].to_numpy()
    c_year = (c_known < at) & (c_known >= at - YEAR)
    concern = concerns["concern"].to_numpy(dtype=object)

    def concern_in(codes: tuple[str, ...] | frozenset[str], mask: np.ndarray) -> np.ndarray:
        return per_child_any(history, "concerns", mask & np.isin(concern, list(codes))).astype(
            float
        )

    return {
        "requests_90d": np.log1p(
            per_child_count(history, "requests", before & (known >= at - QUARTER))
        ),
        "requests_12m": np.log1p(per_child_count(history, "requests", in_year)),
        "direct_threats_before": np.log1p(
            per_child_count(
                history, "requests", before & requests["direct_threat"].to_numpy(dtype=bool)
            )
        ),
        "concern_suicidal_12m": concern_in(SUICIDAL, c_year),
        "concern_violence_12m": concern_in(VIOLENCE, c_year),
        "concern_bullying_12m": concern_in(BULLYING, c_year),
        "concern_crisis_12m": concern_in(CRISIS_CODES, c_year),
        "concern_family_loss": concern_in(FAMILY_LOSS, c_known < at),
        "concern_psycho_emotional_12m": concern_in(("psycho_emotional",), c_year),
        "source_helpline_or_state_12m": per_child_any(
            history, "requests", in_year & np.isin(source, HELPLINE_OR_STATE)
        ).astype(float),
        "source_self_12m": per_child_any(
            history, "requests", in_year & (source == "minor_over_16")
        ).astype(float),
    }


def _case_features(history: History, at: int) -> dict[str, np.ndarray]:
    cases = history["cases"]
    opened = cases["opened_ns"].to_numpy()
    open_now = (opened < at) & (cases["closed_ns"].to_numpy() >= at)
    longest = per_child_max(history, "cases", open_now, (at - opened) / DAY_NS, 0.0)
    return {
        "cases_before": np.log1p(per_child_count(history, "cases", opened < at)),
        "open_case_days": np.minimum(longest, CAP_DAYS),
    }


def _screening_features(history: History, at: int) -> dict[str, np.ndarray]:
    results = history["screening"]
    known = results["known_ns"].to_numpy()
    level = results["band_level"].to_numpy(dtype=np.float64)
    usable = (known < at) & (known >= at - YEAR) & ~np.isnan(level) & (results["pos"].to_numpy() >= 0)
    last = np.zeros(history.size)
    trend = np.zeros(history.size)
    if usable.any():
        frame = pd.DataFrame(
            {"pos": results["pos"].to_numpy()[usable], "t": known[usable], "level": level[usable]}
        ).sort_values(["pos", "t"], kind="stable")
        tail = frame.groupby("pos", sort=False).tail(2)
        latest = tail.groupby("pos", sort=False)["level"].last()
        first = tail.groupby("pos", sort=False)["level"].first()
        counts = tail.groupby("pos", sort=False)["level"].size()
        idx = latest.index.to_numpy()
        last[idx] = latest.to_numpy()
        trend[idx] = np.where(counts.to_numpy() > 1, latest.to_numpy() - first.to_numpy(), 0.0)
    critical = results["critical"].to_numpy(dtype=bool) & (known < at) & (known >= at - HALF_YEAR)
    seen = per_child_any(history, "screening", (known < at) & (known >= at - YEAR))
    return {
        "screening_band_last": last,
        "screening_band_trend": trend,
        "screening_critical_6m": per_child_any(history, "screening", critical).astype(float),
        "screening_missing_12m": (~seen).astype(float),
    }


def _crisis_features(history: History, at: int) -> dict[str, np.ndarray]:
    crises = history["crises"]
    known = crises["known_ns"].to_numpy() < at
    recent = known & (crises["occurred_ns"].to_numpy() >= at - YEAR)
    return {
        "crisis_events_12m": np.log1p(per_child_count(history, "crises", recent)),
        "crisis_events_before": np.log1p(per_child_count(history, "crises", known)),
    }


def _contact_features(history: History, at: int) -> dict[str, np.ndarray]:
    items = history["plan_items"]
    due = items["due_ns"].to_numpy()
    missed = (
        (items["known_ns"].to_numpy() < at)
        & (due < at)
        & (due >= at - HALF_YEAR)
        & (items["done_ns"].to_numpy() >= at)
    )
    contacts = history["contacts"]
    held = contacts["held_ns"].to_numpy()
    latest = per_child_max(history, "contacts", held < at, held, -np.inf)
    days = np.where(np.isfinite(latest), (at - latest) / DAY_NS, CAP_DAYS)
    return {
        "missed_contacts_6m": np.log1p(per_child_count(history, "plan_items", missed)),
        "days_since_last_contact": np.minimum(days, CAP_DAYS),
    }


def compute_indicators(history: History, at: int, rows: np.ndarray) -> pd.DataFrame:
    """The indicators of ``INDICATOR_CODES`` for the children at ``rows``, from before ``at``."""
    children = history.children
    age = _age_years(history, at)
    values: dict[str, np.ndarray] = {
        "age_years": age,
        "female": children["female"].to_numpy(dtype=float),
        "special_needs": children["special_needs"].to_numpy(dtype=float),
        "rural_school": (~children["urban"].to_numpy(dtype=bool)).astype(float),
        "guardian_or_trustee": children["guardian"].to_numpy(dtype=float),
    }
    values.update(_request_features(history, at))
    values.update(_case_features(history, at))
    values.update(_screening_features(history, at))
    values.update(_crisis_features(history, at))
    values.update(_contact_features(history, at))
    rows = np.asarray(rows, dtype=np.int64)
    return pd.DataFrame(
        {code: np.asarray(values[code], dtype=np.float64)[rows] for code in INDICATOR_CODES},
        index=children["child_id"].to_numpy()[rows],
    ).rename_axis("child_id")
