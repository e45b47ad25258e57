"""Hard rules as data: the file, each predicate, and that no score can ever lower them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcenter_lib.domain.hard_rules import (
    HardRuleFileError,
    evaluate_hard_rules,
    fired_rules,
    load_hard_rules,
)
from pcenter_lib.domain.priority import (
    LEVEL_RANK,
    LEVELS,
    OverrideError,
    StandingOverride,
    check_override,
    effective_level,
    model_level,
    queue_key,
)
from pcenter_lib.domain.risk_history import DAY_NS, NEVER
from tests.risk.histories import AT, child_row, history_of, request_row

RULE_CODES = (
    "open_direct_threat", "critical_answer_unreviewed", "recent_suicide_attempt",
    "violence_at_home", "notification_owed", "request_overdue",
)  # fmt: skip


def test_the_rules_file_names_every_rule_with_its_source_and_three_languages() -> None:
    rules = load_hard_rules()
    assert tuple(r.code for r in rules) == RULE_CODES
    for rule in rules:
        assert "Order 264" in rule.source
        for lang in ("kk", "ru", "en"):
            assert rule.label[lang].strip() and rule.why[lang].strip()
        assert rule.text("kk") != rule.text("en")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules: []", "lists no rules"),
        ("rules:\n- {code: x, predicate: nope, source: Order 264, label: {}, why: {}}",
         "unknown predicate"),
        ("rules:\n- {code: x, predicate: overdue_request, source: somewhere, label: {}, why: {}}",
         "must cite the Order"),
        ("rules:\n- {code: x, predicate: overdue_request, source: Order 264, label: {en: a}, why: {}}",
         "kk, ru and en"),
        ("rules:\n- {code: x, predicate: recent_events, params: {kinds: [fire], days: 3}, "
         "source: Order 264, label: {kk: a, ru: b, en: c}, why: {kk: a, ru: b, en: c}}",
         "crisis kinds"),
    ],
)
def test_a_broken_rules_file_is_refused_with_the_reason(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HardRuleFileError, match=problem):
        load_hard_rules(path)


def _hits(**tables: list[dict[str, object]]) -> dict[str, bool]:
    history = history_of(children=[child_row(1), child_row(2)], **tables)
    hits = evaluate_hard_rules(history, AT, np.array([0, 1]))
    return {code: bool(held[0]) for code, held in hits.items() if held[0] or held[1]}


def test_an_open_direct_threat_holds_until_considered_and_while_its_case_is_open() -> None:
    before = AT - 2 * DAY_NS
    open_threat = request_row(1, 1, before, direct_threat=True, considered_ns=NEVER, due_ns=AT + 1)
    assert "open_direct_threat" in _hits(requests=[open_threat])
    considered = request_row(1, 1, before, direct_threat=True, considered_ns=AT - DAY_NS)
    assert "open_direct_threat" not in _hits(requests=[considered])
    case = {"case_id": 1, "child_id": 1, "opened_ns": before, "closed_ns": NEVER,
            "direct_threat": True, "responsible": "specialist1"}  # fmt: skip
    assert "open_direct_threat" in _hits(requests=[considered], cases=[case])
    closed = {**case, "closed_ns": AT - 1}
    assert "open_direct_threat" not in _hits(requests=[considered], cases=[closed])


def test_a_critical_answer_holds_until_reviewed_and_an_overdue_request_past_rule_16() -> None:
    pending = request_row(
        1, 1, AT - DAY_NS, priority_review=True, reviewed_ns=NEVER, considered_ns=NEVER,
        due_ns=AT - 1,
    )  # fmt: skip
    hits = _hits(requests=[pending])
    assert {"critical_answer_unreviewed", "request_overdue"} <= set(hits)
    reviewed = {**pending, "reviewed_ns": AT - 10, "due_ns": AT + DAY_NS}
    assert _hits(requests=[reviewed]) == {}


def test_recent_attempts_and_violence_count_for_twelve_months_only() -> None:
    def event(kind: str, days_ago: int) -> dict[str, object]:
        return {"child_id": 1, "kind": kind, "occurred_ns": AT - days_ago * DAY_NS,
                "known_ns": AT - days_ago * DAY_NS + 1}  # fmt: skip

    assert set(_hits(crises=[event("suicide_attempt", 300)])) == {"recent_suicide_attempt"}
    assert set(_hits(crises=[event("self_harm", 10)])) == {"recent_suicide_attempt"}
    assert _hits(crises=[event("suicide_attempt", 400)]) == {}
    assert set(_hits(crises=[event("violence_at_home", 30)])) == {"violence_at_home"}
    not_yet_known = {**event("violence_at_home", 3), "known_ns": AT + DAY_NS}
    assert _hits(crises=[not_yet_known]) == {}


def test_a_suicidal_direct_threat_counts_as_an_attempt_in_the_protective_reading() -> None:
    threat = request_row(1, 1, AT - 100 * DAY_NS, direct_threat=True)
    concern = {"request_id": 1, "child_id": 1, "known_ns": AT - 100 * DAY_NS,
               "concern": "suicidal"}  # fmt: skip
    assert set(_hits(requests=[threat], concerns=[concern])) == {"recent_suicide_attempt"}


def test_an_unsent_notification_is_owed() -> None:
    notice = {"request_id": 1, "child_id": 1, "known_ns": AT - DAY_NS, "due_ns": AT - 10,
              "sent_ns": NEVER, "recipient": "police"}  # fmt: skip
    assert set(_hits(notifications=[notice])) == {"notification_owed"}
    assert _hits(notifications=[{**notice, "sent_ns": AT - 5}]) == {}


NOW = datetime(2026, 3, 1, tzinfo=UTC)
rules_strategy = st.lists(st.sampled_from(RULE_CODES), max_size=3, unique=True)
band_strategy = st.one_of(st.none(), st.integers(min_value=1, max_value=20))
probability_strategy = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(rules_strategy, band_strategy, probability_strategy), min_size=1,
             max_size=30)
)
def test_no_score_can_lower_a_hard_rule(entries: list[tuple[list[str], int | None, float | None]]) -> None:
    levels = [effective_level(rules, band, None, NOW) for rules, band, _ in entries]
    for (rules, _band, _), level in zip(entries, levels, strict=True):
        if rules:
            assert level == "mandatory"  # whatever the band or probability
            assert model_level(rules, 1) == model_level(rules, 20) == "mandatory"
    keys = sorted(
        range(len(entries)),
        key=lambda i: queue_key(levels[i], entries[i][0], entries[i][2]),
    )
    positions = {i: p for p, i in enumerate(keys)}
    ruled = [positions[i] for i, e in enumerate(entries) if e[0]]
    others = [positions[i] for i, e in enumerate(entries) if not e[0]]
    if ruled and others:
        assert max(ruled) < min(others)


@settings(max_examples=200, deadline=None)
@given(rules_strategy.filter(bool), st.sampled_from(LEVELS[:-1]), st.text(max_size=30))
def test_a_mandatory_child_is_lowered_only_with_every_rule_explained(
    rules: list[str], to_level: str, words: str
) -> None:
    with pytest.raises(OverrideError):
        check_override(
            current_level="mandatory", rules=rules, to_level=to_level, reason_code="resolved",
            reason=words or "x", rules_set_aside=rules, rule_explanation="the family moved",
        )  # fmt: skip
    with pytest.raises(OverrideError):
        check_override(
            current_level="mandatory", rules=rules, to_level=to_level,
            reason_code="rule_does_not_apply", reason="x", rules_set_aside=rules[1:],
            rule_explanation="the family moved",
        )  # fmt: skip
    assert check_override(
        current_level="mandatory", rules=rules, to_level=to_level,
        reason_code="rule_does_not_apply", reason="placed with grandparents",
        rules_set_aside=rules, rule_explanation="the person who used violence left the home",
    ) == "lower"  # fmt: skip


def test_an_override_lapses_when_a_new_rule_holds_or_after_thirty_days() -> None:
    lowered = StandingOverride("low", NOW, frozenset({"violence_at_home"}), "supervisor1", "x")
    assert effective_level(["violence_at_home"], 3, lowered, NOW + timedelta(days=1)) == "low"
    assert (
        effective_level(["violence_at_home", "request_overdue"], 3, lowered, NOW)
        == "mandatory"
    )
    assert effective_level(["violence_at_home"], 3, lowered, NOW + timedelta(days=31)) == (
        "mandatory"
    )
    assert fired_rules({"a": np.array([True]), "b": np.array([False])}, 0) == ("a",)
    assert LEVEL_RANK["mandatory"] > LEVEL_RANK["high"]
