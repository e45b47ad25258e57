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


# --- the rules file: every check names the file, the rule's position and the problem ---------

TEXTS = "label: {kk: a, ru: b, en: c}, why: {kk: a, ru: b, en: c}"
GOOD = f"{{code: first, predicate: overdue_request, source: Order 264 Rule 16, {TEXTS}}}"


def _refusal(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HardRuleFileError) as caught:
        load_hard_rules(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ("just text", "each rule must be a mapping"),
        (f"{{code: two words, predicate: overdue_request, source: Order 264, {TEXTS}}}",
         "'code' must be a snake_case name"),
        (f"{{code: 7, predicate: overdue_request, source: Order 264, {TEXTS}}}",
         "'code' must be a snake_case name"),
        (f"{{code: first, predicate: overdue_request, source: Order 264, {TEXTS}}}",
         "the code 'first' is used twice"),
        (f"{{code: x, predicate: nope, source: Order 264, {TEXTS}}}",
         "unknown predicate 'nope'; use ['open_direct_threat', 'pending_review', "
         "'recent_events', 'owed_notification', 'overdue_request']"),
        (f"{{code: x, predicate: overdue_request, source: a decree, {TEXTS}}}",
         "'source' must cite the Order or an act it names"),
        ("{code: x, predicate: overdue_request, source: Order 264, label: {kk: a, ru: b, en: ' '}, "
         "why: {kk: a, ru: b, en: c}}", "'label' needs non-empty kk, ru and en texts"),
        ("{code: x, predicate: overdue_request, source: Order 264, label: {kk: a, ru: b, en: c}, "
         "why: {kk: a, en: c}}", "'why' needs non-empty kk, ru and en texts"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [], days: 3}}, source: Order 264, "
         f"{TEXTS}}}", "'kinds' must list crisis kinds of"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [fire], days: 3}}, "
         f"source: Order 264, {TEXTS}}}", "'kinds' must list crisis kinds of"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [self_harm], days: 3, "
         f"threat_concerns: [bad_luck]}}, source: Order 264, {TEXTS}}}",
         "'threat_concerns' must list Rule 19 concern codes"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [self_harm], days: 0}}, "
         f"source: Order 264, {TEXTS}}}", "'days' must be a positive whole number"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [self_harm], days: -5}}, "
         f"source: Order 264, {TEXTS}}}", "'days' must be a positive whole number"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [self_harm], days: true}}, "
         f"source: Order 264, {TEXTS}}}", "'days' must be a positive whole number"),
        (f"{{code: x, predicate: recent_events, params: {{kinds: [self_harm], days: '30'}}, "
         f"source: Order 264, {TEXTS}}}", "'days' must be a positive whole number"),
    ],
)
def test_each_broken_rule_is_refused_naming_the_file_its_position_and_the_problem(
    tmp_path: Path, second: str, problem: str
) -> None:
    message = _refusal(tmp_path, f"rules:\n- {GOOD}\n- {second}\n")
    assert message.startswith(f"Hard rule 2 in {tmp_path / 'rules.yaml'}: {problem}"), message


@pytest.mark.parametrize("text", ["rules: []", "- a list\n- not a mapping", "other: 1", ""])
def test_a_file_without_rules_is_refused_naming_it(tmp_path: Path, text: str) -> None:
    assert _refusal(tmp_path, text) == f"The hard rules file {tmp_path / 'rules.yaml'} lists no rules."


def test_an_unreadable_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    with pytest.raises(HardRuleFileError) as caught:
        load_hard_rules(missing)
    message = str(caught.value)
    assert message.startswith(f"Cannot read the hard rules file {missing}: ")
    assert "No such file" in message
    assert "line 1, column 13" in _refusal(tmp_path, "rules: [a: b: c")


def test_the_widest_valid_parameters_and_a_note_are_accepted(tmp_path: Path) -> None:
    from pcenter_lib.domain.concerns import CONCERN_CODES
    from pcenter_lib.domain.risk_events import CRISIS_KIND_CODES

    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n"
        f"- {{code: every_event, predicate: recent_events, params: {{kinds: {list(CRISIS_KIND_CODES)}, "
        f"threat_concerns: {list(CONCERN_CODES)}, days: 1}}, source: Order 264, {TEXTS},\n"
        "   note: \"  the   protective\n reading \"}\n"
        f"- {GOOD}\n",
        encoding="utf-8",
    )
    first, second = load_hard_rules(path)
    assert first.params["days"] == 1 and tuple(first.params["kinds"]) == CRISIS_KIND_CODES
    assert first.note == "the protective reading" and second.note == ""
    assert first.text("en") == "c" and first.text("de") == "c"  # unknown language: English
    assert dict(first.why) == {"kk": "a", "ru": "b", "en": "c"}


def test_the_rules_given_are_the_rules_evaluated(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(f"rules:\n- {GOOD}\n", encoding="utf-8")
    history = history_of(children=[child_row(1)])
    hits = evaluate_hard_rules(history, AT, np.array([0]), load_hard_rules(path))
    assert list(hits) == ["first"]


# --- each predicate at the edge of the moment: only what was known strictly before it counts,
# and what is still open at the moment counts as open (the reading that keeps the child in view)


def test_an_open_threat_counts_from_strictly_before_the_moment_until_it_is_considered() -> None:
    threat = request_row(1, 1, AT - DAY_NS, direct_threat=True, considered_ns=AT, due_ns=AT + DAY_NS)
    assert "open_direct_threat" in _hits(requests=[threat])  # considered at the moment: still open
    assert "open_direct_threat" not in _hits(requests=[{**threat, "known_ns": AT}])
    case = {"case_id": 1, "child_id": 1, "opened_ns": AT - DAY_NS, "closed_ns": AT,
            "direct_threat": True, "responsible": "specialist1"}  # fmt: skip
    done = {**threat, "considered_ns": AT - 1}
    assert "open_direct_threat" in _hits(requests=[done], cases=[case])
    assert "open_direct_threat" not in _hits(requests=[done], cases=[{**case, "opened_ns": AT}])
    assert "open_direct_threat" not in _hits(
        requests=[done], cases=[{**case, "direct_threat": False}]
    )


def test_a_pending_review_and_an_overdue_request_at_the_edge_of_the_moment() -> None:
    pending = request_row(1, 1, AT - DAY_NS, priority_review=True, reviewed_ns=AT,
                          considered_ns=AT - 1, due_ns=AT + DAY_NS)  # fmt: skip
    assert set(_hits(requests=[pending])) == {"critical_answer_unreviewed"}
    assert _hits(requests=[{**pending, "known_ns": AT}]) == {}
    assert _hits(requests=[{**pending, "priority_review": False}]) == {}
    overdue = request_row(1, 1, AT - 3 * DAY_NS, considered_ns=AT, due_ns=AT - 1)
    assert set(_hits(requests=[overdue])) == {"request_overdue"}
    assert _hits(requests=[{**overdue, "due_ns": AT}]) == {}  # due at the moment: not yet late
    assert _hits(requests=[{**overdue, "known_ns": AT}]) == {}
    assert _hits(requests=[{**overdue, "considered_ns": AT - 1}]) == {}


def test_an_owed_notification_at_the_edge_of_the_moment() -> None:
    notice = {"request_id": 1, "child_id": 1, "known_ns": AT - DAY_NS, "due_ns": AT - 10,
              "sent_ns": AT, "recipient": "police"}  # fmt: skip
    assert set(_hits(notifications=[notice])) == {"notification_owed"}  # sent at the moment
    assert _hits(notifications=[{**notice, "known_ns": AT}]) == {}


def test_crisis_events_and_suicidal_threats_at_the_edges_of_their_window() -> None:
    since = AT - 365 * DAY_NS
    attempt = {"child_id": 1, "kind": "suicide_attempt", "occurred_ns": since,
               "known_ns": AT - 1}  # fmt: skip
    assert set(_hits(crises=[attempt])) == {"recent_suicide_attempt"}
    assert _hits(crises=[{**attempt, "occurred_ns": since - 1}]) == {}
    assert _hits(crises=[{**attempt, "known_ns": AT}]) == {}
    assert _hits(crises=[{**attempt, "kind": "police_involvement"}]) == {}
    threat = request_row(1, 1, since, direct_threat=True)
    ordinary = request_row(2, 1, since, direct_threat=False)

    def concern(request_id: int, known: int, code: str = "suicidal") -> dict[str, object]:
        return {"request_id": request_id, "child_id": 1, "known_ns": known, "concern": code}

    assert set(_hits(requests=[threat], concerns=[concern(1, since)])) == {"recent_suicide_attempt"}
    assert set(_hits(requests=[threat], concerns=[concern(1, AT - 1, "auto_destructive")])) == {
        "recent_suicide_attempt"
    }
    for quiet in (concern(1, since - 1), concern(1, AT), concern(2, AT - DAY_NS),
                  concern(1, AT - DAY_NS, "bullying")):  # fmt: skip
        assert _hits(requests=[threat, ordinary], concerns=[quiet]) == {}, quiet
