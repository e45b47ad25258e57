"""Hard rules of the priority review queue: data in ``data/risk/hard_rules.yaml``, one small engine.

A hard rule puts a child into mandatory priority review. It stands outside the risk model: the
queue (``pcenter_lib.domain.priority``) places every child a rule names before every child the
score orders, and no score can take a child out of it. The rules file names, per rule, one of
the predicates below with its parameters and the rule's source in Order 264 or an act it names.

Every predicate reads the history as it stood strictly before the moment ``at``
(``pcenter_lib.domain.risk_history``), so the same rules serve today's queue and the past.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import yaml

from pcenter_lib.domain.concerns import CONCERN_CODES
from pcenter_lib.domain.risk_events import CRISIS_KIND_CODES
from pcenter_lib.domain.risk_history import DAY_NS, History, per_child_any
from pcenter_lib.errors import PcenterError
from pcenter_lib.i18n import N_

LANGUAGES: Final = ("kk", "ru", "en")
_HERE: Final = Path(__file__).resolve()
# A source checkout keeps the data beside the package; a built wheel carries it as ``_data``.
RISK_DATA_DIR: Final = (
    next(
        (p for p in (_HERE.parents[2] / "data", _HERE.parents[1] / "_data") if p.is_dir()),
        _HERE.parents[2] / "data",
    )
    / "risk"
)
RULES_PATH: Final = RISK_DATA_DIR / "hard_rules.yaml"

Predicate = Callable[[History, int, Mapping[str, Any]], np.ndarray]


class HardRuleFileError(PcenterError, ValueError):
    """The hard rules file is unreadable or breaks its schema; the message says where."""


@dataclass(frozen=True)
class HardRule:
    """One hard rule: its code, predicate and parameters, source, and texts in kk/ru/en."""

    code: str
    predicate: str
    params: Mapping[str, Any]
    source: str
    label: Mapping[str, str]
    why: Mapping[str, str]
    note: str = ""

    def text(self, lang: str) -> str:
        """The rule's label in ``lang`` (English if the language is unknown)."""
        return self.label.get(lang, self.label["en"])


def _open_direct_threat(history: History, at: int, _params: Mapping[str, Any]) -> np.ndarray:
    requests = history["requests"]
    unconsidered = (
        requests["direct_threat"].to_numpy(dtype=bool)
        & (requests["known_ns"].to_numpy() < at)
        & (requests["considered_ns"].to_numpy() >= at)
    )
    cases = history["cases"]
    open_case = (
        cases["direct_threat"].to_numpy(dtype=bool)
        & (cases["opened_ns"].to_numpy() < at)
        & (cases["closed_ns"].to_numpy() >= at)
    )
    found: np.ndarray = per_child_any(history, "requests", unconsidered) | per_child_any(
        history, "cases", open_case
    )
    return found


def _pending_review(history: History, at: int, _params: Mapping[str, Any]) -> np.ndarray:
    requests = history["requests"]
    pending = (
        requests["priority_review"].to_numpy(dtype=bool)
        & (requests["known_ns"].to_numpy() < at)
        & (requests["reviewed_ns"].to_numpy() >= at)
    )
    return per_child_any(history, "requests", pending)


def _recent_events(history: History, at: int, params: Mapping[str, Any]) -> np.ndarray:
    since = at - int(params["days"]) * DAY_NS
    crises = history["crises"]
    events = (
        crises["kind"].isin(list(params["kinds"])).to_numpy()
        & (crises["known_ns"].to_numpy() < at)
        & (crises["occurred_ns"].to_numpy() >= since)
    )
    found = per_child_any(history, "crises", events)
    concerns = list(params.get("threat_concerns") or ())
    if concerns:
        table = history["concerns"]
        threats = set(
            history["requests"].loc[history["requests"]["direct_threat"].astype(bool), "request_id"]
        )
        about = (
            table["concern"].isin(concerns).to_numpy()
            & table["request_id"].isin(threats).to_numpy()
            & (table["known_ns"].to_numpy() < at)
            & (table["known_ns"].to_numpy() >= since)
        )
        found |= per_child_any(history, "concerns", about)
    return found


def _owed_notification(history: History, at: int, _params: Mapping[str, Any]) -> np.ndarray:
    notices = history["notifications"]
    owed = (notices["known_ns"].to_numpy() < at) & (notices["sent_ns"].to_numpy() >= at)
    return per_child_any(history, "notifications", owed)


def _overdue_request(history: History, at: int, _params: Mapping[str, Any]) -> np.ndarray:
    requests = history["requests"]
    overdue = (
        (requests["known_ns"].to_numpy() < at)
        & (requests["considered_ns"].to_numpy() >= at)
        & (requests["due_ns"].to_numpy() < at)  # Rule 16
    )
    return per_child_any(history, "requests", overdue)


PREDICATES: Final[Mapping[str, Predicate]] = MappingProxyType(
    {
        "open_direct_threat": _open_direct_threat,
        "pending_review": _pending_review,
        "recent_events": _recent_events,
        "owed_notification": _owed_notification,
        "overdue_request": _overdue_request,
    }
)


def _fail(path: Path, position: int, problem: str) -> HardRuleFileError:
    return HardRuleFileError(
        N_("Hard rule {position} in {path}: {problem}"),
        position=position,
        path=str(path),
        problem=problem,
    )


def _texts(path: Path, position: int, entry: Mapping[str, Any], key: str) -> dict[str, str]:
    texts = entry.get(key)
    if not isinstance(texts, dict) or any(
        not isinstance(texts.get(lang), str) or not texts[lang].strip() for lang in LANGUAGES
    ):
        raise _fail(path, position, f"'{key}' needs non-empty kk, ru and en texts")
    return {lang: str(texts[lang]).strip() for lang in LANGUAGES}


def _check_params(path: Path, position: int, predicate: str, params: Mapping[str, Any]) -> None:
    if predicate != "recent_events":
        return
    kinds = params.get("kinds")
    if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(CRISIS_KIND_CODES):
        raise _fail(path, position, f"'kinds' must list crisis kinds of {CRISIS_KIND_CODES}")
    if not set(params.get("threat_concerns") or ()) <= set(CONCERN_CODES):
        raise _fail(path, position, "'threat_concerns' must list Rule 19 concern codes")
    days = params.get("days")
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise _fail(path, position, "'days' must be a positive whole number")


def load_hard_rules(path: Path | None = None) -> tuple[HardRule, ...]:
    """Read and check the hard rules file (``data/risk/hard_rules.yaml`` by default)."""
    return _default_rules() if path is None else _read_rules(path)


@cache
def _default_rules() -> tuple[HardRule, ...]:
    return _read_rules(RULES_PATH)


def _read_rules(path: Path) -> tuple[HardRule, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HardRuleFileError(
            N_("Cannot read the hard rules file {path}: {problem}"), path=str(path), problem=exc
        ) from exc
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise HardRuleFileError(N_("The hard rules file {path} lists no rules."), path=str(path))
    rules: list[HardRule] = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _fail(path, position, "each rule must be a mapping")
        code, predicate = entry.get("code"), entry.get("predicate")
        if not isinstance(code, str) or not code.isidentifier():
            raise _fail(path, position, "'code' must be a snake_case name")
        if code in {rule.code for rule in rules}:
            raise _fail(path, position, f"the code {code!r} is used twice")
        if predicate not in PREDICATES:
            raise _fail(path, position, f"unknown predicate {predicate!r}; use {list(PREDICATES)}")
        source_text = entry.get("source")
        if not isinstance(source_text, str) or "Order" not in source_text:
            raise _fail(path, position, "'source' must cite the Order or an act it names")
        params = entry.get("params") or {}
        _check_params(path, position, str(predicate), params)
        rules.append(
            HardRule(
                code=code,
                predicate=str(predicate),
                params=MappingProxyType(dict(params)),
                source=source_text,
                label=MappingProxyType(_texts(path, position, entry, "label")),
                why=MappingProxyType(_texts(path, position, entry, "why")),
                note=" ".join(str(entry.get("note") or "").split()),
            )
        )
    return tuple(rules)


def evaluate_hard_rules(
    history: History, at: int, rows: np.ndarray, rules: tuple[HardRule, ...] | None = None
) -> dict[str, np.ndarray]:
    """For each rule, whether it holds for each child of ``rows`` (rows of ``history.children``)."""
    chosen = load_hard_rules() if rules is None else rules
    return {
        rule.code: PREDICATES[rule.predicate](history, at, rule.params)[rows] for rule in chosen
    }


def fired_rules(hits: Mapping[str, np.ndarray], index: int) -> tuple[str, ...]:
    """The codes of the rules that hold for the ``index``-th child, in the file's order."""
    return tuple(code for code, held in hits.items() if bool(held[index]))
